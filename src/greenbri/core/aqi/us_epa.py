"""United States: the AQI of 40 CFR Part 58, Appendix G.

Two periods:

* ``us-epa-2015``, 2015-12-28 to 2024-05-05: Appendix G Table 2 as revised by the 2015 ozone
  NAAQS rule (80 FR 65292, 2015-10-26, effective 2015-12-28), which set the 8-hour O3 rows;
  PM2.5 rows of the 2012 PM NAAQS revision (0.0-12.0 for Good). Reproduced in the EPA
  Technical Assistance Document EPA-454/B-18-007 (Sept. 2018), Table 5.
* ``us-epa-2024``, from 2024-05-06: Appendix G Table 2 as revised by the PM NAAQS
  reconsideration (89 FR 16202, 2024-03-06, effective 2024-05-06): PM2.5 Good 0.0-9.0,
  Unhealthy 55.5-125.4, Very Unhealthy 125.5-225.4, Hazardous 225.5-325.4 (one band 301-500
  for every pollutant). Reproduced in EPA-454/B-24-002 (May 2024), Table 6.

Units: PM in ug/m3 (24-hour), O3 and CO in ppm, SO2 and NO2 in ppb.

Dates before 2015-12-28 are not covered: older tables (the 2008 O3 rows, the 1999 PM2.5
rows) are not implemented here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from greenbri.core.aqi.engine import Engine, Rule
from greenbri.core.aqi.tables import BreakpointRow, BreakpointTable, Category, Citation, TopRule, category

__all__ = ["US_CATEGORIES", "US_EPA_2015", "US_EPA_2015_TABLES", "US_EPA_2024", "US_EPA_2024_TABLES"]

_FROM_2015 = dt.date(2015, 12, 28)
_TO_2015 = dt.date(2024, 5, 5)
_FROM_2024 = dt.date(2024, 5, 6)

_SOURCE_2015 = Citation(
    document="40 CFR Part 58, Appendix G (2015 O3 NAAQS rule, 80 FR 65292); EPA-454/B-18-007",
    location="Appendix G Table 2 (Breakpoints for the AQI); TAD Table 5",
    effective_from=_FROM_2015,
    effective_to=_TO_2015,
    verification="secondary",
    note=(
        "Rows agree with python-aqi 0.6.1 (all but the O3 8-hour rows, where it keeps the 2008 table) "
        "and with aqi-hub 0.3.3 (O3 rows, unchanged in 2024); the CFR text was not readable in this session."
    ),
)
_SOURCE_2024 = Citation(
    document="40 CFR Part 58, Appendix G (PM NAAQS reconsideration, 89 FR 16202); EPA-454/B-24-002",
    location="Appendix G Table 2 (Breakpoints for the AQI); TAD Table 6",
    effective_from=_FROM_2024,
    effective_to=None,
    verification="secondary",
    note=(
        "Rows agree with aqi-hub 0.3.3 and pyairnow 1.3.0 (both citing EPA-454/B-24-002) and, for PM2.5, "
        "with EPA's 2024 AQI fact sheet as quoted in several implementations; the CFR text was not readable "
        "in this session."
    ),
)

Band = tuple[float, float, int, int]


def _table(
    key: str,
    unit: str,
    decimals: int,
    bands: Sequence[Band],
    source: Citation,
    *,
    top: TopRule = "scale",
) -> BreakpointTable:
    rows = tuple(BreakpointRow(c_lo, c_hi, i_lo, i_hi) for c_lo, c_hi, i_lo, i_hi in bands)
    return BreakpointTable(
        key=key, unit=unit, rows=rows, citation=source, truncate_decimals=decimals, top=top
    )


_O3_8H: Sequence[Band] = (
    (0.000, 0.054, 0, 50),
    (0.055, 0.070, 51, 100),
    (0.071, 0.085, 101, 150),
    (0.086, 0.105, 151, 200),
    (0.106, 0.200, 201, 300),
)
_SO2_1H: Sequence[Band] = ((0, 35, 0, 50), (36, 75, 51, 100), (76, 185, 101, 150), (186, 304, 151, 200))
_LOW_BANDS = {  # rows below Hazardous, unchanged in 2024 except PM2.5
    "o3_1h": ((0.125, 0.164, 101, 150), (0.165, 0.204, 151, 200), (0.205, 0.404, 201, 300)),
    "pm10_24h": (
        (0, 54, 0, 50),
        (55, 154, 51, 100),
        (155, 254, 101, 150),
        (255, 354, 151, 200),
        (355, 424, 201, 300),
    ),
    "co_8h": (
        (0.0, 4.4, 0, 50),
        (4.5, 9.4, 51, 100),
        (9.5, 12.4, 101, 150),
        (12.5, 15.4, 151, 200),
        (15.5, 30.4, 201, 300),
    ),
    "so2_24h": ((305, 604, 201, 300),),
    "no2_1h": (
        (0, 53, 0, 50),
        (54, 100, 51, 100),
        (101, 360, 101, 150),
        (361, 649, 151, 200),
        (650, 1249, 201, 300),
    ),
}
_UNITS = {
    "o3_1h": ("ppm", 3),
    "pm10_24h": ("ug/m3", 0),
    "co_8h": ("ppm", 1),
    "so2_24h": ("ppb", 0),
    "no2_1h": ("ppb", 0),
}

_HAZARDOUS_2015: dict[str, Sequence[Band]] = {
    "o3_1h": ((0.405, 0.504, 301, 400), (0.505, 0.604, 401, 500)),
    "pm10_24h": ((425, 504, 301, 400), (505, 604, 401, 500)),
    "co_8h": ((30.5, 40.4, 301, 400), (40.5, 50.4, 401, 500)),
    "so2_24h": ((605, 804, 301, 400), (805, 1004, 401, 500)),
    "no2_1h": ((1250, 1649, 301, 400), (1650, 2049, 401, 500)),
}
_HAZARDOUS_2024: dict[str, Sequence[Band]] = {
    "o3_1h": ((0.405, 0.604, 301, 500),),
    "pm10_24h": ((425, 604, 301, 500),),
    "co_8h": ((30.5, 50.4, 301, 500),),
    "so2_24h": ((605, 1004, 301, 500),),
    "no2_1h": ((1250, 2049, 301, 500),),
}
_PM25_2015: Sequence[Band] = (
    (0.0, 12.0, 0, 50),
    (12.1, 35.4, 51, 100),
    (35.5, 55.4, 101, 150),
    (55.5, 150.4, 151, 200),
    (150.5, 250.4, 201, 300),
    (250.5, 350.4, 301, 400),
    (350.5, 500.4, 401, 500),
)
_PM25_2024: Sequence[Band] = (
    (0.0, 9.0, 0, 50),
    (9.1, 35.4, 51, 100),
    (35.5, 55.4, 101, 150),
    (55.5, 125.4, 151, 200),
    (125.5, 225.4, 201, 300),
    (225.5, 325.4, 301, 500),
)


def _tables(
    pm25: Sequence[Band], hazardous: dict[str, Sequence[Band]], source: Citation
) -> dict[str, BreakpointTable]:
    tables = {
        "o3_8h": _table("o3_8h", "ppm", 3, _O3_8H, source, top="not_defined"),
        "so2_1h": _table("so2_1h", "ppb", 0, _SO2_1H, source, top="not_defined"),
        "pm25_24h": _table("pm25_24h", "ug/m3", 1, pm25, source),
    }
    for key, low in _LOW_BANDS.items():
        unit, decimals = _UNITS[key]
        tables[key] = _table(key, unit, decimals, (*low, *hazardous[key]), source)
    return dict(sorted(tables.items()))


US_EPA_2015_TABLES = _tables(_PM25_2015, _HAZARDOUS_2015, _SOURCE_2015)
US_EPA_2024_TABLES = _tables(_PM25_2024, _HAZARDOUS_2024, _SOURCE_2024)

_CATEGORY_SOURCE = Citation(
    document="40 CFR Part 58, Appendix G; EPA-454/B-24-002",
    location="Appendix G Table 1 (names, colours); TAD Table 2 (RGB)",
    effective_from=_FROM_2015,
    verification="secondary",
    note=(
        "RGB as reproduced in aqi-hub 0.3.3. Chinese names are greenbri's translation (EPA publishes none); "
        "'优/良' are kept for the Chinese standard so the two scales are not confused."
    ),
)


def _category(
    index: int, low: int, high: int | None, en: str, zh: str, colour: tuple[str, str, tuple[int, int, int]]
) -> Category:
    return category(index, low, high, (en, zh), colour, _CATEGORY_SOURCE)


US_CATEGORIES: tuple[Category, ...] = (
    _category(0, 0, 50, "Good", "良好", ("green", "绿色", (0, 228, 0))),
    _category(1, 51, 100, "Moderate", "中等", ("yellow", "黄色", (255, 255, 0))),
    _category(
        2, 101, 150, "Unhealthy for Sensitive Groups", "对敏感人群不健康", ("orange", "橙色", (255, 126, 0))
    ),
    _category(3, 151, 200, "Unhealthy", "不健康", ("red", "红色", (255, 0, 0))),
    _category(4, 201, 300, "Very Unhealthy", "非常不健康", ("purple", "紫色", (143, 63, 151))),
    _category(5, 301, None, "Hazardous", "危险", ("maroon", "褐红色", (126, 0, 35))),
)


def _rule(name: str, text: str, location: str) -> Rule:
    return Rule(
        name,
        text,
        Citation("40 CFR Part 58, Appendix G; EPA TAD", location, _FROM_2015, verification="secondary"),
    )


_RULES = (
    _rule(
        "Truncation before the lookup",
        "Concentrations are truncated: O3 to 0.001 ppm, PM2.5 to 0.1 ug/m3, PM10 to 1 ug/m3, CO to 0.1 ppm, "
        "SO2 and NO2 to 1 ppb; the index is then rounded to the nearest integer (halves up).",
        "Appendix G section 12; AirNow 'The AQI Equation' (2015 and 2024)",
    ),
    _rule(
        "Ozone 8-hour and 1-hour",
        "8-hour O3 does not define AQI values of 301 and above (no index above 0.200 ppm); 1-hour O3 defines "
        "values from 101 (0.125 ppm). When both are given, the larger index is reported.",
        "Appendix G Table 2, footnotes 1 and 2",
    ),
    _rule(
        "SO2 1-hour and 24-hour",
        "1-hour SO2 does not define AQI values of 201 and above (no index above 304 ppb); 24-hour SO2 defines "
        "values from 201 (305 ppb). When both are given, the larger index is reported.",
        "Appendix G Table 2, footnote 3",
    ),
    _rule(
        "Beyond the top of the scale",
        "Above the highest breakpoint the last band's line is extended (Appendix G 12(ii): 'you may use the "
        "last two breakpoints'); AQI above 500 is 'Beyond the AQI'.",
        "Appendix G section 12(ii); EPA-454/B-24-002",
    ),
    _rule(
        "Critical pollutant",
        "The pollutant(s) with the highest index; ties are all reported.",
        "Appendix G section 4(i)(c)",
    ),
)


def _engine(
    engine_id: str, start: dt.date, end: dt.date | None, tables: dict[str, BreakpointTable]
) -> Engine:
    return Engine(
        engine_id=engine_id,
        standard="us",
        title=f"US EPA AQI, 40 CFR Part 58 Appendix G ({engine_id})",
        effective_from=start,
        effective_to=end,
        verified=True,
        tables=tables,
        categories=US_CATEGORIES,
        rounding="half_up",
        beyond_scale="extrapolate",
        rules=_RULES,
    )


US_EPA_2015 = _engine("us-epa-2015", _FROM_2015, _TO_2015, US_EPA_2015_TABLES)
US_EPA_2024 = _engine("us-epa-2024", _FROM_2024, None, US_EPA_2024_TABLES)
