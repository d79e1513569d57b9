"""China: HJ 633-2012 (in force 2016-01-01 to 2026-02-28) and HJ 633-2026 (from 2026-03-01).

HJ 633-2012 《环境空气质量指数（AQI）技术规定（试行）》 Technical Regulation on Ambient
Air Quality Index (on trial), Ministry of Environmental Protection, issued 2012-02-29,
implemented 2016-01-01 (cover page) together with GB 3095-2012.

HJ 633-2026 《环境空气质量指数（AQI）技术规定》 Technical Regulation on Ambient Air Quality
Index, Ministry of Ecology and Environment, approved 2026-02-14, in force 2026-03-01 (foreword,
page II), replacing HJ 633-2012. Entered from the published scan (9 pages; the copy in
``../shared/standards/hj-633-2026.pdf``), every cell checked against the page image:

* Table 3 (page 3): the IAQI breakpoints. Against HJ 633-2012 two cells change: PM2.5 24 h at
  IAQI 100 is 60 ug/m3 (was 75) and PM10 24 h at IAQI 100 is 120 ug/m3 (was 150).
* Table 3 notes b and c: SO2 1 h above 800 ug/m3 counts as IAQI 200; O3 8 h above 800 ug/m3
  counts as IAQI 300 (HJ 633-2012 gave no index and used another averaging period).
* Clause 4.2.2 and 4.2.3 (page 2): concentrations rounded by GB/T 8170 to integers, CO to one
  decimal. Clause 4.2.4 (pages 2-3): real-time PM10 and PM2.5 (1-hour values) use the 24-hour
  breakpoints. Clause 4.2.6 (page 3): IAQI and AQI rounded up to integers.
* Clause 5.3.1 (page 4): with a pollutant missing or invalid, the AQI is published only when
  above 100; otherwise only the single pollutants' concentrations and sub-indices are, the AQI
  and category being marked NA.
* Table 1 (page 2) and Appendix A Table A.1 (page 6): categories and their colours, unchanged.

Units: ug/m3 for SO2, NO2, O3, PM10, PM2.5; mg/m3 for CO (both regulations' Table 1 / Table 3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from greenbri.core.aqi.engine import Engine, Rule
from greenbri.core.aqi.tables import BreakpointRow, BreakpointTable, Category, Citation, TopRule, category

__all__ = [
    "HJ633_2012",
    "HJ633_2012_TABLES",
    "HJ633_2026",
    "HJ633_2026_CATEGORIES",
    "HJ633_2026_TABLES",
    "HJ633_CATEGORIES",
]

_FROM_2012 = dt.date(2016, 1, 1)
_TO_2012 = dt.date(2026, 2, 28)
_FROM_2026 = dt.date(2026, 3, 1)

_TABLE_1 = Citation(
    document="HJ 633-2012",
    location="Table 1 (空气质量分指数及对应的污染物项目浓度限值)",
    effective_from=_FROM_2012,
    effective_to=_TO_2012,
    verification="secondary",
    note=(
        "Values agree with two independent implementations (aqi-hub 0.3.3, python-aqi 0.6.1 'mep') "
        "and with published worked formulas; the standard's PDF itself was not readable in this session."
    ),
)

# IAQI breakpoints of HJ 633-2012 Table 1, shared by every column.
_IAQI = (0, 50, 100, 150, 200, 300, 400, 500)


def _table(
    key: str, unit: str, limits: Sequence[float], *, top: TopRule = "scale", note: str = ""
) -> BreakpointTable:
    rows = tuple(
        BreakpointRow(c_lo=float(lo), c_hi=float(hi), i_lo=i_lo, i_hi=i_hi)
        for lo, hi, i_lo, i_hi in zip(limits, limits[1:], _IAQI, _IAQI[1:], strict=False)
    )
    citation = Citation(
        document=_TABLE_1.document,
        location=_TABLE_1.location + (f"; {note}" if note else ""),
        effective_from=_FROM_2012,
        effective_to=_TO_2012,
        verification="secondary",
        note=_TABLE_1.note,
    )
    return BreakpointTable(key=key, unit=unit, rows=rows, citation=citation, top=top)


HJ633_2012_TABLES: dict[str, BreakpointTable] = {
    "so2_24h": _table("so2_24h", "ug/m3", (0, 50, 150, 475, 800, 1600, 2100, 2620)),
    "so2_1h": _table(
        "so2_1h", "ug/m3", (0, 150, 500, 650, 800), top="not_defined", note="note (2): above 800 not indexed"
    ),
    "no2_24h": _table("no2_24h", "ug/m3", (0, 40, 80, 180, 280, 565, 750, 940)),
    "no2_1h": _table("no2_1h", "ug/m3", (0, 100, 200, 700, 1200, 2340, 3090, 3840)),
    "pm10_24h": _table("pm10_24h", "ug/m3", (0, 50, 150, 250, 350, 420, 500, 600)),
    "co_24h": _table("co_24h", "mg/m3", (0, 2, 4, 14, 24, 36, 48, 60)),
    "co_1h": _table("co_1h", "mg/m3", (0, 5, 10, 35, 60, 90, 120, 150)),
    "o3_1h": _table("o3_1h", "ug/m3", (0, 160, 200, 300, 400, 800, 1000, 1200)),
    "o3_8h": _table(
        "o3_8h",
        "ug/m3",
        (0, 100, 160, 215, 265, 800),
        top="not_defined",
        note="note (3): above 800 not indexed",
    ),
    "pm25_24h": _table("pm25_24h", "ug/m3", (0, 35, 75, 115, 150, 250, 350, 500)),
}

_CATEGORY_SOURCE = Citation(
    document="HJ 633-2012",
    location="Table 2 (空气质量指数及相关信息); colours: Appendix A (空气质量指数类别的表示颜色)",
    effective_from=_FROM_2012,
    effective_to=_TO_2012,
    verification="secondary",
    note=(
        "Categories and colour names as in Table 2; RGB as in Appendix A, read in aqi-hub's reproduction "
        "of the appendix. English names are those of the Ministry's bilingual publications, not of HJ 633-2012."
    ),
)


def _category(
    index: int, low: int, high: int | None, en: str, zh: str, colour: tuple[str, str, tuple[int, int, int]]
) -> Category:
    return category(index, low, high, (en, zh), colour, _CATEGORY_SOURCE)


HJ633_CATEGORIES: tuple[Category, ...] = (
    _category(0, 0, 50, "Good", "优", ("green", "绿色", (0, 228, 0))),
    _category(1, 51, 100, "Moderate", "良", ("yellow", "黄色", (255, 255, 0))),
    _category(2, 101, 150, "Lightly Polluted", "轻度污染", ("orange", "橙色", (255, 126, 0))),
    _category(3, 151, 200, "Moderately Polluted", "中度污染", ("red", "红色", (255, 0, 0))),
    _category(4, 201, 300, "Heavily Polluted", "重度污染", ("purple", "紫色", (153, 0, 76))),
    _category(5, 301, None, "Severely Polluted", "严重污染", ("maroon", "褐红色", (126, 0, 35))),
)


def _rule(name: str, text: str, location: str) -> Rule:
    citation = Citation("HJ 633-2012", location, _FROM_2012, _TO_2012, verification="secondary")
    return Rule(name, text, citation)


_RULES_2012 = (
    _rule(
        "1-hour limits for real-time reports only",
        "SO2, NO2 and CO 1-hour limits serve the real-time (hourly) report; the daily report uses the "
        "24-hour limits. greenbri refuses a mapping holding both the 1-hour and the 24-hour value of NO2 "
        "or CO; so2_24h may accompany so2_1h only as the note (2) stand-in.",
        "Table 1, note (1)",
    ),
    _rule(
        "SO2 1-hour above 800 ug/m3",
        "A 1-hour SO2 value above 800 ug/m3 gets no IAQI; the SO2 IAQI is reported from the 24-hour "
        "average (so2_24h), when given.",
        "Table 1, note (2)",
    ),
    _rule(
        "O3 8-hour above 800 ug/m3",
        "An 8-hour O3 value above 800 ug/m3 gets no IAQI; the O3 IAQI is reported from the 1-hour value "
        "(o3_1h), when given.",
        "Table 1, note (3)",
    ),
    _rule(
        "Rounding",
        "IAQI is rounded up to the integer (进位取整数) after formula (1); AQI is the maximum IAQI. "
        "UNCERTAIN: the clause text was not read in this version; aqi-hub applies the same ceiling.",
        "clause 4 (AQI calculation), as reported",
    ),
    _rule(
        "Primary pollutant",
        "When AQI > 50, the pollutant(s) with the largest IAQI are primary (首要污染物); ties are all primary.",
        "clause 3 (terms and definitions)",
    ),
    _rule(
        "Exceeding pollutant",
        "A pollutant whose IAQI is above 100 exceeds the grade II limit (超标污染物).",
        "clause 3 (terms and definitions)",
    ),
    _rule(
        "Beyond the top of the scale",
        "HJ 633-2012 gives no index above 500. greenbri caps the IAQI at 500 by default (the practice of "
        "published Chinese AQI, reported as 'beyond the index'); 'extrapolate' and 'nan' can be chosen.",
        "not in the standard (greenbri policy)",
    ),
)

HJ633_2012 = Engine(
    engine_id="hj633-2012",
    standard="cn",
    title="HJ 633-2012 Technical Regulation on Ambient Air Quality Index (on trial)",
    effective_from=_FROM_2012,
    effective_to=_TO_2012,
    verified=True,
    tables=HJ633_2012_TABLES,
    categories=HJ633_CATEGORIES,
    rounding="ceil",
    beyond_scale="cap",
    primary_above=50,
    exceeding_above=100,
    fallbacks={"so2_24h": "so2_1h"},
    exclusive=(frozenset({"no2_1h", "no2_24h"}), frozenset({"co_1h", "co_24h"})),
    rules=_RULES_2012,
)

_TABLE_3 = Citation(
    document="HJ 633-2026",
    location="Table 3 (空气质量分指数及对应的污染物项目浓度限值), page 3",
    effective_from=_FROM_2026,
    verification="primary",
    note="Entered from the scan of the published standard; every cell checked against the page image.",
)


def _table_2026(
    key: str, unit: str, limits: Sequence[float], *, decimals: int = 0, top: TopRule = "scale", note: str = ""
) -> BreakpointTable:
    rows = tuple(
        BreakpointRow(c_lo=float(lo), c_hi=float(hi), i_lo=i_lo, i_hi=i_hi)
        for lo, hi, i_lo, i_hi in zip(limits, limits[1:], _IAQI, _IAQI[1:], strict=False)
    )
    citation = Citation(
        document=_TABLE_3.document,
        location=_TABLE_3.location + "; rounding: clause 4.2.2" + (f"; {note}" if note else ""),
        effective_from=_FROM_2026,
        verification="primary",
        note=_TABLE_3.note,
    )
    return BreakpointTable(key=key, unit=unit, rows=rows, citation=citation, top=top, round_decimals=decimals)


HJ633_2026_TABLES: dict[str, BreakpointTable] = {
    "so2_24h": _table_2026("so2_24h", "ug/m3", (0, 50, 150, 475, 800, 1600, 2100, 2620)),
    "so2_1h": _table_2026(
        "so2_1h", "ug/m3", (0, 150, 500, 650, 800), top="top_index", note="note b: above 800 counts as 200"
    ),
    "no2_24h": _table_2026("no2_24h", "ug/m3", (0, 40, 80, 180, 280, 565, 750, 940)),
    "no2_1h": _table_2026("no2_1h", "ug/m3", (0, 100, 200, 700, 1200, 2340, 3090, 3840)),
    "pm10_24h": _table_2026("pm10_24h", "ug/m3", (0, 50, 120, 250, 350, 420, 500, 600)),
    "co_24h": _table_2026("co_24h", "mg/m3", (0, 2, 4, 14, 24, 36, 48, 60), decimals=1),
    "co_1h": _table_2026("co_1h", "mg/m3", (0, 5, 10, 35, 60, 90, 120, 150), decimals=1),
    "o3_1h": _table_2026("o3_1h", "ug/m3", (0, 160, 200, 300, 400, 800, 1000, 1200)),
    "o3_8h": _table_2026(
        "o3_8h",
        "ug/m3",
        (0, 100, 160, 215, 265, 800),
        top="top_index",
        note="note c: above 800 counts as 300",
    ),
    "pm25_24h": _table_2026("pm25_24h", "ug/m3", (0, 35, 60, 115, 150, 250, 350, 500)),
}

_CATEGORY_SOURCE_2026 = Citation(
    document="HJ 633-2026",
    location="Table 1 (空气质量指数及相关信息), page 2; colours: Appendix A, Table A.1, page 6",
    effective_from=_FROM_2026,
    verification="primary",
    note=(
        "Names, levels and colours as in the scan, unchanged from HJ 633-2012 (Table 1 writes the first "
        "range as 1~50; an AQI of 0 is put in it here). English names are those of the Ministry's "
        "bilingual publications, not of HJ 633-2026."
    ),
)

HJ633_2026_CATEGORIES: tuple[Category, ...] = tuple(
    category(
        old.index,
        old.aqi_low,
        old.aqi_high,
        (old.name_en, old.name_zh),
        (old.colour_name_en, old.colour_name_zh, old.rgb),
        _CATEGORY_SOURCE_2026,
    )
    for old in HJ633_CATEGORIES
)


def _rule_2026(name: str, text: str, location: str) -> Rule:
    return Rule(name, text, Citation("HJ 633-2026", location, _FROM_2026, verification="primary"))


_RULES_2026 = (
    _rule_2026(
        "1-hour limits for real-time reports only",
        "The 1-hour limits of SO2, NO2, CO and O3 serve only the real-time (hourly) report; the daily "
        "report uses the 24-hour means and the O3 daily maximum 8-hour mean. greenbri refuses a mapping "
        "holding both the 1-hour and the daily value of SO2, NO2, CO or O3.",
        "Table 3, note a; clauses 4.2.2 and 4.2.3",
    ),
    _rule_2026(
        "SO2 1-hour above 800 ug/m3",
        "A 1-hour SO2 value above 800 ug/m3 counts as IAQI 200 (no 24-hour stand-in any more).",
        "Table 3, note b",
    ),
    _rule_2026(
        "O3 8-hour above 800 ug/m3",
        "An 8-hour O3 value above 800 ug/m3 counts as IAQI 300.",
        "Table 3, note c",
    ),
    _rule_2026(
        "Real-time PM",
        "The real-time report indexes the 1-hour PM10 and PM2.5 concentrations with the 24-hour "
        "breakpoints: pass hourly PM under pm10_24h / pm25_24h.",
        "clause 4.2.4 (definitions of BP_Hi and BP_Lo)",
    ),
    _rule_2026(
        "Rounding of concentrations",
        "Concentrations are rounded by GB/T 8170 (halves to even) before the lookup: SO2, NO2, O3, PM10 "
        "and PM2.5 in ug/m3 to integers, CO in mg/m3 to one decimal.",
        "clauses 4.2.2 and 4.2.3",
    ),
    _rule_2026(
        "Rounding of the index",
        "IAQI and AQI are rounded up to integers (全部向上进位取整数，不保留小数).",
        "clause 4.2.6",
    ),
    _rule_2026(
        "Primary pollutant",
        "When AQI > 50, the pollutant(s) with the largest IAQI are primary; ties are all primary.",
        "clause 3.3; clause 4.3.1",
    ),
    _rule_2026(
        "Missing pollutant",
        "With one of the six pollutants missing or invalid, the AQI of the others is published only when "
        "above 100; otherwise the AQI, category and primary pollutant are NA and only the sub-indices "
        "are reported (greenbri: aqi NaN, category NO DATA, withheld=True). The exemption of clause 5.3.2 "
        "(a pollutant a monitoring plan does not measure and that was not primary at light pollution or "
        "worse in three years) needs station history and is not applied.",
        "clauses 5.3.1 and 5.3.2",
    ),
    _rule_2026(
        "Beyond the top of the scale",
        "HJ 633-2026 gives no index above 500 (clause 4.1.1: AQI 1-500). greenbri caps the IAQI at 500 by "
        "default; 'extrapolate' and 'nan' can be chosen.",
        "clause 4.1.1; the cap is greenbri policy",
    ),
)

#: The six pollutants of the daily and real-time reports (clauses 4.2.2 and 4.2.3).
_SIX_POLLUTANTS = frozenset({"so2", "no2", "co", "o3", "pm10", "pm25"})

HJ633_2026 = Engine(
    engine_id="hj633-2026",
    standard="cn",
    title="HJ 633-2026 Technical Regulation on Ambient Air Quality Index",
    effective_from=_FROM_2026,
    effective_to=None,
    verified=True,
    tables=HJ633_2026_TABLES,
    categories=HJ633_2026_CATEGORIES,
    rounding="ceil",
    beyond_scale="cap",
    primary_above=50,
    exceeding_above=100,
    exclusive=(
        frozenset({"so2_1h", "so2_24h"}),
        frozenset({"no2_1h", "no2_24h"}),
        frozenset({"co_1h", "co_24h"}),
        frozenset({"o3_1h", "o3_8h"}),
    ),
    rules=_RULES_2026,
    required_pollutants=_SIX_POLLUTANTS,
    incomplete_published_above=100,
)
