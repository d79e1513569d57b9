"""Readers: turn an input file (or several) into a validated table in memory.

:func:`read_input` is the entry point; :class:`ReadOptions` says how to read and
:class:`ReadResult` is what comes back. See :mod:`.base` for the contract.
"""

from greenbri.adapters.readers.base import DEFAULT_MAX_INPUT_BYTES, ReadOptions, ReadResult
from greenbri.adapters.readers.detect import FORMATS
from greenbri.adapters.readers.reader import read_input

__all__ = ["DEFAULT_MAX_INPUT_BYTES", "FORMATS", "ReadOptions", "ReadResult", "read_input"]
