"""Read the bundled plan file (``data/plans.json``) or a deployment's own, and check it."""

from __future__ import annotations

import functools
import importlib.resources
import json

from greenbri.core.errors import StandardError
from greenbri.core.indicators.data_files import seed_targets
from greenbri.core.plans.model import Plans, plans_from_document

__all__ = ["bundled_plans", "plans_from_text"]


def plans_from_text(text: str, source: str) -> Plans:
    """Plans from the JSON ``text`` of the file named ``source``."""
    try:
        document = json.loads(text)
    except ValueError as error:
        raise StandardError(f"not valid JSON: {error}.", source=source, hint="fix the JSON syntax.") from None
    return plans_from_document(document, source, seed_targets().keys())


@functools.cache
def bundled_plans() -> Plans:
    """The bundled plans: the 2017 cooperation plan, the 2022 Opinions, the Beautiful China Opinions."""
    text = importlib.resources.files("greenbri.core.plans").joinpath("data", "plans.json").read_text("utf-8")
    return plans_from_text(text, "plans.json")
