"""Errors of the AQI engines.

They extend the project's one error tree (:mod:`greenbri.core.errors`)::

    GreenbriError
    ├── InputError
    │   └── AqiInputError               a concentration mapping the engine cannot use
    └── AqiStandardError                no usable standard for what was asked
        ├── StandardNotVerifiedError        the standard in force is not verified in this version
        └── DateOutOfCoverageError          no engine of the standard covers the date
"""

from __future__ import annotations

from greenbri.core.errors import GreenbriError, InputError

__all__ = [
    "AqiInputError",
    "AqiStandardError",
    "DateOutOfCoverageError",
    "StandardNotVerifiedError",
]


class AqiInputError(InputError):
    """A concentration mapping (keys, shapes, averaging periods) the engine cannot use."""


class AqiStandardError(GreenbriError):
    """No verified standard engine can compute what was asked."""


class StandardNotVerifiedError(AqiStandardError):
    """The standard in force on a date is known, but its breakpoints are not verified here."""


class DateOutOfCoverageError(AqiStandardError):
    """No engine of the requested standard covers an observation date."""
