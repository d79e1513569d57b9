"""``greenbri species import|fetch|match|near|checklist``. 物种分布与受威胁物种。"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from greenbri.services.cli.context import open_store, settings_from
from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.output import console, print_json, print_table

app = typer.Typer(
    help="Species occurrences, threatened species near places, checklists. 物种分布记录、附近受威胁物种、物种名录。",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
DatasetIdOption = Annotated[str, typer.Option("--id", help="Catalog dataset id of the occurrence layer.")]
CoverageOption = Annotated[
    str,
    typer.Option(
        help="Where the layer is complete, so that absence of records means absence: none (a sample; the "
        "default), global, or ISO3 codes such as CHN,KAZ."
    ),
]
CommercialOption = Annotated[
    bool, typer.Option("--commercial", help="The output is for commercial use: leave out CC BY-NC records.")
]
AcceptOption = Annotated[
    list[str] | None,
    typer.Option(
        "--accept-rights",
        help="A dataset key whose free-text rights you have read and accept for this use (repeatable).",
    ),
]
DatasetsOption = Annotated[
    list[str] | None, typer.Option("--dataset", help="Use only this occurrence dataset (repeatable).")
]


def _use(commercial: bool) -> Any:
    from greenbri.core.biodiversity.licences import Use

    return Use.COMMERCIAL if commercial else Use.NON_COMMERCIAL


def _print_import(outcome: Any, json_output: bool) -> None:
    if json_output:
        print_json(outcome.to_dict())
        return
    state = "new version" if outcome.created else "unchanged (same input and options)"
    skipped = sum(1 for problem in outcome.problems if problem.fatal)
    console.print(
        f"{outcome.record.id}@v{outcome.version}: {state}; {outcome.rows_read} records read, "
        f"{outcome.imported} imported, {skipped} skipped 条记录；coverage {'/'.join(outcome.record.coverage)}"
    )
    for warning in outcome.warnings:
        console.print(f"  [yellow]{warning}[/]", highlight=False)
    if outcome.problems:
        groups: dict[tuple[str, str, bool], list[Any]] = {}
        for problem in outcome.problems:
            groups.setdefault((problem.field, problem.message, problem.fatal), []).append(problem)
        print_table(
            f"{len(outcome.problems)} record problems 记录问题 (every row: --json)",
            ["field", "problem", "result", "records", "first rows (id)"],
            [
                [
                    field,
                    message,
                    "skipped" if fatal else "value left blank",
                    len(items),
                    ", ".join(f"{p.row} ({p.record_id})" for p in items[:5])
                    + (" …" if len(items) > 5 else ""),
                ]
                for (field, message, fatal), items in groups.items()
            ],
        )
    print_table(
        "datasets cited 引用的数据集",
        ["key", "title", "licence", "citation"],
        [[d.key, d.title, d.licence_class.value, d.citation] for d in outcome.datasets],
    )


@app.command("import")
@handle_errors
def import_command(
    path: Annotated[
        Path, typer.Argument(help="A Darwin Core Archive (.zip), e.g. a GBIF occurrence download.")
    ],
    dataset_id: DatasetIdOption = "species-occurrences",
    coverage: CoverageOption = "none",
    json_output: JsonOption = False,
) -> None:
    """Import a Darwin Core Archive as a versioned occurrence layer; records that cannot be placed are listed."""
    from greenbri.usecases.species import coverage_from_text, import_occurrences

    outcome = import_occurrences(open_store(), path, dataset_id, coverage=coverage_from_text(coverage))
    _print_import(outcome, json_output)


@app.command("fetch")
@handle_errors
def fetch_command(
    taxon: Annotated[int | None, typer.Option(help="GBIF taxon key (see 'greenbri species match').")] = None,
    name: Annotated[
        str | None, typer.Option(help="A scientific name, matched against the GBIF backbone.")
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code, e.g. KZ.")] = None,
    geometry: Annotated[
        str | None, typer.Option(help="WKT polygon (counter-clockwise), as GBIF wants it.")
    ] = None,
    max_records: Annotated[int, typer.Option(help="Stop after this many records (and say so).")] = 10_000,
    dataset_id: DatasetIdOption = "species-occurrences",
    coverage: CoverageOption = "none",
    json_output: JsonOption = False,
) -> None:
    """Search GBIF occurrences (paged to the end) and store them as a version of an occurrence layer."""
    from greenbri.bootstrap import build_gbif_api
    from greenbri.usecases.species import coverage_from_text, fetch_occurrences

    api = build_gbif_api(settings_from())
    if name:
        match = api.match_species(name)
        if not match.matched:
            raise typer.BadParameter(
                f"GBIF's backbone has no match for {name!r} (matchType {match.match_type})."
            )
        taxon = match.usage_key
    outcome = fetch_occurrences(
        open_store(),
        api,
        dataset_id,
        taxon_key=taxon,
        country=country,
        geometry=geometry,
        max_records=max_records,
        coverage=coverage_from_text(coverage),
    )
    _print_import(outcome, json_output)


@app.command("match")
@handle_errors
def match_command(name: str, json_output: JsonOption = False) -> None:
    """Match a scientific name against the GBIF backbone taxonomy."""
    from greenbri.bootstrap import build_gbif_api

    match = build_gbif_api(settings_from()).match_species(name)
    if json_output:
        print_json(match.to_dict())
        return
    fields = match.to_dict()
    print_table(f"GBIF backbone match for {name!r}", ["field", "value"], [[k, v] for k, v in fields.items()])


@app.command("redlist")
@handle_errors
def redlist_command(
    name: str,
    token: Annotated[
        str | None, typer.Option(help="IUCN Red List API token (default: $GREENBRI_IUCN_API_TOKEN).")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """The current IUCN Red List category and assessment date of a species (API v4, token)."""
    import os

    from greenbri.adapters.sources.iucn import IUCN_TOKEN_VARIABLE
    from greenbri.bootstrap import build_iucn_api

    status = build_iucn_api(settings_from(), token or os.environ.get(IUCN_TOKEN_VARIABLE, "")).status(name)
    if json_output:
        print_json(status.to_dict())
        return
    fields = status.to_dict()
    print_table(f"IUCN Red List: {name}", ["field", "value"], [[k, v] for k, v in fields.items()])


def _point(text: str) -> Any:
    import shapely

    try:
        lon, lat = (float(part) for part in text.split(","))
    except ValueError:
        raise typer.BadParameter(
            f"--point {text!r} is not LON,LAT in decimal degrees, e.g. 71.45,51.17."
        ) from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise typer.BadParameter(f"--point {text!r}: longitude must be -180..180 and latitude -90..90.")
    return shapely.Point(lon, lat)


def _places(point: str | None, country: str | None, projects: Path | None, preset: str | None) -> Any:
    if point:
        if not country:
            raise typer.BadParameter(
                "--point needs --country (ISO3), which decides whether a layer is complete there."
            )
        return [("point", _point(point), country.upper())], []
    if projects is None:
        raise typer.BadParameter("give --point LON,LAT --country ISO3, or --projects FILE.")
    from greenbri.usecases.project_inputs import read_projects

    read = read_projects(projects, preset=preset)
    places = [(item.id, item.geometry, item.country) for item in read.projects if item.geometry is not None]
    return places, read.failures


def _label(key: str) -> str:
    """The catalogue's English and Chinese label (the report catalogue: one word everywhere)."""
    from greenbri.usecases.reports.messages import MESSAGES

    text = MESSAGES[key]
    return f"{text.en} {text.zh}"


