"""Reading projects to screen from files: GeoJSON, GeoPackage, CSV/XLSX (lon/lat or WKT).

A file's columns are mapped to the project fields of
:func:`greenbri.core.screening.project.project_from_mapping` either one to one
(columns already named ``id``, ``name``, ``sector``, ...), through a user's
``--map SOURCE=TARGET``, or through a **preset** for a published dataset
(``gppd``: WRI Global Power Plant Database; ``cofi``: China's Overseas Finance
Inventory). A preset is data: renamed columns, constants, and value maps (e.g.
GPPD's ``fuel1`` "Coal" -> sector ``coal_power``).

Every row becomes a project or a :class:`RowFailure` naming the row and what
was wrong; one bad row never stops the others.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import shapely

from greenbri.adapters.readers import read_input
from greenbri.adapters.readers.base import ReadOptions
from greenbri.core.errors import GreenbriError, InputError
from greenbri.core.screening.project import _OPTIONAL, _REQUIRED, Project, project_from_mapping

__all__ = ["PRESETS", "PROJECT_FIELDS", "InputPreset", "ProjectInput", "RowFailure", "read_projects"]


@dataclass(frozen=True)
class InputPreset:
    """How the columns of a published dataset become project fields."""

    description: str
    columns: Mapping[str, str] = field(default_factory=dict)
    constants: Mapping[str, Any] = field(default_factory=dict)
    value_maps: Mapping[str, tuple[str, Mapping[str, str]]] = field(default_factory=dict)
    read_options: Mapping[str, Any] = field(default_factory=dict)
    #: Per field, the source values whose mapping is a judgement, with why (said in the output).
    uncertain: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: The document the field names and values come from.
    citation: str = ""


_POWER_SECTORS_GPPD = {
    "Coal": "coal_power", "Gas": "gas_power", "Oil": "oil_power", "Hydro": "hydro_power", "Solar": "solar_power",
    "Wind": "wind_power", "Nuclear": "nuclear_power", "Biomass": "biomass_power", "Geothermal": "geothermal_power",
    "Waste": "waste_to_energy", "Petcoke": "oil_power", "Wave and Tidal": "other", "Other": "other",
}  # fmt: skip
_POWER_SECTORS_COFI = {
    "coal": "coal_power", "gas": "gas_power", "oil": "oil_power", "hydro": "hydro_power", "solar pv": "solar_power",
    "solar csp": "solar_power", "onshore wind": "wind_power", "offshore wind": "wind_power",
    "nuclear": "nuclear_power", "biomass": "biomass_power", "geothermal": "geothermal_power",
    "waste": "waste_to_energy", "unknown": "other",
}  # fmt: skip

# AidData's Global Chinese Development Finance Dataset 3.0 and its geospatial release GeoGCDF v3
# (Goodman et al., Sci Data 11, 529, 2024); field names as in the GeoGCDF GeoJSON properties and the
# GCDF 3.0 codebook: ``Sector.Name`` (the OECD Creditor Reporting System sector of the project),
# ``Status`` (Pipeline: Pledge, Pipeline: Commitment, Implementation, Completion, Suspended, Cancelled),
# ``Recipient.ISO-3``, ``Title``. A CRS sector is broader than a greenbri sector: only the sectors
# that name one greenbri sector are mapped (both as judgements); ENERGY, TRANSPORT AND STORAGE and
# INDUSTRY, MINING, CONSTRUCTION are left as they are, so those rows fail naming the value and the fix
# (``--map-values sector:"ENERGY"=hydro_power`` or ``--set sector=...`` for one file).
_AIDDATA = "AidData GCDF 3.0 codebook / GeoGCDF v3 (Goodman et al., Sci Data 11, 529, 2024)"
_SECTORS_AIDDATA = {
    "WATER SUPPLY AND SANITATION": "water_supply",
    "AGRICULTURE, FORESTRY, FISHING": "agriculture",
}
_STATUS_AIDDATA = {
    "Pipeline: Pledge": "planned",
    "Pipeline: Commitment": "planned",
    "Implementation": "under_construction",
    "Completion": "operating",
}
_UNCERTAIN_AIDDATA = {
    "sector": {
        "WATER SUPPLY AND SANITATION": "the CRS sector also holds sanitation (wastewater) projects",
        "AGRICULTURE, FORESTRY, FISHING": "the CRS sector also holds forestry and fishing projects",
    },
    "status": {
        "Completion": "AidData's Completion means the financed activity ended, not that the asset "
        "operates today",
        "Implementation": "AidData's Implementation is the financed activity under way, taken as "
        "construction",
    },
}

#: Presets for published datasets. GPPD (WRI, 2018 release): plants in operation, capacity in MW
#: (``capacity_mw``), ``fuel1`` the primary fuel. COFI v2.2 (Oct 2023): ``installed_capacity`` in MW,
#: ``primary_fuel``, ``total_investment_amount`` in USD million (its ``variables`` sheet).
PRESETS: dict[str, InputPreset] = {
    "gppd": InputPreset(
        description="WRI Global Power Plant Database (operating plants)",
        columns={"gppd_idnr": "id", "name": "name", "country": "country", "capacity_mw": "capacity"},
        constants={"capacity_unit": "MW", "status": "operating"},
        value_maps={"sector": ("fuel1", _POWER_SECTORS_GPPD), "fuel": ("fuel1", {"Gas": "natural_gas"})},
        read_options={"allow_missing_geometry": True},
    ),
    "cofi": InputPreset(
        description="China's Overseas Finance Inventory v2.2 (Chinese-financed overseas power plants)",
        columns={
            "unique_id": "id",
            "power_plant_name": "name",
            "country_iso3c": "country",
            "installed_capacity": "capacity",
        },
        constants={"capacity_unit": "MW"},
        value_maps={
            "sector": ("primary_fuel", _POWER_SECTORS_COFI),
            "fuel": ("primary_fuel", {"gas": "natural_gas"}),
        },
        read_options={"allow_missing_geometry": True, "layer": "COFI_v2.2"},
    ),
    "aiddata": InputPreset(
        description="AidData GeoGCDF v3 (Chinese development finance projects with OSM geometries)",
        columns={"id": "id", "Title": "name", "Recipient.ISO-3": "country"},
        value_maps={"sector": ("Sector.Name", _SECTORS_AIDDATA), "status": ("Status", _STATUS_AIDDATA)},
        uncertain=_UNCERTAIN_AIDDATA,
        citation=_AIDDATA,
    ),
}


@dataclass(frozen=True)
class RowFailure:
    """A row that could not become a project, and why."""

    row: int
    project_id: str
    message: str
    #: The file the row is in; ``row`` counts that file's rows (1 = its first data row).
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        found = {"row": self.row, "project_id": self.project_id, "error": self.message}
        return {**found, "file": self.source} if self.source else found


@dataclass(frozen=True)
class ProjectInput:
    """Projects read from a file, rows that failed, and the input's digest."""

    projects: tuple[Project, ...]
    failures: tuple[RowFailure, ...]
    input_sha256: str
    input_name: str
    ignored_columns: tuple[str, ...] = ()
    #: The input row (1 = first data row of its file) of each project, for messages.
    rows: tuple[int, ...] = ()
    #: The file each project was read from.
    sources: tuple[str, ...] = ()
    #: What the user should know: duplicate ids, value mappings that are judgements.
    warnings: tuple[str, ...] = ()


