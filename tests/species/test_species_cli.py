"""``greenbri species ...`` through Typer's CliRunner: exit codes, --json, per-record problems, licences."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pyproj import Geod
from tests.conftest import StoreFactory
from tests.sources.conftest import ClientFactory
from tests.species.builders import constructed_record
from tests.species.recorded import Recorded, load_exchanges
from typer.testing import CliRunner

from greenbri.core.biodiversity.licences import LicenceClass
from greenbri.core.catalog import Theme
from greenbri.services.cli.main import app
from greenbri.usecases.datasets import DatasetMetadata
from greenbri.usecases.species import write_occurrences

runner = CliRunner()
ARCHIVE = Path("biodiversity") / "gbif" / "gbif-download-dwca.zip"
MNHN = "f58922e2-93ed-4703-ba22-12a0674d1b54"  # "Fish collections of Museum national d'Histoire naturelle"


def invoke(*arguments: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(arguments))
    return result.exit_code, result.stdout, result.stderr


def test_import_then_checklist_and_near(data_dir: Path, shared_data: Path) -> None:
    code, out, err = invoke("species", "import", str(shared_data / ARCHIVE), "--id", "fish", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["rows_read"], report["imported"], report["skipped"]) == (158, 49, 109)
    assert len(report["problems"]) == 109 and report["coverage"] == ["none"]

    code, out, _ = invoke("species", "checklist", "IND", "--json")
    listing = json.loads(out)
    assert (
        code == 0 and listing["species"] == [] and listing["excluded_by_licence"] > 0
    )  # free-text rights only
    code, out, _ = invoke("species", "checklist", "IND", "--accept-rights", MNHN, "--json")
    listing = json.loads(out)
    assert [item["name"] for item in listing["species"]] == ["Chelonodon fluviatilis (Hamilton, 1822)"]
    assert [source["key"] for source in listing["sources"]] == [MNHN]

    code, out, _ = invoke(
        "species", "near", "--point", "79.83,11.98", "--country", "IND", "--accept-rights", MNHN, "--json"
    )
    place = json.loads(out)["places"][0]
    assert code == 0 and place["risk_class"] == "no_data" and place["other_species"] == 1
    assert place["datasets"] == [MNHN]

    code, out, _ = invoke("species", "near", "--point", "79.83,11.98", "--country", "IND")
    assert code == 0 and "NO DATA 无数据" in out and "not evidence of absence" in out


def test_bad_input_exit_codes(data_dir: Path, shared_data: Path, tmp_path: Path) -> None:
    broken = tmp_path / "no-meta.zip"
    with zipfile.ZipFile(shared_data / ARCHIVE) as old, zipfile.ZipFile(broken, "w") as new:
        for name in old.namelist():
            if name != "meta.xml":
                new.writestr(name, old.read(name))
    code, _, err = invoke("species", "import", str(broken))
    assert code != 0 and "no meta.xml" in err and "no-meta.zip" in err
    code, _, err = invoke("species", "import", str(shared_data / ARCHIVE), "--coverage", "Narnia")
    assert code != 0 and "Narnia" in err
    code, _, err = invoke("species", "near", "--point", "200,10", "--country", "IND")
    assert code != 0 and "-180..180" in err


def test_fetch_by_name_through_the_recorded_api(
    data_dir: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exchanges: dict[Any, Any] = load_exchanges(
        *sorted((shared_data / "biodiversity" / "gbif").glob("*.yaml"))
    )
    match = next(value for key, value in exchanges.items() if key[0] == "/v1/species/match")
    # The recorded match is for Helianthus annuus; answer the name asked with it, then serve taxon 2431762's page
    # by pointing the recorded usageKey at the recorded search (an adaptation: the recordings are separate).
    exchanges[
        ("/v1/species/match", (("name", "Helianthus annuus"), ("strict", "false"), ("verbose", "false")))
    ] = match
    search = next(value for key, value in exchanges.items() if ("taxonKey", "2431762") in key[1])
    exchanges[("/v1/occurrence/search", (("limit", "300"), ("offset", "0"), ("taxonKey", "9206251")))] = (
        search
    )
    monkeypatch.setattr(
        "greenbri.bootstrap.build_http_client", lambda settings: ClientFactory()(Recorded(exchanges))
    )
    code, out, err = invoke(
        "species", "fetch", "--name", "Helianthus annuus", "--max-records", "300", "--id", "fetched", "--json"
    )
    assert code == 0, err
    report = json.loads(out)
    assert (report["rows_read"], report["imported"]) == (300, 298)
    assert "Stopped at 300 of 2306" in report["warnings"][0]


def test_near_and_screen_a_projects_file(data_dir: Path, store_factory: StoreFactory, tmp_path: Path) -> None:
    """CONSTRUCTED Endangered record 3 km from project P1, none near P2; the layer is complete for KAZ."""
    lon, lat, _ = Geod(ellps="WGS84").fwd(71.45, 51.17, 0.0, 3_000.0)
    record = constructed_record(lon, lat, "EN", 1, LicenceClass.CC_BY, 2011)
    metadata = DatasetMetadata("kz-species", coverage=("KAZ",), theme=Theme.BIODIVERSITY)
    write_occurrences(
        store_factory.open(data_dir),
        [record],
        {},
        metadata,
        input_name="constructed",
        input_sha256=hashlib.sha256(b"kz").hexdigest(),
        command="test",
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": coordinates},
            "properties": {
                "id": pid,
                "name": pid,
                "sector": "solar_power",
                "status": "planned",
                "country": "KAZ",
            },
        }
        for pid, coordinates in (("P1", [71.45, 51.17]), ("P2", [80.0, 45.0]))
    ]
    path = tmp_path / "projects.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    code, out, err = invoke("species", "near", "--projects", str(path), "--json")
    assert code == 0, err
    places = {place["id"]: place for place in json.loads(out)["places"]}
    assert (
        places["P1"]["risk_class"] == "yellow" and places["P1"]["threatened"][0]["red_list_category"] == "EN"
    )
    assert places["P2"]["risk_class"] == "green" and places["P2"]["threatened"] == []
    code, out, err = invoke("screen", str(path), "--json")
    assert code == 0, err
    projects = {item["project"]["id"]: item for item in json.loads(out)["projects"]}
    reasons = [r["rule_id"] for r in projects["P1"]["dimensions"]["biodiversity"]["reasons"]]
    assert "species.cr-en-within-10km" in reasons and projects["P1"]["species"]["risk_class"] == "yellow"
    assert not [
        r
        for r in projects["P2"]["dimensions"]["biodiversity"]["reasons"]
        if r["rule_id"].startswith("species.")
    ]
