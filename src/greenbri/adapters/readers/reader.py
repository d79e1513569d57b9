"""The one entry point: :func:`read_input`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from greenbri.adapters.readers.base import ReadOptions, ReadResult
from greenbri.adapters.readers.checks import CheckedPart, check_part
from greenbri.adapters.readers.detect import InputFile, input_digest, resolve_inputs
from greenbri.adapters.readers.frame import (
    Origins,
    apply_mapping,
    check_ids,
    combine,
    normalise_datetimes,
    swapped_warning,
)
from greenbri.adapters.readers.parts import RawPart
from greenbri.adapters.readers.tabular import read_csv, read_parquet_table, read_xlsx
from greenbri.adapters.readers.vector import read_geoparquet, read_ogr
from greenbri.core.catalog import FeatureRepair

__all__ = ["read_input"]


def _is_geoparquet(path: Path) -> bool:
    import pyarrow.parquet

    try:
        metadata = pyarrow.parquet.read_schema(path).metadata or {}
    except Exception:  # a damaged file is reported by the reader itself
        return False
    return b"geo" in metadata


def _read(entry: InputFile, options: ReadOptions) -> tuple[RawPart, str]:
    """The file as read, and its format's name (a Parquet file with ``geo`` metadata is GeoParquet)."""
    if entry.format in ("geojson", "gpkg", "shapefile", "filegdb", "flatgeobuf"):
        return read_ogr(entry, options), entry.format
    if entry.format == "geoparquet" or (entry.format == "parquet" and _is_geoparquet(entry.path)):
        return read_geoparquet(entry, options), "geoparquet"
    if entry.format == "parquet":
        return read_parquet_table(entry, options), "parquet"
    if entry.format == "xlsx":
        return read_xlsx(entry, options), "xlsx"
    return read_csv(entry, options), "csv"


def _id_source(part: RawPart, options: ReadOptions) -> str | None:
    """The column of ``part`` (before renaming) whose values name features in messages."""
    columns = list(part.frame.columns)
    if options.id_column:
        if options.id_column in columns:
            return options.id_column
        for source, target in options.column_mapping.items():
            if target == options.id_column and source in columns:
                return source
        return None
    return next((column for column in columns if str(column).lower() == "id"), None)


def _ids(part: RawPart, options: ReadOptions) -> list[str] | None:
    column = _id_source(part, options)
    if column is None:
        return None
    return ["" if value is None or value != value else str(value) for value in part.frame[column].tolist()]


def _joined(values: list[str]) -> str:
    return ", ".join(dict.fromkeys(value for value in values if value))


def read_input(
    paths: Path | str | Sequence[Path | str],
    options: ReadOptions = ReadOptions(),
    *,
    countries: Any = None,
) -> ReadResult:
    """Read, validate and repair one input; return it in EPSG:4326 with what was done.

    ``paths`` is a file, a zip holding shapefiles or a file geodatabase, a
    ``.gdb`` folder (one input), a folder (its shapefiles, or its files and
    ``.gdb`` folders if they all have one supported format) or a list of these; the
    files are read in order (a folder's in name order) and concatenated. The
    result's ``frame`` is a GeoDataFrame (geometry column ``geometry``, CRS
    EPSG:4326, index 0..n-1 in input order) when the input has geometry, else
    a DataFrame (``kind`` INDICATOR_TABLE).

    Geometries that :func:`shapely.make_valid` can repair without changing
    their dimension are repaired and listed in ``repairs``; every other
    problem raises an :class:`~greenbri.core.errors.InputError` subclass
    naming the file, the feature (counted from 0) or row (counted from 1) and
    the fix. Missing geometries (a null GeoJSON geometry, a CSV/XLSX row with
    both coordinates blank) are an error listing them, unless
    ``options.allow_missing_geometry`` keeps them as null geometries with a
    warning; a table in which no row has a geometry is read as a table, a layer whose
    every feature has a null geometry is refused (read as a table with
    ``allow_missing_geometry``).
    ``countries`` (a GeoDataFrame with an
    ``iso_a3`` column) enables a warning when point coordinates look like
    longitude and latitude were swapped.
    """
    entries = resolve_inputs(paths, options.format, options.max_bytes)
    digest = input_digest(entries)
    checked: list[CheckedPart] = []
    repairs: list[FeatureRepair] = []
    row_errors: dict[int, str] = {}
    formats: list[str] = []
    offset = 0
    skipped: list[tuple[str, Any]] = []
    row_files: list[str] = []
    for entry in entries:
        part, fmt = _read(entry, options)
        skipped += [(part.name, row) for row in part.skipped_rows]
        formats.append(fmt)
        ids = _ids(part, options)
        done = check_part(part, options, ids)
        for repair in done.repairs:
            feature_id = ids[repair.index] if ids else ""
            repairs.append(FeatureRepair(offset + repair.index, feature_id, repair.problem, repair.action))
        row_errors.update({offset + index: message for index, message in done.row_errors.items()})
        checked.append(done)
        row_files += [part.name] * len(done.frame)
        offset += len(done.frame)
    frame, kind = combine(checked)
    origins = Origins(checked)
    frame = apply_mapping(frame, options.column_mapping, checked[0].name)
    if options.id_column:
        check_ids(frame, options.id_column, origins)
    frame = normalise_datetimes(frame)
    warnings = [note for part in checked for note in part.warnings]
    paths_read = tuple(dict.fromkeys(entry.path for entry in entries))
    name = paths_read[0].name if len(paths_read) == 1 else f"{len(paths_read)} files"
    swapped = swapped_warning(frame, countries, options.country_column, name)
    if swapped:
        warnings.append(swapped)
    return ReadResult(
        frame=frame,
        kind=kind,
        input_paths=paths_read,
        input_sha256=digest,
        input_format=_joined(formats),
        encoding=_joined([part.encoding for part in checked]),
        source_crs=_joined([part.crs for part in checked]),
        repairs=repairs,
        warnings=warnings,
        skipped_rows=skipped,
        row_errors=dict(sorted(row_errors.items())),
        row_files=row_files,
    )
