"""World Bank Indicators API v2: paging, error messages, saved pages in a mirror.

The API responses here are NOT captured traffic: they are built in the shape the
API v2 documents (``[paging metadata, rows]``, and ``[{"message": [...]}]`` on
errors) from the values of the mirrored World Bank file
``indicators/pm25-air-pollution.csv`` (indicator EN.ATM.PM25.MC.M3).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import httpx
import pycountry
import pytest

from greenbri.adapters.sources import get_connector
from greenbri.adapters.sources.context import FetchContext
from greenbri.adapters.sources.mirror import DirectoryMirror
from greenbri.adapters.sources.worldbank import CSV_COLUMNS, WorldBankConnector
from greenbri.core.errors import ConfigurationError, SourceError

CODE = "EN.ATM.PM25.MC.M3"
NAME = "PM2.5 air pollution, mean annual exposure (micrograms per cubic meter)"
API = f"https://api.worldbank.org/v2/country/all/indicator/{CODE}"
LAST_UPDATED = "2025-07-01"  # illustrative: the paging metadata of a built response


def mirrored_rows(shared_mirror: Path, count: int) -> list[dict[str, Any]]:
    """The first ``count`` rows of the mirrored file as API v2 row objects."""
    with (shared_mirror / "indicators" / "pm25-air-pollution.csv").open(encoding="utf-8-sig") as handle:
        table = list(csv.DictReader(handle))
    # Take rows of China and Pakistan too, not only the aggregates the file starts with.
    picked = table[: count - 6] + [row for row in table if row["Country Code"] in ("CHN", "PAK")][:6]
    rows = []
    for row in picked:
        country = pycountry.countries.get(alpha_3=row["Country Code"])
        rows.append(
            {
                "indicator": {"id": CODE, "value": NAME},
                # API v2 gives the ISO alpha-2 code (or a World Bank code for aggregates) here.
                "country": {
                    "id": country.alpha_2 if country else row["Country Code"],
                    "value": row["Country Name"],
                },
                "countryiso3code": row["Country Code"],
                "date": row["Year"],
                "value": float(row["PM2.5 air pollution µg/m³"]),
                "unit": "",
                "obs_status": "",
                "decimal": 1,
            }
        )
    return rows


def paged(rows: list[dict[str, Any]], page: int, per_page: int) -> list[Any]:
    pages = -(-len(rows) // per_page)
    meta = {
        "page": page,
        "pages": pages,
        "per_page": per_page,
        "total": len(rows),
        "sourceid": "2",
        "sourcename": "World Development Indicators",
        "lastupdated": LAST_UPDATED,
    }
    return [meta, rows[(page - 1) * per_page : page * per_page]]


class WorldBankApi:
    """Answers API v2 requests from a list of rows, honouring page and per_page."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        params = request.url.params
        assert request.url.copy_with(query=None) == httpx.URL(API)
        assert params["format"] == "json"
        return httpx.Response(200, json=paged(self.rows, int(params["page"]), int(params["per_page"])))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_follows_every_page_and_writes_one_csv(shared_mirror: Path, tmp_path: Path, client_factory):
    rows = mirrored_rows(shared_mirror, 30)
    api = WorldBankApi(rows)
    context = FetchContext(
        client=client_factory(api), mirror=None, cache_dir=tmp_path, options={"indicator": CODE.lower()}
    )
    fetched = WorldBankConnector(per_page=20).fetch(context)

    assert [request.url.params["page"] for request in api.requests] == ["1", "2"]
    assert {request.url.params["per_page"] for request in api.requests} == {"20"}
    (path,) = fetched.paths
    assert path == tmp_path / "worldbank" / f"{CODE}.csv"
    written = read_csv(path)
    assert tuple(written[0]) == CSV_COLUMNS
    assert len(written) == 30
    china = next(row for row in written if row["country_iso3"] == "CHN")
    assert china["country_name"] == "China"
    assert china["indicator_id"] == CODE and china["indicator_name"] == NAME
    source = next(row for row in rows if row["countryiso3code"] == "CHN")
    assert (china["year"], float(china["value"]), china["decimal"]) == (source["date"], source["value"], "1")
    assert fetched.fetched_from == API
    defaults = fetched.defaults
    assert defaults.source.upstream_version == f"lastupdated {LAST_UPDATED}"
    assert defaults.title.en == f"{NAME} (World Bank, {CODE})"
    assert defaults.licence.name == "CC BY 4.0"
    assert defaults.read_options.format == "csv"


def test_null_values_are_empty_cells(tmp_path: Path, client_factory):
    row = {
        "indicator": {"id": CODE, "value": NAME},
        "country": {"id": "CN", "value": "China"},
        "countryiso3code": "CHN",
        "date": "2024",
        "value": None,
        "unit": "",
        "obs_status": "",
        "decimal": 1,
    }
    api = WorldBankApi([row])
    context = FetchContext(
        client=client_factory(api), mirror=None, cache_dir=tmp_path, options={"indicator": CODE}
    )
    (written,) = read_csv(get_connector("worldbank").fetch(context).paths[0])
    assert written["value"] == ""


