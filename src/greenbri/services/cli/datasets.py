"""``greenbri datasets ...``: list, show, versions, import, fetch, export, delete, sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from greenbri.core.catalog import (
    AccessLevel,
    Bilingual,
    DatasetKind,
    Licence,
    ReceptorRole,
    SourceInfo,
    Theme,
)
from greenbri.core.errors import InputError
from greenbri.services.cli.context import open_store, settings_from
from greenbri.services.cli.errors import handle_errors
from greenbri.services.cli.options import SkipBadRowsOption
from greenbri.services.cli.output import console, print_json, print_table
from greenbri.usecases.catalog_views import dataset_summary, record_detail, version_rows

if TYPE_CHECKING:
    from greenbri.usecases.datasets import DatasetMetadata

# The readers, sources and export (pandas, geopandas, httpx) are imported inside the commands that use
# them, so that ``datasets list`` starts fast.

app = typer.Typer(help="Manage the dataset catalog. 管理数据集目录。", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
LanguageOption = Annotated[str, typer.Option("--language", "-l", help="Language of titles: en or zh.")]


@app.command("list")
@handle_errors
def list_command(
    json_output: JsonOption = False,
    theme: Annotated[Theme | None, typer.Option(help="Only this theme.")] = None,
    language: LanguageOption = "en",
) -> None:
    """List datasets with their latest version. 列出数据集。"""
    store = open_store()
    rows = [
        dataset_summary(record) for record in store.list_datasets() if theme is None or record.theme is theme
    ]
    if json_output:
        print_json(rows)
        return
    print_table(
        f"{len(rows)} datasets in {store.data_dir}",
        ["id", "title", "kind", "theme", "receptor", "version", "features", "access"],
        [
            [
                row["id"],
                row["title"]["zh" if language.startswith("zh") else "en"] or row["title"]["en"],
                row["kind"],
                row["theme"],
                row["receptor_role"],
                row["latest_version"],
                row["feature_count"],
                row["access"],
            ]
            for row in rows
        ],
    )


@app.command("show")
@handle_errors
def show_command(
    dataset_id: str,
    version: Annotated[int | None, typer.Option(help="Version number (default: latest).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Show a dataset's metadata, provenance and schema. 显示数据集详情。"""
    detail = record_detail(open_store().get(dataset_id), version)
    if json_output:
        print_json(detail)
        return
    chosen = detail["version"]
    console.print(f"[bold]{detail['id']}[/]  {detail['title']['en']} / {detail['title']['zh']}")
    for key in ("kind", "theme", "receptor_role", "access"):
        console.print(f"  {key}: {detail[key]}")
    console.print(
        f"  source: {detail['source']['publisher']} {detail['source']['url']} {detail['source']['upstream_version']}"
    )
    console.print(f"  licence: {detail['licence']['name']} — {detail['licence']['attribution']}")
    if chosen:
        provenance = chosen["provenance"]
        console.print(
            f"  version {chosen['number']}: {chosen['feature_count']} features, recorded {provenance['recorded_at']} "
            f"by '{provenance['command']}', sha256 {provenance['input_sha256'][:16]}…"
        )
        console.print(
            f"  spatial extent: {chosen['spatial_extent']}  temporal extent: {chosen['temporal_extent']}"
        )
        print_table(
            "schema", ["column", "type"], [[field["name"], field["type"]] for field in chosen["schema"]]
        )
        for warning in chosen["warnings"]:
            console.print(f"  [yellow]warning[/]: {warning}")
        if chosen["repairs"]:
            console.print(f"  {len(chosen['repairs'])} features were repaired on import (see --json).")


@app.command("versions")
@handle_errors
def versions_command(dataset_id: str, json_output: JsonOption = False) -> None:
    """List the versions of a dataset. 列出数据集版本。"""
    rows = version_rows(open_store().get(dataset_id))
    if json_output:
        print_json(rows)
        return
    print_table(
        f"versions of {dataset_id}",
        ["version", "recorded at", "features", "input", "sha256", "command"],
        [
            [
                r["number"],
                r["recorded_at"],
                r["feature_count"],
                r["input_name"],
                r["input_sha256"][:12],
                r["command"],
            ]
            for r in rows
        ],
    )


