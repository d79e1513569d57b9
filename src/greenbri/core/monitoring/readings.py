"""The layout of stations and readings: the contract between ingest, stores, derived series and alerts.

A **reading** is one value of one parameter at one station for one averaging period:

=================  ===========================  ==============================================
column             type                         meaning
=================  ===========================  ==============================================
station_id         string                       the station's id (unique within greenbri)
parameter          string                       a :data:`PARAMETERS` key (``pm25``, ``o3`` ...)
time_utc           timestamp[us, tz=UTC]        **start** of the averaging period, in UTC
source_timezone    string                       the source's time zone as given (``+08:00``,
                                                ``Asia/Shanghai``, ``UTC``)
averaging          string                       ``1h``, ``8h``, ``24h``, ``1y`` (period length)
value              float64, null allowed        the value in ``unit``; null when missing
unit               string                       ``ug/m3``, ``mg/m3``, ``ppb``, ``ppm``, ``mg/l`` ...
qa_flags           int32                        :class:`QaFlag` bits set at ingest (0: none)
batch_id           string                       the ingest batch that stored the row
=================  ===========================  ==============================================

The key of a reading is ``(station_id, parameter, averaging, time_utc)``. Times are stored as the
start of the period: an "hour ending 08:00" value (China's national network) is stored at 07:00
local time converted to UTC. Missing values are kept as rows with a null ``value`` and the
``MISSING`` flag: nothing is silently dropped.

A **station** has the columns of :data:`STATION_COLUMNS`.
"""

from __future__ import annotations

from enum import IntFlag

__all__ = [
    "PARAMETERS",
    "READING_COLUMNS",
    "READING_KEY",
    "STATION_COLUMNS",
    "QaFlag",
]

#: Reading columns and their Arrow type names (``pyarrow.type_for_alias`` spelling, except the
#: timestamp, which is ``timestamp[us, tz=UTC]``).
READING_COLUMNS: dict[str, str] = {
    "station_id": "string",
    "parameter": "string",
    "time_utc": "timestamp[us, tz=UTC]",
    "source_timezone": "string",
    "averaging": "string",
    "value": "double",
    "unit": "string",
    "qa_flags": "int32",
    "batch_id": "string",
}

#: The columns that identify a reading; a second row with the same key is a duplicate.
READING_KEY: tuple[str, ...] = ("station_id", "parameter", "averaging", "time_utc")

#: Station columns and their Arrow type names. ``parameters`` is a comma-separated list of
#: :data:`PARAMETERS` keys; ``active_from`` / ``active_to`` are UTC times (null: unknown / still active).
STATION_COLUMNS: dict[str, str] = {
    "station_id": "string",
    "name_en": "string",
    "name_zh": "string",
    "longitude": "double",
    "latitude": "double",
    "country": "string",
    "city": "string",
    "station_type": "string",
    "operator": "string",
    "parameters": "string",
    "active_from": "timestamp[us, tz=UTC]",
    "active_to": "timestamp[us, tz=UTC]",
    "source": "string",
}

#: Parameter keys with their English and Chinese names and the unit greenbri stores them in
#: when the source's unit can be converted (otherwise the source unit is kept and recorded).
PARAMETERS: dict[str, tuple[str, str, str]] = {
    "pm25": ("PM2.5", "细颗粒物(PM2.5)", "ug/m3"),
    "pm10": ("PM10", "可吸入颗粒物(PM10)", "ug/m3"),
    "so2": ("sulphur dioxide", "二氧化硫", "ug/m3"),
    "no2": ("nitrogen dioxide", "二氧化氮", "ug/m3"),
    "o3": ("ozone", "臭氧", "ug/m3"),
    "co": ("carbon monoxide", "一氧化碳", "mg/m3"),
    "aqi": ("published AQI", "发布的空气质量指数", "1"),
    "temperature": ("temperature", "温度", "degC"),
    "dissolved_oxygen": ("dissolved oxygen", "溶解氧", "mg/l"),
    "ph": ("pH", "pH值", "1"),
    "conductivity": ("conductivity", "电导率", "umho/cm"),
    "bod5": ("five-day biochemical oxygen demand", "五日生化需氧量", "mg/l"),
    "nitrate_nitrite_n": ("nitrate + nitrite nitrogen", "硝酸盐+亚硝酸盐氮", "mg/l"),
    "fecal_coliform": ("fecal coliform", "粪大肠菌群", "MPN/100ml"),
    "total_coliform": ("total coliform", "总大肠菌群", "MPN/100ml"),
}


class QaFlag(IntFlag):
    """Quality-control flags of a reading (bits of ``qa_flags``). Flagged values are kept, never dropped.

    Ingest sets the point-wise flags (``MISSING``, ``NEGATIVE``, ``OUT_OF_RANGE``, ``SOURCE_INVALID``);
    the series checks (``STUCK``, ``SPIKE``, ``INCONSISTENT``) are computed by
    :mod:`greenbri.core.monitoring.quality` when series are derived, because they depend on
    neighbouring readings that may arrive late.
    """

    NONE = 0
    MISSING = 1
    NEGATIVE = 2
    OUT_OF_RANGE = 4
    STUCK = 8
    SPIKE = 16
    INCONSISTENT = 32
    SOURCE_INVALID = 64
    #: The source's own published figures do not confirm the value: its row's published AQI is not
    #: reproduced from the row's concentrations, or could not be checked (see the batch's provenance).
    #: Kept and used, shown; not excluded by default.
    UNCONFIRMED = 128
