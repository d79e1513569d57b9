"""How the CLI turns errors into messages and exit codes: one table.

============================  =====  ===========================================
error class                   code   meaning
============================  =====  ===========================================
(success)                     0
InputError and subclasses     2      the input file or an argument is unusable
CatalogError                  2      invalid dataset metadata
ConfigurationError            3      a GREENBRI_* setting is invalid
DatasetNotFoundError          4      unknown dataset id
BatchNotFoundError            4      unknown monitoring batch id
VersionNotFoundError          4      unknown version
StoreLockedError              5      another process is writing the store
StoreError                    6      the store cannot do what was asked
SourceError and subclasses    7      an upstream source or the mirror failed
GreenbriError (other)         1
OSError (file system)         6      a file could not be read or written
(partial: some rows failed)   9      the rest was done and written; the failed rows
                                     are listed with file, row, field and fix
(nothing done: all failed)    10     every row failed, nothing was screened; each
                                     row is listed with file, row, field and fix
============================  =====  ===========================================

So a batch command (``screen``) ends 0 when all is done, 9 when some rows failed and 10 when
nothing was done.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from greenbri.core import errors

__all__ = ["EXIT_CODES", "NOTHING_DONE", "PARTIAL_FAILURE", "exit_code_for", "handle_errors"]

#: Exit code of a batch command (``screen``) that did its work but some rows failed (listed).
PARTIAL_FAILURE = 9
#: Exit code of a batch command whose every row failed: nothing was done (each row is listed).
NOTHING_DONE = 10

EXIT_CODES: tuple[tuple[type[errors.GreenbriError], int], ...] = (
    (errors.InputError, 2),
    (errors.CatalogError, 2),
    (errors.ConfigurationError, 3),
    (errors.DatasetNotFoundError, 4),
    (errors.BatchNotFoundError, 4),
    (errors.VersionNotFoundError, 4),
    (errors.StoreLockedError, 5),
    (errors.StoreError, 6),
    (errors.SourceError, 7),
    (errors.ReadingConflictError, 2),
    (errors.AlertRuleError, 2),
    (errors.MonitoringError, 8),
    (errors.GreenbriError, 1),
)

Function = TypeVar("Function", bound=Callable[..., Any])


def exit_code_for(error: errors.GreenbriError) -> int:
    """The exit code of ``error``: the first matching row of :data:`EXIT_CODES`."""
    for error_class, code in EXIT_CODES:
        if isinstance(error, error_class):
            return code
    return 1


def handle_errors(function: Function) -> Function:
    """Run a command; show a GreenbriError as a one-paragraph message and exit with its code."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except errors.GreenbriError as error:
            console = Console(stderr=True, soft_wrap=True)
            console.print(
                f"[bold red]error[/] ({type(error).__name__}): {error}", highlight=False, markup=True
            )
            sys.stderr.flush()
            raise typer.Exit(exit_code_for(error)) from None
        except OSError as error:
            console = Console(stderr=True, soft_wrap=True)
            where = f" ({error.filename})" if error.filename else ""
            console.print(
                f"[bold red]error[/] (file system): {error.strerror or error}{where}. "
                "Fix: check the path, the permissions and the free space.",
                highlight=False,
            )
            raise typer.Exit(6) from None

    return wrapper  # type: ignore[return-value]
