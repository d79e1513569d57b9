"""``greenbri indicators ingest``: read an indicator file, recognise countries and aggregates, store the values.

For each row the entity is classified (:func:`greenbri.core.indicators.aggregates.classify_entity`)
as a country, an aggregate (World Bank regions and income groups, OWID regions, ``World``...), a
historical state, or unknown. Unknown names are reported (never guessed) and not stored. Only the
series the catalog knows (or the one a mapping names) are stored. The same file with the same
options is a no-op, and so are the same bytes under another name (the result names the source
that holds them).

A new copy of a source (same file name, other bytes) that would keep fewer than half the rows
stored from it (:data:`SHRINK_LIMIT`: "most of its rows" lost) is refused, nothing changed, unless
``allow_shrink`` (``--allow-shrink``) confirms it: a truncated download must not replace the data.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from greenbri.adapters.indicators.formats import detect_format, read_codebook, read_indicator_file
from greenbri.adapters.indicators.reference import country_reference
from greenbri.adapters.indicators.store import IndicatorStore, source_key
from greenbri.core.errors import (
    EmptyInputError,
    InputError,
    MissingColumnError,
    ShrinkingSourceError,
    UnknownFormatError,
)
from greenbri.core.indicators.aggregates import classify_entity
from greenbri.core.indicators.model import indicator_from_document
from greenbri.usecases.indicators.catalog import all_indicators, series_index

__all__ = ["SHRINK_LIMIT", "indicator_files", "ingest_file", "ingest_folder"]

logger = logging.getLogger(__name__)
_RELEASE = re.compile(r"_(\d{4}(?:-\d{2}){0,2})\.(csv|json)$")
_MAPPING_KEYS = ("indicator", "country_column", "year_column", "value_column")
_SUFFIXES = (".csv", ".json")
#: A new copy keeping fewer than this share of a source's stored rows drops "most" of them.
SHRINK_LIMIT = 0.5


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_mapping(path: Path) -> dict[str, Any]:
    try:
        mapping: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(
            f"cannot read the mapping ({error}).", source=str(path), hint="give a JSON object."
        ) from None
    missing = [key for key in _MAPPING_KEYS if key not in mapping]
    if missing:
        raise MissingColumnError(
            f"the mapping lacks {missing}.",
            source=str(path),
            location="mapping",
            hint=f"a mapping names {list(_MAPPING_KEYS)} (and country_is: iso3 or name).",
        )
    return mapping


#: Formats whose rows carry a code: a row without one is not a country (OWID gives every country a code).
_CODED_FORMATS = (
    "owid_grapher",
    "owid_co2",
    "worldbank_table",
    "worldbank_csv",
    "worldbank_api",
    "sdmx_csv",
    "oecd_csv",
)


def _classify(rows: pd.DataFrame, format: str) -> tuple[pd.DataFrame, list[str]]:
    reference = country_reference()
    names = None if format in _CODED_FORMATS else reference.names
    entities = rows[["code", "name"]].drop_duplicates()
    kinds: dict[tuple[str, str], tuple[str, str]] = {}
    unknown: list[str] = []
    for code, name in entities.itertuples(index=False):
        found = classify_entity(code, name, countries=reference.countries, names=names)
        kinds[(code, name)] = (found.kind, "WLD" if found.is_world else found.code)
        if found.kind == "unknown":
            unknown.append(f"{name} ({code})" if code else name)
    keys = list(zip(rows["code"], rows["name"], strict=True))
    classified = rows.assign(kind=[kinds[key][0] for key in keys], code=[kinds[key][1] for key in keys])
    return classified[classified["kind"] != "unknown"], sorted(set(unknown))


def _version_label(path: Path, sha256: str, upstream: str) -> str:
    release = _RELEASE.search(path.name)
    parts = [path.name, f"sha256:{sha256[:12]}"]
    if release:
        parts.append(f"release {release.group(1)}")
    if upstream:
        parts.append(upstream)
    return " ".join(parts)


def _ingest_codebook(store: IndicatorStore, path: Path, sha256: str) -> dict[str, Any]:
    store.record_metadata(
        "codebooks", "owid_co2", {"file": path.name, "sha256": sha256, "columns": read_codebook(path)}
    )
    return {"file": path.name, "format": "owid_codebook", "status": "recorded", "indicators": [], "rows": 0}


def ingest_file(
    store: IndicatorStore,
    path: Path,
    *,
    mapping_path: Path | None = None,
    format: str | None = None,
    progress: Callable[[str], None] = lambda stage: None,
    encoding: str | None = None,
    skip_bad_rows: bool = False,
    allow_shrink: bool = False,
) -> dict[str, Any]:
    """Ingest one file; returns a summary (status ``ingested`` or ``unchanged``)."""
    path = Path(path)
    _check_file(path)
    mapping = _read_mapping(mapping_path) if mapping_path else None
    sha256 = _sha256(path)
    chosen = "mapped" if mapping else (format or detect_format(path, encoding=encoding))
    if chosen == "owid_codebook":
        return _ingest_codebook(store, path, sha256)
    options = json.dumps({"format": chosen, "mapping": mapping}, sort_keys=True, ensure_ascii=False)
    key = source_key(path.name)
    existing = store.find(key, sha256, options)
    if existing is not None:
        return {**existing, "status": "unchanged"}
    same = store.find_content(sha256, options)
    if same is not None:
        return {**same, "status": "unchanged", "same_content_as": same["source_file"], "file": path.name}
    progress(f"reading {path.name}")
    indicators = all_indicators(store)
    known = {series for (form, series) in series_index(indicators) if form == chosen}
    raw = read_indicator_file(
        path,
        format=chosen,
        mapping=mapping,
        keep=None if mapping else known,
        encoding=encoding,
        skip_bad_rows=skip_bad_rows,
    )
    if mapping is not None:
        indicator_id = str(mapping["indicator"])
        if indicator_id not in indicators:
            definition: Mapping[str, Any] = mapping.get("definition") or {}
            if not definition:
                raise InputError(
                    f"the mapping names the unknown indicator {indicator_id!r} without a definition.",
                    source=str(mapping_path),
                    location="indicator",
                    hint="use a catalog id (greenbri indicators list) or add a 'definition' object.",
                )
            store.record_metadata(
                "custom_indicators",
                indicator_id,
                indicator_from_document({**definition, "id": indicator_id}, str(mapping_path)).to_dict(),
            )
        lookup = {("mapped", indicator_id): indicator_id}
    else:
        lookup = series_index(indicators)
    rows = raw.rows
    rows = rows.assign(
        indicator_id=pd.Series(
            [lookup.get((raw.format, str(series))) for series in rows["series"]],
            index=rows.index,
            dtype=object,
        )
    )
    rows = rows[rows["indicator_id"].notna()]
    if rows.empty:
        raise InputError(
            f"no series of this {raw.format} file is in the indicator catalog.",
            source=str(path),
            hint="give --mapping with the indicator id and the country, year and value columns.",
        )
    progress("recognising countries and aggregates")
    classified, unknown = _classify(rows, raw.format)
    version = _version_label(path, sha256, raw.upstream_version)
    values = classified.assign(source_version=version)
    duplicated = values.duplicated(["indicator_id", "code", "year"], keep=False)
    if duplicated.any():
        first = values[duplicated].iloc[0]
        raise InputError(
            f"{int(duplicated.sum())} rows give the same indicator, entity and year twice "
            f"(first: {first['indicator_id']}, {first['code']}, {first['year']}).",
            source=str(path),
            hint="remove the duplicates (or check that two names map to one country).",
        )
    counts = values.groupby("kind")["code"].nunique().to_dict()
    entry = {
        "source_file": path.name,
        "sha256": sha256,
        "format": raw.format,
        "options": options,
        "indicators": sorted(values["indicator_id"].unique().tolist()),
        "rows": len(values),
        "entities": {kind: int(counts.get(kind, 0)) for kind in ("country", "aggregate", "historical")},
        "unknown_entities": unknown,
        "notes": raw.notes,
        "source_version": version,
    }
    if not allow_shrink:
        _refuse_shrinking(store.source(key), len(values), path)
    progress(f"storing {len(values)} values")
    recorded = store.publish(key, entry, values)
    logger.info(
        "ingested %s: %d values of %d indicators", path.name, len(values), values["indicator_id"].nunique()
    )
    return {**recorded, "status": "ingested"}


def _check_file(path: Path) -> None:
    if not path.exists():
        raise InputError("no such file.", source=str(path), hint="check the path.")
    if not path.is_file():
        raise InputError(
            "not a file (a folder or a device).",
            source=str(path),
            hint="name an indicator file, or give the folder to 'greenbri indicators ingest' to ingest its files.",
        )
    if path.suffix.lower() not in _SUFFIXES:
        raise UnknownFormatError(
            f"not an indicator file: {path.suffix or 'no extension'} is neither .csv nor .json.",
            source=str(path),
            hint="give an OWID, World Bank, SDMX or OECD CSV, a World Bank API .json, or a CSV with --mapping.",
        )


def _refuse_shrinking(previous: dict[str, Any] | None, rows: int, path: Path) -> None:
    if previous is None or rows >= SHRINK_LIMIT * int(previous["rows"]):
        return
    raise ShrinkingSourceError(
        f"this copy gives {rows:,} values where the stored version {previous['version']} of "
        f"{previous['source_file']} ({previous['source_version']}) gives {int(previous['rows']):,}: it would "
        f"drop {1 - rows / int(previous['rows']):.0%} of them. Nothing was changed.",
        source=str(path),
        hint="check that the file is complete (a truncated download or copy?); if the source really "
        "shrank, ingest it again with --allow-shrink.",
    )


def indicator_files(paths: Sequence[Path]) -> list[Path]:
    """The files to ingest from ``paths`` (files, and the .csv/.json files of folders, in name order).

    A missing path, a file that is not .csv/.json, or a folder without any such file is an error.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in _SUFFIXES and p.is_file())
            if not found:
                raise EmptyInputError(
                    "the folder holds no .csv or .json file.",
                    source=str(path),
                    hint="name the indicator files, or the folder that holds them.",
                )
            files += found
        else:
            _check_file(path)
            files.append(path)
    return files


def ingest_folder(
    store: IndicatorStore, folder: Path, *, progress: Callable[[str], None] = lambda stage: None
) -> list[dict[str, Any]]:
    """Ingest every ``.csv`` and ``.json`` file of ``folder`` in name order (codebooks after the data)."""
    return [ingest_file(store, path, progress=progress) for path in indicator_files([folder])]
