"""``greenbri technologies import|list|search``: the green technology reserve. 绿色技术储备库。"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from greenbri.services.cli.context import settings_from
from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.output import console, print_json, print_table

app = typer.Typer(
    help="The Belt and Road green technology reserve (no entries ship; import cited ones). 绿色技术储备库。",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _catalogue() -> Any:
    from greenbri.usecases.technologies import TechnologyCatalogue

    settings = settings_from()
    return TechnologyCatalogue(settings.data_dir, lock_timeout_s=settings.lock_timeout_s)


@app.command("import")
@handle_errors
def import_command(
    path: Annotated[
        Path, typer.Argument(help="CSV, XLSX or JSON with one entry per row; 'source' is required.")
    ],
    json_output: JsonOption = False,
) -> None:
    """Import entries (all or nothing; entries with an existing id are replaced)."""
    from greenbri.usecases.technologies import import_technologies

    summary = import_technologies(_catalogue(), path)
    if json_output:
        print_json(summary.to_dict())
        return
    console.print(
        f"{summary.source}: {summary.added} added, {summary.replaced} replaced; {summary.total} in the reserve"
    )


@app.command("search")
@handle_errors
def search_command(
    query: Annotated[
        str, typer.Argument(help="Words in Chinese or English, e.g. 脱硫 or 'flue gas desulfurization'.")
    ],
    category: Annotated[str | None, typer.Option(help="Only this category code.")] = None,
    sector: Annotated[str | None, typer.Option(help="Only this sector.")] = None,
    country: Annotated[str | None, typer.Option(help="Only entries deployed in this ISO3 country.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    json_output: JsonOption = False,
) -> None:
    """Search the reserve in Chinese or English (segmentation, stemming, synonyms), best first, with facets."""
    from greenbri.usecases.technologies import search_technologies

    entries = _catalogue().entries()
    result = search_technologies(
        entries, query, category=category, sector=sector, country=country, limit=limit
    )
    if json_output:
        print_json(result.to_dict())
        return
    if not entries:
        console.print(
            "[yellow]The reserve is empty: import cited entries with 'greenbri technologies import FILE'.[/]"
        )
    print_table(
        f"{len(result.hits)} technologies for {query!r} 绿色技术",
        ["id", "name", "名称", "category", "source", "score"],
        [
            [e.id, e.name_en, e.name_zh, e.category.value, e.source, f"{score:.2f}"]
            for e, score in result.hits
        ],
    )
    for name, counts in result.facets.items():
        if counts:
            console.print(f"  {name}: " + ", ".join(f"{key} ({count})" for key, count in counts.items()))


@app.command("list")
@handle_errors
def list_command(json_output: JsonOption = False) -> None:
    """Every entry of the reserve with its source."""
    entries = _catalogue().entries()
    if json_output:
        print_json([entry.model_dump(mode="json") for entry in entries])
        return
    print_table(
        f"{len(entries)} technologies 绿色技术",
        ["id", "name", "名称", "category", "deployments", "source"],
        [[e.id, e.name_en, e.name_zh, e.category.value, ", ".join(e.deployments), e.source] for e in entries],
    )
