"""Read the screening rule files: the bundled ones, or a deployment's own directory over them.

greenbri ships one JSON document per name of
:data:`~greenbri.core.screening.rules_schema.RULE_FILES` in
``greenbri/core/screening/data/``. :func:`load_rules` reads them and, when an override
directory is given, replaces each bundled file by the file of the same name found there (a
deployment changes only what it needs, e.g. ``receptors.json`` with its own buffer distances).
Every file is checked by :func:`~greenbri.core.screening.rules_schema.rules_from_documents`;
a bad file raises :class:`~greenbri.core.errors.StandardError` naming the file and the field.

This is the one module of the screening package that reads files. It takes paths as
arguments and reads nothing at import time.
"""

from __future__ import annotations

import importlib.resources
import json
import logging
from pathlib import Path
from typing import Any

from greenbri.core.errors import StandardError
from greenbri.core.screening.rules import ScreeningRules
from greenbri.core.screening.rules_schema import RULE_FILES, rules_from_documents

__all__ = ["BUNDLED_PACKAGE", "load_rule_documents", "load_rules"]

logger = logging.getLogger(__name__)

#: The package whose ``data/`` directory holds the bundled rule files.
BUNDLED_PACKAGE = "greenbri.core.screening"


def _parse(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise StandardError(
            f"The rule file is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}).",
            source=name,
            hint="fix the JSON syntax.",
        ) from None


def load_rule_documents(override_dir: Path | None = None) -> dict[str, Any]:
    """``{file name: parsed JSON}`` for every rule file, bundled unless overridden in ``override_dir``."""
    documents: dict[str, Any] = {}
    bundled = importlib.resources.files(BUNDLED_PACKAGE).joinpath("data")
    if override_dir is not None and not override_dir.is_dir():
        raise StandardError(
            f"The rules directory {override_dir} does not exist.", hint="give an existing directory."
        )
    extra = sorted(path.name for path in override_dir.glob("*.json")) if override_dir else []
    unknown = [name for name in extra if name not in RULE_FILES]
    if unknown:
        raise StandardError(
            f"Unknown rule files {unknown} in {override_dir}.",
            hint=f"rule files are: {', '.join(RULE_FILES)}.",
        )
    for name in RULE_FILES:
        if override_dir is not None and name in extra:
            path = override_dir / name
            logger.info("screening rules: %s from %s", name, path)
            documents[name] = _parse(path.read_text(encoding="utf-8"), str(path))
        else:
            documents[name] = _parse(bundled.joinpath(name).read_text(encoding="utf-8"), name)
    return documents


def load_rules(override_dir: Path | None = None) -> ScreeningRules:
    """The checked screening rules: bundled files, each replaced by ``override_dir/<name>`` if present.

    Raises
    ------
    StandardError
        If a file is missing, is not JSON or breaks the format (naming the file and the field).
    """
    return rules_from_documents(load_rule_documents(override_dir))
