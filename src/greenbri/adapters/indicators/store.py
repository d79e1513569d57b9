"""The indicator store: one Parquet file of values per ingested source file, and a manifest.

Layout (under ``$GREENBRI_DATA_DIR/indicators/``)::

    manifest.json                 sources ingested (sha256, format, version, counts), codebooks,
                                  user-defined indicators; replaced whole (temp file, fsync, rename)
    values/<source>-v<N>.parquet  the values of one version of one source file (immutable)
    .write.lock                   the single-writer lock (flock)

A source is keyed by its file name (:func:`source_key`: non-ASCII letters are kept, so
``指标一.csv`` and ``指标二.csv`` are two sources). Ingesting the same bytes with the same options again is a
no-op; new bytes under the same name publish version N+1 and retire version N. The Parquet file
is written under a temporary name and renamed into place before the manifest names it, so a
reader never sees a half-written source. Values: ``indicator_id, code, name, kind, year, value,
source_version``; ``kind`` is country / aggregate / historical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from greenbri.adapters.stores.files import renamed_into_place, write_json_atomic
from greenbri.adapters.stores.locking import write_lock
from greenbri.core.errors import StoreError

__all__ = ["VALUE_COLUMNS", "IndicatorStore"]

VALUE_COLUMNS = ["indicator_id", "code", "name", "kind", "year", "value", "source_version"]
MANIFEST_FORMAT = "greenbri-indicator-store/1"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def source_key(file_name: str) -> str:
    """The key of a source file: its name, safe as a file name, and one key per name.

    Letters and digits of any script, ``.``, ``-`` and ``_`` are kept; anything else becomes
    ``_``, and then (the name was changed, so two names could meet) ``~`` and 8 hex digits of the
    sha256 of the full name are added: ``a b.csv`` -> ``a_b.csv~5d41...``, never ``a_b.csv``.
    """
    kept = re.sub(r"[^\w.-]", "_", file_name).strip(".") or "source"
    if kept == file_name:
        return kept
    return f"{kept}~{hashlib.sha256(file_name.encode('utf-8')).hexdigest()[:8]}"


class IndicatorStore:
    """Indicator values and their provenance under ``data_dir / "indicators"``."""

    def __init__(
        self, data_dir: Path, *, lock_timeout_s: float = 30.0, clock: Callable[[], dt.datetime] = _now
    ):
        self.root = Path(data_dir) / "indicators"
        self.lock_timeout_s = lock_timeout_s
        self.clock = clock

    # -- reading ------------------------------------------------------------------------

    def manifest(self) -> dict[str, Any]:
        path = self.root / "manifest.json"
        if not path.exists():
            return {"format": MANIFEST_FORMAT, "sources": {}, "codebooks": {}, "custom_indicators": {}}
        try:
            document: dict[str, Any] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise StoreError(
                f"Cannot read {path}: {error}.", hint="restore it from a backup or re-ingest."
            ) from None
        return document

    def observations(self, indicator_ids: Iterable[str] | None = None) -> pd.DataFrame:
        """All stored values (the latest-recorded source wins where two give the same indicator, entity, year)."""
        sources = sorted(self.manifest()["sources"].values(), key=lambda entry: entry["recorded_at"])
        wanted = set(indicator_ids) if indicator_ids is not None else None
        frames = []
        for entry in sources:
            if wanted is not None and not wanted & set(entry["indicators"]):
                continue
            frame = pd.read_parquet(self.root / "values" / entry["file"])
            frames.append(frame if wanted is None else frame[frame["indicator_id"].isin(wanted)])
        if not frames:
            return pd.DataFrame({column: pd.Series(dtype=object) for column in VALUE_COLUMNS})
        values = pd.concat(frames, ignore_index=True)
        values = values.drop_duplicates(["indicator_id", "code", "year"], keep="last")
        return values.sort_values(["indicator_id", "code", "year"], kind="stable").reset_index(drop=True)

    def find(self, key: str, sha256: str, options: str) -> dict[str, Any] | None:
        """The manifest entry of ``key`` if it was ingested from the same bytes with the same options."""
        entry = self.manifest()["sources"].get(key)
        if entry and entry["sha256"] == sha256 and entry["options"] == options:
            return dict(entry)
        return None

    def source(self, key: str) -> dict[str, Any] | None:
        """The manifest entry of source ``key`` (None if it was never ingested)."""
        entry = self.manifest()["sources"].get(key)
        return dict(entry) if entry else None

    def find_content(self, sha256: str, options: str) -> dict[str, Any] | None:
        """The entry of any source ingested from these bytes with these options, whatever its name."""
        for entry in self.manifest()["sources"].values():
            if entry["sha256"] == sha256 and entry["options"] == options:
                return dict(entry)
        return None

    # -- writing ------------------------------------------------------------------------

    def _write_manifest(self, document: dict[str, Any]) -> None:
        write_json_atomic(self.root / "manifest.json", document)

    def publish(self, key: str, entry: dict[str, Any], values: pd.DataFrame) -> dict[str, Any]:
        """Store ``values`` as the next version of source ``key``; returns the manifest entry."""
        (self.root / "values").mkdir(parents=True, exist_ok=True)
        with write_lock(self.root / ".write.lock", timeout_s=self.lock_timeout_s):
            document = self.manifest()
            previous = document["sources"].get(key)
            version = int(
                document.get("next_version", {}).get(key, previous["version"] + 1 if previous else 1)
            )
            file_name = f"{key}-v{version}.parquet"
            with renamed_into_place(self.root / "values" / file_name, durable=True) as temporary:
                values[VALUE_COLUMNS].to_parquet(temporary, index=False)
            recorded = {
                **entry,
                "key": key,
                "version": version,
                "file": file_name,
                "recorded_at": self.clock().isoformat(timespec="seconds"),
            }
            document["sources"][key] = recorded
            document.setdefault("next_version", {})[key] = version + 1
            self._write_manifest(document)
        if previous and previous["file"] != file_name:
            (self.root / "values" / previous["file"]).unlink(missing_ok=True)
        return recorded

    def record_metadata(self, section: str, key: str, value: Any) -> None:
        """Set ``manifest[section][key]`` (codebooks, custom_indicators)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with write_lock(self.root / ".write.lock", timeout_s=self.lock_timeout_s):
            document = self.manifest()
            document.setdefault(section, {})[key] = value
            self._write_manifest(document)
