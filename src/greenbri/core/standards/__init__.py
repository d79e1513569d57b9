"""Environmental standards and guidelines as cited data: the model, the file format, the vocabulary.

The standards themselves are JSON files in ``data/`` (one per standard), read by
:func:`greenbri.adapters.standards_files.load_library`; comparing observations with them is
:mod:`greenbri.core.compliance`. See ``docs/methodology/standards.md``.
"""

from __future__ import annotations

from greenbri.core.standards.model import Limit, Phase, Standard, StandardLibrary, StandardLimit, Statistic
from greenbri.core.standards.schema import FORMAT_VERSION, standard_from_dict, standard_to_dict

__all__ = [
    "FORMAT_VERSION",
    "Limit",
    "Phase",
    "Standard",
    "StandardLibrary",
    "StandardLimit",
    "Statistic",
    "standard_from_dict",
    "standard_to_dict",
]