def _cofi_status(frame: pd.DataFrame, release_year: int = 2023) -> pd.Series:
    """COFI has no status column: a plant commissioned by the release year is operating; a later
    year is treated as planned (COFI's ``commissioning_year`` is 'entered or is scheduled to enter
    operation'); a missing year gives no status (the row fails with a clear message)."""
    years = pd.to_numeric(frame["commissioning_year"], errors="coerce")
    status = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    status[years <= release_year] = "operating"
    status[years > release_year] = "planned"
    return status


def _apply_preset(
    frame: pd.DataFrame, preset: InputPreset, name: str, overrides: Mapping[str, Mapping[str, str]]
) -> pd.DataFrame:
    """The preset's columns, constants and value maps; ``overrides`` (the user's ``--map-values``)
    take precedence over the preset's value maps for the source values they name."""
    table = pd.DataFrame(frame).copy()
    for target, (column, preset_mapping) in preset.value_maps.items():
        mapping = {**preset_mapping, **overrides.get(target, {})}
        if column not in table.columns:
            raise InputError(
                f"The {name} preset needs the column {column!r}.", hint="check the file is the right dataset."
            )
        table[target] = table[column].map(
            lambda value, mapping=mapping, keep=target in ("sector", "status"): mapping.get(
                str(value).strip(), value if keep else None
            )
        )
    if name == "cofi":
        table["status"] = _cofi_status(table)
        # COFI's total_investment_amount is the Chinese financiers' investment (USD million), not the
        # project's capital cost, so it is not mapped to investment_amount (EP4 compares capital cost).
        if "duplicate_power_plant" in table.columns:
            duplicate = table["duplicate_power_plant"].astype(str).str.strip().eq("Y")
            table[_SKIP] = duplicate.map(
                {True: "COFI marks this row as a duplicate of another entry for the same plant"}
            )
        if "commissioning_year" in table.columns:
            unknown = pd.to_numeric(table["commissioning_year"], errors="coerce").isna()
            reason = "COFI gives no commissioning_year, so its status (planned or operating) is unknown"
            table.loc[unknown & table.get(_SKIP, pd.Series(index=table.index)).isna(), _SKIP] = reason
    targets = set(preset.columns.values())
    table = table.drop(
        columns=[column for column in table.columns if column in targets and column not in preset.columns]
    )
    renamed = table.rename(columns=dict(preset.columns))
    for field_name, value in preset.constants.items():
        if field_name not in renamed.columns:
            renamed[field_name] = value
    return renamed


