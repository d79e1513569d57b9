"""Column mappings for known files: the Beijing multi-site data and the India water quality table.

Beijing (UCI "Beijing Multi-Site Air-Quality Data", Zhang et al. 2017, CC BY 4.0): hourly values at
12 national network stations, local time China Standard Time (UTC+8), values in ug/m3 (CO too: it is
converted to mg/m3, the unit greenbri keeps CO in). The files name each station by a pinyin name
and carry no coordinates; :data:`BEIJING_STATIONS` matches each name to the national network's
station code, Chinese name and coordinates as published in the CNEMC hourly release of
2022-01-15 08:00 (``air/cnemc/2022-01-15T08.csv`` in the shared data, rows 1001A-1012A). Station ids
are the national codes (``cnemc-1001A``), so the same station ingested from a CNEMC file is one
station. The coordinates are those of 2022; a station moved since 2013 would show a difference.

The files' ``hour`` is read as the **start** of the hour (the dataset's documentation does not say
whether it marks the start or the end); see docs/methodology/monitoring-ingest.md.

India (CPCB / India-WRIS yearly means, 2003-2014, as republished on Kaggle): one row per station and
year, latin-1. Each value is stored as averaging ``1y`` starting at 1 January 00:00 India Standard
Time (+05:30).
"""

from __future__ import annotations

from greenbri.adapters.monitoring.tabular import TableMapping

__all__ = ["BEIJING_STATIONS", "PRESETS", "beijing_mapping", "beijing_station", "india_water_mapping"]

_CNEMC_CITATION = "CNEMC hourly release 2022-01-15T08:00 (archived by github.com/HeQinWill/CNEMC)"

#: pinyin name in the Beijing files -> (national code, Chinese name, longitude, latitude), all from
#: the CNEMC release named in :data:`_CNEMC_CITATION`.
BEIJING_STATIONS: dict[str, tuple[str, str, float, float]] = {
    "Wanshouxigong": ("1001A", "万寿西宫", 116.3621, 39.8784),
    "Dingling": ("1002A", "定陵(对照点)", 116.2202, 40.2915),
    "Dongsi": ("1003A", "东四", 116.4174, 39.9289),
    "Tiantan": ("1004A", "天坛", 116.4072, 39.8863),
    "Nongzhanguan": ("1005A", "农展馆", 116.462, 39.9365),
    "Guanyuan": ("1006A", "官园", 116.3392, 39.9295),
    "Wanliu": ("1007A", "海淀万柳", 116.2878, 39.9611),
    "Shunyi": ("1008A", "顺义新城", 116.6636, 40.135),
    "Huairou": ("1009A", "怀柔镇", 116.6275, 40.3275),
    "Changping": ("1010A", "昌平镇", 116.2296, 40.217),
    "Aotizhongxin": ("1011A", "奥体中心", 116.3966, 39.9821),
    "Gucheng": ("1012A", "古城", 116.184, 39.9136),
}


def beijing_station(pinyin: str) -> dict[str, object]:
    """The station record of one Beijing file's station (national code, names, coordinates)."""
    code, name_zh, longitude, latitude = BEIJING_STATIONS[pinyin]
    return {
        "station_id": f"cnemc-{code}",
        "name_en": pinyin,
        "name_zh": name_zh,
        "longitude": longitude,
        "latitude": latitude,
        "country": "CHN",
        "city": "北京市",
        # The only type the release states: 定陵 is the network's control (background) point.
        "station_type": "control point 对照点" if code == "1002A" else None,
        "operator": "China National Environmental Monitoring Centre (CNEMC) network",
        "source": f"beijing-multisite; codes and coordinates: {_CNEMC_CITATION}",
    }


def beijing_mapping() -> TableMapping:
    """The mapping of the Beijing multi-site files (station names are mapped to national codes)."""
    records = {str(record["station_id"]): record for record in map(beijing_station, BEIJING_STATIONS)}
    return TableMapping(
        source="beijing-multisite",
        timezone="+08:00",
        time_parts=("year", "month", "day", "hour"),
        averaging="1h",
        layout="wide",
        parameters={
            "PM2.5": "pm25",
            "PM10": "pm10",
            "SO2": "so2",
            "NO2": "no2",
            "CO": "co",
            "O3": "o3",
            "TEMP": "temperature",
        },
        units={
            "pm25": "ug/m3",
            "pm10": "ug/m3",
            "so2": "ug/m3",
            "no2": "ug/m3",
            "co": "ug/m3",
            "o3": "ug/m3",
            "temperature": "degC",
        },
        station_column="station",
        station_prefix="beijing-",
        station_values={pinyin: f"cnemc-{code}" for pinyin, (code, *_rest) in BEIJING_STATIONS.items()},
        station_records=records,
    )


def india_water_mapping() -> TableMapping:
    """The mapping of ``water/india_water_quality_2003-2014.csv`` (station-year means)."""
    return TableMapping(
        source="india-water-quality",
        timezone="+05:30",
        time_parts=("year",),
        averaging="1y",
        layout="wide",
        parameters={
            "Temp": "temperature",
            "D.O. (mg/l)": "dissolved_oxygen",
            "PH": "ph",
            "CONDUCTIVITY (µmhos/cm)": "conductivity",
            "B.O.D. (mg/l)": "bod5",
            "NITRATENAN N+ NITRITENANN (mg/l)": "nitrate_nitrite_n",
            "FECAL COLIFORM (MPN/100ml)": "fecal_coliform",
            "TOTAL COLIFORM (MPN/100ml)Mean": "total_coliform",
        },
        units={
            "temperature": "degC",
            "dissolved_oxygen": "mg/l",
            "ph": "1",
            "conductivity": "umho/cm",
            "bod5": "mg/l",
            "nitrate_nitrite_n": "mg/l",
            "fecal_coliform": "MPN/100ml",
            "total_coliform": "MPN/100ml",
        },
        station_column="STATION CODE",
        station_prefix="india-wq-",
        station_name_column="LOCATIONS",
        station_fields={
            "country": "IND",
            "station_type": "surface water",
            "operator": "Central Pollution Control Board (CPCB) / state boards",
        },
        encoding="latin-1",
    )


#: ``--format`` name -> mapping factory (the CNEMC format has its own reader).
PRESETS = {"beijing": beijing_mapping, "water-india": india_water_mapping}
