"""Profiles of partner countries on the real data; HTML and PDF rendering."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from greenbri.adapters.indicators.store import IndicatorStore
from greenbri.core.indicators.data_files import seed_groups
from greenbri.usecases.indicators.profile_report import render_profile_html, write_profile
from greenbri.usecases.indicators.profiles import build_profile, build_profiles, profile_context, world_series

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def context(indicator_store: IndicatorStore) -> dict:
    return profile_context(indicator_store)


def entry(profile: dict, indicator: str) -> dict:
    return next(item for item in profile["indicators"] if item["id"] == indicator)


def test_profiles_generate_for_every_partner_with_data(indicator_store: IndicatorStore) -> None:
    profiles = build_profiles(indicator_store)
    codes = [profile["country"]["iso3"] for profile in profiles]
    assert codes == sorted(codes) and set(codes) <= set(seed_groups()["bri_partners"].codes)
    assert len(codes) >= 140
    for profile in profiles:
        assert profile["summary"]["en"] and profile["summary"]["zh"]
        json.dumps(profile, ensure_ascii=False, allow_nan=False)


def test_pakistan_values_rank_and_world(context: dict) -> None:
    profile = build_profile(context, "PAK")
    assert profile["country"]["name"] == {"en": "Pakistan", "zh": "巴基斯坦"}
    pm25 = entry(profile, "pm25_exposure")
    assert pm25["latest"]["year"] == max(year for year, _ in pm25["series"])
    assert pm25["world"]["year"] == pm25["latest"]["year"]
    # The rank is the count of partners with a lower (better) latest value, plus one.
    partners = [code for code in seed_groups()["bri_partners"].codes if code in context["by_country"]]
    latest = {
        code: context["by_country"][code]["pm25_exposure"][-1]
        for code in partners
        if "pm25_exposure" in context["by_country"][code]
    }
    newest = max(year for year, _, _ in latest.values())
    comparable = {code: value for code, (year, value, _) in latest.items() if year >= newest - 5}
    assert pm25["rank"]["of"] == len(comparable)
    assert pm25["rank"]["position"] == 1 + sum(
        value < pm25["latest"]["value"] for value in comparable.values()
    )
    assert "Pakistan" in profile["summary"]["en"] and "巴基斯坦" in profile["summary"]["zh"]
    memberships = {group["id"] for group in profile["groups"]}
    assert {"bri_partners", "corridor_china_pakistan"} <= memberships


def test_china_is_profiled_but_not_a_partner(context: dict) -> None:
    profile = build_profile(context, "CHN")
    assert (
        entry(profile, "pm25_exposure")["rank"] is None
    )  # China is not in the partner group it is ranked in


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def test_html_has_both_charts(context: dict) -> None:
    html = render_profile_html(build_profile(context, "KAZ"), "en", world_series=world_series(context))
    assert html.count("data:image/png;base64,") == 2
    assert "Kazakhstan" in html and "Theil-Sen" in html


def test_pdf_profile_renders_in_chinese(context: dict, tmp_path: Path) -> None:
    written = write_profile(
        build_profile(context, "PAK"), tmp_path, language="zh", world_series=world_series(context)
    )
    assert set(written) == {"json", "html", "pdf"}
    text = pdf_text(Path(written["pdf"]))
    assert "巴基斯坦" in text and "摘要" in text and "PM2.5" in text
    assert len(pypdf.PdfReader(written["pdf"]).pages) >= 2
