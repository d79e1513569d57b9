"""Project reports of real COFI projects, in English and Chinese, as HTML."""

from __future__ import annotations

import base64
import html
import logging
import re
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from tests.reports.screenings import screened

from greenbri.core.errors import InputError
from greenbri.core.screening.classify import classify
from greenbri.core.screening.rules_files import load_rules
from greenbri.core.screening.vocabulary import Dimension, Fuel
from greenbri.usecases.reports import ReportInputs, project_report
from greenbri.usecases.reports import figures as report_figures
from greenbri.usecases.reports.messages import MESSAGES
from greenbri.usecases.screening import PortfolioScreening, ProjectScreening

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "greenbri" / "usecases" / "reports" / "templates"


def render(item: ProjectScreening, portfolio: PortfolioScreening, inputs: ReportInputs, language: str) -> str:
    return project_report(item, portfolio=portfolio, language=language, **inputs.keywords())


@pytest.fixture(scope="module")
def merowe_en(merowe: ProjectScreening, portfolio: PortfolioScreening, inputs: ReportInputs) -> str:
    return render(merowe, portfolio, inputs, "en")


@pytest.fixture(scope="module")
def merowe_zh(merowe: ProjectScreening, portfolio: PortfolioScreening, inputs: ReportInputs) -> str:
    return render(merowe, portfolio, inputs, "zh")


def lights(text: str) -> list[tuple[str, str]]:
    """Every traffic light in the HTML as (css class, printed text)."""
    return re.findall(r'<span class="light (light-[a-z-]+)(?: big)?">([^<]*)</span>', text)


def test_english_report_states_the_facts(merowe: ProjectScreening, merowe_en: str) -> None:
    nile = merowe.hits[0]
    assert (nile.name, nile.receptor_role.value, round(nile.distance_m)) == ("Nile", "river", 1723)
    text = html.unescape(merowe_en)
    assert '<span class="light light-red big">RED</span>' in merowe_en
    assert "INCOMPLETE" in text
    # The receptor table: role, name, dataset@version, distance in km to 0.01.
    row = re.search(r"<tr><td class=\"number\">1</td><td>river</td><td>Nile.*?</tr>", merowe_en)
    assert row is not None
    assert "natural-earth-rivers@v1" in row.group(0) and ">1.72<" in row.group(0)
    assert "Gebel Barkal and the Sites of the Napatan Region" in text and "unesco-world-heritage@v1" in text
    # Reasons: rule id, text, citation of the sector rule.
    biodiversity = merowe.result.dimensions[Dimension.BIODIVERSITY]
    reason = next(item for item in biodiversity.reasons if item.rule_id == "SECTOR-HYDRO_POWER-BIODIVERSITY")
    assert reason.rule_id in text and reason.text.en in text
    assert reason.citations[0].text() in text
    # Licences and attribution from the catalog; screening date and rules digest.
    assert "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com." in text
    assert "© UNESCO World Heritage Centre, World Heritage List (whc.unesco.org/en/list)." in text
    assert "GeoNames (https://www.geonames.org/), CC BY 4.0." in text
    assert "2025-06-30" in text and merowe.result.rules_digest in text
    assert "SDN Sudan" in text and "1,250 MW" in text
    # COFI's total_investment_amount is the Chinese financiers' share, not capital cost: not shown as investment
    assert "USD 608,000,000" not in text
    # EP4: the proposal is labelled as such and provisional (the screening is incomplete).
    assert "Proposal for the analyst to confirm" in text and "provisional" in text
    assert "cannot be determined" in text


def test_chinese_report_states_the_facts(merowe_zh: str) -> None:
    text = html.unescape(merowe_zh)
    assert '<html lang="zh-CN">' in merowe_zh
    assert "环境筛查报告" in text and '<span class="light light-red big">红</span>' in merowe_zh
    assert "不完整" in text and "无数据" in text
    assert "河流" in text and "Nile" in text and ">1.72<" in merowe_zh
    assert "SDN 苏丹" in text and "水电" in text
    assert "供分析师确认的建议" in text and "暂定" in text
    # Texts of the result in Chinese.
    assert "BRIGC基线研究红色清单：水电。" in text
    assert "数据来源与许可" in text and "Made with Natural Earth." in text


