"""greenbri's real-time AQI against the published AQI of one hour of China's national network,
through the product: ``monitor ingest --format cnemc`` then ``monitor latest``.

File: ``air/cnemc/2022-01-15T08.csv`` (1,719 stations, published under HJ 633-2012). Its ozone
columns are swapped: the hour's ozone is in ``o3_24h`` (with ``o3`` as the hourly value only 1,619 of
the 1,705 published AQIs follow; ``o3`` is at least ``o3_24h`` wherever both are given, as a 24-hour
maximum would be). The ingest finds this itself, per file (tests/monitoring/test_cnemc_ozone_columns.py
checks the same file with its labels put right, and broken copies).

What reproduces the published ``aqi`` (HJ 633 real-time report): SO2, NO2, CO and O3 hourly values on
the 1-hour breakpoints of HJ 633-2012 Table 1, the **hourly** PM2.5 / PM10 on the 24-hour breakpoints.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from greenbri.adapters.monitoring.cnemc import PRIMARY_NAMES
from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.usecases.monitoring.ingest import ingest_files
from greenbri.usecases.monitoring.latest_aqi import LatestAqi, latest_aqi

#: Stations whose AQI CNEMC did not publish (blank ``aqi``); 2600A reports only so2_24h, so it has
#: no latest hour at all.
UNPUBLISHED = [
    "1275A", "1727A", "1731A", "1749A", "1758A", "1868A", "2544A",
    "2588A", "2600A", "2632A", "2672A", "3434A", "3582A", "3675A",
]  # fmt: skip


@pytest.fixture(scope="module")
def published(shared_data: Path) -> dict[str, dict[str, str]]:
    with (shared_data / "air" / "cnemc" / "2022-01-15T08.csv").open(encoding="utf-8", newline="") as handle:
        return {row["stationcode"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def ingested(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[ReadingsStore, Any]:
    store = ReadingsStore(tmp_path_factory.mktemp("cnemc-latest"))
    report = ingest_files(store, [shared_data / "air" / "cnemc" / "2022-01-15T08.csv"], format_name="cnemc")
    return store, report


@pytest.fixture(scope="module")
def latest(ingested: tuple[ReadingsStore, Any]) -> LatestAqi:
    return latest_aqi(ingested[0], "cn")


def test_the_ingest_finds_the_hourly_ozone_in_the_column_labelled_24h(ingested) -> None:
    store, report = ingested
    ozone = report.files[0].provenance["hourly_ozone"]
    assert ozone == store.batches()[0]["provenance"]["hourly_ozone"]
    assert ozone["hourly_ozone_column"] == "o3_24h" and ozone["swapped"] is True
    assert ozone["status"] == "reproduced"
    assert ozone["reproduced_rows"] == {"o3": 1619, "o3_24h": 1705}
    assert ozone["published_rows"] == 1705 and ozone["rows_not_reproduced"] == 0
    assert any("swapped" in message.message for message in report.files[0].messages)


def test_every_published_aqi_and_primary_pollutant_is_reproduced(latest: LatestAqi, published) -> None:
    assert latest.summary["stations"] == 1718
    assert latest.summary["published"] == latest.summary["matches_published"] == 1705
    assert latest.summary["differs_from_published"] == latest.summary["not_computed"] == 0
    rows = {row["station_id"]: row for row in latest.rows}
    for code, source in published.items():
        row = rows.get(f"cnemc-{code}")
        if not source["aqi"]:
            assert code in UNPUBLISHED
            assert row is None or row["matches_published"] is None
            continue
        assert row is not None, code
        assert row["aqi"] == int(source["aqi"]) == row["published_aqi"], code
        names = [name for name in source["primarypollutant"].split(",") if name]
        assert row["primary"] == sorted(PRIMARY_NAMES[name] for name in names), code
        assert row["matches_published"] is True and row["engine"] == "hj633-2012"


def test_rows_without_a_published_aqi_say_so(latest: LatestAqi) -> None:
    unpublished = [row for row in latest.rows if row["published_aqi"] is None]
    assert sorted(row["station_id"].removeprefix("cnemc-") for row in unpublished) == [
        code for code in UNPUBLISHED if code != "2600A"
    ]
    assert {row["mismatch_reason"] for row in unpublished} == {"the source published no AQI for this hour"}
    # greenbri computes an AQI for them from the pollutants they report
    assert all(row["aqi"] is not None for row in unpublished)


def test_ozone_is_primary_at_station_2676a_from_the_column_labelled_24h(
    ingested, latest: LatestAqi, published
) -> None:
    source = published["2676A"]
    assert (source["o3"], source["o3_24h"], source["aqi"], source["primarypollutant"]) == (
        "474", "394", "197", "臭氧1小时"
    )  # fmt: skip
    # HJ 633-2012 Table 1, O3 1 h: 300 -> 150, 400 -> 200: 150 + (394 - 300) / 100 * 50 = 197 (474 would give 237)
    row = next(row for row in latest.rows if row["station_id"] == "cnemc-2676A")
    assert row["aqi"] == 197 and row["primary"] == ["o3_1h"] and row["concentrations"]["o3"]["value"] == 394
    with ingested[0].connect() as connection:
        stored = connection.execute(
            "SELECT value FROM readings WHERE station_id = 'cnemc-2676A' AND parameter = 'o3' AND averaging = '1h'"
        ).fetchall()
    assert stored == [(394.0,)]


def test_one_hour_gives_no_us_nowcast_and_says_why(ingested) -> None:
    latest = latest_aqi(ingested[0], "us")
    assert (
        latest.summary["stations"] == latest.summary["no_data"] == 1718
        and latest.summary["not_computed"] == 0
    )
    assert all(row["aqi"] is None for row in latest.rows)
    assert {row["no_data"] for row in latest.rows} == {
        "NO DATA: the NowCast of PM2.5 and PM10 needs valid values in at least 2 of the 3 latest hours "
        "(AirNow completeness rule); ingest the preceding hours (greenbri monitor ingest)"
    }
    assert all(row["matches_published"] is None for row in latest.rows)
