"""Reading one JSON object of a data file, with the field path in every error.

The standards files and the screening rule files share this: an error says which
file and which field (``limits[3].averaging``) was wrong, and what is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn, Self

from greenbri.core.errors import StandardError

__all__ = ["JsonObjectReader"]


class JsonObjectReader:
    """One JSON object at ``path`` in the file ``source``; subclasses add typed getters."""

    def __init__(self, data: Any, path: str, source: str | None) -> None:
        self.path = path
        self.source = source
        if not isinstance(data, Mapping):
            self.fail(f"must be a JSON object, not {type(data).__name__}.")
        self.data: Mapping[str, Any] = data

    def field(self, key: str) -> str:
        """The path of ``key`` under this object."""
        return f"{self.path}.{key}" if self.path else key

    def fail(self, message: str, key: str | None = None, hint: str | None = None) -> NoReturn:
        """Raise :class:`StandardError` naming the file and the field."""
        field = self.field(key) if key else (self.path or None)
        raise StandardError(message, source=self.source, field=field, hint=hint)

    def check_keys(self, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
        """Refuse unknown keys and missing required ones."""
        allowed = required + optional
        for key in self.data:
            if key not in allowed:
                self.fail(f"unknown key {key!r}.", key, hint=f"allowed keys here: {', '.join(allowed)}.")
        for key in required:
            if key not in self.data:
                self.fail(f"the required key {key!r} is missing.", key)

    def child(self, key: str) -> Self:
        """The object under ``key``, read the same way."""
        return type(self)(self.data[key], self.field(key), self.source)

    def item(self, key: str, index: int, value: Any) -> Self:
        """Element ``index`` of the list under ``key``, read the same way."""
        return type(self)(value, f"{self.field(key)}[{index}]", self.source)
