"""Read the plan file a deployment names (``GREENBRI_PLANS_FILE`` / ``--plans``), or the bundled one."""

from __future__ import annotations

from pathlib import Path

from greenbri.core.errors import StandardError
from greenbri.core.plans.data_files import bundled_plans, plans_from_text
from greenbri.core.plans.model import Plans

__all__ = ["read_plans"]


def read_plans(path: Path | None = None) -> Plans:
    """The plans in ``path``, checked; the bundled plans when ``path`` is None."""
    if path is None:
        return bundled_plans()
    try:
        text = Path(path).read_text("utf-8")
    except OSError as error:
        raise StandardError(
            f"cannot read the plan file: {error.strerror or error}.",
            source=str(path),
            hint="check the path given in GREENBRI_PLANS_FILE or --plans.",
        ) from None
    return plans_from_text(text, str(path))
