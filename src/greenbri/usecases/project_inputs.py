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
}


@dataclass(frozen=True)
class RowFailure:
    """A row that could not become a project, and why."""

    row: int
    project_id: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "project_id": self.project_id, "error": self.message}


@dataclass(frozen=True)
class ProjectInput:
    """Projects read from a file, rows that failed, and the input's digest."""

    projects: tuple[Project, ...]
    failures: tuple[RowFailure, ...]
    input_sha256: str
    input_name: str
    ignored_columns: tuple[str, ...] = ()
    #: The input row (1 = first data row) of each project, for messages.
    rows: tuple[int, ...] = ()


def _cofi_status(frame: pd.DataFrame, release_year: int = 2023) -> pd.Series:
    """COFI has no status column: a plant commissioned by the release year is operating; a later
    year is treated as planned (COFI's ``commissioning_year`` is 'entered or is scheduled to enter
    operation'); a missing year gives no status (the row fails with a clear message)."""
    years = pd.to_numeric(frame["commissioning_year"], errors="coerce")
    status = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    status[years <= release_year] = "operating"
    status[years > release_year] = "planned"
    return status


def _apply_preset(frame: pd.DataFrame, preset: InputPreset, name: str) -> pd.DataFrame:
    table = pd.DataFrame(frame).copy()
    for target, (column, mapping) in preset.value_maps.items():
        if column not in table.columns:
            raise InputError(
                f"The {name} preset needs the column {column!r}.", hint="check the file is the right dataset."
            )
        table[target] = table[column].map(
            lambda value, mapping=mapping, keep=target == "sector": mapping.get(
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
) -> ProjectInput:
    """Read projects from ``paths``; rows that fail are returned, not raised.

    ``column_mapping`` renames columns; ``constants`` sets a field on every row (e.g. the sector of a
    single project whose file carries only its geometry). A CSV row that is not whole (short, long,
    an unterminated quote, cut at the end of the file) refuses the file, unless ``skip_bad_rows``:
    then each such row is a failure naming its line.
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
        frame = _apply_preset(frame, chosen, preset or "")
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
    source = ", ".join(path.name for path in result.input_paths)
    failures += [
        RowFailure(row.first_line - 1, "", f"{name}, {row}: left out (--skip-bad-rows).")
        for name, row in result.skipped_rows
    ]
    for row, record in zip(_row_numbers(result.skipped_rows, len(frame)), _records(frame), strict=True):
        skip = record.pop(_SKIP, None)
        error = record.pop(_ROW_ERROR, None)
        if error:
            failures.append(RowFailure(row, str(record.get("id", "")), str(error)))
            continue
        if skip:
            failures.append(
                RowFailure(row, str(record.get("id", "")), f"{source}, row {row}: skipped: {skip}.")
            )
            continue
        try:
            projects.append(project_from_mapping(record, source=f"{source}, row {row}"))
            rows.append(row)
        except GreenbriError as error:
            failures.append(RowFailure(row, str(record.get("id", "")), str(error)))
    return ProjectInput(tuple(projects), tuple(failures), result.input_sha256, source, ignored, tuple(rows))
