"""``greenbri indicators|profile|targets|index``: country indicators, profiles, targets and the composite index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from greenbri.adapters.indicators.store import IndicatorStore
from greenbri.core.errors import InputError
from greenbri.services.cli.context import settings_from
from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.options import SkipBadRowsOption
from greenbri.services.cli.output import console, print_json, print_table
from greenbri.services.cli.progress import stage_progress, task_progress
from greenbri.usecases.indicators.composite_index import compute_index
from greenbri.usecases.indicators.ingest import indicator_files, ingest_file
from greenbri.usecases.indicators.listing import indicator_detail, indicator_rows
from greenbri.usecases.indicators.profiles import build_profile, profile_context, world_series
from greenbri.usecases.indicators.tracking import evaluate_targets, list_targets

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
LanguageOption = Annotated[str, typer.Option("--lang", "-l", help="Language: en or zh.")]

indicators_app = typer.Typer(help="Country indicators: ingest, list, show. 国家指标。", no_args_is_help=True)
targets_app = typer.Typer(help="Policy targets and progress. 政策目标及进展。", no_args_is_help=True)
index_app = typer.Typer(
    help="The composite eco-environmental index. 生态环境综合指数。", no_args_is_help=True
)


def _store() -> IndicatorStore:
    settings = settings_from()
    return IndicatorStore(settings.data_dir, lock_timeout_s=settings.lock_timeout_s)


def _pick(text: dict[str, str], language: str) -> str:
    return text.get("zh" if language.startswith("zh") else "en") or text.get("en", "")


@indicators_app.command("ingest")
@handle_errors
def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Indicator files or folders.")],
    mapping: Annotated[
        Path | None, typer.Option(help="JSON mapping for a plain CSV (one file only).")
    ] = None,
    format: Annotated[
        str | None, typer.Option("--format", help="Force a format (default: detected).")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Text encoding of the CSV files, e.g. gbk (default: detected).")
    ] = None,
    skip_bad_rows: SkipBadRowsOption = False,
    allow_shrink: Annotated[
        bool,
        typer.Option(
            "--allow-shrink",
            help="Accept a new copy of a source that drops most of its stored rows (refused by default).",
        ),
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Ingest indicator files (OWID, World Bank, SDMX, OECD, by-name, mapped). 导入指标文件。"""
    files = indicator_files(paths)
    if mapping is not None and len(files) != 1:
        raise InputError("--mapping applies to exactly one file.", hint="ingest mapped files one at a time.")
    store = _store()
    results: list[dict[str, Any]] = []
    with task_progress(len(files), quiet=json_output) as advance:
        for path in files:
            results.append(
                ingest_file(
                    store,
                    path,
                    mapping_path=mapping,
                    format=format,
                    encoding=encoding,
                    skip_bad_rows=skip_bad_rows,
                    allow_shrink=allow_shrink,
                )
            )
            advance(path.name)
    if json_output:
        print_json(results)
        return
    print_table(
        f"{len(results)} files",
        ["file", "status", "values", "indicators", "countries", "aggregates", "unknown names"],
        [
            [
                r.get("file") if r.get("same_content_as") else r.get("source_file", r.get("file")),
                r["status"],
                r.get("rows"),
                ", ".join(r.get("indicators", [])),
                (r.get("entities") or {}).get("country"),
                (r.get("entities") or {}).get("aggregate"),
                len(r.get("unknown_entities", [])),
            ]
            for r in results
        ],
    )
    for r in results:
        if r.get("same_content_as"):
            console.print(f"  {r['file']}: the same bytes as {r['same_content_as']}, already stored.")
        for note in r.get("notes", []) if r["status"] == "ingested" else []:
            console.print(f"  [yellow]note[/]: {note}", highlight=False)


@indicators_app.command("list")
@handle_errors
def list_command(json_output: JsonOption = False, language: LanguageOption = "en") -> None:
    """List the indicator catalog and the data held for each. 列出指标。"""
    rows = indicator_rows(_store())
    if json_output:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} indicators",
        ["id", "name", "unit", "better", "SDG", "countries", "years"],
        [
            [
                r["id"],
                _pick(r["name"], language),
                r["unit"],
                r["better"],
                r["sdg"] or "",
                r["countries"],
                r["years"] or "NO DATA",
            ]
            for r in rows
        ],
    )


@indicators_app.command("show")
@handle_errors
def show_command(
    indicator_id: str,
    country: Annotated[str | None, typer.Option(help="ISO3: print its series.")] = None,
    json_output: JsonOption = False,
    language: LanguageOption = "en",
) -> None:
    """Show an indicator's definition, sources and coverage. 显示指标详情。"""
    detail = indicator_detail(_store(), indicator_id, country)
    if json_output:
        print_json(detail)
        return
    console.print(f"[bold]{detail['id']}[/]  {_pick(detail['name'], language)}  ({detail['unit']})")
    console.print(f"  {_pick(detail['definition'], language)}")
    console.print(f"  source: {detail['source']}  licence: {detail['licence']}  SDG: {detail['sdg'] or '—'}")
    console.print(
        f"  data: {detail['countries']} countries, {detail['aggregates']} aggregates, years {detail['years'] or 'NO DATA'}"
    )
    for version in detail["source_versions"]:
        console.print(f"  from: {version}")
    if detail.get("series"):
        print_table(f"{country}", ["year", "value"], detail["series"])


