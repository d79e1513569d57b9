"""The green technology reserve: import entries (CSV, XLSX, JSON), list them, search them in Chinese or English.

Entries live in ``<data dir>/technologies/catalogue.json`` (written whole under the store's write
lock, replaced atomically). An import is all or nothing: one bad row or a duplicate id imports
nothing. Search ranks entries with BM25+ (rank-bm25) over their names, descriptions, sectors and
what they abate, analysed by :func:`greenbri.adapters.text.analyse` (jieba for Chinese, Snowball for
English) and expanded with the bilingual synonym groups of ``core/technologies/data/synonyms.json``,
so 脱硫 and "flue gas desulfurization" find the same entries. Facets count the matches by category,
sector and deployment country.
"""

from __future__ import annotations

import csv
import importlib.resources
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from greenbri.adapters.stores.files import write_json_atomic
from greenbri.adapters.stores.locking import write_lock
from greenbri.adapters.text import analyse
from greenbri.core.errors import InputError, MalformedInputError
from greenbri.core.technologies.links import load_links, suggest
from greenbri.core.technologies.model import CATEGORY_LABELS, Category, Technology, technologies_from_rows
from greenbri.usecases.screening import PortfolioScreening

__all__ = [
    "ImportSummary",
    "SearchResult",
    "TechnologyCatalogue",
    "import_technologies",
    "search_technologies",
]


class TechnologyCatalogue:
    """The reserve's entries on disk."""

    def __init__(self, data_dir: Path, *, lock_timeout_s: float = 30.0) -> None:
        self.folder = Path(data_dir) / "technologies"
        self.path = self.folder / "catalogue.json"
        self.lock_timeout_s = lock_timeout_s

    def entries(self) -> list[Technology]:
        if not self.path.is_file():
            return []
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return [Technology.model_validate(item) for item in data.get("technologies", [])]

    def upsert(self, entries: Sequence[Technology]) -> tuple[int, int]:
        """Add or replace entries by id; (added, replaced)."""
        with write_lock(self.folder / ".write.lock", timeout_s=self.lock_timeout_s):
            current = {entry.id: entry for entry in self.entries()}
            added = sum(1 for entry in entries if entry.id not in current)
            current.update({entry.id: entry for entry in entries})
            document = {"technologies": [current[key].model_dump(mode="json") for key in sorted(current)]}
            write_json_atomic(self.path, document)
        return added, len(entries) - added


@dataclass(frozen=True)
class ImportSummary:
    source: str
    added: int
    replaced: int
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "added": self.added, "replaced": self.replaced, "total": self.total}


def _rows(path: Path) -> list[dict[str, Any]]:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError("The file does not exist.", source=str(path), hint="check the path.")
    if suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise MalformedInputError(
                f"Not valid JSON (line {error.lineno}: {error.msg}).", source=path.name, hint="fix the JSON."
            ) from None
        items = data.get("technologies") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise MalformedInputError(
                'Expected a list of entries, or {"technologies": [...]}.', source=path.name, hint="see docs."
            )
        return [dict(item) for item in items]
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [dict(row) for row in csv.DictReader(handle)]
    if suffix == ".xlsx":
        import pandas as pd

        frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        return [{str(key): value for key, value in row.items()} for row in frame.to_dict(orient="records")]
    raise InputError(
        f"Unknown format {suffix!r}.", source=path.name, hint="give a .csv, .xlsx or .json file."
    )


def import_technologies(catalogue: TechnologyCatalogue, path: Path) -> ImportSummary:
    """Validate every row (all problems named at once), then add or replace the entries by id."""
    entries = technologies_from_rows(_rows(Path(path)), Path(path).name)
    if not entries:
        raise InputError("The file holds no entries.", source=Path(path).name, hint="check the file.")
    added, replaced = catalogue.upsert(entries)
    return ImportSummary(Path(path).name, added, replaced, len(catalogue.entries()))


@cache
def _synonym_groups() -> tuple[tuple[tuple[str, ...], ...], ...]:
    text = (
        importlib.resources.files("greenbri.core.technologies")
        .joinpath("data/synonyms.json")
        .read_text("utf-8")
    )
    return tuple(tuple(tuple(analyse(term)) for term in group) for group in json.loads(text)["groups"])


def _contains(terms: Sequence[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return size > 0 and any(
        tuple(terms[start : start + size]) == phrase for start in range(len(terms) - size + 1)
    )


def _terms(text: str) -> list[str]:
    terms = analyse(text)
    synonyms = [
        f"synonym:{index}"
        for index, group in enumerate(_synonym_groups())
        if any(_contains(terms, p) for p in group)
    ]
    return terms + synonyms


def _document(entry: Technology) -> str:
    return " ".join(
        [
            entry.name_en,
            entry.name_zh,
            entry.description_en,
            entry.description_zh,
            *entry.sectors,
            *entry.abates,
        ]
    )


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[tuple[Technology, float], ...]
    facets: Mapping[str, Mapping[str, int]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "hits": [
                {**entry.model_dump(mode="json"), "score": round(score, 4)} for entry, score in self.hits
            ],
            "facets": {name: dict(values) for name, values in self.facets.items()},
            "category_labels": {c.value: CATEGORY_LABELS[c].to_dict() for c in Category},
        }


def search_technologies(
    entries: Sequence[Technology],
    query: str,
    *,
    category: str | None = None,
    sector: str | None = None,
    country: str | None = None,
    limit: int = 20,
) -> SearchResult:
    """Entries sharing a term (or a synonym group) with ``query``, best first (BM25+), with facets."""
    from rank_bm25 import BM25Plus

    chosen = [
        entry
        for entry in entries
        if (category is None or entry.category.value == category)
        and (sector is None or sector in entry.sectors)
        and (country is None or country.upper() in entry.deployments)
    ]
    wanted = [term for term in _terms(query) if len(term) > 1 or term.isascii()]
    documents = [_terms(_document(entry)) for entry in chosen]
    matches = [index for index, terms in enumerate(documents) if set(wanted) & set(terms)]
    hits: list[tuple[Technology, float]] = []
    if matches and wanted:
        scores = BM25Plus(documents).get_scores(wanted)
        hits = sorted(((chosen[i], float(scores[i])) for i in matches), key=lambda hit: (-hit[1], hit[0].id))
    found = [entry for entry, _ in hits]
    facets = {
        "category": Counter(entry.category.value for entry in found),
        "sector": Counter(sector for entry in found for sector in entry.sectors),
        "country": Counter(code for entry in found for code in entry.deployments),
    }
    return SearchResult(
        query, tuple(hits[:limit]), {name: dict(sorted(c.items())) for name, c in facets.items()}
    )


def suggest_technologies(portfolio: PortfolioScreening, entries: Sequence[Technology]) -> PortfolioScreening:
    """Attach to ``portfolio`` the reserve entries its red or yellow findings suggest (links in
    ``core/technologies/data/links.json``); projects with no suggestion get none. Returns ``portfolio``."""
    if not entries:
        return portfolio
    links = load_links()
    for item in portfolio.screened:
        found = suggest(item.project.sector, item.result, entries, links)
        if found:
            portfolio.technologies[item.project.id] = [suggestion.to_dict() for suggestion in found]
    return portfolio
