"""Progress displays for long commands (rich), silent under ``--json``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

__all__ = ["byte_progress", "stage_progress", "task_progress"]

_stderr = Console(stderr=True)


@contextmanager
def stage_progress(*, quiet: bool = False) -> Iterator[Callable[[str], None]]:
    """A spinner whose text follows the stages reported through the yielded function."""
    if quiet:
        yield lambda stage: None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=_stderr,
        transient=True,
    ) as progress:
        task = progress.add_task("starting", total=None)
        yield lambda stage: progress.update(task, description=stage)


@contextmanager
def byte_progress(
    *, quiet: bool = False
) -> Iterator[tuple[Callable[[int, int | None], None], Callable[[str], None]]]:
    """A download bar (bytes done, total) plus a stage line."""
    if quiet:
        yield (lambda done, total: None), (lambda stage: None)
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
    )
    with Progress(*columns, console=_stderr, transient=True) as progress:
        task = progress.add_task("downloading", total=None)

        def on_bytes(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        yield on_bytes, (lambda stage: progress.update(task, description=stage))


@contextmanager
def task_progress(total: int, *, quiet: bool = False) -> Iterator[Callable[[str], None]]:
    """A bar over ``total`` steps; call the yielded function once per finished step."""
    if quiet:
        yield lambda label: None
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=_stderr, transient=False) as progress:
        task = progress.add_task("starting", total=total)
        yield lambda label: progress.update(task, advance=1, description=label)