def test_api_error_message_becomes_a_source_error(tmp_path: Path, client_factory):
    def invalid(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json=[
                {
                    "message": [
                        {
                            "id": "120",
                            "key": "Invalid value",
                            "value": "The provided parameter value is not valid",
                        }
                    ]
                }
            ],
        )

    context = FetchContext(
        client=client_factory(invalid), mirror=None, cache_dir=tmp_path, options={"indicator": "EN.NOT.REAL"}
    )
    with pytest.raises(SourceError) as caught:
        get_connector("worldbank").fetch(context)
    text = str(caught.value)
    assert "Invalid value (id 120): The provided parameter value is not valid" in text
    assert "https://api.worldbank.org/v2/country/all/indicator/EN.NOT.REAL" in text
    assert not (tmp_path / "worldbank" / "EN.NOT.REAL.csv").exists()


def test_empty_answer_is_a_source_error(tmp_path: Path, client_factory):
    def empty(request: httpx.Request) -> httpx.Response:
        meta = {
            "page": 1,
            "pages": 0,
            "per_page": 1000,
            "total": 0,
            "sourceid": None,
            "lastupdated": LAST_UPDATED,
        }
        return httpx.Response(200, json=[meta, None])

    context = FetchContext(
        client=client_factory(empty), mirror=None, cache_dir=tmp_path, options={"indicator": CODE}
    )
    with pytest.raises(SourceError, match="no data"):
        get_connector("worldbank").fetch(context)


def test_server_errors_are_retried_per_page(shared_mirror: Path, tmp_path: Path, client_factory):
    api = WorldBankApi(mirrored_rows(shared_mirror, 12))
    failures = iter([True, False, True, False])

    def flaky(request: httpx.Request) -> httpx.Response:
        if next(failures):
            return httpx.Response(503, headers={"Retry-After": "1"})
        return api(request)

    context = FetchContext(
        client=client_factory(flaky), mirror=None, cache_dir=tmp_path, options={"indicator": CODE}
    )
    fetched = WorldBankConnector(per_page=10).fetch(context)
    assert len(read_csv(fetched.paths[0])) == 12
    assert client_factory.sleeps == [1.0, 1.0]


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"indicator": "EN ATM"},
        {"indicator": CODE, "country": "China"},
        {"indicator": CODE, "date": "last"},
    ],
)
def test_bad_options_are_configuration_errors(tmp_path: Path, client_factory, options):
    context = FetchContext(client=client_factory(), mirror=None, cache_dir=tmp_path, options=options)
    with pytest.raises(ConfigurationError):
        get_connector("worldbank").fetch(context)


def test_country_and_date_options_reach_the_api(tmp_path: Path, client_factory):
    seen: list[httpx.URL] = []

    def api(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, json=[{"page": 1, "pages": 1, "per_page": 1000, "total": 0}, []])

    context = FetchContext(
        client=client_factory(api),
        mirror=None,
        cache_dir=tmp_path,
        options={"indicator": CODE, "country": "CHN;PAK", "date": "2010:2020"},
    )
    with pytest.raises(SourceError):
        get_connector("worldbank").fetch(context)
    assert seen[0].path == f"/v2/country/CHN;PAK/indicator/{CODE}"
    assert seen[0].params["date"] == "2010:2020"


def test_saved_pages_in_a_mirror(shared_mirror: Path, tmp_path: Path, client_factory):
    rows = mirrored_rows(shared_mirror, 25)
    mirror_root = tmp_path / "mirror"
    (mirror_root / "worldbank").mkdir(parents=True)
    saved = [paged(rows, 1, 20), paged(rows, 2, 20)]
    (mirror_root / "worldbank" / f"{CODE}.json").write_text(json.dumps(saved), "utf-8")
    context = FetchContext(
        client=client_factory(),  # no network
        mirror=DirectoryMirror(mirror_root),
        cache_dir=tmp_path / "cache",
        options={"indicator": CODE},
    )
    fetched = get_connector("worldbank").fetch(context)
    assert len(read_csv(fetched.paths[0])) == 25
    assert fetched.defaults.source.upstream_version == f"lastupdated {LAST_UPDATED}"
    assert fetched.fetched_from.endswith(f"worldbank/{CODE}.json")


def test_saved_error_page_in_a_mirror_is_reported(tmp_path: Path, client_factory):
    (tmp_path / "worldbank").mkdir()
    (tmp_path / "worldbank" / "XX.YY.json").write_text(
        json.dumps(
            [{"message": [{"id": "175", "key": "Invalid format", "value": "The indicator was not found."}]}]
        )
    )
    context = FetchContext(
        client=client_factory(),
        mirror=DirectoryMirror(tmp_path),
        cache_dir=tmp_path / "c",
        options={"indicator": "XX.YY"},
    )
    with pytest.raises(SourceError, match="The indicator was not found"):
        get_connector("worldbank").fetch(context)
