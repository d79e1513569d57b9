"""The methodology page keeps up with the bundled standard files."""

from __future__ import annotations

from pathlib import Path

from greenbri.core.standards import StandardLibrary

PAGE = Path(__file__).resolve().parents[2] / "docs" / "methodology" / "standards.md"


def test_the_page_describes_every_bundled_standard(library: StandardLibrary) -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert [s.id for s in library if f"### `{s.id}`" not in text] == []
    total = sum(len(s.limits) for s in library)
    uncertain = sum(limit.certainty == "uncertain" for s in library for limit in s.limits)
    assert f"{total} limits in all, {uncertain} of them `uncertain`" in text


def test_the_page_lists_every_uncertain_value(library: StandardLibrary) -> None:
    rows = {line for line in PAGE.read_text(encoding="utf-8").splitlines() if line.startswith("| `")}
    missing = [
        (s.id, limit.describe())
        for s in library
        for limit in s.limits
        if limit.certainty == "uncertain"
        and not any(row.startswith(f"| `{s.id}` | `{limit.describe()}` |") for row in rows)
    ]
    assert missing == []
