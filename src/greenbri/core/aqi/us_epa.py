"""United States: the AQI of 40 CFR Part 58, Appendix G, every table as it stood on the date.

Appendix G was set by the AQI rule of 1999 and revised with each NAAQS review that touched a
pollutant's AQI rows. One engine per period in which the whole table was constant:

=============== ========================== ==================================================
engine          in force                   what changed (Federal Register, effective date)
=============== ========================== ==================================================
us-epa-1999     1999-10-04 .. 2008-05-26   AQI rule, 64 FR 42530 (published 1999-08-04)
us-epa-2008     2008-05-27 .. 2010-04-11   O3 8 h rows: 2008 O3 NAAQS, 73 FR 16436
us-epa-2010-no2 2010-04-12 .. 2010-08-22   NO2 1 h rows from 0 ppb: 2010 NO2 NAAQS, 75 FR 6474
us-epa-2010-so2 2010-08-23 .. 2013-03-17   SO2 1 h rows (24 h only from 305 ppb): 2010 SO2
                                           NAAQS, 75 FR 35520 (published 2010-06-22)
us-epa-2012     2013-03-18 .. 2015-12-27   PM2.5 rows 0.0-12.0 Good: 2012 PM NAAQS, 78 FR 3086
us-epa-2015     2015-12-28 .. 2024-05-05   O3 8 h rows: 2015 O3 NAAQS, 80 FR 65292
us-epa-2024     2024-05-06 ..              PM2.5 rows 0.0-9.0 Good, one Hazardous band 301-500
                                           for every pollutant: 89 FR 16202
=============== ========================== ==================================================

What was read, and how each table is marked (``Citation.verification``, ``uncertain`` rows):

* The full table of 2008-05-27 (O3 8 and 1 h, PM2.5 1999 rows, PM10, CO, SO2 24 h in ppm, NO2
  from 0.65 ppm) was read in the CFR correction 74 FR 30469 (2009-06-26), which reprints
  Appendix G Table 2 as of July 2008; the 2008 O3 rule's effective date (2008-05-27) and its
  "conforming changes to the AQI for O3" in 73 FR 16436; the NO2 rule's effective date
  (2010-04-12) in 75 FR 6474; the 2024 table in EPA-454/B-24-002 Table 6 (read here, from the
  PDF in ``../shared/standards``). PM2.5 history and its dates: ``../shared/standards/README.md``.
* The 1999 O3 8-hour rows (0.000-0.064 / 0.065-0.084 / 0.085-0.104 / 0.105-0.124 /
  0.125-0.374 ppm) were **not** read in a source during this work: they are marked uncertain.
* The 1999 rule's effective date 1999-10-04 was read in Federal Register metadata of FR Doc
  99-19433, not in its DATES paragraph; the SO2 rule's effective date 2010-08-23 (60 days after
  publication) was not read in the rule: both are marked secondary in the citation notes.
* The rows added in 2010 (NO2 and SO2 1 h, in ppb) are those of EPA-454/B-24-002 Table 6,
  which kept them unchanged; that the 2010 rules set exactly these rows was not read in the
  rules' own text (secondary).

Units: PM in ug/m3 (24-hour), O3 and CO in ppm, SO2 and NO2 in ppb. The 1999 rule wrote SO2 and
NO2 in ppm (truncated to 0.001 and 0.01 ppm); those rows are given here in ppb (x1000) with the
same truncation (1 ppb, 10 ppb), so one unit serves every date. Before 2010 there is no SO2
1-hour and no NO2 index below 650 ppb: such values are ``not_indexed`` on those dates.

Before 1999-10-04 no engine applies (the Pollutant Standards Index was in force): a date before
it is refused with :class:`~greenbri.core.aqi.errors.DateOutOfCoverageError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from greenbri.core.aqi.engine import Engine, Rule
from greenbri.core.aqi.tables import (
    BreakpointRow,
    BreakpointTable,
    Category,
    Citation,
    TopRule,
    Verification,
    category,
)

__all__ = [
    "US_CATEGORIES",
    "US_ENGINES",
    "US_EPA_2015",
    "US_EPA_2015_TABLES",
    "US_EPA_2024",
    "US_EPA_2024_TABLES",
]

Band = tuple[float, float, int, int]


@dataclass(frozen=True)
class _Revision:
    """One Federal Register action that changed Appendix G, and from which day."""

    engine_id: str
    effective_from: dt.date
    document: str
    location: str
    verification: Verification
    note: str


_REVISIONS = (
    _Revision(
        "us-epa-1999",
        dt.date(1999, 10, 4),
        "40 CFR Part 58, Appendix G (AQI rule, 64 FR 42530, published 1999-08-04)",
        "Appendix G Table 2 (Breakpoints for the AQI), as reprinted in 74 FR 30469 for every pollutant but O3 8 h",
        "secondary",
        "Effective date 1999-10-04 read in Federal Register metadata of FR Doc 99-19433, not in the rule's DATES "
        "paragraph. O3 8-hour rows not read in a source (marked uncertain).",
    ),
    _Revision(
        "us-epa-2008",
        dt.date(2008, 5, 27),
        "40 CFR Part 58, Appendix G (2008 O3 NAAQS, 73 FR 16436; table reprinted in 74 FR 30469)",
        "Appendix G Table 2 (Breakpoints for the AQI)",
        "primary",
        "Table read in the CFR correction 74 FR 30469 (2009-06-26); effective date in 73 FR 16436 (DATES).",
    ),
    _Revision(
        "us-epa-2010-no2",
        dt.date(2010, 4, 12),
        "40 CFR Part 58, Appendix G (2010 NO2 NAAQS, 75 FR 6474)",
        "Appendix G Table 2 (Breakpoints for the AQI), NO2 1-hour column",
        "secondary",
        "Effective date read in 75 FR 6474 (DATES); the NO2 rows are those of EPA-454/B-24-002 Table 6, which "
        "kept them; the rule's own table was not read.",
    ),
    _Revision(
        "us-epa-2010-so2",
        dt.date(2010, 8, 23),
        "40 CFR Part 58, Appendix G (2010 SO2 NAAQS, 75 FR 35520, published 2010-06-22)",
        "Appendix G Table 2 (Breakpoints for the AQI), SO2 columns",
        "secondary",
        "Effective date (60 days after publication) not read in the rule; SO2 rows are those of EPA-454/B-24-002 "
        "Table 6 and its SO2 section, which kept them.",
    ),
    _Revision(
        "us-epa-2012",
        dt.date(2013, 3, 18),
        "40 CFR Part 58, Appendix G (2012 PM NAAQS, 78 FR 3086, published 2013-01-15)",
        "Appendix G Table 2 (Breakpoints for the AQI), PM2.5 column",
        "secondary",
        "PM2.5 rows and effective date as in ../shared/standards/README.md and EPA-454/B-18-007 Table 5.",
    ),
    _Revision(
        "us-epa-2015",
        dt.date(2015, 12, 28),
        "40 CFR Part 58, Appendix G (2015 O3 NAAQS, 80 FR 65292); EPA-454/B-18-007",
        "Appendix G Table 2 (Breakpoints for the AQI); TAD Table 5",
        "secondary",
        "O3 8-hour rows agree with EPA-454/B-24-002 Table 6 (read), which kept them; python-aqi 0.6.1 and "
        "aqi-hub 0.3.3 agree; the CFR text was not read.",
    ),
    _Revision(
        "us-epa-2024",
        dt.date(2024, 5, 6),
        "40 CFR Part 58, Appendix G (PM NAAQS reconsideration, 89 FR 16202); EPA-454/B-24-002",
        "Appendix G Table 2 (Breakpoints for the AQI); TAD Table 6",
        "primary",
        "Every row read in EPA-454/B-24-002 Table 6 (../shared/standards/epa-454-b-24-002.pdf); the CFR text "
        "itself was not read.",
    ),
)

# Columns of Appendix G Table 2 as each revision left them (band: c_lo, c_hi, i_lo, i_hi).
_O3_8H: dict[str, Sequence[Band]] = {
    "us-epa-1999": (
        (0.000, 0.064, 0, 50),
        (0.065, 0.084, 51, 100),
        (0.085, 0.104, 101, 150),
        (0.105, 0.124, 151, 200),
        (0.125, 0.374, 201, 300),
    ),
    "us-epa-2008": (
        (0.000, 0.059, 0, 50),
        (0.060, 0.075, 51, 100),
        (0.076, 0.095, 101, 150),
        (0.096, 0.115, 151, 200),
        (0.116, 0.374, 201, 300),
    ),
    "us-epa-2015": (
        (0.000, 0.054, 0, 50),
        (0.055, 0.070, 51, 100),
        (0.071, 0.085, 101, 150),
        (0.086, 0.105, 151, 200),
        (0.106, 0.200, 201, 300),
    ),
}
_PM25_24H: dict[str, Sequence[Band]] = {
    "us-epa-1999": (
        (0.0, 15.4, 0, 50),
        (15.5, 40.4, 51, 100),
        (40.5, 65.4, 101, 150),
        (65.5, 150.4, 151, 200),
        (150.5, 250.4, 201, 300),
        (250.5, 350.4, 301, 400),
        (350.5, 500.4, 401, 500),
    ),
    "us-epa-2012": (
        (0.0, 12.0, 0, 50),
        (12.1, 35.4, 51, 100),
        (35.5, 55.4, 101, 150),
        (55.5, 150.4, 151, 200),
        (150.5, 250.4, 201, 300),
        (250.5, 350.4, 301, 400),
        (350.5, 500.4, 401, 500),
    ),
    "us-epa-2024": (
        (0.0, 9.0, 0, 50),
        (9.1, 35.4, 51, 100),
        (35.5, 55.4, 101, 150),
        (55.5, 125.4, 151, 200),
        (125.5, 225.4, 201, 300),
        (225.5, 325.4, 301, 500),
    ),
}
_NO2_1H: dict[str, Sequence[Band]] = {
    # 1999: 0.65-1.24 / 1.25-1.64 / 1.65-2.04 ppm, truncated to 0.01 ppm (= 10 ppb)
    "us-epa-1999": ((650, 1240, 201, 300), (1250, 1640, 301, 400), (1650, 2040, 401, 500)),
    "us-epa-2010-no2": (
        (0, 53, 0, 50),
        (54, 100, 51, 100),
        (101, 360, 101, 150),
        (361, 649, 151, 200),
        (650, 1249, 201, 300),
        (1250, 1649, 301, 400),
        (1650, 2049, 401, 500),
    ),
}
_SO2_24H: dict[str, Sequence[Band]] = {
    # 1999: 0.000-0.034 ... 0.805-1.004 ppm, truncated to 0.001 ppm (= 1 ppb)
    "us-epa-1999": (
        (0, 34, 0, 50),
        (35, 144, 51, 100),
        (145, 224, 101, 150),
        (225, 304, 151, 200),
        (305, 604, 201, 300),
        (605, 804, 301, 400),
        (805, 1004, 401, 500),
    ),
    "us-epa-2010-so2": ((305, 604, 201, 300), (605, 804, 301, 400), (805, 1004, 401, 500)),
}
_SO2_1H: dict[str, Sequence[Band]] = {
    "us-epa-2010-so2": ((0, 35, 0, 50), (36, 75, 51, 100), (76, 185, 101, 150), (186, 304, 151, 200)),
}
_O3_1H: dict[str, Sequence[Band]] = {
    "us-epa-1999": (
        (0.125, 0.164, 101, 150),
        (0.165, 0.204, 151, 200),
        (0.205, 0.404, 201, 300),
        (0.405, 0.504, 301, 400),
        (0.505, 0.604, 401, 500),
    ),
}
_PM10_24H: dict[str, Sequence[Band]] = {
    "us-epa-1999": (
        (0, 54, 0, 50),
        (55, 154, 51, 100),
        (155, 254, 101, 150),
        (255, 354, 151, 200),
        (355, 424, 201, 300),
        (425, 504, 301, 400),
        (505, 604, 401, 500),
    ),
}
_CO_8H: dict[str, Sequence[Band]] = {
    "us-epa-1999": (
        (0.0, 4.4, 0, 50),
        (4.5, 9.4, 51, 100),
        (9.5, 12.4, 101, 150),
        (12.5, 15.4, 151, 200),
        (15.5, 30.4, 201, 300),
        (30.5, 40.4, 301, 400),
        (40.5, 50.4, 401, 500),
    ),
}

#: key -> (column history, unit, truncation decimals in that unit, top rule)
_COLUMNS: dict[str, tuple[dict[str, Sequence[Band]], str, int, TopRule]] = {
    "o3_8h": (_O3_8H, "ppm", 3, "not_defined"),
    "o3_1h": (_O3_1H, "ppm", 3, "scale"),
    "pm25_24h": (_PM25_24H, "ug/m3", 1, "scale"),
    "pm10_24h": (_PM10_24H, "ug/m3", 0, "scale"),
    "co_8h": (_CO_8H, "ppm", 1, "scale"),
    "so2_1h": (_SO2_1H, "ppb", 0, "not_defined"),
    "so2_24h": (_SO2_24H, "ppb", 0, "scale"),
    "no2_1h": (_NO2_1H, "ppb", 0, "scale"),
}
#: Truncation of the 1999 rows written in ppm, in ppb: SO2 0.001 ppm = 1 ppb, NO2 0.01 ppm = 10 ppb.
_TRUNCATION_1999 = {"no2_1h": -1}
#: 89 FR 16202 merged the two Hazardous bands (301-400, 401-500) of every pollutant into one.
_MERGED_HAZARDOUS_FROM = "us-epa-2024"
#: Rows not read in any source during this work (see the module docstring).
_UNCERTAIN = {("us-epa-1999", "o3_8h")}


def _in_force(history: dict[str, Sequence[Band]], revision: _Revision) -> tuple[str, Sequence[Band]] | None:
    """The latest column of ``history`` set on or before ``revision`` (by order of _REVISIONS)."""
    order = [r.engine_id for r in _REVISIONS]
    found = None
    for engine_id in order[: order.index(revision.engine_id) + 1]:
        if engine_id in history:
            found = (engine_id, history[engine_id])
    return found


def _merge_hazardous(bands: Sequence[Band]) -> Sequence[Band]:
    if len(bands) < 2 or bands[-2][2:] != (301, 400) or bands[-1][2:] != (401, 500):
        return bands
    return (*bands[:-2], (bands[-2][0], bands[-1][1], 301, 500))


def _tables(revision: _Revision) -> dict[str, BreakpointTable]:
    tables = {}
    for key, (history, unit, decimals, top) in _COLUMNS.items():
        found = _in_force(history, revision)
        if found is None:
            continue
        set_by, bands = found
        if revision.engine_id == _MERGED_HAZARDOUS_FROM and _merge_hazardous(bands) != bands:
            bands, set_by = _merge_hazardous(bands), revision.engine_id  # the 2024 rule rewrote the column
        uncertain = (set_by, key) in _UNCERTAIN
        rows = tuple(
            BreakpointRow(
                c_lo, c_hi, i_lo, i_hi, uncertain=uncertain, note="not read in a source" if uncertain else ""
            )
            for c_lo, c_hi, i_lo, i_hi in bands
        )
        source = next(r for r in _REVISIONS if r.engine_id == set_by)
        citation = Citation(
            document=source.document,
            location=source.location,
            effective_from=source.effective_from,
            verification=source.verification,
            note=source.note,
        )
        truncation = _TRUNCATION_1999.get(key, decimals) if set_by == "us-epa-1999" else decimals
        tables[key] = BreakpointTable(
            key=key, unit=unit, rows=rows, citation=citation, truncate_decimals=truncation, top=top
        )
    return dict(sorted(tables.items()))


_CATEGORY_SOURCE = Citation(
    document="40 CFR Part 58, Appendix G; EPA-454/B-24-002",
    location="Appendix G Table 1 (names, colours); TAD Table 2 (RGB)",
    effective_from=_REVISIONS[0].effective_from,
    verification="secondary",
    note=(
        "RGB as reproduced in aqi-hub 0.3.3. Chinese names are greenbri's translation (EPA publishes none); "
        "'优/良' are kept for the Chinese standard so the two scales are not confused. The six names and "
        "colours date from the 1999 rule (64 FR 42530 summary: the category 'unhealthy for sensitive groups' "
        "and specific colours)."
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
        Citation(
            "40 CFR Part 58, Appendix G; EPA TAD",
            location,
            _REVISIONS[0].effective_from,
            verification="secondary",
        ),
    )


_RULES = (
    _rule(
        "Truncation before the lookup",
        "Concentrations are truncated: O3 to 0.001 ppm, PM2.5 to 0.1 ug/m3, PM10 to 1 ug/m3, CO to 0.1 ppm, "
        "SO2 and NO2 to 1 ppb (before 2010: SO2 to 0.001 ppm = 1 ppb, NO2 to 0.01 ppm = 10 ppb); the index is "
        "then rounded to the nearest integer (halves up).",
        "Appendix G section 12; AirNow 'The AQI Equation' (2015 and 2024)",
    ),
    _rule(
        "Ozone 8-hour and 1-hour",
        "8-hour O3 does not define AQI values of 301 and above (no index above 0.374 ppm before 2015-12-28, "
        "0.200 ppm after); 1-hour O3 defines values from 101 (0.125 ppm). When both are given, the larger "
        "index is reported.",
        "Appendix G Table 2, footnotes 1 and 2",
    ),
    _rule(
        "SO2 1-hour and 24-hour",
        "From 2010-08-23, 1-hour SO2 does not define AQI values of 201 and above (no index above 304 ppb); "
        "24-hour SO2 defines values from 201 (305 ppb). When both are given, the larger index is reported. "
        "Before, only 24-hour SO2 is indexed (from 0).",
        "Appendix G Table 2, footnote 3; EPA-454/B-24-002 'Calculating AQI values for SO2'",
    ),
    _rule(
        "NO2 before 2010-04-12",
        "The 1999 table indexes 1-hour NO2 only from 0.65 ppm (650 ppb, AQI 201): lower values have no index.",
        "Appendix G Table 2 as of 1999 (74 FR 30469 reprint)",
    ),
    _rule(
        "Beyond the top of the scale",
        "Above the highest breakpoint the last band's line is extended (Appendix G 12(ii): 'you may use the "
        "last two breakpoints'); AQI above 500 is 'Beyond the AQI'.",
        "Appendix G section 12(ii); EPA-454/B-24-002 Table 6, footnote 4",
    ),
    _rule(
        "Critical pollutant",
        "The pollutant(s) with the highest index; ties are all reported.",
        "Appendix G section 4(i)(c)",
    ),
)


def _engine(revision: _Revision, end: dt.date | None) -> Engine:
    return Engine(
        engine_id=revision.engine_id,
        standard="us",
        title=f"US EPA AQI, 40 CFR Part 58 Appendix G ({revision.engine_id})",
        effective_from=revision.effective_from,
        effective_to=end,
        verified=True,
        tables=_tables(revision),
        categories=US_CATEGORIES,
        rounding="half_up",
        beyond_scale="extrapolate",
        rules=_RULES,
    )


#: Every US engine, oldest first; each ends the day before the next begins.
US_ENGINES: tuple[Engine, ...] = tuple(
    _engine(revision, None if later is None else later.effective_from - dt.timedelta(days=1))
    for revision, later in zip(_REVISIONS, (*_REVISIONS[1:], None), strict=True)
)
US_EPA_2015 = next(engine for engine in US_ENGINES if engine.engine_id == "us-epa-2015")
US_EPA_2024 = US_ENGINES[-1]
US_EPA_2015_TABLES = dict(US_EPA_2015.tables)
US_EPA_2024_TABLES = dict(US_EPA_2024.tables)
