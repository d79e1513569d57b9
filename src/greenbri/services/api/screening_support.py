"""What the screening routes share: projects from JSON, the rules, and the receptor layers a key may use.

Receptor layers are indexed once per catalog state; each request screens against the layers its
key may read, so a restricted layer never shapes (or appears in) another organisation's result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from greenbri.adapters.standards_files import load_library
from greenbri.core.errors import GreenbriError, InputError
from greenbri.core.screening.project import Project, project_from_mapping
from greenbri.core.screening.rules_files import load_rules
from greenbri.core.screening.stack import strictest_stack_check
from greenbri.services.api.access import Principal, may_read_dataset
from greenbri.services.api.context import ApiContext
from greenbri.usecases.project_inputs import ProjectInput, RowFailure
from greenbri.usecases.screening import LoadedLayer, load_receptor_layers

__all__ = ["layers_for", "project_input", "record_of", "rules_of", "stack_check_on"]


def record_of(item: Mapping[str, Any]) -> dict[str, Any]:
    """A project record from a GeoJSON Feature (properties + geometry) or a flat mapping."""
    if item.get("type") == "Feature":
        properties = item.get("properties") or {}
        if not isinstance(properties, Mapping):
            raise InputError(
                "The feature's properties must be an object.", hint="give the project fields there."
            )
        return {**properties, "geometry": item.get("geometry")}
    return dict(item)


def _project(item: Any, row: int) -> Project:
    if not isinstance(item, Mapping):
        raise InputError(
            f"Project {row} is not a JSON object.",
            hint="give a GeoJSON Feature or an object of project fields.",
        )
    return project_from_mapping(record_of(item), source=f"request, project {row}")


def project_input(items: Sequence[Any], name: str) -> ProjectInput:
    """Projects from JSON items; an item that fails becomes a :class:`RowFailure`, like a bad file row."""
    projects: list[Project] = []
    rows: list[int] = []
    failures: list[RowFailure] = []
    for row, item in enumerate(items, start=1):
        try:
            projects.append(_project(item, row))
            rows.append(row)
        except GreenbriError as error:
            identifier = str(item.get("id", "")) if isinstance(item, Mapping) else ""
            failures.append(RowFailure(row, identifier, str(error)))
    digest = hashlib.sha256(json.dumps(list(items), sort_keys=True, default=str).encode("utf-8")).hexdigest()
    return ProjectInput(tuple(projects), tuple(failures), digest, name, (), tuple(rows))


def rules_of(context: ApiContext) -> Any:
    return context.memoised("rules|", load_rules)


def stack_check_on(context: ApiContext, day: dt.date) -> Any:
    directory = context.settings.standards_dir
    return context.memoised(
        f"stack-check|{day.isoformat()}",
        lambda: strictest_stack_check(list(load_library([directory] if directory else [])), on=day),
    )


def layers_for(context: ApiContext, principal: Principal) -> list[LoadedLayer]:
    """The receptor layers of the current catalog that ``principal`` may read."""
    every: list[LoadedLayer] = context.memoised(
        f"receptor-layers|{context.catalog_stamp()}", lambda: load_receptor_layers(context.store)
    )
    return [item for item in every if may_read_dataset(principal, item.record)]
