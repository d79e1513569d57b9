"""The report's message catalogue: every label a report prints, in English and Chinese.

Texts that come with the screening result (reasons, next steps, citations) carry their own
English and Chinese; this catalogue holds only the report's own words (headings, column names,
class and role names). :func:`catalogue` returns a function that looks a key up in one language.
A missing key is a programming error and raises ``KeyError``; a test checks both languages are
complete.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from greenbri.core.biodiversity.redlist import CATEGORY_LABELS
from greenbri.core.catalog import Bilingual
from greenbri.core.errors import InputError

__all__ = ["LANGUAGES", "MESSAGES", "Translate", "catalogue", "check_language"]

#: The languages a report can be written in.
LANGUAGES = ("en", "zh")

Translate = Callable[[str], str]

_B = Bilingual

_CLASSES = {
    "class.green": _B("GREEN", "绿"),
    "class.yellow": _B("YELLOW", "黄"),
    "class.red": _B("RED", "红"),
    "class.no_data": _B("NO DATA", "无数据"),
    # an AQI no engine could compute (a date outside every engine): the reason goes with it
    "class.not_computed": _B("NOT COMPUTED", "未计算"),
    # HJ 633-2026 clause 5.3.1: AQI and category marked NA when a pollutant is missing and AQI <= 100
    "class.aqi_withheld": _B("NA (withheld)", "NA（不发布）"),
}
_DIMENSIONS = {
    "dimension.climate": _B("Climate change mitigation", "气候变化减缓"),
    "dimension.pollution": _B("Environmental pollution", "环境污染"),
    "dimension.biodiversity": _B("Biodiversity and ecology", "生物多样性与生态"),
}
_ROLES = {
    "role.protected_area": _B("protected area", "保护地"),
    "role.world_heritage": _B("World Heritage site", "世界遗产地"),
    "role.wetland": _B("wetland (Ramsar)", "湿地（拉姆萨尔）"),
    "role.key_biodiversity_area": _B("Key Biodiversity Area", "关键生物多样性区域"),
    "role.lake": _B("lake", "湖泊"),
    "role.river": _B("river", "河流"),
    "role.reef": _B("coral reef", "珊瑚礁"),
    "role.glacier": _B("glacier", "冰川"),
    "role.urban_area": _B("urban area", "城市建成区"),
    "role.settlement": _B("settlement", "居民点"),
    "role.other_sensitive_area": _B("other sensitive area", "其他敏感区域"),
}
_STATUSES = {
    "status.planned": _B("planned", "规划中"),
    "status.under_construction": _B("under construction", "在建"),
    "status.operating": _B("operating", "运营中"),
    "status.decommissioned": _B("decommissioned", "已退役"),
}
_EQUATOR = {
    "ep4.applies": _B("applies", "适用"),
    "ep4.does_not_apply": _B("does not apply", "不适用"),
    "ep4.cannot_determine": _B("cannot be determined", "无法判断"),
    "flag.above": _B("above the threshold", "高于门槛"),
    "flag.below": _B("below the threshold", "低于门槛"),
    "flag.straddles": _B("range straddles the threshold", "估算区间跨越门槛"),
    "flag.unknown": _B("unknown (no estimate)", "未知（无估算）"),
}
_WORDS = {
    "yes": _B("yes", "是"),
    "no": _B("no", "否"),
    "none": _B("none", "无"),
    "unnamed": _B("(unnamed)", "（无名称）"),
    "km": _B("km", "公里"),
    "not_given": _B("not given", "未提供"),
    "incomplete": _B("INCOMPLETE", "不完整"),
    "complete": _B("complete", "完整"),
    "excluded": _B("EXCLUDED", "排除"),
    "prudent": _B("PRUDENT REVIEW", "审慎审查"),
    "provisional": _B("provisional", "暂定"),
    "uncertain": _B("uncertain", "不确定"),
    "operationalisation": _B("greenbri's operationalisation", "greenbri 的操作化选择"),
    "project_data": _B("project data", "项目数据"),
    "mitigable": _B("mitigable", "可缓解"),
    "not_mitigable": _B("not mitigable", "不可缓解"),
}
_HEADINGS = {
    "title.project": _B("Environmental screening report", "环境筛查报告"),
    "title.portfolio": _B("Portfolio screening report", "投资组合环境筛查报告"),
    "disclaimer": _B(
        "A screening proposal for an analyst: not an environmental and social impact assessment (ESIA) and not a credit decision.",
        "本报告为供分析师参考的筛查建议，不是环境与社会影响评价（ESIA），也不是信贷决策。",
    ),
    "heading.summary": _B("Summary", "摘要"),
    "heading.facts": _B("Project facts", "项目概况"),
    "heading.dimensions": _B("Traffic light by dimension", "分维度红黄绿灯分类"),
    "heading.exclusion": _B("Exclusion list", "排除清单"),
    "heading.ghg": _B("Greenhouse gas estimate", "温室气体排放估算"),
    "heading.equator": _B("Equator Principles (EP4)", "赤道原则（EP4）"),
    "heading.coverage": _B("Data coverage by receptor role", "各类敏感受体的数据覆盖"),
    "heading.receptors": _B("Receptors within the largest band", "最大缓冲带内的敏感受体"),
    "heading.map": _B("Map", "地图"),
    "heading.stack": _B("Stack emissions against the strictest limit", "烟气排放与最严限值比较"),
    "heading.next_steps": _B("Recommended next steps", "建议的后续步骤"),
    "heading.sources": _B("Data sources and licences", "数据来源与许可"),
    "heading.provenance": _B("Screening record", "筛查记录"),
    "heading.by_class": _B("Projects by overall class", "按总体分类统计"),
    "heading.by_country": _B("Projects by country", "按国家统计"),
    "heading.by_sector": _B("Projects by sector", "按行业统计"),
    "heading.excluded": _B("Excluded projects and prudent reviews", "排除及需审慎审查的项目"),
    "heading.incomplete": _B("Incomplete screenings: missing evidence", "不完整的筛查：缺失的证据"),
    "heading.projects": _B("All screened projects", "全部已筛查项目"),
    "heading.failures": _B("Rows that could not be screened", "无法筛查的记录"),
    "heading.missing": _B("Missing evidence", "缺失的证据"),
}
_FIELDS = {
    "field.id": _B("Project id", "项目编号"),
    "field.name": _B("Name", "名称"),
    "field.sector": _B("Sector", "行业"),
    "field.sub_type": _B("Sub-type", "子类型"),
    "field.status": _B("Status", "状态"),
    "field.country": _B("Country", "国家"),
    "field.capacity": _B("Capacity", "装机容量/规模"),
    "field.fuel": _B("Fuel", "燃料"),
    "field.investment": _B("Investment (total project capital cost)", "投资额（项目总投资）"),
    "field.financing": _B("Financing type", "融资类型"),
    "field.geometry": _B("Location", "位置"),
    "field.measures": _B("Declared mitigation measures", "已声明的缓解措施"),
    "field.overall": _B("Overall class", "总体分类"),
    "field.class": _B("Class", "分类"),
    "field.known_class": _B("Worst finding so far", "目前最严重的发现"),
    "field.dimension": _B("Dimension", "维度"),
    "field.rule": _B("Rule", "规则"),
    "field.text": _B("Finding", "说明"),
    "field.citations": _B("Sources", "依据"),
    "field.data": _B("Data used", "所用数据"),
    "field.role": _B("Receptor role", "受体类型"),
    "field.receptor": _B("Receptor", "受体"),
    "field.number": _B("#", "序号"),
    "field.dataset": _B("Dataset@version", "数据集@版本"),
    "field.distance_km": _B("Distance (km)", "距离（公里）"),
    "field.intersects": _B("Intersects", "相交"),
    "field.inside": _B("Inside (length km / area km²)", "内部（长度公里/面积平方公里）"),
    "field.attributes": _B("Attributes", "属性"),
    "field.covered": _B("Data", "有数据"),
    "field.datasets": _B("Datasets", "数据集"),
    "field.note": _B("Note", "备注"),
    "field.excluded": _B("Excluded", "排除"),
    "field.prudent": _B("Prudent review", "审慎审查"),
    "field.ghg_value": _B("Annual direct CO2 (central)", "年直接二氧化碳排放（中值）"),
    "field.ghg_range": _B("Range (low – high)", "区间（低–高）"),
    "field.method": _B("Method", "方法"),
    "field.scope": _B("Scope", "范围"),
    "field.factor": _B("Factor", "因子"),
    "field.value": _B("Value", "数值"),
    "field.unit": _B("Unit", "单位"),
    "field.applicability": _B("Applicability", "适用性"),
    "field.category": _B("Proposed category", "建议类别"),
    "field.category_label": _B("Proposal for the analyst to confirm", "供分析师确认的建议"),
    "field.threshold": _B("Threshold (tCO2e/yr)", "门槛（吨二氧化碳当量/年）"),
    "field.flag_status": _B("Estimate against it", "估算与门槛比较"),
    "field.triggered_by": _B("Triggered by", "触发规则"),
    "field.licence": _B("Licence", "许可"),
    "field.attribution": _B("Attribution", "署名"),
    "field.title": _B("Title", "标题"),
    "field.screened_on": _B("Screening date", "筛查日期"),
    "field.rules_digest": _B("Rules digest (SHA-256)", "规则摘要（SHA-256）"),
    "field.input": _B("Input", "输入文件"),
    "field.input_sha256": _B("Input SHA-256", "输入文件 SHA-256"),
    "field.count": _B("Projects", "项目数"),
    "field.total": _B("Total", "合计"),
    "field.projects_total": _B("Projects in the input", "输入中的项目"),
    "field.screened": _B("Screened", "已筛查"),
    "field.failed": _B("Could not be screened", "无法筛查"),
    "field.incomplete": _B("Incomplete", "不完整"),
    "field.no_data_dimensions": _B("Dimensions without data", "无数据的维度"),
    "field.nearest": _B("Nearest receptor", "最近的受体"),
    "field.row": _B("Row", "行"),
    "field.error": _B("Error", "错误"),
    "field.pollutant": _B("Pollutant", "污染物"),
    "field.limit": _B("Binding limit", "适用限值"),
    "field.standard": _B("Standard", "标准"),
    "field.result": _B("Result", "结果"),
    "field.projects_affected": _B("Projects affected", "涉及项目数"),
}
_MAP = {
    "map.project": _B("project", "项目"),
    "map.bands": _B("distance bands", "距离缓冲带"),
    "map.countries": _B("country borders", "国界"),
    "map.caption": _B(
        "Receptors found within {band} km, coloured by role; dashed rings: the distance bands ({bands} km); borders: {countries}. No basemap.",
        "图中为{band}公里内发现的敏感受体（按类型着色）；虚线圈为距离缓冲带（{bands}公里）；边界：{countries}。无底图。",
    ),
    "map.species": _B("threatened species (nearest record)", "受威胁物种（最近记录）"),
    "map.no_geometry": _B("No map: the project has no geometry.", "无地图：项目没有空间位置。"),
    "map.no_countries": _B("no country layer", "无国家边界图层"),
    "chart.by_class": _B("Projects by overall class", "按总体分类的项目数"),
    "chart.by_sector": _B("Projects by sector and class", "按行业和分类的项目数"),
    "chart.by_country": _B("Projects by country and class (largest {n})", "按国家和分类的项目数（前{n}个）"),
}

_PLANS = {
    "plan_status.not_started": _B("not started", "未启动"),
    "plan_status.in_progress": _B("in progress", "进行中"),
    "plan_status.completed": _B("completed", "已完成"),
    "plan_status.stalled": _B("stalled", "停滞"),
    "plan_status.unknown": _B("unknown (NO DATA)", "未知（无数据）"),
    "plan.title": _B("Implementation evaluation of the plans", "规划实施情况评估"),
    "plan.as_of": _B("Evaluation date", "评估日期"),
    "plan.disclaimer": _B(
        "Each status comes from a recorded, verified piece of evidence. An item without evidence is unknown (NO DATA), never on track.",
        "每项状态均来自已记录并核验的证据。没有证据的条目为“未知（无数据）”，绝不视为进展顺利。",
    ),
    "plan.summary": _B("Summary by document and group", "按文件和类别汇总"),
    "plan.overdue": _B("Overdue (due on or before the date, not completed)", "逾期（截止日期已到且未完成）"),
    "plan.none": _B("none", "无"),
    "plan.items": _B("Items", "条目"),
    "plan.targets": _B("Numeric targets (target tracker)", "数值目标（目标跟踪）"),
    "plan.chart": _B("Items by status", "按状态的条目数"),
    "plan.document": _B("Document", "文件"),
    "plan.group": _B("Group", "类别"),
    "plan.item": _B("Item", "条目"),
    "plan.clause": _B("Clause", "条款"),
    "plan.status": _B("Status", "状态"),
    "plan.due": _B("Due", "截止"),
    "plan.phase": _B("Phase", "阶段"),
    "plan.evidence": _B("Evidence", "证据"),
    "plan.no_evidence": _B("NO DATA: record evidence with", "无数据：请用以下命令记录证据"),
    "plan.count": _B("Items", "条目数"),
    "plan.tracker_status": _B("Tracker status", "跟踪状态"),
    "plan.latest": _B("Latest value (year)", "最新值（年份）"),
    "plan.phase.deadline": _B("deadline", "到期评估"),
    "plan.phase.mid-term": _B("mid-term", "中期评估"),
}

_COMPLIANCE = {
    "compliance.meets": _B("meets", "达标"),
    "compliance.exceeds": _B("exceeds", "超标"),
    "compliance.insufficient": _B("INSUFFICIENT DATA", "数据不足"),
    "compliance.no_data": _B("NO DATA", "无数据"),
    "compliance.not_computed": _B("NOT COMPUTED", "未计算"),
    "heading.annual_compliance": _B("Annual compliance", "年度达标评价"),
    "heading.annual_verdicts": _B("Verdict per station and year", "各站点年度评价结论"),
    "heading.not_assessed": _B("Limits outside the annual assessment", "不参与年度评价的限值"),
}

#: IUCN Red List categories (names in greenbri.core.biodiversity.redlist) and the species table's words.
_SPECIES = {
    **{f"red_list.{code.value}": label for code, label in CATEGORY_LABELS.items()},
    "species.threatened": _B("Threatened species (CR, EN, VU)", "受威胁物种（极危、濒危、易危）"),
    "species.listed_apart": _B("Near Threatened and Data Deficient", "近危与数据缺乏物种"),
    "species.other": _B(
        "Other species recorded (LC, NE or no category)", "其他有记录的物种（无危、未评估或无等级）"
    ),
    "species.sources": _B("Sources (cite these)", "数据来源（请引用）"),
    "species.part": _B("Species part", "物种部分"),
    "species.heading": _B("Threatened species recorded near the project", "项目附近记录到的受威胁物种"),
    "species.within": _B(
        "records within {radius} km; occurrence layers: {layers}",
        "{radius} 公里内的记录；物种分布图层：{layers}",
    ),
    "species.group": _B("Group", "类别"),
    "species.name": _B("Species", "物种"),
    "species.category": _B("IUCN Red List category", "IUCN 红色名录等级"),
    "species.nearest_km": _B("Nearest record (km)", "最近记录（公里）"),
    "species.records": _B("Records", "记录数"),
    "species.years": _B("Years", "年份"),
    "species.uncertainty_m": _B("Coordinate uncertainty (m)", "坐标不确定度（米）"),
    "species.no_complete_layer": _B(
        "NO DATA: no occurrence layer is declared complete for this area, and absence of records is not "
        "evidence of absence. Import a complete layer and declare it: greenbri species import FILE --coverage ISO3.",
        "无数据：没有物种分布图层声明覆盖该区域，没有记录不等于没有物种。请导入完整图层并声明："
        "greenbri species import 文件 --coverage ISO3。",
    ),
    "species.excluded": _B(
        "{count} record(s) left out because their licence does not permit this use.",
        "{count} 条记录因许可不允许此用途而未使用。",
    ),
}

#: Every message, by key.
MESSAGES: Mapping[str, Bilingual] = MappingProxyType(
    {
        **_CLASSES,
        **_DIMENSIONS,
        **_ROLES,
        **_STATUSES,
        **_EQUATOR,
        **_WORDS,
        **_HEADINGS,
        **_FIELDS,
        **_MAP,
        **_PLANS,
        **_COMPLIANCE,
        **_SPECIES,
    }
)


def check_language(language: str) -> str:
    """``language`` if it is one of :data:`LANGUAGES`, else an :class:`InputError` naming the allowed ones."""
    if language not in LANGUAGES:
        raise InputError(
            f"Unknown report language {language!r}.", hint=f"use one of: {', '.join(LANGUAGES)}."
        )
    return language


def catalogue(language: str) -> Translate:
    """A function giving the message ``key`` in ``language``."""
    check_language(language)

    def translate(key: str) -> str:
        text = MESSAGES[key]
        return text.zh if language == "zh" else text.en

    return translate
