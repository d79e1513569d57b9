"""The licence of an occurrence record, and whether a use may include it.

GBIF publishes occurrence data under three licences only — CC0 1.0, CC BY 4.0 and CC BY-NC 4.0
(GBIF, "Licensing of content", data-licence policy adopted by the GBIF Governing Board, 2014) —
and gives each record's licence as a URL (``license`` in the occurrence API; ``dcterms:license``
in downloads). Older archives (such as the 2013 download in ``shared/data``) carry only the
free-text ``intellectualRights`` of each dataset's EML: greenbri keeps that text and classes the
record ``unspecified``; no automatic use includes such records until a person has read the rights
and accepted them for the dataset (``accepted_datasets``).

What each licence permits, from the legal codes:

* CC0 1.0 Universal, section 2 (waiver): any use.
* CC BY 4.0, section 2(a)(1) (licence grant) and 3(a) (attribution): any use, with attribution.
* CC BY-NC 4.0, section 2(a)(1): reproduce and share "for NonCommercial purposes only";
  section 1(i) defines NonCommercial. A commercial use must exclude these records.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from enum import StrEnum

__all__ = ["LicenceClass", "Use", "classify_licence", "permits"]


class LicenceClass(StrEnum):
    """The licence of a record, as a class greenbri can reason about."""

    CC0 = "CC0-1.0"
    CC_BY = "CC-BY-4.0"
    CC_BY_NC = "CC-BY-NC-4.0"
    UNSPECIFIED = "unspecified"


class Use(StrEnum):
    """What an output is for."""

    NON_COMMERCIAL = "non_commercial"
    COMMERCIAL = "commercial"


_PATTERNS = (
    (re.compile(r"publicdomain/zero|\bcc0\b|cc-zero", re.IGNORECASE), LicenceClass.CC0),
    (re.compile(r"licenses/by-nc/|\bcc[ _-]by[ _-]nc\b", re.IGNORECASE), LicenceClass.CC_BY_NC),
    (re.compile(r"licenses/by/|\bcc[ _-]by\b(?![ _-]n)", re.IGNORECASE), LicenceClass.CC_BY),
)

_PERMITTED: dict[Use, frozenset[LicenceClass]] = {
    Use.NON_COMMERCIAL: frozenset({LicenceClass.CC0, LicenceClass.CC_BY, LicenceClass.CC_BY_NC}),
    Use.COMMERCIAL: frozenset({LicenceClass.CC0, LicenceClass.CC_BY}),
}


def classify_licence(text: object) -> LicenceClass:
    """The class of a licence URL, SPDX-like code or rights text; ``UNSPECIFIED`` when unrecognised.

    Only versions GBIF uses are recognised as such; a ``by-nc-nd`` or ``by-sa`` licence is left
    ``UNSPECIFIED`` (its terms differ and are not modelled).
    """
    value = "" if text is None else str(text).strip()
    if not value or re.search(r"by-nc-nd|by-nc-sa|by-sa|by-nd", value, re.IGNORECASE):
        return LicenceClass.UNSPECIFIED
    for pattern, licence in _PATTERNS:
        if pattern.search(value):
            return licence
    return LicenceClass.UNSPECIFIED


def permits(licence: LicenceClass, use: Use, *, dataset: str = "", accepted: Collection[str] = ()) -> bool:
    """Whether a record under ``licence`` (from ``dataset``) may be part of an output for ``use``.

    An ``UNSPECIFIED`` record is permitted only when its dataset is in ``accepted`` (a person read
    the dataset's rights text and accepted it for this use).
    """
    if licence is LicenceClass.UNSPECIFIED:
        return bool(dataset) and dataset in accepted
    return licence in _PERMITTED[use]
