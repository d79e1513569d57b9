"""``greenbri monitor batches``: list, show and remove ingested batches. 监测数据批次。

``remove`` takes exactly one batch's readings out of the store (atomically), writes who, when and
what to the audit log (``<data dir>/audit/``, the API's log), and lets a corrected file be ingested.
"""

from __future__ import annotations

import getpass
import os
from typing import Annotated, Any

import typer

from greenbri.services.cli.context import settings_from
from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.output import console, print_json, print_table

__all__ = ["register"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]

batches_app = typer.Typer(
    help="Ingested batches: list, show, remove (one file = one batch). 监测数据批次:列出、查看、删除。",
    no_args_is_help=True,
)


def _store() -> Any:
    from greenbri.adapters.monitoring.store import ReadingsStore  # lazy: keeps --help light

    settings = settings_from()
    return ReadingsStore(settings.data_dir, lock_timeout_s=settings.lock_timeout_s)


@batches_app.command("list")
@handle_errors
def list_command(
    source: Annotated[str | None, typer.Option(help="Only this source (cnemc, openaq, table ...).")] = None,
    json_output: JsonOption = False,
) -> None:
    """List the batches, oldest first. 列出批次。"""
    from greenbri.usecases.monitoring.batches import list_batches

    rows = list_batches(_store(), source)
    if json_output:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} batches 批次",
        [
            "batch",
            "source",
            "file",
            "stored at (UTC)",
            "first reading",
            "last reading",
            "readings",
            "superseded",
        ],
        [
            [
                row["id"],
                row["source"],
                row["input_name"],
                (row["created_at"] or "")[:19],
                *(row["time_range"] or [None, None]),
                row["readings_stored"],
                row["readings_superseded"],
            ]
            for row in rows
        ],
    )


@batches_app.command("show")
@handle_errors
def show_command(batch_id: str, json_output: JsonOption = False) -> None:
    """Show one batch: counts, messages, files. 查看批次。"""
    from greenbri.usecases.monitoring.batches import show_batch

    entry = show_batch(_store(), batch_id)
    if json_output:
        print_json(entry)
        return
    print_table(
        f"batch 批次 {entry['id']} ({entry.get('input_name')})",
        ["field", "value"],
        [
            ["source", entry.get("source")],
            ["stored at (UTC)", entry.get("created_at")],
            ["time range (UTC)", " .. ".join(entry.get("time_range") or [])],
            ["input sha256", entry.get("input_sha256")],
            *([name, value] for name, value in sorted(entry.get("rows", {}).items())),
            *(
                [f"superseded by {item['by']}", f"{item['readings']} missing readings"]
                for item in entry.get("superseded", [])
            ),
        ],
    )
    for message in entry.get("messages", []):
        where = f", line {message['row']}" if message.get("row") else ""
        console.print(f"  [yellow]{message['outcome']}[/]{where}: {message['message']}", highlight=False)


@batches_app.command("remove")
@handle_errors
def remove_command(
    batch_id: str,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Remove one batch's readings (atomic, audit-logged); a corrected file can then be ingested. 删除批次。"""
    from greenbri.services.api.audit import AuditLog
    from greenbri.usecases.monitoring.batches import remove_batch, show_batch

    store = _store()
    entry = show_batch(store, batch_id)
    if not yes:
        typer.confirm(
            f"Remove batch {batch_id} ({entry.get('input_name')}, "
            f"{entry.get('rows', {}).get('readings_stored', 0)} readings)?",
            abort=True,
        )
    actor = {"user": _user(), "pid": os.getpid(), "via": "cli"}
    removed = remove_batch(store, batch_id, actor=actor, audit=AuditLog(store.data_dir / "audit").record)
    if json_output:
        print_json(removed)
        return
    console.print(
        f"removed batch {batch_id} ({removed['input_name']}): {removed['readings_removed']} readings. "
        "已删除。 The file can be ingested again (greenbri monitor ingest).",
        highlight=False,
    )


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid (a container)
        return f"uid:{os.getuid()}"


def register(app: typer.Typer) -> None:
    """Add ``batches`` to the ``monitor`` group."""
    app.add_typer(batches_app, name="batches")
