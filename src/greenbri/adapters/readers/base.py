"""What every reader takes and returns.

A reader turns one input (a file, a zip, a folder of shapefiles, a file geodatabase) into a table in
memory: a ``geopandas.GeoDataFrame`` in EPSG:4326 for vector data, a
``pandas.DataFrame`` for tables. It validates and repairs on the way, and raises
an :class:`~greenbri.core.errors.InputError` subclass naming the file, the row or
feature, what was wrong and how to fix it. Readers never touch the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from greenbri.core.catalog import DatasetKind, FeatureRepair

__all__ = ["DEFAULT_MAX_INPUT_BYTES", "ReadOptions", "ReadResult"]

#: Default ceiling on the size of one input file (2 GiB); ``GREENBRI_MAX_INPUT_BYTES`` changes it.
DEFAULT_MAX_INPUT_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class ReadOptions:
    """How to read an input. Every field is optional; detection fills the gaps.

    Attributes
    ----------
    format
        Force a format: ``geojson``, ``gpkg``, ``shapefile``, ``filegdb``,
        ``flatgeobuf``, ``geoparquet``, ``parquet``, ``csv``, ``xlsx``.
    layer
        Layer of a GeoPackage or file geodatabase (or sheet name of an XLSX file).
    encoding
        Text encoding; wins over detection (but a shapefile's ``.cpg`` wins over both).
    source_crs
        CRS to assume when the input declares none (e.g. ``EPSG:4326``).
    lon_column, lat_column, wkt_column
        Geometry columns of a CSV/XLSX table; detected from common names when absent.
    column_mapping
        Rename columns: ``{"source name": "target name"}``; applied after reading.
    id_column
        Column whose values must be unique (after mapping).
    country_column
        Column with ISO 3166-1 alpha-3 codes, used to warn about swapped lon/lat.
    max_bytes
        Reject inputs larger than this many bytes.
    allow_missing_geometry
        Keep features or rows without a geometry (a CSV/XLSX row whose lon/lat
        are both blank, a null GeoJSON geometry) with a null geometry and a
        warning. By default they are an error naming them, because silently
        importing points that cannot be screened hides a data problem. A
        table (CSV/XLSX) where *no* row has a geometry is read as a table either
        way; a layer format (GeoJSON, GeoPackage, shapefile ...) whose every
        feature has a null geometry is refused unless this is set (then it is
        read as a table, with a warning).
    skip_bad_rows
        Leave out the rows of a CSV that are not whole (short or long rows, an
        unterminated quote, a value cut at the end of the file; see
        :mod:`greenbri.adapters.readers.integrity`) and report each in the
        warnings, instead of refusing the file.
    coordinate_errors_per_row
        Coordinates outside longitude -180..180 / latitude -90..90 fail only their
        row or feature: it keeps a null geometry and :attr:`ReadResult.row_errors`
        names it (file, row, column, fix), instead of one error for the whole
        input. Screening reads portfolios this way; imports do not (a stored layer
        with a silent hole would be worse than a clear error).
    """

    format: str | None = None
    layer: str | None = None
    encoding: str | None = None
    source_crs: str | None = None
    lon_column: str | None = None
    lat_column: str | None = None
    wkt_column: str | None = None
    column_mapping: Mapping[str, str] = field(default_factory=dict)
    id_column: str | None = None
    country_column: str | None = None
    max_bytes: int = DEFAULT_MAX_INPUT_BYTES
    allow_missing_geometry: bool = False
    skip_bad_rows: bool = False
    coordinate_errors_per_row: bool = False


@dataclass
class ReadResult:
    """A read input, ready to be stored.

    ``frame`` is a GeoDataFrame (geometry column ``geometry``, CRS EPSG:4326) when
    ``kind`` is a vector layer, else a plain DataFrame.
    """

    frame: Any
    kind: DatasetKind
    input_paths: tuple[Path, ...]
    input_sha256: str
    input_format: str
    encoding: str = ""
    source_crs: str = ""
    repairs: list[FeatureRepair] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: ``(file name, bad row)`` for each row left out with ``skip_bad_rows``.
    skipped_rows: list[tuple[str, Any]] = field(default_factory=list)
    #: Rows (0-based positions in ``frame``) that failed on their own, and why
    #: (``ReadOptions.coordinate_errors_per_row``); their geometry is null.
    row_errors: dict[int, str] = field(default_factory=dict)
    #: The file (its name) each row of ``frame`` came from, in order.
    row_files: list[str] = field(default_factory=list)