def _species_rows(items: Any) -> list[list[Any]]:
    return [
        [
            item.name,
            _label(f"red_list.{item.category}") if item.category else "—",
            f"{item.nearest_m / 1000:.2f}",
            item.record_count,
            f"{item.first_year or '?'}–{item.last_year or '?'}",
            "" if item.max_uncertainty_m is None else f"≤{item.max_uncertainty_m:g}",
        ]
        for item in items
    ]


@app.command("near")
@handle_errors
def near_command(
    point: Annotated[str | None, typer.Option(help="LON,LAT of a site.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO3 country of the site.")] = None,
    projects: Annotated[Path | None, typer.Option(help="A projects file, as for 'greenbri screen'.")] = None,
    preset: Annotated[
        str | None, typer.Option(help="A projects file preset, as for 'greenbri screen'.")
    ] = None,
    commercial: CommercialOption = False,
    accept_rights: AcceptOption = None,
    dataset: DatasetsOption = None,
    json_output: JsonOption = False,
) -> None:
    """Threatened species (CR/EN/VU; NT/DD apart) recorded near a site or each project, with the rules' effect."""
    from greenbri.usecases.species_near import species_near

    places, failures = _places(point, country, projects, preset)
    result = species_near(
        open_store(),
        [geometry for _, geometry, _ in places],
        [code for _, _, code in places],
        use=_use(commercial),
        accepted_datasets=set(accept_rights or ()),
        dataset_ids=dataset or None,
    )
    if json_output:
        data = result.to_dict()
        for entry, (place_id, _, code) in zip(data["places"], places, strict=True):
            entry.update({"id": place_id, "country": code})
        data["failures"] = [failure.to_dict() for failure in failures]
        print_json(data)
        return
    for (place_id, _, code), screening in zip(places, result.screenings, strict=True):
        console.print(
            f"[bold]{place_id}[/] ({code}): {_label('species.part')} "
            f"[bold]{_label('class.' + screening.risk_class.value)}[/] within {screening.search_buffer_m / 1000:g} km; "
            f"layers {', '.join(screening.layers) or 'none'}",
            highlight=False,
        )
        columns = ["species", "category", "nearest km", "records", "years", "uncertainty m"]
        print_table(_label("species.threatened"), columns, _species_rows(screening.threatened))
        if screening.listed_apart:
            print_table(_label("species.listed_apart"), columns, _species_rows(screening.listed_apart))
        console.print(f"  {_label('species.other')}: {screening.other_species}", highlight=False)
        for rule in screening.triggered:
            console.print(f"  → {rule.next_step.en} / {rule.next_step.zh}", highlight=False)
            for citation in rule.citations:
                console.print(f"    {citation.text()} [{citation.certainty.value}]", highlight=False)
        for note in screening.notes:
            console.print(f"  [yellow]{note}[/]", highlight=False)
    _print_sources(result.sources)
    for failure in failures:
        console.print(
            f"  [yellow]row {failure.row}[/] {failure.project_id}: {failure.message}", highlight=False
        )


