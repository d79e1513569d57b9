"""IUCN Red List categories as GBIF gives them (``iucnRedListCategory``).

The categories and the "threatened" group (CR, EN, VU) are those of IUCN (2012), *IUCN Red List
Categories and Criteria: Version 3.1*, second edition, section IV (definitions) and Figure 1
(structure of the categories). GBIF's occurrence API and downloads use the two-letter codes below
(``iucnRedListCategory``, GBIF API v1 occurrence search; seen in the recorded responses under
``shared/data/biodiversity/gbif``).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from greenbri.core.catalog import Bilingual

__all__ = [
    "CATEGORY_LABELS",
    "LISTED_APART",
    "RED_LIST_SOURCE",
    "THREATENED",
    "RedListCategory",
    "parse_category",
    "severity_rank",
]

#: The document the categories come from.
RED_LIST_SOURCE = (
    "IUCN (2012). IUCN Red List Categories and Criteria: Version 3.1. Second edition. "
    "Gland, Switzerland and Cambridge, UK: IUCN. Section IV and Figure 1."
)


class RedListCategory(StrEnum):
    """An IUCN Red List category (v3.1 codes)."""

    EXTINCT = "EX"
    EXTINCT_IN_THE_WILD = "EW"
    CRITICALLY_ENDANGERED = "CR"
    ENDANGERED = "EN"
    VULNERABLE = "VU"
    NEAR_THREATENED = "NT"
    LEAST_CONCERN = "LC"
    DATA_DEFICIENT = "DD"
    NOT_EVALUATED = "NE"


#: IUCN 2012, Figure 1: "Threatened categories" are CR, EN and VU.
THREATENED: frozenset[RedListCategory] = frozenset(
    {
        RedListCategory.CRITICALLY_ENDANGERED,
        RedListCategory.ENDANGERED,
        RedListCategory.VULNERABLE,
    }
)
#: Reported beside the threatened species, never counted among them (the issue's "NT/DD listed apart").
LISTED_APART: frozenset[RedListCategory] = frozenset(
    {RedListCategory.NEAR_THREATENED, RedListCategory.DATA_DEFICIENT}
)

#: English names from IUCN 2012 section IV; Chinese names as used by the China Red List of
#: Biodiversity (生态环境部、中国科学院, 2015+ assessments).
CATEGORY_LABELS: Mapping[RedListCategory, Bilingual] = MappingProxyType(
    {
        RedListCategory.EXTINCT: Bilingual("Extinct", "灭绝"),
        RedListCategory.EXTINCT_IN_THE_WILD: Bilingual("Extinct in the Wild", "野外灭绝"),
        RedListCategory.CRITICALLY_ENDANGERED: Bilingual("Critically Endangered", "极危"),
        RedListCategory.ENDANGERED: Bilingual("Endangered", "濒危"),
        RedListCategory.VULNERABLE: Bilingual("Vulnerable", "易危"),
        RedListCategory.NEAR_THREATENED: Bilingual("Near Threatened", "近危"),
        RedListCategory.LEAST_CONCERN: Bilingual("Least Concern", "无危"),
        RedListCategory.DATA_DEFICIENT: Bilingual("Data Deficient", "数据缺乏"),
        RedListCategory.NOT_EVALUATED: Bilingual("Not Evaluated", "未评估"),
    }
)

_BY_NAME = {member.name.replace("_", " ").lower(): member for member in RedListCategory}


def parse_category(value: object) -> RedListCategory | None:
    """The category of a code (``"EN"``) or English name (``"Endangered"``); None for blank.

    Raises ``ValueError`` naming the allowed codes for anything else.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text or text.lower() == "nan":
        return None
    try:
        return RedListCategory(text.upper())
    except ValueError:
        pass
    member = _BY_NAME.get(text.replace("_", " ").lower())
    if member is None:
        allowed = ", ".join(member.value for member in RedListCategory)
        raise ValueError(f"unknown IUCN Red List category {text!r} (allowed: {allowed})")
    return member


_SEVERITY = ("EX", "EW", "CR", "EN", "VU", "NT", "DD", "LC", "NE")


def severity_rank(code: object) -> int:
    """Sort key: 0 for Extinct, down the IUCN 2012 Figure 1 order to NE; blank or unknown last."""
    text = "" if code is None else str(code)
    return _SEVERITY.index(text) if text in _SEVERITY else len(_SEVERITY)
