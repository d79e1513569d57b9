"""Target definitions as data, with their citations, and the rounding rules used to judge them.

A target says: for ``indicator`` in ``scope`` (an ISO3 code), the value in ``target_year`` must
satisfy ``comparator`` against ``target_value``, judged under ``rounding``. The wording of the
source is kept: ``qualifier`` is ``"about"`` for 左右 and ``"strive"`` for 力争; a target whose
wording greenbri could not confirm carries ``uncertain: true`` and a note.

Rounding rules (GB/T 8170-2008 《数值修约规则与极限数值的表示和判定》):

* ``exact`` — 全数值比较法: compare the value as measured.
* ``half_even:<d>`` — 修约值比较法 with GB/T 8170's rule (round half to even, 四舍六入五成双) to
  ``d`` decimals, then compare.
* ``half_up:<d>`` — round half away from zero to ``d`` decimals, then compare (common
  statistical-bulletin practice).

Values are rounded through their shortest decimal representation (``Decimal(repr(x))``), so
27.5 is 27.5 and not 27.4999....
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

from greenbri.core.catalog import Bilingual
from greenbri.core.errors import StandardError

__all__ = [
    "COMPARATORS",
    "QUALIFIERS",
    "Citation",
    "Target",
    "apply_rounding",
    "meets",
    "target_from_document",
]

COMPARATORS = {"below": "<", "at_most": "<=", "at_least": ">=", "above": ">"}
QUALIFIERS = (None, "about", "strive")
_ROUNDING = re.compile(r"^(exact|half_even:\d|half_up:\d)$")


@dataclass(frozen=True)
class Citation:
    """Where a target is written: document (zh/en), issuing body, date, clause, and a link."""

    title: Bilingual
    issuer: str
    date: str
    clause: str
    url: str = ""
    wording_zh: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title.to_dict(),
            "issuer": self.issuer,
            "date": self.date,
            "clause": self.clause,
            "url": self.url,
            "wording_zh": self.wording_zh,
        }


@dataclass(frozen=True)
class Target:
    """One numeric target."""

    id: str
    name: Bilingual
    indicator: str
    scope: str
    target_year: int
    target_value: float
    comparator: str
    rounding: str
    citation: Citation
    unit: str
    qualifier: str | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    uncertain: bool = False
    note: str = ""
    proxy_indicator: str | None = None
    proxy_note: str = ""

    @property
    def higher_is_better(self) -> bool:
        return self.comparator in ("at_least", "above")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name.to_dict(),
            "indicator": self.indicator,
            "scope": self.scope,
            "baseline_year": self.baseline_year,
            "baseline_value": self.baseline_value,
            "target_year": self.target_year,
            "target_value": self.target_value,
            "comparator": self.comparator,
            "qualifier": self.qualifier,
            "rounding": self.rounding,
            "unit": self.unit,
            "citation": self.citation.to_dict(),
            "uncertain": self.uncertain,
            "note": self.note,
            "proxy_indicator": self.proxy_indicator,
            "proxy_note": self.proxy_note,
        }


def apply_rounding(value: float, rule: str) -> Decimal:
    """``value`` under ``rule`` (see the module docstring) as a Decimal."""
    number = Decimal(repr(float(value)))
    if rule == "exact":
        return number
    mode, decimals = rule.split(":")
    quantum = Decimal(1).scaleb(-int(decimals))
    return number.quantize(quantum, rounding=ROUND_HALF_EVEN if mode == "half_even" else ROUND_HALF_UP)


def meets(value: float, target: Target) -> bool:
    """Whether ``value`` satisfies the target's comparator once rounded under its rule."""
    judged = apply_rounding(value, target.rounding)
    threshold = Decimal(repr(float(target.target_value)))
    comparator = target.comparator
    if comparator == "below":
        return judged < threshold
    if comparator == "at_most":
        return judged <= threshold
    if comparator == "at_least":
        return judged >= threshold
    return judged > threshold


def _text(document: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in document or document[key] in (None, ""):
        raise StandardError(f"Missing field {key!r}.", source=where, field=key, hint="add it.")
    return document[key]


def target_from_document(document: Mapping[str, Any], where: str) -> Target:
    """A :class:`Target` from a JSON object; :class:`StandardError` naming ``where`` and the field."""
    comparator = _text(document, "comparator", where)
    if comparator not in COMPARATORS:
        raise StandardError(
            f"Unknown comparator {comparator!r}.",
            source=where,
            field="comparator",
            hint=f"use one of {sorted(COMPARATORS)}.",
        )
    rounding = str(document.get("rounding", "exact"))
    if not _ROUNDING.match(rounding):
        raise StandardError(
            f"Unknown rounding rule {rounding!r}.",
            source=where,
            field="rounding",
            hint="use exact, half_even:<decimals> or half_up:<decimals>.",
        )
    qualifier = document.get("qualifier")
    if qualifier not in QUALIFIERS:
        raise StandardError(
            f"Unknown qualifier {qualifier!r}.",
            source=where,
            field="qualifier",
            hint="use about (左右), strive (力争) or null.",
        )
    cited = _text(document, "citation", where)
    for key in ("title", "issuer", "date", "clause"):
        _text(cited, key, f"{where}.citation")
    citation = Citation(
        title=Bilingual(en=str(cited["title"].get("en", "")), zh=str(cited["title"].get("zh", ""))),
        issuer=str(cited["issuer"]),
        date=str(cited["date"]),
        clause=str(cited["clause"]),
        url=str(cited.get("url", "")),
        wording_zh=str(cited.get("wording_zh", "")),
    )
    name = _text(document, "name", where)
    return Target(
        id=str(_text(document, "id", where)),
        name=Bilingual(en=str(name.get("en", "")), zh=str(name.get("zh", ""))),
        indicator=str(_text(document, "indicator", where)),
        scope=str(_text(document, "scope", where)),
        target_year=int(_text(document, "target_year", where)),
        target_value=float(_text(document, "target_value", where)),
        comparator=comparator,
        rounding=rounding,
        citation=citation,
        unit=str(document.get("unit", "")),
        qualifier=qualifier,
        baseline_year=document.get("baseline_year"),
        baseline_value=document.get("baseline_value"),
        uncertain=bool(document.get("uncertain", False)),
        note=str(document.get("note", "")),
        proxy_indicator=document.get("proxy_indicator"),
        proxy_note=str(document.get("proxy_note", "")),
    )
