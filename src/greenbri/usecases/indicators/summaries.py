"""Short generated summaries of a country profile, in Chinese and English, from its numbers only."""

from __future__ import annotations

from typing import Any

__all__ = ["summary"]


def _number(value: float) -> str:
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _trend_words(entry: dict[str, Any]) -> tuple[str, str]:
    trend = entry["trend"]
    if trend is None:
        return "too few years for a trend", "年份过少，无法判断趋势"
    if trend["slope_low_95"] <= 0 <= trend["slope_high_95"]:
        return "no clear trend", "无明显趋势"
    if trend["slope_per_year"] > 0:
        return "rising", "呈上升趋势"
    return "falling", "呈下降趋势"


def _sentence(entry: dict[str, Any], group_en: str, group_zh: str) -> tuple[str, str]:
    latest = entry["latest"]
    value = f"{_number(latest['value'])} {entry['unit']}"
    trend_en, trend_zh = _trend_words(entry)
    en = f"{entry['name']['en']}: {value} in {latest['year']}, {trend_en}"
    zh = f"{entry['name']['zh']}为 {value}（{latest['year']} 年），{trend_zh}"
    rank = entry["rank"]
    if rank:
        en += f"; ranked {rank['position']} of {rank['of']} {group_en} with data"
        zh += f"，在有数据的 {rank['of']} 个{group_zh}中排第 {rank['position']} 位"
    world = entry["world"]
    if world:
        en += f" (world {_number(world['value'])} in {world['year']})"
        zh += f"（世界为 {_number(world['value'])}，{world['year']} 年）"
    return en + ".", zh + "。"


def _percentile(entry: dict[str, Any]) -> float:
    rank = entry["rank"]
    return float((rank["position"] - 1) / max(rank["of"] - 1, 1))


def summary(profile: dict[str, Any]) -> dict[str, str]:
    """Two to four sentences: coverage, the best- and worst-ranked indicators, PM2.5 when present."""
    name = profile["country"]["name"]
    full = profile["group"]["name"]
    group = {"en": full["en"].split(" (")[0], "zh": full["zh"].split("（")[0]}
    entries = profile["indicators"]
    if not entries:
        return {"en": f"{name['en']}: no indicator data.", "zh": f"{name['zh']}：无指标数据。"}
    english = [f"{name['en']} has data for {len(entries)} indicators."]
    chinese = [f"{name['zh']}有 {len(entries)} 项指标的数据。"]
    ranked = sorted(
        (entry for entry in entries if entry["rank"] and entry["higher_is_better"] is not None),
        key=lambda entry: (_percentile(entry), entry["id"]),
    )
    chosen = []
    if ranked:
        chosen = [ranked[0]] + ([ranked[-1]] if len(ranked) > 1 else [])
    pm25 = next((entry for entry in entries if entry["id"] == "pm25_exposure"), None)
    if pm25 is not None and pm25 not in chosen:
        chosen.append(pm25)
    labels = (("Best relative position", "相对表现最好"), ("Weakest relative position", "相对表现最弱"))
    for position, entry in enumerate(chosen):
        en, zh = _sentence(entry, group["en"], group["zh"])
        if position < len(labels) and entry in ranked:
            en, zh = f"{labels[position][0]}: {en}", f"{labels[position][1]}：{zh}"
        english.append(en)
        chinese.append(zh)
    return {"en": " ".join(english), "zh": "".join(chinese)}