def profile_command(
    countries: Annotated[
        list[str], typer.Argument(help="ISO3 codes, or 'all' for every partner country with data.")
    ],
    language: LanguageOption = "en",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Folder for JSON, HTML and PDF files.")
    ] = None,
    formats: Annotated[str, typer.Option(help="Comma-separated: json,html,pdf.")] = "json,html,pdf",
    group: Annotated[str, typer.Option(help="Group to rank within.")] = "bri_partners",
    json_output: JsonOption = False,
) -> None:
    """Country environmental profile(s). 国家生态环境概况。"""
    # The report renderer (matplotlib, WeasyPrint) loads only when a profile is written.
    from greenbri.usecases.indicators.profile_report import write_profile

    store = _store()
    with stage_progress(quiet=json_output) as stage:
        stage("loading indicators")
        context = profile_context(store, group_id=group)
    codes = (
        [c for c in context["group"].codes if c in context["by_country"]]
        if countries == ["all"]
        else countries
    )
    profiles = []
    written = []
    with task_progress(len(codes), quiet=json_output) as advance:
        for code in codes:
            profile = build_profile(context, code)
            profiles.append(profile)
            if output is not None:
                written.append(
                    write_profile(
                        profile,
                        output,
                        language=language,
                        world_series=world_series(context),
                        formats=tuple(f.strip() for f in formats.split(",") if f.strip()),
                    )
                )
            advance(code)
    if json_output:
        print_json(profiles if len(profiles) != 1 else profiles[0])
        return
    for profile in profiles:
        console.print(
            f"[bold]{_pick(profile['country']['name'], language)}[/] ({profile['country']['iso3']})"
        )
        console.print(profile["summary"]["zh" if language.startswith("zh") else "en"])
    for files in written:
        console.print("  wrote " + ", ".join(files.values()))


@targets_app.command("list")
@handle_errors
def targets_list_command(json_output: JsonOption = False, language: LanguageOption = "en") -> None:
    """List the seed policy targets with their citations. 列出政策目标。"""
    rows = list_targets()
    if json_output:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} targets",
        ["id", "target", "indicator", "year", "comparator", "value", "uncertain", "source"],
        [
            [
                r["id"],
                _pick(r["name"], language),
                r["indicator"],
                r["target_year"],
                r["comparator"] + (f" ({r['qualifier']})" if r["qualifier"] else ""),
                r["target_value"],
                "yes" if r["uncertain"] else "",
                f"{_pick(r['citation']['title'], language)} {r['citation']['date']}",
            ]
            for r in rows
        ],
    )


@targets_app.command("evaluate")
@handle_errors
def targets_evaluate_command(
    target_ids: Annotated[list[str] | None, typer.Argument(help="Target ids (default: all).")] = None,
    no_proxy: Annotated[bool, typer.Option("--no-proxy", help="Never use proxy indicators.")] = False,
    json_output: JsonOption = False,
    language: LanguageOption = "en",
) -> None:
    """Evaluate progress towards the targets. 评估目标进展。"""
    rows = evaluate_targets(_store(), target_ids, use_proxy=not no_proxy)
    if json_output:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} targets",
        ["target", "status", "latest", "required/yr", "observed/yr", "projection", "measured by"],
        [
            [
                _pick(r["name"], language),
                r["status"],
                f"{r['latest_value']:.4g} ({r['latest_year']})"
                if r["latest_value"] is not None
                else "NO DATA",
                f"{r['required_rate_per_year']:.3g}" if r["required_rate_per_year"] is not None else "",
                f"{r['observed_rate_per_year']:.3g}" if r["observed_rate_per_year"] is not None else "",
                f"{r['projection_target_year']:.3g} [{r['projection_low_95']:.3g}, {r['projection_high_95']:.3g}]"
                if r["projection_target_year"] is not None
                else "",
                r["measured_by"],
            ]
            for r in rows
        ],
    )


@index_app.command("compute")
@handle_errors
def index_compute_command(
    group: Annotated[str, typer.Option(help="Country group.")] = "bri_partners",
    draws: Annotated[int | None, typer.Option(help="Random weight draws for the sensitivity check.")] = None,
    json_output: JsonOption = False,
    language: LanguageOption = "en",
) -> None:
    """Compute the composite index and its sensitivity to the weights. 计算综合指数。"""
    with stage_progress(quiet=json_output) as stage:
        stage("computing the index")
        result = compute_index(_store(), group_id=group, draws=draws)
    if json_output:
        print_json(result)
        return
    print_table(
        f"{result['methodology']['id']} — {group}",
        ["rank", "country", "score", "coverage"],
        [
            [
                r["rank"] or "",
                _pick(r["name"], language),
                f"{r['score']:.1f}" if r["score"] is not None else "NO DATA",
                f"{r['coverage']:.0%}",
            ]
            for r in result["countries"]
        ],
    )
    check = result["sensitivity"]
    console.print(
        f"sensitivity: Spearman median {check['random_spearman_median']:.3f}, minimum "
        f"{check['random_spearman_min']:.3f} over {check['random_draws']} random weightings (seed {check['seed']})"
    )


def register(app: typer.Typer) -> None:
    """Add the indicator, profile, target and index commands to the root ``greenbri`` app."""
    app.add_typer(indicators_app, name="indicators")
    app.command("profile")(handle_errors(profile_command))
    app.add_typer(targets_app, name="targets")
    app.add_typer(index_app, name="index")
