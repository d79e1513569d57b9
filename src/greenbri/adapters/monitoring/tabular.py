"""Readings from tables (CSV / TSV / XLSX, optionally .gz) through a column mapping.

A :class:`TableMapping` says where the station, the time and the values are:

* time: one ISO 8601 column (``time_column``) or parts (``time_parts``: year[, month, day, hour]);
  naive local times need ``timezone`` (rejected otherwise); ``period_end`` when the time marks the
  end of the averaging period (stored times are always the start, see the contract);
* layout ``wide`` (one column per parameter: ``parameters`` maps column -> parameter key) or
  ``long`` (``parameter_column`` / ``value_column`` and ``unit_column`` or ``units``);
* units per parameter (``units``): converted to the parameter's unit when no assumption is needed
  (:mod:`.unit_choice`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from greenbri.adapters.monitoring.batch import (
    ParsedInput,
    RowMessage,
    empty_readings,
    keys_unique,
    readings_block,
    stations_table,
)
from greenbri.adapters.monitoring.table_files import LoadedTable, load_table
from greenbri.adapters.monitoring.times import ConvertedTimes, parse_timezone, parts_to_utc, strings_to_utc
from greenbri.adapters.monitoring.unit_choice import normalise_unit, storage_unit
from greenbri.adapters.monitoring.wide import StationCodes, WideColumn, wide_readings
from greenbri.core.errors import InputError
from greenbri.core.monitoring.ingest_checks import point_flags
from greenbri.core.monitoring.readings import PARAMETERS
from greenbri.core.units import parse_averaging

__all__ = ["DEFAULT_NULL_VALUES", "PERIOD_LENGTHS", "TableMapping", "read_table"]

#: Length of the averaging periods whose end can be moved to their start (``period_end``).
PERIOD_LENGTHS: dict[str, np.timedelta64] = {
    "1h": np.timedelta64(1, "h"),
    "8h": np.timedelta64(8, "h"),
    "24h": np.timedelta64(24, "h"),
}

#: Cell texts read as missing values.
DEFAULT_NULL_VALUES: tuple[str, ...] = ("", "NA", "N/A", "NaN", "NAN", "nan", "null", "NULL", "-")


@dataclass(frozen=True)
class TableMapping:
    """Where a table keeps its stations, times and values (see the module docstring)."""

    source: str = "table"
    timezone: str | None = None
    time_column: str | None = None
    time_parts: tuple[str, ...] = ()
    period_end: bool = False
    averaging: str = "1h"
    layout: str = "wide"
    parameters: Mapping[str, str] = field(default_factory=dict)
    parameter_column: str | None = None
    value_column: str | None = None
    unit_column: str | None = None
    units: Mapping[str, str] = field(default_factory=dict)
    station_column: str | None = None
    station_id: str | None = None
    station_prefix: str = ""
    station_name_column: str | None = None
    station_fields: Mapping[str, Any] = field(default_factory=dict)
    station_values: Mapping[str, str] = field(default_factory=dict)
    station_records: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    null_values: tuple[str, ...] = DEFAULT_NULL_VALUES
    encoding: str = "utf-8"

    def digest_fields(self) -> dict[str, Any]:
        """The options that change what is stored (for the batch's options digest)."""
        return {
            key: (dict(value) if isinstance(value, Mapping) else value)
            for key, value in self.__dict__.items()
            if key != "encoding"
        }


def _check(mapping: TableMapping) -> None:
    if bool(mapping.time_column) == bool(mapping.time_parts):
        raise InputError(
            "Give the time as one column (--time-column) or as parts (year, month, day, hour), not both.",
            hint="e.g. --time-column timestamp, or --time-parts year,month,day,hour.",
        )
    if mapping.layout not in ("wide", "long"):
        raise InputError(f"Unknown layout {mapping.layout!r}.", hint="use --layout wide or --layout long.")
    if not mapping.station_column and not mapping.station_id:
        raise InputError("No station given.", hint="name the station column, or one station id for the file.")
    if mapping.layout == "long" and not (mapping.parameter_column and mapping.value_column):
        raise InputError("A long table needs a parameter column and a value column.")
    if mapping.time_parts and mapping.timezone is None:
        raise InputError(
            "The time parts are local times and no time zone was given.",
            hint="say which zone they are in: --timezone +08:00 (or an IANA name).",
        )
    parse_averaging(mapping.averaging)


def _columns(mapping: TableMapping) -> tuple[list[str], list[str]]:
    numeric = list(mapping.time_parts)
    text = [
        name for name in (mapping.time_column, mapping.station_column, mapping.station_name_column) if name
    ]
    if mapping.layout == "wide":
        numeric += list(mapping.parameters)
    else:
        numeric.append(str(mapping.value_column))
        text += [name for name in (mapping.parameter_column, mapping.unit_column) if name]
    return list(dict.fromkeys(numeric)), list(dict.fromkeys(text))


def _times(loaded: LoadedTable, mapping: TableMapping, source: str) -> ConvertedTimes:
    timezone = parse_timezone(mapping.timezone) if mapping.timezone else None
    if mapping.time_column:
        times = strings_to_utc(
            loaded.texts[mapping.time_column], timezone, source=source, column=mapping.time_column
        )
    else:
        parts = [loaded.numbers[name] for name in mapping.time_parts]
        ones = np.ones(loaded.row_count, dtype=np.int32)
        year, month, day, hour = [*parts, *(ones, ones, ones * 0)[len(parts) - 1 :]][:4]
        assert timezone is not None
        times = parts_to_utc(year, month, day, hour, timezone)
    if mapping.period_end:
        if mapping.averaging not in PERIOD_LENGTHS:
            raise InputError(
                f"Times that end a {mapping.averaging!r} period cannot be moved to its start.",
                hint=f"period ends are supported for {', '.join(PERIOD_LENGTHS)}.",
            )
        times = ConvertedTimes(times.utc - PERIOD_LENGTHS[mapping.averaging], times.problems)
    return times


def _stations(loaded: LoadedTable, mapping: TableMapping) -> StationCodes:
    if mapping.station_column:
        return StationCodes.from_names(
            loaded.texts[mapping.station_column], dict(mapping.station_values), mapping.station_prefix
        )
    return StationCodes.single(str(mapping.station_id), loaded.row_count)


def read_table(
    path: Path,
    mapping: TableMapping,
    *,
    progress: Callable[[str], None] | None = None,
    skip_bad_rows: bool = False,
) -> ParsedInput:
    """Parse ``path`` with ``mapping`` into readings and stations; see the module docstring.

    ``skip_bad_rows``: rows that are not whole are rejected (and reported), not the file."""
    _check(mapping)
    source = Path(path).name
    numeric, text = _columns(mapping)
    if progress:
        progress(f"reading {source}")
    loaded = load_table(
        Path(path),
        numeric=numeric,
        text=text,
        null_values=mapping.null_values,
        encoding=mapping.encoding,
        source=source,
        categorical=[mapping.station_column] if mapping.station_column else [],
        integers=mapping.time_parts,
        skip_bad_rows=skip_bad_rows,
    )
    messages = list(loaded.messages)
    times = _times(loaded, mapping, source)
    stations = _stations(loaded, mapping)
    rejected = set(times.problems)
    for position, reason in sorted(times.problems.items()):
        messages.append(RowMessage(source, position + 2, reason, "rejected"))
    for position in np.flatnonzero(stations.codes < 0).tolist():
        rejected.add(position)
        messages.append(RowMessage(source, position + 2, "no station id", "rejected"))
    keep = np.ones(loaded.row_count, bool)
    keep[list(rejected)] = False
    timezone_label = mapping.timezone or "UTC"
    if progress:
        progress(f"converting {source}")
    if mapping.layout == "wide":
        readings = wide_readings(
            _wide_columns(loaded, mapping, source),
            stations,
            times.utc,
            keep,
            source_timezone=timezone_label,
            averaging=mapping.averaging,
        )
        unique = keys_unique(stations.codes[keep], times.utc[keep])
        present = np.bincount(stations.codes[keep], minlength=len(stations.ids)) > 0
        found = {
            station: set(mapping.parameters.values())
            for station, seen in zip(stations.ids, present.tolist(), strict=True)
            if seen
        }
    else:
        station_ids = stations.strings()
        blocks = _long_blocks(loaded, mapping, times, station_ids, keep, timezone_label, source, messages)
        readings = pa.concat_tables(blocks) if blocks else empty_readings()
        unique = False
        found = _parameters_found(readings)
    return ParsedInput(
        source=mapping.source,
        input_name=source,
        readings=readings,
        stations=_station_rows(found, loaded, mapping, stations, keep),
        rows_read=loaded.row_count,
        messages=messages,
        rows_rejected=len(rejected),
        unique_keys=unique,
    )


def _wide_columns(loaded: LoadedTable, mapping: TableMapping, source: str) -> list[WideColumn]:
    columns = []
    for column, parameter in mapping.parameters.items():
        if parameter not in PARAMETERS:
            raise InputError(
                f"Unknown parameter {parameter!r} for column {column!r}.",
                hint=f"use one of: {', '.join(PARAMETERS)}.",
            )
        if parameter not in mapping.units:
            raise InputError(
                f"No unit given for {parameter} (column {column!r}).",
                source=source,
                hint=f"give it: --unit {parameter}=UNIT (e.g. ug/m3).",
            )
        unit, factor = storage_unit(
            parameter, normalise_unit(mapping.units[parameter], source=source, column=column)
        )
        columns.append(WideColumn(loaded.numbers[column], parameter, unit, factor))
    return columns


def _long_blocks(
    loaded: LoadedTable,
    mapping: TableMapping,
    times: ConvertedTimes,
    station_ids: pa.Array,
    keep: np.ndarray,
    timezone_label: str,
    source: str,
    messages: list[RowMessage],
) -> list[pa.Table]:
    names = np.asarray(loaded.texts[str(mapping.parameter_column)].to_pandas(), dtype=object)
    units = (
        np.asarray(loaded.texts[mapping.unit_column].to_pandas(), dtype=object)
        if mapping.unit_column
        else np.full(loaded.row_count, None, dtype=object)
    )
    lookup = {**{key: key for key in PARAMETERS}, **mapping.parameters}
    blocks: list[pa.Table] = []
    stored_units: dict[str, str] = {}
    for name in sorted({str(value) for value in names[keep] if value is not None}):
        parameter = lookup.get(name)
        positions = np.flatnonzero(keep & (names == name))
        if parameter is None:
            messages += [
                RowMessage(source, int(p) + 2, f"unknown parameter {name!r}", "rejected") for p in positions
            ]
            keep[positions] = False
            continue
        for unit_text in sorted(
            {str(u) for u in units[positions] if u is not None} or {mapping.units.get(parameter, "")}
        ):
            chosen = positions if mapping.unit_column is None else positions[units[positions] == unit_text]
            unit, factor = storage_unit(
                parameter, normalise_unit(unit_text, source=source, column=mapping.unit_column)
            )
            if stored_units.setdefault(parameter, unit) != unit:
                raise InputError(
                    f"Parameter {parameter} comes in units {stored_units[parameter]} and {unit}, which cannot be converted into one another without assumptions (first at line {int(chosen[0]) + 2}).",
                    source=source,
                    hint="split the file by unit, or convert the values before ingesting.",
                )
            values = loaded.numbers[str(mapping.value_column)][chosen] * factor
            blocks.append(
                readings_block(
                    station_id=station_ids.take(pa.array(chosen)),
                    parameter=parameter,
                    time_utc=pa.array(times.utc[chosen], pa.timestamp("us")).cast(
                        pa.timestamp("us", tz="UTC")
                    ),
                    source_timezone=timezone_label,
                    averaging=mapping.averaging,
                    values=values,
                    unit=unit,
                    flags=point_flags(values, parameter, unit),
                    source_row=chosen + 2,
                )
            )
    return blocks


def _parameters_found(readings: pa.Table) -> dict[str, set[str]]:
    pairs = readings.group_by(["station_id", "parameter"]).aggregate([]).to_pylist()
    parameters: dict[str, set[str]] = {}
    for pair in pairs:
        parameters.setdefault(pair["station_id"], set()).add(pair["parameter"])
    return parameters


def _station_rows(
    parameters: dict[str, set[str]],
    loaded: LoadedTable,
    mapping: TableMapping,
    stations: StationCodes,
    keep: np.ndarray,
) -> pa.Table:
    names: dict[str, str | None] = {}
    if mapping.station_name_column:
        name_column = loaded.texts[mapping.station_name_column]
        first = pa.table({"id": stations.strings(), "name": name_column}).filter(pa.array(keep))
        for row in first.group_by("id", use_threads=False).aggregate([("name", "first")]).to_pylist():
            names[row["id"]] = row["name_first"]
    rows = []
    for station_id, found in parameters.items():
        fields = {**mapping.station_fields, **mapping.station_records.get(station_id, {})}
        if names.get(station_id):
            fields.setdefault("name_en", names[station_id])
        rows.append(
            {
                **fields,
                "station_id": station_id,
                "parameters": ",".join(sorted(found)),
                "source": mapping.source,
            }
        )
    return stations_table(rows)
