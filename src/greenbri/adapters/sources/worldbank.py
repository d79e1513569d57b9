"""World Bank Indicators API v2 (World Development Indicators and other sources), CC BY 4.0.

``https://api.worldbank.org/v2/country/all/indicator/{code}?format=json&per_page=1000&page=N``
answers with a two-element JSON array: paging metadata
(``{"page", "pages", "per_page", "total", "sourceid", "lastupdated"}``) and the rows::

    {"indicator": {"id": "EN.ATM.PM25.MC.M3", "value": "PM2.5 air pollution, ..."},
     "country": {"id": "1W", "value": "World"}, "countryiso3code": "WLD",
     "date": "2017", "value": 45.5, "unit": "", "obs_status": "", "decimal": 1}

On errors it answers ``[{"message": [{"id": "120", "key": "Invalid value", "value": "..."}]}]``.
The connector follows every page and writes the rows to one CSV in the cache with
the columns of :data:`CSV_COLUMNS`.

With a mirror it looks for ``worldbank/{code}.json`` (the saved pages: a list of
page responses, or one response) and for ``indicators/{code}.csv`` or a file named
in :data:`MIRRORED_INDICATORS` (e.g. ``indicators/pm25-air-pollution.csv``, a
``Country Name, Country Code, Year, <value>`` table), and converts it to the same CSV.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from greenbri.adapters.readers.base import ReadOptions
from greenbri.adapters.sources._obtain import licence_cc_by
from greenbri.adapters.sources.base import DatasetDefaults, FetchedInput
from greenbri.adapters.sources.context import FetchContext
from greenbri.adapters.stores.files import renamed_into_place
from greenbri.core.catalog import Bilingual, DatasetKind, SourceInfo, Theme
from greenbri.core.errors import ConfigurationError, MirrorMissingError, SourceError

__all__ = [
    "CSV_COLUMNS",
    "MIRRORED_INDICATORS",
    "WORLD_BANK_CONNECTOR",
    "IndicatorInfo",
    "WorldBankConnector",
    "rows_from_pages",
]

API_URL = "https://api.worldbank.org/v2/country/{country}/indicator/{code}"
PUBLISHER = "The World Bank"
CSV_COLUMNS = (
    "country_iso3",
    "country_name",
    "indicator_id",
    "indicator_name",
    "year",
    "value",
    "unit",
    "obs_status",
    "decimal",
)
_CODE = re.compile(r"^[A-Z0-9]+(?:[._][A-Z0-9]+)*$")
_COUNTRY = re.compile(r"^[A-Za-z0-9]{2,3}(?:;[A-Za-z0-9]{2,3})*$")
_DATE = re.compile(r"^\d{4}(?::\d{4})?$")


@dataclass(frozen=True)
class IndicatorInfo:
    """What greenbri knows about an indicator without asking the API."""

    name: str
    name_zh: str
    theme: Theme
    #: File stems under ``indicators/`` in the mirror that hold this indicator.
    mirror_files: tuple[str, ...] = ()


MIRRORED_INDICATORS: dict[str, IndicatorInfo] = {
    "EN.ATM.PM25.MC.M3": IndicatorInfo(
        name="PM2.5 air pollution, mean annual exposure (micrograms per cubic meter)",
        name_zh="PM2.5 空气污染，年均暴露浓度（微克/立方米）",
        theme=Theme.AIR,
        mirror_files=("pm25-air-pollution",),
    ),
    "ER.LND.PTLD.ZS": IndicatorInfo(
        name="Terrestrial protected areas (% of total land area)",
        name_zh="陆地保护区（占国土面积的百分比）",
        theme=Theme.PROTECTED_AREAS,
        mirror_files=("terrestrial-protected-areas",),
    ),
}


def rows_from_pages(pages: Iterable[Any], url: str) -> tuple[list[dict[str, Any]], str]:
    """CSV rows (:data:`CSV_COLUMNS`) and ``lastupdated`` from API v2 page responses."""
    rows: list[dict[str, Any]] = []
    last_updated = ""
    for page in pages:
        meta, items = _split_page(page, url)
        last_updated = str(meta.get("lastupdated") or last_updated)
        rows.extend(_row(item) for item in items)
    return rows, last_updated


def _split_page(page: Any, url: str) -> tuple[Mapping[str, Any], list[Mapping[str, Any]]]:
    """(paging metadata, rows) of one response; SourceError for API errors and other shapes."""
    if isinstance(page, list) and page and isinstance(page[0], Mapping) and "message" in page[0]:
        messages = page[0]["message"]
        if isinstance(messages, Mapping):
            messages = [messages]
        text = "; ".join(
            f"{item.get('key', '')} (id {item.get('id', '?')}): {item.get('value', '')}".strip()
            for item in messages
            if isinstance(item, Mapping)
        )
        raise SourceError(
            f"The World Bank API rejected {url}: {text or page[0]!r}.",
            hint="check the indicator code (e.g. EN.ATM.PM25.MC.M3; search "
            "https://data.worldbank.org/indicator) and the country and date options.",
        )
    if not (isinstance(page, list) and len(page) == 2 and isinstance(page[0], Mapping)):
        raise SourceError(
            f"The World Bank API answered {url} with an unexpected shape: {str(page)[:200]}.",
            hint="the API may have changed; report it, or use a mirror copy (worldbank/<code>.json).",
        )
    items = page[1] if isinstance(page[1], list) else []
    return page[0], [item for item in items if isinstance(item, Mapping)]


def _row(item: Mapping[str, Any]) -> dict[str, Any]:
    indicator = item.get("indicator") or {}
    country = item.get("country") or {}
    value = item.get("value")
    return {
        "country_iso3": item.get("countryiso3code") or "",
        "country_name": country.get("value", ""),
        "indicator_id": indicator.get("id", ""),
        "indicator_name": indicator.get("value", ""),
        "year": item.get("date", ""),
        "value": "" if value is None else value,
        "unit": item.get("unit") or "",
        "obs_status": item.get("obs_status") or "",
        "decimal": "" if item.get("decimal") is None else item.get("decimal"),
    }


def _write_csv(path: Path, rows: Iterable[Mapping[str, Any]]) -> None:
    try:
        with renamed_into_place(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)  # a row that fails leaves no temporary either
    except OSError as exc:
        raise SourceError(
            f"Cannot write {path}: {exc}.", hint="choose a writable cache directory (GREENBRI_CACHE_DIR)."
        ) from None


class WorldBankConnector:
    """One World Bank indicator for all countries (``options["indicator"]``).

    Options: ``indicator`` (required), ``country`` (default ``all``; ISO codes joined
    with ``;``), ``date`` (``2000`` or ``2000:2022``).
    """

    name = "worldbank"
    summary = Bilingual(
        en="World Bank Indicators API: one indicator for every country and year (option indicator=...)",
        zh="世界银行指标 API：某一指标的各国历年数据（indicator 选项）",
    )

    def __init__(self, *, per_page: int = 1000, max_pages: int = 1000) -> None:
        self.per_page = per_page
        self.max_pages = max_pages

    def candidates(self, code: str) -> tuple[str, ...]:
        info = MIRRORED_INDICATORS.get(code)
        aliases = tuple(f"indicators/{stem}.csv" for stem in (info.mirror_files if info else ()))
        return (f"worldbank/{code}.json", f"indicators/{code}.csv", *aliases)

    def fetch(self, context: FetchContext) -> FetchedInput:
        context.check_options(self.name, ("indicator", "country", "date"))
        code = _indicator(context.option("indicator"))
        country = context.option("country", "all") or "all"
        date = context.option("date")
        if not (country == "all" or _COUNTRY.match(country)):
            raise ConfigurationError(
                f"Option country={country!r} is not 'all' or ISO codes joined by ';'.",
                hint="write e.g. country=CHN;PAK;KAZ, or leave it out for all countries.",
            )
        if date is not None and not _DATE.match(date):
            raise ConfigurationError(
                f"Option date={date!r} is not a year or a range of years.",
                hint="write date=2020 or date=2000:2022.",
            )
        target = context.cache_path(self.name, f"{code}{'' if country == 'all' else '_' + country}.csv")
        notes: list[str] = []
        if context.mirror is not None:
            try:
                hit = context.mirror.find(self.candidates(code), context.progress)
            except MirrorMissingError:
                if not context.upstream_fallback:
                    raise
            else:
                rows, last_updated = self._rows_from_mirror(hit.path, code)
                if country != "all" or date is not None:
                    notes.append("The country and date options are not applied to mirror copies.")
                _write_csv(target, rows)
                version = f"lastupdated {last_updated}" if last_updated else "unknown (mirror copy)"
                return self._result(code, rows, target, hit.origin, version, notes)
        url = API_URL.format(country=country, code=code)
        rows, last_updated, total = self._download(context, url, date)
        if total is not None and total != len(rows):
            notes.append(f"The API announced {total} rows but returned {len(rows)}.")
        _write_csv(target, rows)
        version = f"lastupdated {last_updated}" if last_updated else "unknown (API gave no lastupdated)"
        return self._result(code, rows, target, url, version, notes)

    # -- upstream -----------------------------------------------------------------------

    def _download(
        self, context: FetchContext, url: str, date: str | None
    ) -> tuple[list[dict[str, Any]], str, int | None]:
        params: dict[str, Any] = {"format": "json", "per_page": self.per_page}
        if date:
            params["date"] = date
        first = context.client.get_json(url, {**params, "page": 1})
        meta, _items = _split_page(first, url)
        pages = _int(meta.get("pages"), 1)
        total = _int(meta.get("total"), None) if meta.get("total") is not None else None
        if total == 0 or pages == 0:
            raise SourceError(
                f"The World Bank API has no data at {url} (total 0).",
                hint="check the indicator code, and the country and date options.",
            )
        if pages > self.max_pages:
            raise SourceError(
                f"The World Bank API announces {pages} pages at {url}, "
                f"more than the limit of {self.max_pages}.",
                hint="narrow the request with the country or date option.",
            )

        def responses() -> Iterator[Any]:
            yield first
            for number in range(2, pages + 1):
                yield context.client.get_json(url, {**params, "page": number})

        rows, last_updated = rows_from_pages(responses(), url)
        return rows, last_updated, total

    # -- mirror -------------------------------------------------------------------------

    def _rows_from_mirror(self, path: Path, code: str) -> tuple[list[dict[str, Any]], str]:
        if path.suffix.lower() == ".json":
            try:
                saved = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                raise SourceError(
                    f"Cannot read the saved World Bank pages {path}: {exc}.",
                    hint="save the API responses as a JSON list of pages: "
                    "[[{...paging...}, [...rows...]], ...].",
                ) from None
            # One response is [meta, rows] (or an error [{"message": ...}]); several are [[meta, rows], ...].
            one_response = not isinstance(saved, list) or not saved or isinstance(saved[0], Mapping)
            pages = [saved] if one_response else saved
            return rows_from_pages(pages, str(path))
        return _rows_from_table(path, code), ""

    def _result(
        self,
        code: str,
        rows: list[dict[str, Any]],
        path: Path,
        origin: str,
        version: str,
        notes: list[str],
    ) -> FetchedInput:
        info = MIRRORED_INDICATORS.get(code)
        name = next((str(row["indicator_name"]) for row in rows if row.get("indicator_name")), "")
        name = name or (info.name if info else code)
        zh = info.name_zh if info else f"世界银行指标 {code}"
        defaults = DatasetDefaults(
            dataset_id="worldbank-" + code.lower().replace(".", "-").replace("_", "-"),
            title=Bilingual(en=f"{name} (World Bank, {code})", zh=f"{zh}（世界银行，{code}）"),
            description=Bilingual(
                en=f"{name}, by country and year, from the World Bank Indicators API ({code}). Includes "
                "regional and income-group aggregates, whose codes are not ISO 3166 countries.",
                zh=f"{zh}，按国家和年份排列，来自世界银行指标 API（{code}）。包含地区和收入组汇总，"
                "其代码不是 ISO 3166 国家代码。",
            ),
            kind=DatasetKind.INDICATOR_TABLE,
            theme=info.theme if info else Theme.OTHER,
            source=SourceInfo(
                url=API_URL.format(country="all", code=code), publisher=PUBLISHER, upstream_version=version
            ),
            licence=licence_cc_by(
                f"The World Bank, World Development Indicators ({code}), "
                f"https://data.worldbank.org/indicator/{code}, CC BY 4.0."
            ),
            read_options=ReadOptions(format="csv", encoding="utf-8"),
        )
        return FetchedInput(paths=(path,), fetched_from=origin, defaults=defaults, notes=tuple(notes))


def _indicator(value: str | None) -> str:
    code = (value or "").strip().upper()
    if not _CODE.match(code):
        raise ConfigurationError(
            f"The worldbank connector needs an indicator code, got {value!r}.",
            hint="give indicator=<code>, e.g. indicator=EN.ATM.PM25.MC.M3 (codes are listed at "
            "https://data.worldbank.org/indicator).",
        )
    return code


def _int(value: Any, default: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


_ISO3_COLUMNS = ("country code", "code", "iso3", "iso_code", "countryiso3code", "country_iso3")
_NAME_COLUMNS = ("country name", "entity", "country", "country_name")
_YEAR_COLUMNS = ("year", "date", "time")


def _rows_from_table(path: Path, code: str) -> list[dict[str, Any]]:
    """Rows from a mirrored ``Country Name, Country Code, Year, <value>`` style CSV."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or [])
            if set(CSV_COLUMNS) <= set(header):
                return [{column: row.get(column, "") for column in CSV_COLUMNS} for row in reader]
            lower = {column.strip().lower(): column for column in header}
            iso3 = next((lower[name] for name in _ISO3_COLUMNS if name in lower), None)
            country = next((lower[name] for name in _NAME_COLUMNS if name in lower), None)
            year = next((lower[name] for name in _YEAR_COLUMNS if name in lower), None)
            values = [column for column in header if column not in (iso3, country, year) and column]
            if iso3 is None or year is None or not values:
                raise SourceError(
                    f"{path} is not a country-year table greenbri can map to indicator {code} "
                    f"(columns: {', '.join(header)}).",
                    hint="give it columns 'Country Name', 'Country Code', 'Year' and one value column, "
                    f"or save the API pages as worldbank/{code}.json.",
                )
            value = values[0]
            info = MIRRORED_INDICATORS.get(code)
            name = info.name if info else value
            return [
                {
                    "country_iso3": row.get(iso3) or "",
                    "country_name": (row.get(country) or "") if country else "",
                    "indicator_id": code,
                    "indicator_name": name,
                    "year": row.get(year) or "",
                    "value": row.get(value) or "",
                    "unit": "",
                    "obs_status": "",
                    "decimal": "",
                }
                for row in reader
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise SourceError(
            f"Cannot read the mirrored indicator table {path}: {exc}.",
            hint="check that it is a UTF-8 CSV file.",
        ) from None


WORLD_BANK_CONNECTOR = WorldBankConnector()
