"""A full disk (ENOSPC) in the middle of a write leaves no temporary file behind and the previous
state in force: the JSON replace used by every catalog and ledger, a monitoring batch, an indicator
version, and a report file."""

from __future__ import annotations

import errno
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from greenbri.adapters.indicators.store import VALUE_COLUMNS, IndicatorStore
from greenbri.adapters.monitoring import store as monitoring_store
from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.adapters.stores import files
from greenbri.adapters.stores.files import write_json_atomic
from greenbri.usecases.monitoring.ingest import ingest_files
from greenbri.usecases.reports import writing


def _full(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _everything(directory: Path) -> list[str]:
    return sorted(path.relative_to(directory).as_posix() for path in directory.rglob("*") if path.is_file())


def test_a_json_replace_that_hits_a_full_disk_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "catalog.json"
    write_json_atomic(target, {"version": 1})
    monkeypatch.setattr(files.os, "fsync", _full)  # the write reached the disk cache, the flush fails
    with pytest.raises(OSError, match="No space left"):
        write_json_atomic(target, {"version": 2})
    assert _everything(tmp_path) == ["catalog.json"]  # before: .catalog.json.<pid>.tmp stayed
    assert json.loads(target.read_text(encoding="utf-8")) == {"version": 1}


def test_a_monitoring_batch_that_hits_a_full_disk_leaves_nothing_behind(
    data_dir: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ReadingsStore(data_dir)

    def half_written(table: Any, path: Path) -> None:
        path.write_bytes(b"PAR1 cut short")
        _full()

    monkeypatch.setattr(monitoring_store, "write_parquet", half_written)
    with pytest.raises(OSError, match="No space left"):
        ingest_files(store, [shared_data / "air" / "cnemc" / "2022-01-15T08.csv"], format_name="cnemc")
    # Before: staging/<token>/readings/... stayed until the next writer.
    assert [name for name in _everything(store.root) if name.endswith(".parquet")] == []
    assert store.batches() == []


def test_an_indicator_version_that_hits_a_full_disk_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = IndicatorStore(tmp_path)
    values = pd.DataFrame([["x", "CHN", "China", "country", 2020, 1.0, "v1"]], columns=VALUE_COLUMNS)

    def half_written(self: pd.DataFrame, path: Path, **kwargs: Any) -> None:
        Path(path).write_bytes(b"PAR1 cut short")
        _full()

    monkeypatch.setattr(pd.DataFrame, "to_parquet", half_written)
    with pytest.raises(OSError, match="No space left"):
        store.publish("source", {}, values)
    assert [name for name in _everything(tmp_path) if "values/" in name] == []


def test_a_report_that_hits_a_full_disk_leaves_no_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Path.write_text

    def half_written(self: Path, text: str, *args: Any, **kwargs: Any) -> int:
        original(self, text[:10], *args, **kwargs)
        _full()
        return 0

    monkeypatch.setattr(Path, "write_text", half_written)
    with pytest.raises(OSError, match="No space left"):
        writing._write("<html>report</html>", tmp_path / "report", ["html"])
    assert _everything(tmp_path) == []  # before: report.html with ten characters of it