@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_data_never_looks_green(merowe_en: str, merowe_zh: str, language: str) -> None:
    text = merowe_en if language == "en" else merowe_zh
    no_data = MESSAGES["class.no_data"].en if language == "en" else MESSAGES["class.no_data"].zh
    found = lights(text)
    assert ("light-no-data", no_data) in found  # climate and pollution are NO DATA
    for css, label in found:
        assert (css == "light-no-data") == (label == no_data), (css, label)


def test_project_without_geometry(portfolio: PortfolioScreening, inputs: ReportInputs) -> None:
    """A solar plant without coordinates: NO DATA overall (never green while evidence is missing)."""
    item = screened(portfolio, "ARE2022010")
    assert item.project.geometry is None and item.result.overall.value == "no_data" and item.result.incomplete
    text = render(item, portfolio, inputs, "en")
    assert "No map: the project has no geometry." in text and "data:image/png" not in text
    assert "INCOMPLETE" in text and "SPATIAL-NO-GEOMETRY" in text
    assert lights(text).count(("light-no-data", "NO DATA")) >= 2


def test_excluded_coal_plant_with_ghg_estimate(portfolio: PortfolioScreening, inputs: ReportInputs) -> None:
    """Vung Ang II, planned coal power in Viet Nam; COFI gives no coal type, so bituminous coal is assumed
    here (as in the methodology's worked example) to get a GHG estimate with its factors."""
    listed = screened(portfolio, "VNM2022026")
    project = replace(listed.project, fuel=Fuel.BITUMINOUS_COAL)
    result = classify(project, list(listed.hits), listed.result.coverage, load_rules())
    item = ProjectScreening(project, listed.hits, result)
    assert item.result.exclusion.excluded and item.result.ghg.known
    text = html.unescape(render(item, portfolio, inputs, "en"))
    assert "EXCLUDED" in text and "EXCLUDE-NEW-OVERSEAS-COAL-POWER" in text
    ghg = item.result.ghg
    assert f"{ghg.t_co2_per_year:,.0f} t CO2/yr" in text
    assert f"{ghg.low:,.0f} – {ghg.high:,.0f} t CO2/yr" in text
    for factor in ghg.factors:
        assert factor.name in text
    assert "IPCC" in text


def test_map_is_embedded_and_offline(merowe_en: str) -> None:
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', merowe_en)
    assert len(images) == 1
    png = base64.b64decode(images[0])
    assert png.startswith(b"\x89PNG")
    import io

    with Image.open(io.BytesIO(png)) as image:
        assert image.width > 800 and image.height > 500
        assert len(image.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 20  # a drawing, not a blank
    assert not re.search(r'(src|href)="https?:', merowe_en)
    assert "@import" not in merowe_en and "url(http" not in merowe_en and "<link" not in merowe_en


def test_same_input_same_html(
    merowe: ProjectScreening, portfolio: PortfolioScreening, inputs: ReportInputs, merowe_en: str
) -> None:
    assert render(merowe, portfolio, inputs, "en") == merowe_en


def test_missing_cjk_font_falls_back_to_english_figures(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    merowe: ProjectScreening,
    portfolio: PortfolioScreening,
    inputs: ReportInputs,
) -> None:
    from matplotlib import font_manager

    with monkeypatch.context() as patch, caplog.at_level(logging.WARNING, logger=report_figures.__name__):
        patch.setattr(font_manager.fontManager, "ttflist", [])
        assert report_figures._cjk_font_weight.__wrapped__() is None
    assert "fonts-wqy-zenhei" in caplog.text
    monkeypatch.setattr(report_figures, "_cjk_font_weight", lambda: None)
    style = report_figures.figure_style("zh")
    assert style.language == "en" and style.rc["font.family"] == ["DejaVu Sans"]
    # Warnings are errors here: a Chinese label drawn without the font would fail the render.
    assert "不完整" in render(merowe, portfolio, inputs, "zh")


def test_unknown_language(
    merowe: ProjectScreening, portfolio: PortfolioScreening, inputs: ReportInputs
) -> None:
    with pytest.raises(InputError, match="use one of: en, zh"):
        render(merowe, portfolio, inputs, "fr")


def test_message_catalogue_is_complete() -> None:
    for key, text in MESSAGES.items():
        assert text.en and text.zh, key
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r'm\[["\']([a-z_.0-9]+)["\']\]', template.read_text(encoding="utf-8")))
    assert used and used <= set(MESSAGES), used - set(MESSAGES)
