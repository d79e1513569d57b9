"""The docs keep up with the code: every command is in the user guide, every linked page exists."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from greenbri.services.cli.main import app

ROOT = Path(__file__).resolve().parents[2]


def command_paths(group: typer.Typer, prefix: str = "greenbri") -> list[str]:
    click_group = typer.main.get_group(group)
    context = typer.Context(click_group)
    paths = []
    for name in click_group.list_commands(context):  # loads the lazy commands (services/cli/lazy.py)
        command = click_group.get_command(context, name)
        sub = getattr(command, "commands", None)
        if sub:
            paths.extend(f"{prefix} {name} {child}" for child in sub)
        else:
            paths.append(f"{prefix} {name}")
    return sorted(paths)


def test_the_user_guide_documents_every_command() -> None:
    guide = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    paths = command_paths(app)
    assert "greenbri datasets import" in paths
    assert [path for path in paths if f"`{path}" not in guide] == []


def test_every_relative_link_in_the_readme_and_docs_resolves() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" not in target and not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert broken == []


def test_the_readme_gives_exactly_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["bash scripts/run.sh", "bash scripts/test.sh"]
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