_SKIP = "__greenbri_skip__"
#: A row the reader failed on its own (an out-of-range coordinate): the message, reported as it is.
_ROW_ERROR = "__greenbri_row_error__"

#: The fields a project row may carry (:func:`project_from_mapping`); other columns are ignored.
PROJECT_FIELDS = frozenset({*_REQUIRED, *_OPTIONAL})


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    geometry = frame["geometry"] if "geometry" in frame.columns else None
    fields = [
        column
        for column in frame.columns
        if (column in PROJECT_FIELDS or column in (_SKIP, _ROW_ERROR)) and column != "geometry"
    ]
    records = []
    for index, row in enumerate(frame[fields].to_dict("records")):
        record: dict[str, Any] = {
            str(key): value for key, value in row.items() if not (isinstance(value, float) and pd.isna(value))
        }
        for key in ("id", "name"):
            if isinstance(record.get(key), float) and record[key].is_integer():
                record[key] = str(int(record[key]))  # pandas reads a numeric id column with blanks as floats
        if geometry is not None:
            shape = geometry.iloc[index]
            record["geometry"] = (
                None if shape is None or shapely.is_missing(shape) or shape.is_empty else shape
            )
        records.append(record)
    return records


def _file_rows(skipped: Sequence[tuple[str, Any]], files: Sequence[str]) -> tuple[list[str], list[int]]:
    """The file and the row in that file (1 = its first data row, counting the rows left out as bad)
    of each row of the combined frame, whose rows came from the files in order (one run per file)."""
    rows: list[int] = []
    for name, run in itertools.groupby(files):
        rows += _row_numbers([item for item in skipped if item[0] == name], len(list(run)))
    return list(files), rows


def _row_numbers(skipped: Sequence[tuple[str, Any]], count: int) -> list[int]:
    """The input row (1 = first data row) of each row kept, counting the rows left out as bad."""
    left_out = {row.first_line - 1 for _, row in skipped}
    numbers: list[int] = []
    candidate = 0
    while len(numbers) < count:
        candidate += 1
        if candidate not in left_out:
            numbers.append(candidate)
    return numbers


def read_projects(
    paths: Path | Sequence[Path],
    *,
    preset: str | None = None,
    column_mapping: Mapping[str, str] | None = None,
    constants: Mapping[str, Any] | None = None,
    options: ReadOptions | None = None,
    skip_bad_rows: bool = False,
    value_maps: Mapping[str, Mapping[str, str]] | None = None,
) -> ProjectInput:
    """Read projects from ``paths``; rows that fail are returned, not raised.

    ``column_mapping`` renames columns; ``constants`` sets a field on every row (e.g. the sector of a
    single project whose file carries only its geometry). A CSV row that is not whole (short, long,
    an unterminated quote, cut at the end of the file) refuses the file, unless ``skip_bad_rows``:
    then each such row is a failure naming its line. ``value_maps`` maps a field's values to
    greenbri's codes (``{"sector": {"power plant - coal": "coal_power"}}``), after the preset's.
    Rows are numbered within their own file, and messages name that file.
    """
    chosen = PRESETS.get(preset) if preset else None
    if preset and chosen is None:
        raise InputError(
            f"Unknown input preset {preset!r}.", hint=f"use one of: {', '.join(sorted(PRESETS))}."
        )
    base = options or ReadOptions(allow_missing_geometry=True, coordinate_errors_per_row=True)
    if skip_bad_rows:
        base = ReadOptions(**{**base.__dict__, "skip_bad_rows": True})
    if chosen:
        base = ReadOptions(**{**base.__dict__, **dict(chosen.read_options)})
    result = read_input(paths, base)
    frame = result.frame
    if result.row_errors:
        frame = frame.copy()
        frame[_ROW_ERROR] = pd.Series(result.row_errors, dtype=object).reindex(range(len(frame))).to_numpy()
    if column_mapping:
        frame = frame.rename(columns=dict(column_mapping))
    if chosen:
        frame = _apply_preset(frame, chosen, preset or "", value_maps or {})
    frame = _map_values(frame, value_maps or {})
    for field_name, value in (constants or {}).items():
        if field_name not in PROJECT_FIELDS:
            raise InputError(
                f"--set {field_name}: unknown project field.",
                hint=f"use one of: {', '.join(sorted(PROJECT_FIELDS))}.",
            )
        frame[field_name] = value
    ignored = tuple(
        sorted(str(c) for c in frame.columns if c not in PROJECT_FIELDS and c not in (_SKIP, _ROW_ERROR))
    )
    projects: list[Project] = []
    rows: list[int] = []
    failures: list[RowFailure] = []
    sources: list[str] = []
    input_name = ", ".join(path.name for path in result.input_paths)
    failures += [
        RowFailure(row.first_line - 1, "", f"{name}, {row}: left out (--skip-bad-rows).", name)
        for name, row in result.skipped_rows
    ]
    files, file_rows = _file_rows(result.skipped_rows, result.row_files or [input_name] * len(frame))
    for source, row, record in zip(files, file_rows, _records(frame), strict=True):
        skip = record.pop(_SKIP, None)
        error = record.pop(_ROW_ERROR, None)
        identifier = str(record.get("id", ""))
        if error:
            failures.append(RowFailure(row, identifier, str(error), source))
            continue
        if skip:
            failures.append(RowFailure(row, identifier, f"{source}, row {row}: skipped: {skip}.", source))
            continue
        try:
            projects.append(project_from_mapping(record, source=f"{source}, row {row}"))
            rows.append(row)
            sources.append(source)
        except GreenbriError as error:
            failures.append(RowFailure(row, identifier, _with_mapping_hint(str(error), record), source))
    overridden = {**{key: set(values) for key, values in (value_maps or {}).items()}}
    overridden.update({key: {"*"} for key in constants or {}})
    warnings = _duplicate_warnings(projects, sources, rows) + _uncertain_notes(
        frame, chosen, preset, overridden
    )
    return ProjectInput(
        tuple(projects),
        tuple(failures),
        result.input_sha256,
        input_name,
        ignored,
        tuple(rows),
        tuple(sources),
        tuple(warnings),
    )


