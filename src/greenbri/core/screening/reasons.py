"""Why a result is what it is: :class:`Reason` objects a reviewer can follow back to the source.

Each reason names the rule that produced it, says what it found in English and Chinese,
cites the documents the rule comes from, points at the data it used (dataset id and version,
feature ids) and lists the parameters it applied (buffer, distance, threshold...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from greenbri.core.catalog import Bilingual
from greenbri.core.screening.citation import Citation
from greenbri.core.screening.vocabulary import Dimension, RiskClass

__all__ = ["DataReference", "ParameterValue", "Reason"]

#: The JSON scalar types a reason's parameters may hold.
ParameterValue = str | int | float | bool | None


@dataclass(frozen=True)
class DataReference:
    """Data a reason used: a dataset version (``wdpa@v3``) and the features in it."""

    dataset: str
    feature_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "feature_ids": list(self.feature_ids)}


@dataclass(frozen=True)
class Reason:
    """One finding of one rule.

    ``risk_class`` is the class the finding gives its dimension before mitigation and
    ``effective_class`` after it (``None`` for findings that give no class, such as a coverage
    gap or a financing criterion).
    """

    rule_id: str
    text: Bilingual
    citations: tuple[Citation, ...]
    dimension: Dimension | None = None
    risk_class: RiskClass | None = None
    effective_class: RiskClass | None = None
    mitigable: bool = False
    data: tuple[DataReference, ...] = ()
    parameters: Mapping[str, ParameterValue] = field(default_factory=dict)

    def sort_key(self) -> tuple[str, str, str, str]:
        features = ";".join(f"{ref.dataset}:{','.join(ref.feature_ids)}" for ref in self.data)
        return (self.dimension.value if self.dimension else "", self.rule_id, features, self.text.en)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "dimension": self.dimension.value if self.dimension else None,
            "class": self.risk_class.value if self.risk_class else None,
            "effective_class": self.effective_class.value if self.effective_class else None,
            "mitigable": self.mitigable,
            "text": self.text.to_dict(),
            "citations": [citation.to_dict() for citation in self.citations],
            "data": [reference.to_dict() for reference in self.data],
            "parameters": dict(sorted(self.parameters.items())),
        }
