"""The web dashboard in a real browser: Playwright drives Debian's Chromium (headless) against the real
server on a store of the bundled layers. Screenshots (1366x768, a laptop screen) are kept in
``test-artifacts/web/`` (or ``$GREENBRI_TEST_ARTIFACTS/web``) to be looked at."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import StoreFactory
from tests.live_server import serving

from greenbri.config import load_settings
from greenbri.services.api.context import ApiOptions
from greenbri.usecases.initialise import initialise_store

REPOSITORY = Path(__file__).resolve().parents[2]
WEB = REPOSITORY / "src" / "greenbri" / "services" / "web"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1366, "height": 768}
#: Tiles are made on request from unsimplified 1:10m boundaries: allow a slow first map.
MAP_TIMEOUT_MS = 45_000


def _i18n(code: str) -> dict[str, str]:
    return json.loads((WEB / "i18n" / f"{code}.json").read_text(encoding="utf-8"))


def test_every_label_exists_in_both_languages() -> None:
    english, chinese = _i18n("en"), _i18n("zh")
    assert set(english) == set(chinese)
    assert all(value.strip() for value in [*english.values(), *chinese.values()])
    used: set[str] = set()
    for source in [WEB / "app.js", WEB / "dom.js", WEB / "map.js", *(WEB / "pages").glob("*.js")]:
        text = source.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bt\("([\w.]+)"', text))
        used |= set(re.findall(r'"data-i18n(?:-\w+)?": "([\w.]+)"', text))
    for fixed in re.findall(r'data-i18n="([\w.]+)"', (WEB / "index.html").read_text(encoding="utf-8")):
        used.add(fixed)
    assert used - set(english) == set()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    root = Path(os.environ.get("GREENBRI_TEST_ARTIFACTS", REPOSITORY / "test-artifacts"))
    folder = root / "web"
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots in {folder}")
    return folder


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path, session_store_factory: StoreFactory
) -> Iterator[str]:
    if not (WEB / "vendor" / "maplibre-gl.js").is_file():
        pytest.fail("MapLibre is not vendored: run scripts/web-assets.sh (npm ci + copy into web/vendor/)")
    from greenbri.services.api import create_app

    root = tmp_path_factory.mktemp("web")
    settings = load_settings({**session_store_factory.environment(root / "store"), "HOME": str(root)})
    initialise_store(session_store_factory.open(settings.data_dir))
    # Real data for the country and monitoring pages: two indicator files and one CNEMC hour.
    from greenbri.adapters.indicators.store import IndicatorStore
    from greenbri.adapters.monitoring.store import ReadingsStore
    from greenbri.usecases.indicators.ingest import ingest_file
    from greenbri.usecases.monitoring.ingest import ingest_files

    for name in ("pm25-air-pollution.csv", "forest-area-as-share-of-land-area.csv"):
        ingest_file(IndicatorStore(settings.data_dir), shared_data / "indicators" / name)
    ingest_files(
        ReadingsStore(settings.data_dir),
        [shared_data / "air" / "cnemc" / "2022-01-15T08.csv"],
        format_name="cnemc",
    )
    # One recorded, verified status for the plans page (project 20, evidenced by the catalog).
    from greenbri.bootstrap import build_plan_stores
    from greenbri.usecases.plans import record_status

    record_status(build_plan_stores(settings), "p2017.kp20", "in_progress", [("greenbri_result", "catalog")],
                  by="tests/web", as_of=dt.date(2025, 12, 31))  # fmt: skip
    app = create_app(settings, options=ApiOptions(anonymous_rate_per_minute=1_000_000))
    with serving(app) as address:
        yield f"{address}/dashboard/"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: scripts/system-packages.sh installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def page(browser: Any, server: str) -> Iterator[Any]:
    # one context for the module: tiles fetched once stay in the browser cache, as for a user
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    # Anything the Content-Security-Policy blocks (in the page or MapLibre's workers) is an error too.
    tab.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`))"
    )
    tab.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if "CSP violation" in message.text or "Content Security Policy" in message.text
            else None
        ),
    )
    tab.errors = errors
    yield tab
    context.close()


def _wait_for_map(page: Any, layers: str = "['countries-fill']") -> int:
    page.wait_for_function(
        f"() => {{ const m = window.greenbri && window.greenbri.map; return !!m && m.loaded() && m.isStyleLoaded() && m.queryRenderedFeatures({{layers: {layers}}}).length > 0; }}",
        timeout=MAP_TIMEOUT_MS,
    )
    return int(page.evaluate(f"window.greenbri.map.queryRenderedFeatures({{layers: {layers}}}).length"))


def test_map_renders_catalog_layers(page: Any, server: str, artifacts: Path) -> None:
    response = page.goto(server)
    assert "worker-src 'self' blob:" in response.headers["content-security-policy"]  # served with it
    count = _wait_for_map(page)
    assert count > 50, count
    layers = page.locator(".layer-list .layer")
    assert layers.count() >= 2
    assert page.locator(".layer[data-layer=countries] .attribution").inner_text().startswith("Attribution:")
    assert page.locator(".layer[data-layer=settlements]").inner_text().count("GeoNames") >= 1
    # draw the settlements (a point layer, off at start) from the layer list
    page.locator("#layer-settlements").check()
    points = _wait_for_map(page, "['settlements:circle']")
    assert points > 100
    page.screenshot(path=str(artifacts / "map-en.png"))
    assert page.errors == []


def test_language_switch_is_applied_and_remembered(page: Any, server: str, artifacts: Path) -> None:
    page.goto(server + "#/map")
    page.wait_for_selector(".layer-list .layer")
    assert page.locator("#nav a[data-page=screening]").inner_text() == "Screening"
    page.click("#lang-zh")
    assert page.locator("#nav a[data-page=screening]").inner_text() == "项目筛查"
    assert page.locator(".page-map h2").inner_text() == "目录图层"
    assert "国家边界" in page.locator(".layer[data-layer=countries] .layer-title").inner_text()
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.reload()
    page.wait_for_selector(".layer-list .layer")
    assert page.locator("#nav a[data-page=map]").inner_text() == "地图"
    assert page.locator("#lang-zh").get_attribute("aria-pressed") == "true"
    _wait_for_map(page)
    page.screenshot(path=str(artifacts / "map-zh.png"))
    page.click("#lang-en")
    assert page.locator("#nav a[data-page=map]").inner_text() == "Map"
    assert page.evaluate("localStorage.getItem('greenbri.lang')") == "en"


def test_a_screening_drawn_in_the_page_shows_its_result(page: Any, server: str, artifacts: Path) -> None:
    page.goto(server + "#/screening")
    _wait_for_map(page)
    # a solar park just outside Beijing, placed by clicking the map
    page.evaluate("window.greenbri.map.jumpTo({center: [116.3, 39.95], zoom: 6})")
    _wait_for_map(page)
    box = page.locator("#screening-map canvas").bounding_box()
    x, y = page.evaluate(
        "(() => { const p = window.greenbri.map.project([116.45, 40.1]); return [p.x, p.y]; })()"
    )
    page.mouse.click(box["x"] + x, box["y"] + y)
    assert page.locator("#screen-country").input_value() == "CHN"
    page.select_option("#screen-sector", "solar_power")
    page.fill("#screen-capacity", "80")
    page.click("#screen-submit")
    overall = page.wait_for_selector("#screening-result .light.big", timeout=30_000)
    assert overall.inner_text().strip() in {"GREEN", "YELLOW", "RED", "NO DATA"}
    assert page.locator("#screening-result .dimension").count() == 3
    assert page.locator("#screening-result .reasons li").count() >= 1
    assert "SECTOR-SOLAR_POWER-CLIMATE" in page.locator("[data-dimension=climate]").inner_text()
    assert page.locator("[data-dimension=climate] .light").first.inner_text().strip() == "GREEN"
    assert "Beijing" in page.locator("#screening-result .hits").inner_text()
    page.wait_for_function("() => (window.greenbri.receptorsDrawn || 0) > 0", timeout=15_000)
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "screening-en.png"))
    # the result follows the language switch
    page.click("#lang-zh")
    assert page.locator("#screening-result .light.big").inner_text().strip() in {"绿", "黄", "红", "无数据"}
    assert "气候变化减缓" in page.locator("[data-dimension=climate] h3").inner_text()
    page.screenshot(path=str(artifacts / "screening-zh.png"))
    page.click("#lang-en")
    # without an API key the report is explained, not attempted
    page.click("#request-report")
    assert "API key" in page.locator("#report-status").inner_text()
    assert page.errors == []


@pytest.mark.parametrize(
    ("route", "ready"),
    [
        ("#/monitoring", "#station-status .legend, #station-status .nodata"),
        ("#/targets", "#targets-table, #targets-body .nodata"),
        ("#/countries/CHN", "#country-profile h1"),
    ],
)
def test_data_pages_show_data_or_say_no_data(
    page: Any, server: str, artifacts: Path, route: str, ready: str
) -> None:
    page.goto(server + route)
    page.wait_for_selector(ready, timeout=MAP_TIMEOUT_MS)
    if route == "#/countries/CHN":
        page.wait_for_selector("#country-profile .cards, #country-profile .nodata", timeout=MAP_TIMEOUT_MS)
    text = page.locator("main").inner_text()
    assert "NO DATA" in text or page.locator("table, .cards, .legend").count() > 0
    if route != "#/targets":
        _wait_for_map(page)
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / f"{route.strip('#/').replace('/', '-')}.png"))
    assert page.errors == []


def test_pages_draw_real_data(page: Any, server: str, artifacts: Path) -> None:
    page.goto(server + "#/countries/PAK")
    page.wait_for_selector("#country-profile .cards", timeout=MAP_TIMEOUT_MS)
    profile = page.locator("#country-profile").inner_text()
    # World Bank EN.ATM.PM25.MC.M3, Pakistan 2022: 23.66130327 ug/m3 (indicators/pm25-air-pollution.csv).
    assert "23.7" in profile and "2022" in profile
    assert page.locator("#country-profile svg").count() >= 2
    page.screenshot(path=str(artifacts / "countries-PAK.png"))
    page.goto(server + "#/monitoring")
    page.wait_for_selector("#station-status .legend", timeout=MAP_TIMEOUT_MS)
    # 1,718 of the file's 1,719 stations have an hour to colour (2600A reports only a 24-hour SO2),
    # each coloured by the AQI computed from the hour's concentrations.
    assert "1718" in page.locator("#station-status").inner_text().replace(",", "")
    assert _wait_for_map(page, "['stations']") > 100
    colours = page.evaluate(
        "[...new Set(window.greenbri.map.queryRenderedFeatures({layers: ['stations']})"
        ".map((f) => f.properties.colour))]"
    )
    assert len(colours) >= 3
    page.screenshot(path=str(artifacts / "monitoring-cnemc.png"))
    assert page.errors == []


def test_the_plans_page_is_a_tree_with_statuses_and_evidence_one_click_away(
    page: Any, server: str, artifacts: Path
) -> None:
    page.goto(server + "#/plans")
    page.wait_for_selector("#plans-tree", timeout=MAP_TIMEOUT_MS)
    assert page.locator("#plans-tree .plan-document").count() == 3
    assert page.locator("#plans-tree details.plan-item").count() == 72
    recorded = page.locator('details.plan-item[data-item="p2017.kp20"]')
    assert recorded.get_attribute("data-status") == "in_progress"
    assert "greenbri_result=catalog" not in recorded.inner_text()  # closed until clicked
    recorded.locator("summary").click()
    assert "greenbri_result=catalog" in recorded.inner_text() and "2025-12-31" in recorded.inner_text()
    missing = page.locator('details.plan-item[data-item="p2017.kp21"]')
    missing.locator("summary").click()
    assert "NO DATA" in missing.inner_text() and "greenbri plans record p2017.kp21" in missing.inner_text()
    goal = page.locator('details.plan-item[data-item="p2017.goal2025"]')
    assert "overdue" in goal.locator("summary").inner_text()
    page.screenshot(path=str(artifacts / "plans.png"), full_page=False)
    page.click("#lang-zh")
    assert "未知（无数据）" in page.locator("#plans-tree").inner_text()
    page.click("#lang-en")
    assert page.errors == []
