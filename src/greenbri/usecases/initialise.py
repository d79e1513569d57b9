"""``greenbri init``: create the store and load the bundled offline reference layers.

Each bundled layer is built from data shipped inside a registry package (see
:mod:`greenbri.adapters.reference`) and stored as a dataset. Its provenance is
the sha256 of the package's data file and the boundary view, so running init
again with the same packages and view changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC

from greenbri.adapters.reference import BUNDLED_LAYERS, BundledLayer
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.catalog import Provenance
from greenbri.usecases.datasets import Clock, ImportOutcome, utc_now

__all__ = ["bundled_layer_count", "initialise_store"]


def bundled_layer_count() -> int:
    return len(BUNDLED_LAYERS)


def initialise_store(
    store: DatasetStore,
    *,
    view: str = "china",
    clock: Clock = utc_now,
    progress: Callable[[str], None] | None = None,
) -> list[ImportOutcome]:
    """Create the store if needed and load every bundled layer under ``view``."""
    store.initialise()
    outcomes = []
    for layer in BUNDLED_LAYERS:
        outcomes.append(_load_layer(store, layer, view, clock))
        if progress:
            progress(layer.dataset_id)
    return outcomes


def _load_layer(store: DatasetStore, layer: BundledLayer, view: str, clock: Clock) -> ImportOutcome:
    info = layer.info()
    provenance = Provenance(
        recorded_at=clock().astimezone(UTC).isoformat(timespec="seconds"),
        command=f"greenbri init --view {view}",
        input_name=f"{info['package']}=={info['version']}:{info['data_file']}",
        input_sha256=layer.data_file_sha256(),
        fetched_from=f"registry package {info['package']} {info['version']}",
        input_format="bundled",
        options_digest=json.dumps({"view": view}, sort_keys=True),
    )
    warnings = tuple(text for text in (layer.limitations.en, layer.limitations.zh) if text)
    outcome = store.write_frame_version(layer.record(), provenance, layer.build(view), warnings=warnings)
    return ImportOutcome(
        outcome.record, outcome.version, outcome.created, (), tuple(outcome.version.warnings)
    )
