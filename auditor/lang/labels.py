"""The Chinese names of the package's vocabularies (``auditor.vocab``): one table each, for
every output a person reads. Change a name here and every command, report and page follows."""

from __future__ import annotations

STATUS_LABELS: dict[str, str] = {"covered": "已覆盖", "partial": "部分覆盖", "missing": "缺失", "not-applicable": "不适用"}
SEVERITY_LABELS: dict[str, str] = {"required": "必备", "recommended": "建议"}
TYPE_LABELS: dict[str, str] = {"mention": "内容提及", "part": "报告组成部分"}
PART_LABELS: dict[str, str] = {
    "preamble": "前言",
    "measures-and-results": "主要举措和成效",
    "shortcomings": "存在的不足和原因",
    "first-responsible-person": "第一责任人职责履行情况",
    "next-year-plan": "下一年度工作安排",
    "other": "其他事项",
}
# Levels of reporting bodies, and the one applicability class that is not a level.
LEVEL_LABELS: dict[str, str] = {
    "province": "省级政府",
    "city": "设区的市级政府",
    "county": "县级政府",
    "township": "乡镇（街道）",
    "department": "政府部门",
    "legislative-power": "有立法权的地方政府",
}
NEEDS_LABELS: dict[str, str] = {"causes": "须写明原因", "dedicated": "须有专门标题或段首句"}
OVERRIDE_LABEL = "人工复核"
