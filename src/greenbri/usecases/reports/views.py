"""Pieces of a report's view model shared by the project and portfolio reports.

Everything a template prints is decided here: translated labels, rounded numbers, the CSS
class of each traffic light. Templates only loop and print.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from greenbri.core.catalog import DatasetRecord
from greenbri.core.screening.citation import Citation
from greenbri.core.screening.hits import ReceptorHit
from greenbri.core.screening.reasons import Reason
from greenbri.core.screening.vocabulary import SECTOR_LABELS, Sector
from greenbri.usecases.reports.formatting import distance_km
from greenbri.usecases.reports.messages import Translate

__all__ = [
    "CountryNames",
    "badge",
    "citation_view",
    "dataset_rows",
    "nearest_receptor",
    "ordered_hits",
    "reason_view",
    "sector_label",
]

_MAX_FEATURE_IDS = 5


@dataclass(frozen=True)
class CountryNames:
    """Country names by ISO 3166-1 alpha-3 code, in English and Chinese (from the countries layer)."""

    english: Mapping[str, str]
    chinese: Mapping[str, str]

    @classmethod
    def from_frame(cls, frame: Any) -> CountryNames:
        """Read ``iso_a3``, ``name_en`` and ``name_zh`` columns where the frame has them."""
        if frame is None or "iso_a3" not in getattr(frame, "columns", ()):
            return cls({}, {})
        codes = [str(code) for code in frame["iso_a3"]]

        def column(name: str) -> dict[str, str]:
            if name not in frame.columns:
                return {}
            return {
                code: str(value)
                for code, value in zip(codes, frame[name], strict=True)
                if isinstance(value, str) and value
            }

        return cls(column("name_en"), column("name_zh"))

    def label(self, code: str, language: str) -> str:
        """``"SDN Sudan"`` / ``"SDN 苏丹"``, or the code alone when the name is unknown."""
        names = self.chinese if language == "zh" else self.english
        name = names.get(code) or self.english.get(code, "")
        return f"{code} {name}".strip()


def badge(risk_class: str | None, t: Translate) -> dict[str, str] | None:
    """A traffic light: its CSS class and its text (``NO DATA`` is grey and hatched, never green)."""
    if risk_class is None:
        return None
    return {"css": f"light-{risk_class.replace('_', '-')}", "text": t(f"class.{risk_class}")}


def sector_label(sector: Sector, language: str) -> str:
    return SECTOR_LABELS[sector].pick(language)


def citation_view(citation: Citation, t: Translate) -> dict[str, Any]:
    return {
        "text": citation.text(),
        "url": citation.source.url,
        "uncertain": t("uncertain") if citation.certainty.value == "uncertain" else "",
        "note": citation.note,
        "operationalisation": t("operationalisation") if citation.is_operationalisation else "",
    }


def _data_reference(dataset: str, feature_ids: Sequence[str]) -> str:
    if not feature_ids:
        return dataset
    shown = ", ".join(feature_ids[:_MAX_FEATURE_IDS])
    more = f" +{len(feature_ids) - _MAX_FEATURE_IDS}" if len(feature_ids) > _MAX_FEATURE_IDS else ""
    return f"{dataset} ({shown}{more})"


def reason_view(reason: Reason, t: Translate, language: str) -> dict[str, Any]:
    """A reason as printed: rule id, classes, text in the language, citations, data references."""
    changed = reason.effective_class is not None and reason.effective_class != reason.risk_class
    return {
        "rule_id": reason.rule_id,
        "text": reason.text.pick(language),
        "badge": badge(reason.risk_class.value if reason.risk_class else None, t),
        "effective": badge(reason.effective_class.value, t) if changed and reason.effective_class else None,
        "mitigable": (t("mitigable") if reason.mitigable else t("not_mitigable"))
        if reason.risk_class
        else "",
        "citations": [citation_view(citation, t) for citation in reason.citations],
        "data": [_data_reference(reference.dataset, reference.feature_ids) for reference in reason.data],
    }


def reasons_view(reasons: Iterable[Reason], t: Translate, language: str) -> list[dict[str, Any]]:
    return [reason_view(reason, t, language) for reason in sorted(reasons, key=Reason.sort_key)]


def ordered_hits(hits: Iterable[ReceptorHit]) -> list[ReceptorHit]:
    """Hits nearest first (ties by dataset and row): the order of the receptor table and the map's numbers."""
    return sorted(hits, key=lambda hit: (hit.distance_m, hit.dataset_id, hit.feature_index))


def nearest_receptor(hits: Sequence[ReceptorHit], t: Translate) -> dict[str, str]:
    """The first (nearest) hit as ``{"text", "distance_km"}``; empty strings without hits."""
    if not hits:
        return {"text": "", "distance_km": ""}
    hit = ordered_hits(hits)[0]
    return {
        "text": f"{t(f'role.{hit.receptor_role.value}')}: {hit.name or t('unnamed')}",
        "distance_km": distance_km(hit.distance_m),
    }


def _split_reference(reference: str) -> tuple[str, int | None]:
    dataset_id, _, version = reference.partition("@v")
    return dataset_id, int(version) if version.isdigit() else None


def dataset_rows(
    references: Iterable[str], records: Mapping[str, DatasetRecord], language: str, t: Translate
) -> list[dict[str, str]]:
    """One row per dataset: the versions used (``id@vN``) and the catalog's licence and source.

    Every referenced dataset gets a row, with licence ``unknown`` when its record was not given;
    records given but not referenced (e.g. the countries layer the map draws) are listed with
    their latest version.
    """
    versions: dict[str, set[str]] = {}
    for reference in references:
        dataset_id, _ = _split_reference(reference)
        versions.setdefault(dataset_id, set()).add(reference)
    for dataset_id, given in records.items():
        if dataset_id not in versions and given.latest is not None:
            versions[dataset_id] = {f"{dataset_id}@v{given.latest.number}"}
    rows = []
    for dataset_id in sorted(versions):
        record = records.get(dataset_id)
        rows.append(
            {
                "reference": ", ".join(sorted(versions[dataset_id])),
                "title": record.title.pick(language) if record else "",
                "publisher": record.source.publisher if record else "",
                "url": record.source.url if record else "",
                "licence": record.licence.name if record else t("not_given"),
                "licence_url": record.licence.url if record else "",
                "attribution": record.licence.attribution if record else "",
            }
        )
    return rows