def _with_mapping_hint(message: str, record: Mapping[str, Any]) -> str:
    """An unknown sector or status code: add how to map the file's own value to a code."""
    for field_name in ("sector", "status"):
        if f"field {field_name!r}: unknown code" in message:
            return f"{message} Or map the file's value: --map-values '{field_name}:{record.get(field_name)}=CODE'."
    return message


def _map_values(frame: pd.DataFrame, value_maps: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """Replace the values of each field that ``value_maps`` names (other values are kept as they are)."""
    for field_name, mapping in value_maps.items():
        if field_name not in PROJECT_FIELDS:
            raise InputError(
                f"--map-values {field_name}: unknown project field.",
                hint=f"use one of: {', '.join(sorted(PROJECT_FIELDS))}.",
            )
        if field_name not in frame.columns:
            raise InputError(
                f"--map-values {field_name}: the input has no column {field_name!r} to map.",
                hint=f"name the column that holds it with --map SOURCE={field_name}, or use --set.",
            )
        frame = frame.copy()
        frame[field_name] = frame[field_name].map(
            lambda value, mapping=mapping: mapping.get(str(value).strip(), value)
        )
    return frame


def _duplicate_warnings(
    projects: Sequence[Project], sources: Sequence[str], rows: Sequence[int]
) -> list[str]:
    """One warning per project id that more than one row carries, naming each file and row."""
    where: dict[str, list[str]] = {}
    for project, source, row in zip(projects, sources, rows, strict=True):
        where.setdefault(project.id, []).append(f"{source} row {row}")
    return [
        f"project id {identifier!r} appears {len(places)} times ({', '.join(places)}); each row is "
        "screened separately. Fix: give each project its own id, or remove the repeated rows."
        for identifier, places in sorted(where.items())
        if len(places) > 1
    ]


def _uncertain_notes(
    frame: pd.DataFrame, preset: InputPreset | None, name: str | None, overridden: Mapping[str, set[str]]
) -> list[str]:
    """Say which value mappings of the preset were used although they are judgements (not the ones
    the user overrode with ``--map-values`` or ``--set``)."""
    if preset is None:
        return []
    notes: list[str] = []
    for target, reasons in preset.uncertain.items():
        column, mapping = preset.value_maps[target]
        if column not in frame.columns or "*" in overridden.get(target, set()):
            continue
        counts = frame[column].astype(str).str.strip().value_counts()
        for value, why in sorted(reasons.items()):
            if counts.get(value, 0) and value not in overridden.get(target, set()):
                notes.append(
                    f"preset {name}: {column} {value!r} -> {target} {mapping[value]} for {counts[value]} "
                    f"row(s) is a judgement: {why} ({preset.citation}). To decide otherwise: "
                    f"--map-values '{target}:{value}=CODE' or --set {target}=CODE."
                )
    return notes
