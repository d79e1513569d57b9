"""Load environmental standards from JSON files: the bundled ones and a deployment's own.

greenbri ships one JSON file per standard in ``greenbri/core/standards/data/``.
:func:`load_library` reads them all, plus every ``*.json`` file in the directories a
deployment names, so a host country's standard is added as a data file without any code
change. Each file is checked by :func:`greenbri.core.standards.standard_from_dict`; a bad
file raises :class:`~greenbri.core.errors.StandardError` naming the file and the field.

File format (``format_version`` 1)
----------------------------------
One JSON object per file (UTF-8)::

    {
      "format_version": 1,
      "id": "cn-gb3095-2012",                 # 2-80 of a-z 0-9 -, unique across all files
      "jurisdiction": "CHN",                  # ISO 3166-1 alpha-3, or WHO / EU / IFC
      "kind": "ambient_air",                  # ambient_air | surface_water | emission
      "title": {"en": "Ambient air quality standards", "zh": "环境空气质量标准"},
      "issuing_body": "Ministry of Environmental Protection and AQSIQ",
      "document_number": "GB 3095-2012",
      "url": "https://...",                   # optional, "" if no address was verified
      "effective_from": "2016-01-01",         # ISO dates, inclusive
      "effective_to": "2026-02-28",           # optional; null = still in force
      "phases": [                             # optional: stages of a standard introduced in steps
        {"id": "transition", "name": {"en": "...", "zh": "..."},
         "effective_from": "2026-03-01", "effective_to": "2030-12-31"}
      ],
      "notes": "free text: provenance, what is not recorded and why",
      "limits": [
        {
          "pollutant": "pm25",                # vocabulary: see greenbri.core.standards.vocabulary
          "averaging": "24h",                 # 10min 15min 1h 8h mda8 24h month quarter
                                              # rolling-3month peak-season year grab operating
          "statistic": "mean",                # or {"kind": "percentile", "parameter": 98}
                                              #    {"kind": "nth_highest", "parameter": 4}
          "value": 75,
          "unit": "ug/m3",                    # ng/m3 ug/m3 mg/m3 mg/Nm3 ppb ppm mg/L count/L pH
          "comparator": "<=",                 # "<=" a maximum, ">=" a minimum (dissolved oxygen)
          "level": "grade_2",                 # grade_1/2, class_I..V, AQG, IT-1..4, primary, limit...
          "source": "Table 1",                # the table or clause: required
          "certainty": "confirmed",           # or "uncertain" (then "note" is required)
          "phase": "transition",              # optional: only during that phase
          "effective_from": "2024-05-06",     # optional: this limit's own dates
          "effective_to": null,
          "exceedances_allowed": 35,          # optional: per calendar year
          "years_averaged": 3,                # optional, default 1
          "applies_to": "lake_reservoir",     # optional narrower scope
          "reference_conditions": "298.15 K, 1013.25 hPa",
          "note": "why, and from where"
        }
      ]
    }

Unknown keys, unknown codes, a missing citation, dates out of order, overlapping phases
and a limit listed twice are all refused. ``docs/methodology/standards.md`` describes the
bundled standards and their sources.
"""

from __future__ import annotations

import importlib.resources
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from greenbri.core.errors import StandardError
from greenbri.core.standards import Standard, StandardLibrary, standard_from_dict

__all__ = ["BUNDLED_PACKAGE", "bundled_standard_files", "load_library", "load_standard_file"]

logger = logging.getLogger(__name__)

#: The package whose ``data/`` directory holds the bundled standard files.
BUNDLED_PACKAGE = "greenbri.core.standards"


def bundled_standard_files() -> tuple[Path, ...]:
    """The bundled standard files, sorted by name."""
    directory = Path(str(importlib.resources.files(BUNDLED_PACKAGE).joinpath("data")))
    return tuple(sorted(directory.glob("*.json")))


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise StandardError(
            f"The file is not UTF-8 text ({error.reason} at byte {error.start}).",
            source=str(path),
            hint="save standard files as UTF-8 JSON.",
        ) from None
    except OSError as error:
        raise StandardError(f"The file cannot be read: {error.strerror}.", source=str(path)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise StandardError(
            f"The file is not valid JSON: {error.msg}.",
            source=str(path),
            field=f"line {error.lineno}, column {error.colno}",
        ) from None


def load_standard_file(path: Path) -> Standard:
    """Read and validate one standard file."""
    return standard_from_dict(_read_json(path), source=str(path))


def _extra_files(directory: Path) -> tuple[Path, ...]:
    if not directory.is_dir():
        raise StandardError(
            "The standards directory does not exist or is not a directory.",
            source=str(directory),
            hint="give a directory that holds standard *.json files.",
        )
    return tuple(sorted(directory.glob("*.json")))


def load_library(extra_dirs: Sequence[Path] = ()) -> StandardLibrary:
    """Load the bundled standards plus every ``*.json`` file in ``extra_dirs``.

    Raises
    ------
    StandardError
        If a file is unreadable or invalid (naming the file and field), or two files use the same id.
    """
    files = [
        *bundled_standard_files(),
        *(path for directory in extra_dirs for path in _extra_files(directory)),
    ]
    standards: list[Standard] = []
    origin: dict[str, Path] = {}
    for path in files:
        standard = load_standard_file(path)
        if standard.id in origin:
            raise StandardError(
                f"The standard id {standard.id!r} is already used by {origin[standard.id]}.",
                source=str(path),
                field="id",
                hint="give each standard file its own id (a local version of a bundled standard needs a new id).",
            )
        origin[standard.id] = path
        standards.append(standard)
    logger.debug("loaded %d standards from %d files", len(standards), len(files))
    return StandardLibrary(standards)
