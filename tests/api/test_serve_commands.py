"""``greenbri keys create|list|revoke`` and ``greenbri serve --help`` through Typer's CliRunner."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from greenbri.services.cli import serve_commands


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """greenbri"""

    serve_commands.register(app)
    return app


def test_keys_create_list_revoke(data_dir) -> None:
    runner, app = CliRunner(), _app()
    created = runner.invoke(
        app, ["keys", "create", "ops", "--role", "analyst", "--organisation", "org-x", "--json"]
    )
    assert created.exit_code == 0, created.output
    key = json.loads(created.output)
    assert key["token"].startswith(f"gb_{key['id']}_") and key["organisation"] == "org-x"
    listed = runner.invoke(app, ["keys", "list", "--json"])
    assert key["id"] in listed.output and key["token"] not in listed.output
    assert runner.invoke(app, ["keys", "revoke", key["id"]]).exit_code == 0
    assert json.loads(runner.invoke(app, ["keys", "list", "--json"]).output)[0]["revoked_at"]
    assert runner.invoke(app, ["keys", "revoke", "nope"]).exit_code == 2
    assert runner.invoke(app, ["keys", "create", "x", "--role", "emperor"]).exit_code == 2


def test_a_new_key_takes_its_rate_from_the_setting(data_dir, monkeypatch) -> None:
    monkeypatch.setenv("GREENBRI_API_KEY_RATE_PER_MINUTE", "5")
    runner, app = CliRunner(), _app()
    created = runner.invoke(app, ["keys", "create", "probe", "--json"])
    assert created.exit_code == 0, created.output
    assert json.loads(created.output)["rate_per_minute"] == 5
    explicit = runner.invoke(app, ["keys", "create", "fast", "--rate", "50", "--json"])
    assert json.loads(explicit.output)["rate_per_minute"] == 50


def test_serve_has_host_and_port() -> None:
    result = CliRunner().invoke(_app(), ["serve", "--help"])
    assert result.exit_code == 0 and "--host" in result.output and "--port" in result.output
