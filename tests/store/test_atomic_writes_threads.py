"""Two threads replacing the same file at once (two API apps on one data directory, a job runner and
a request): neither removes nor renames the other's temporary, and the file is always one whole write.
Found when the authorisation walk's second app rewrote a job file the first app's runner was writing."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from greenbri.adapters.stores.files import write_json_atomic


def test_threads_writing_one_file_never_collide(tmp_path: Path) -> None:
    target = tmp_path / "job.json"
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def writer(number: int) -> None:
        start.wait()
        try:
            for round_ in range(40):
                write_json_atomic(target, {"writer": number, "round": round_, "pad": "x" * 5000})
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    final = json.loads(target.read_text(encoding="utf-8"))
    assert 0 <= final["round"] < 40 and final["pad"] == "x" * 5000  # one whole write
    assert not list(tmp_path.glob(".*.partial"))
