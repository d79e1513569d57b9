"""The CLI starts light: ``--help`` and ``datasets list`` import no heavy library (issue 21, item 1).

The guard is deterministic: a fresh interpreter runs the command and reports which modules were
imported; no wall-clock assertion. ``benchmarks/cli.py`` measures the times.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from greenbri.services.cli.lazy import LAZY_COMMANDS, load_command
from greenbri.services.cli.main import app

HEAVY = ("pandas", "geopandas", "duckdb", "psycopg", "pyogrio", "matplotlib", "weasyprint", "httpx")

_PROBE = """
import json, sys
from greenbri.services.cli.main import app
from typer.testing import CliRunner
result = CliRunner().invoke(app, sys.argv[2:])
heavy = sys.argv[1].split(",")
print(json.dumps({"code": result.exit_code, "output": result.stdout,
                  "heavy": sorted(m for m in heavy if m in sys.modules)}))
"""


def _run_fresh(arguments: list[str], data_dir: Path) -> dict[str, object]:
    environment = {**os.environ, "GREENBRI_DATA_DIR": str(data_dir), "GREENBRI_STORE": "embedded"}
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE, ",".join(HEAVY), *arguments],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        timeout=120,
    )
    result: dict[str, object] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def test_help_imports_no_heavy_library(tmp_path: Path) -> None:
    result = _run_fresh(["--help"], tmp_path)
    assert result["code"] == 0
    assert result["heavy"] == []
    for name in LAZY_COMMANDS:  # every command is still listed, with its help
        assert name in str(result["output"])


def test_datasets_list_imports_no_heavy_library(tmp_path: Path) -> None:
    result = _run_fresh(["datasets", "list", "--json"], tmp_path)
    assert result["code"] == 0, result["output"]
    assert json.loads(str(result["output"])) == []
    assert result["heavy"] == []


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_the_listed_help_is_the_commands_own(name: str) -> None:
    command = load_command(name)
    own = " ".join((command.short_help or command.help or "").split("\n\n")[0].split())
    assert LAZY_COMMANDS[name].short_help == own


def test_a_lazy_command_runs_and_an_unknown_one_is_refused() -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["datasets", "--help"])
    assert shown.exit_code == 0
    assert "import" in shown.stdout and "list" in shown.stdout
    unknown = runner.invoke(app, ["no-such-command"])
    assert unknown.exit_code == 2
    assert "No such command" in unknown.stderr


def test_print_json_writes_what_rich_wrote(capsys: pytest.CaptureFixture[str]) -> None:
    """print_json bypasses rich for speed (screen --json of large portfolios); same bytes."""
    import io

    from rich.console import Console

    from greenbri.services.cli.output import print_json

    data = {
        "名称": "湿地（拉姆萨尔）",
        "tab": "a\tb",
        "lines": "x\ny\r\n",
        "emoji": ":smile: 🌿",
        "n": [1.5, None],
    }
    reference = io.StringIO()
    Console(file=reference, soft_wrap=True).out(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str), highlight=False
    )
    print_json(data)
    assert capsys.readouterr().out == reference.getvalue()