def _print_sources(sources: Any) -> None:
    print_table(
        _label("species.sources"),
        ["dataset key", "title", "licences", "citation"],
        [[s["key"], s["title"], ", ".join(s["licences"]), s["citation"]] for s in sources],
    )


@app.command("checklist")
@handle_errors
def checklist_command(
    country: Annotated[str, typer.Argument(help="ISO3 or ISO2 country code.")],
    commercial: CommercialOption = False,
    accept_rights: AcceptOption = None,
    dataset: DatasetsOption = None,
    json_output: JsonOption = False,
) -> None:
    """Species recorded in a country, most threatened first, with the datasets and licences to cite."""
    from greenbri.usecases.species_near import checklist

    listing = checklist(
        open_store(),
        country,
        use=_use(commercial),
        accepted_datasets=set(accept_rights or ()),
        dataset_ids=dataset or None,
    )
    if json_output:
        print_json(listing.to_dict())
        return
    print_table(
        f"species recorded in {listing.country} 物种名录 ({len(listing.species)})",
        ["species", "category", "records", "years"],
        [
            [
                s["name"],
                s["red_list_category"] or "—",
                s["record_count"],
                f"{s['first_year'] or '?'}–{s['last_year'] or '?'}",
            ]
            for s in listing.species
        ],
    )
    if listing.excluded_by_licence:
        console.print(
            f"[yellow]{listing.excluded_by_licence} record(s) left out: their licence does not permit this use "
            "(free-text rights: read them and pass --accept-rights KEY).[/]",
            highlight=False,
        )
    _print_sources(listing.sources)
