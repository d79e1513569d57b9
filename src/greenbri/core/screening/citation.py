"""Where a rule or a number comes from: a source document and the place in it.

Every threshold, factor, sector entry and rule in the screening data carries one or more
:class:`Citation` objects. A citation names a :class:`Source` (the document: title,
publisher, date, address) and the section, table or paragraph in it, and says whether the
value was checked (``confirmed``) or not (``uncertain``, with a note saying why).

Sources of the kind ``operationalisation`` are greenbri's own choices where the guidance is
qualitative (buffer distances, the band-to-class table...); they cite the methodology page
so a reviewer can see that the number is greenbri's, not the guidance's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from greenbri.core.screening.vocabulary import Certainty

__all__ = ["Citation", "Source"]


@dataclass(frozen=True)
class Source:
    """A document rules are taken from.

    ``date`` is the publication or effective date as ISO ``YYYY-MM-DD`` (or ``YYYY-MM`` when only
    the month is known); ``kind`` is ``document`` (a published source) or ``operationalisation``
    (greenbri's own documented choice).
    """

    id: str
    title: str
    publisher: str
    date: str
    url: str = ""
    kind: str = "document"
    note: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "date": self.date,
            "url": self.url,
            "kind": self.kind,
            "note": self.note,
        }


@dataclass(frozen=True)
class Citation:
    """A place in a source: ``section`` is the table, clause, paragraph or page."""

    source: Source
    section: str
    certainty: Certainty = Certainty.CONFIRMED
    note: str = ""

    @property
    def is_operationalisation(self) -> bool:
        return self.source.kind == "operationalisation"

    def text(self) -> str:
        """One line: ``"Publisher, Title (date), section"``."""
        return f"{self.source.publisher}, {self.source.title} ({self.source.date}), {self.section}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_id": self.source.id,
            "document": self.source.title,
            "publisher": self.source.publisher,
            "date": self.source.date,
            "url": self.source.url,
            "kind": self.source.kind,
            "section": self.section,
            "certainty": self.certainty.value,
            "note": self.note,
        }
