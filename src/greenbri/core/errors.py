"""The one error tree of greenbri.

Every error a user can meet is a :class:`GreenbriError`. Each carries a message
that says what was wrong, where (file, row or feature), and how to fix it, so
the CLI and the API can show it as it is.

::

    GreenbriError
    ├── ConfigurationError        a setting is missing or invalid
    ├── InputError                a file or value given to greenbri is unusable
    │   ├── UnknownFormatError        the format cannot be recognised
    │   ├── EmptyInputError           the file holds no data
    │   ├── MalformedInputError       the file is truncated or does not parse
    │   ├── InputTooLargeError        the file is larger than the configured limit
    │   ├── EncodingError             text cannot be decoded
    │   ├── CoordinateReferenceError  the CRS is missing or unknown
    │   ├── CoordinateRangeError      coordinates outside the valid range
    │   ├── GeometryError             empty or invalid geometry that cannot be repaired
    │   ├── DuplicateIdError          the id column repeats a value
    │   ├── MissingColumnError        a named column is absent
    │   └── ShrinkingSourceError      a new copy of a source would drop most of its stored rows
    ├── CatalogError              dataset metadata is invalid
    ├── StandardError             a standard file is invalid, or a limit cannot be applied
    ├── StoreError                the data store cannot do what was asked
    │   ├── StoreLockedError          another writer holds the store
    │   ├── DatasetNotFoundError      no dataset with that id
    │   ├── BatchNotFoundError        no monitoring batch with that id
    │   └── VersionNotFoundError      no such version of a dataset
    ├── SourceError               an upstream source or mirror failed
    │   ├── DownloadError             HTTP failure after retries
    │   └── MirrorMissingError        the mirror does not hold the file
    └── MonitoringError           monitoring data, rules or delivery cannot do what was asked
        ├── ReadingConflictError      a reading contradicts one already stored or in the same file
        ├── AlertRuleError            an alert rule file is invalid
        └── DeliveryError             an alert could not be delivered after its retries

The CLI maps these classes to exit codes in one table
(:data:`greenbri.services.cli.errors.EXIT_CODES`).
"""

from __future__ import annotations

__all__ = [
    "AlertRuleError",
    "BatchNotFoundError",
    "CatalogError",
    "ConfigurationError",
    "CoordinateRangeError",
    "CoordinateReferenceError",
    "DatasetNotFoundError",
    "DeliveryError",
    "DownloadError",
    "DuplicateIdError",
    "EmptyInputError",
    "EncodingError",
    "GeometryError",
    "GreenbriError",
    "InputError",
    "InputTooLargeError",
    "MalformedInputError",
    "MirrorMissingError",
    "MissingColumnError",
    "MonitoringError",
    "ReadingConflictError",
    "ShrinkingSourceError",
    "SourceError",
    "StandardError",
    "StoreError",
    "StoreLockedError",
    "UnknownFormatError",
    "VersionNotFoundError",
]


class GreenbriError(Exception):
    """Base of every error greenbri raises on purpose.

    Parameters
    ----------
    message
        What was wrong, in a sentence a user can act on.
    hint
        How to fix it. Shown after the message.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} Fix: {self.hint}"
        return self.message


class ConfigurationError(GreenbriError):
    """A setting is missing or invalid."""


class InputError(GreenbriError):
    """A file or value given to greenbri cannot be used.

    Parameters
    ----------
    source
        The file name (or other input name) the problem was found in.
    location
        Where in it: ``"row 12"``, ``"feature 3 (id=WDPA-55)"``, ``"column 'lon'"``.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        location: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.source = source
        self.location = location
        super().__init__(message, hint=hint)

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.source, self.location) if part)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text = f"{text} Fix: {self.hint}"
        return text


class UnknownFormatError(InputError):
    """The input's format could not be recognised."""


class EmptyInputError(InputError):
    """The input holds no features or rows."""


class MalformedInputError(InputError):
    """The input is truncated or does not parse."""


class InputTooLargeError(InputError):
    """The input is larger than the configured limit."""


class EncodingError(InputError):
    """Text in the input cannot be decoded with the detected or given encoding."""


class CoordinateReferenceError(InputError):
    """The coordinate reference system is missing or unknown."""


class CoordinateRangeError(InputError):
    """Coordinates fall outside the valid range of longitude and latitude."""


class GeometryError(InputError):
    """A geometry is empty or invalid and cannot be repaired."""


class DuplicateIdError(InputError):
    """The id column holds the same value more than once."""


class MissingColumnError(InputError):
    """A column that was named (or is required) is not in the input."""


class ShrinkingSourceError(InputError):
    """A new copy of a source holds far fewer rows than the one stored (a truncated download?)."""


class CatalogError(GreenbriError):
    """Dataset metadata is invalid (bad id, unknown theme, missing title...)."""


class StandardError(GreenbriError):
    """A standard's data is invalid, or a limit cannot be applied as asked.

    Raised when a standard file breaks the format (unknown key, unknown vocabulary
    value, missing citation, effective dates out of order, overlapping phases) and
    when an observation cannot be compared with a limit (different averaging period,
    unit that cannot be converted).

    Parameters
    ----------
    source
        The file (or other input name) the standard came from.
    field
        The field path inside it: ``"limits[3].averaging"``, ``"phases[1]"``.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.source = source
        self.field = field
        super().__init__(message, hint=hint)

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.source, self.field) if part)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text = f"{text} Fix: {self.hint}"
        return text


class StoreError(GreenbriError):
    """The data store cannot do what was asked."""


class StoreLockedError(StoreError):
    """Another writer holds the store's write lock."""


class DatasetNotFoundError(StoreError):
    """No dataset with the given id is in the catalog."""


class BatchNotFoundError(StoreError):
    """No monitoring batch has this id (``greenbri monitor batches list`` lists them)."""


class VersionNotFoundError(StoreError):
    """The dataset has no version with the given number."""


class SourceError(GreenbriError):
    """An upstream source or its mirror failed."""


class DownloadError(SourceError):
    """An HTTP request failed after its retries."""


class MirrorMissingError(SourceError):
    """The configured mirror does not hold the requested file."""


class MonitoringError(GreenbriError):
    """Monitoring data, alert rules or alert delivery cannot do what was asked."""


class ReadingConflictError(MonitoringError):
    """A reading has the key of another (stored or in the same input) with a different value."""


class AlertRuleError(MonitoringError):
    """An alert rule file or rule is invalid."""


class DeliveryError(MonitoringError):
    """An alert could not be delivered (webhook) after its retries."""
