"""``greenbri serve`` (the web API) and ``greenbri keys create|list|revoke``. 网络服务与访问密钥。"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from greenbri.core.errors import InputError
from greenbri.services.cli.context import settings_from
from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.output import console, print_json, print_table

if TYPE_CHECKING:
    from greenbri.services.api.access import KeyStore

__all__ = ["register"]

keys_app = typer.Typer(help="API keys: create, list, revoke. 访问密钥。", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _key_store() -> KeyStore:
    from greenbri.services.api.access import KeyStore

    settings = settings_from()
    return KeyStore(settings.data_dir / "access", default_rate_per_minute=settings.api_key_rate_per_minute)


@handle_errors
def serve_command(
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=0, max=65535)] = 8000,
    initialise: Annotated[
        bool,
        typer.Option("--init/--no-init", help="Load the bundled reference layers first (greenbri init)."),
    ] = True,
) -> None:
    """Serve the REST API, OGC API - Features and vector tiles on the store. 启动网络服务。"""
    import uvicorn

    from greenbri.bootstrap import build_store
    from greenbri.services.api import create_app
    from greenbri.usecases.initialise import initialise_store

    settings = settings_from()
    if initialise:
        initialise_store(build_store(settings), view=settings.boundary_view)
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    console.print(f"greenbri dashboard 仪表盘: {address}/dashboard/", highlight=False)
    console.print(
        f"API: {address}/ (OGC API - Features), {address}/docs (OpenAPI), {address}/v1/datasets",
        highlight=False,
    )
    console.print(
        f"data directory 数据目录: {settings.data_dir}  (Ctrl-C to stop / 按 Ctrl-C 停止)", highlight=False
    )
    # proxy_headers=False: uvicorn would otherwise believe X-Forwarded-For from 127.0.0.1; the app
    # believes it only from GREENBRI_TRUSTED_PROXIES (services/api/app.py).
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", proxy_headers=False)


@keys_app.command("create")
@handle_errors
def create_command(
    name: Annotated[str, typer.Argument(help="Who or what the key is for.")],
    role: Annotated[str, typer.Option(help="admin, analyst, viewer or public.")] = "viewer",
    organisation: Annotated[
        str,
        typer.Option(
            help="Its organisation: a viewer, analyst reads that organisation's restricted data and jobs; "
            "a public key reads public data only."
        ),
    ] = "",
    rate: Annotated[
        int | None,
        typer.Option(help="Requests per minute (default: GREENBRI_API_KEY_RATE_PER_MINUTE, 1200)."),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Create a key; its token is printed once and never stored."""
    key, token = _key_store().create(name, role, organisation, rate)
    if json_output:
        print_json({**key.public_view(), "token": token})
        return
    console.print(f"key {key.id} ({key.role.value}{', ' + key.organisation if key.organisation else ''})")
    console.print(f"token (shown once; send it as X-API-Key): {token}", highlight=False, soft_wrap=True)


@keys_app.command("list")
@handle_errors
def list_command(json_output: JsonOption = False) -> None:
    """List the keys (never their tokens)."""
    rows = [key.public_view() for key in _key_store().all_keys()]
    if json_output:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} API keys 访问密钥",
        ["id", "name", "role", "organisation", "rate/min", "created", "revoked"],
        [
            [row["id"], row["name"], row["role"], row["organisation"], row["rate_per_minute"], row["created_at"], row["revoked_at"] or ""]
            for row in rows
        ],
    )  # fmt: skip


@keys_app.command("revoke")
@handle_errors
def revoke_command(
    key_id: Annotated[str, typer.Argument(help="The key id (from greenbri keys list).")],
) -> None:
    """Revoke a key: it is refused from the next request on."""
    key = _key_store().revoke(key_id)
    if key is None:
        raise InputError(f"There is no key {key_id!r}.", hint="run 'greenbri keys list' to see the ids.")
    console.print(f"key {key.id} revoked at {key.revoked_at}")


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``keys`` to the ``greenbri`` command."""
    app.command("serve")(serve_command)
    app.add_typer(keys_app, name="keys")