def _parse_pairs(values: list[str] | None, what: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values or []:
        if "=" not in value:
            raise InputError(
                f"{what} {value!r} is not of the form key=value.", hint=f"write e.g. --{what} NAME=nom."
            )
        key, _, target = value.partition("=")
        pairs[key.strip()] = target.strip()
    return pairs


def _bilingual(en: str | None, zh: str | None) -> Bilingual | None:
    return Bilingual(en or "", zh or "") if (en or zh) else None


def _metadata(dataset_id: str, **values: Any) -> DatasetMetadata:
    """Metadata from the options actually given; the rest keeps what the catalog holds."""
    from greenbri.usecases.datasets import DatasetMetadata

    source_values = (values["source_url"], values["publisher"], values["upstream_version"])
    licence_values = (values["licence"], values["licence_url"], values["attribution"])
    return DatasetMetadata(
        dataset_id=dataset_id,
        title=_bilingual(values["title_en"], values["title_zh"]),
        description=_bilingual(values["description_en"], values["description_zh"]),
        kind=values["kind"],
        theme=values["theme"],
        receptor_role=values["receptor_role"],
        source=SourceInfo(*(value or "" for value in source_values)) if any(source_values) else None,
        licence=Licence(licence_values[0] or "unknown", licence_values[1] or "", licence_values[2] or "")
        if any(licence_values)
        else None,
        access=values["access"],
        organisation=values["organisation"],
        coverage=tuple(code.strip() for code in values["coverage"].split(",") if code.strip())
        if values["coverage"]
        else None,
    )


@app.command("import")
@handle_errors
def import_command(
    paths: Annotated[
        list[Path], typer.Argument(help="File(s): GeoJSON(.gz), GPKG, SHP/ZIP, FGB, (Geo)Parquet, CSV, XLSX.")
    ],
    dataset_id: Annotated[str, typer.Option("--id", help="Dataset id, e.g. 'ramsar-ukraine'.")],
    title_en: Annotated[str | None, typer.Option(help="English title.")] = None,
    title_zh: Annotated[str | None, typer.Option(help="Chinese title 中文标题.")] = None,
    description_en: Annotated[str | None, typer.Option()] = None,
    description_zh: Annotated[str | None, typer.Option()] = None,
    kind: Annotated[DatasetKind | None, typer.Option(help="Force the kind (default: detected).")] = None,
    theme: Annotated[Theme | None, typer.Option()] = None,
    receptor_role: Annotated[ReceptorRole | None, typer.Option(help="Role when screening projects.")] = None,
    source_url: Annotated[str | None, typer.Option()] = None,
    publisher: Annotated[str | None, typer.Option()] = None,
    upstream_version: Annotated[str | None, typer.Option()] = None,
    licence: Annotated[str | None, typer.Option()] = None,
    licence_url: Annotated[str | None, typer.Option()] = None,
    attribution: Annotated[str | None, typer.Option()] = None,
    access: Annotated[AccessLevel | None, typer.Option()] = None,
    organisation: Annotated[str | None, typer.Option()] = None,
    coverage: Annotated[
        str | None,
        typer.Option(help="Where the dataset is complete: 'global', ISO3 codes (comma-separated) or 'none'."),
    ] = None,
    input_format: Annotated[str | None, typer.Option("--format", help="Force the input format.")] = None,
    layer: Annotated[
        str | None, typer.Option(help="Layer of a GeoPackage or file geodatabase, or XLSX sheet.")
    ] = None,
    encoding: Annotated[str | None, typer.Option(help="Text encoding (default: detected).")] = None,
    crs: Annotated[str | None, typer.Option(help="CRS when the file declares none, e.g. EPSG:4326.")] = None,
    lon: Annotated[str | None, typer.Option(help="Longitude column of a table.")] = None,
    lat: Annotated[str | None, typer.Option(help="Latitude column of a table.")] = None,
    wkt: Annotated[str | None, typer.Option(help="WKT geometry column of a table.")] = None,
    column_map: Annotated[
        list[str] | None, typer.Option("--map", help="Rename a column: SOURCE=TARGET.")
    ] = None,
    id_column: Annotated[str | None, typer.Option(help="Column whose values must be unique.")] = None,
    country_column: Annotated[str | None, typer.Option(help="ISO3 country column (checks lon/lat).")] = None,
    allow_missing_geometry: Annotated[
        bool, typer.Option(help="Keep rows or features without a geometry (with a warning).")
    ] = False,
    skip_bad_rows: SkipBadRowsOption = False,
    json_output: JsonOption = False,
) -> None:
    """Import files as a new version of a dataset (all or nothing). 导入数据集。"""
    metadata = _metadata(**locals())  # before the imports below, which would add to locals()
    from greenbri.bootstrap import read_options
    from greenbri.services.cli.progress import stage_progress
    from greenbri.usecases.datasets import import_dataset

    settings = settings_from()
    store = open_store(settings)
    options = read_options(
        settings,
        format=input_format,
        layer=layer,
        encoding=encoding,
        source_crs=crs,
        lon_column=lon,
        lat_column=lat,
        wkt_column=wkt,
        column_mapping=_parse_pairs(column_map, "map"),
        id_column=id_column,
        country_column=country_column,
        allow_missing_geometry=allow_missing_geometry or None,
        skip_bad_rows=skip_bad_rows or None,
    )
    command = "greenbri datasets import " + " ".join(path.name for path in paths)
    with stage_progress(quiet=json_output) as report:
        outcome = import_dataset(store, paths, metadata, options, command=command, progress=report)
    _print_outcome(outcome, json_output)


def _print_outcome(outcome: Any, json_output: bool) -> None:
    if json_output:
        print_json(outcome.to_dict())
        return
    verb = "imported as" if outcome.created else "unchanged: same input as"
    console.print(
        f"[green]{outcome.record.id}[/] {verb} version {outcome.version.number} "
        f"({outcome.version.feature_count} features)."
    )
    for repair in outcome.repairs[:20]:
        console.print(
            f"  [yellow]repaired[/] feature {repair.feature} {repair.feature_id}: {repair.problem} -> {repair.action}"
        )
    if len(outcome.repairs) > 20:
        console.print(f"  … and {len(outcome.repairs) - 20} more repairs (see --json).")
    for warning in outcome.warnings:
        console.print(f"  [yellow]warning[/]: {warning}")


@app.command("sources")
@handle_errors
def sources_command(json_output: JsonOption = False) -> None:
    """List the upstream sources 'fetch' knows. 列出数据源。"""
    from greenbri.adapters.sources import list_connectors

    rows = [
        {"name": connector.name, "en": connector.summary.en, "zh": connector.summary.zh}
        for connector in list_connectors()
    ]
    if json_output:
        print_json(rows)
        return
    print_table(
        "sources", ["name", "description", "说明"], [[row["name"], row["en"], row["zh"]] for row in rows]
    )


@app.command("fetch")
@handle_errors
def fetch_command(
    source: Annotated[str, typer.Argument(help="Source name; see 'greenbri datasets sources'.")],
    option: Annotated[
        list[str] | None, typer.Option("--option", "-o", help="Source option KEY=VALUE.")
    ] = None,
    dataset_id: Annotated[str | None, typer.Option("--id", help="Store under this id instead.")] = None,
    access: Annotated[AccessLevel | None, typer.Option()] = None,
    upstream_fallback: Annotated[
        bool, typer.Option(help="When the mirror lacks the file, download it from upstream.")
    ] = False,
    refresh: Annotated[bool, typer.Option(help="Download again even if the cache holds the file.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Fetch a dataset from its upstream source (or GREENBRI_MIRROR) and import it. 获取数据。"""
    from greenbri.adapters.sources import get_connector
    from greenbri.bootstrap import build_fetch_context
    from greenbri.services.cli.progress import byte_progress
    from greenbri.usecases.datasets import fetch_dataset

    settings = settings_from()
    store = open_store(settings)
    connector = get_connector(source)
    with byte_progress(quiet=json_output) as (on_bytes, report):
        context = build_fetch_context(
            settings,
            _parse_pairs(option, "option"),
            progress=on_bytes,
            upstream_fallback=upstream_fallback,
            refresh=refresh,
        )
        outcome = fetch_dataset(
            store, connector, context, overrides={"dataset_id": dataset_id, "access": access}, progress=report
        )
    _print_outcome(outcome, json_output)


@app.command("export")
@handle_errors
def export_command(
    dataset_id: str,
    destination: Annotated[Path, typer.Argument(help="File to write.")],
    export_format: Annotated[
        str | None, typer.Option("--format", help="geojson, geoparquet or csv (default: from the file name).")
    ] = None,
    version: Annotated[int | None, typer.Option(help="Version number (default: latest).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Export a dataset version to GeoJSON, GeoParquet or CSV. 导出数据集。"""
    from greenbri.usecases.export import export_dataset, format_for

    path = export_dataset(open_store(), dataset_id, destination, export_format, version)
    if json_output:
        print_json({"dataset_id": dataset_id, "path": str(path), "format": format_for(path, export_format)})
    else:
        console.print(f"wrote {path}")


@app.command("delete")
@handle_errors
def delete_command(
    dataset_id: str,
    version: Annotated[int | None, typer.Option(help="Delete only this version.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Delete a dataset or one of its versions. 删除数据集。"""
    store = open_store()
    store.get(dataset_id)
    what = (
        f"version {version} of {dataset_id}"
        if version is not None
        else f"dataset {dataset_id} and all its versions"
    )
    if not yes and not typer.confirm(f"Delete {what}?", err=True):
        raise typer.Exit(1)
    remaining = store.delete(dataset_id, version)
    if json_output:
        print_json(
            {
                "deleted": what,
                "remaining_versions": [v.number for v in remaining.versions] if remaining else [],
            }
        )
    else:
        console.print(f"deleted {what}")
