"""The words of a report's title block and opening: what marks the title, the issuer, the
preamble and the start of the body (data for ``auditor.ingest.meta`` and ``.html``).

Matched on normalised text: half-width punctuation, Simplified characters.
"""

from __future__ import annotations

# A header line naming one of these is the title (the report's own words for itself).
TITLE_WORDS: tuple[str, ...] = ("报告", "法治政府建设", "法治建设")
REPORT = "报告"
# "…关于" ends the first half of a title broken over two lines; in a title line it also
# ends the issuer ("玉环市人民政府关于…的报告").
ABOUT = "关于"
# An issuer's name ends with the name of a kind of body.
ORG_SUFFIX = (
    r"(?:人民政府|政府|委员会|党委|区委|市委|县委|省委|委|办公室|办公厅|局|厅|院|办|管委会|办事处)$"
)
# A government site's index block names the issuer under a label ("- [ 发布机构 ] XX乡人民政府",
# "发文机关：XX局"): the value after the label is the issuer.
ISSUER_LABEL = r"^[\s\-*•·]*[\[【(]?\s*(?:发布机构|发文机关|发文单位|发布单位|信息来源|来源单位)\s*[\]】)]?\s*:?\s*"
# The preamble sentence "现将…2024年度…报告如下:" starts the body and names the year.
PREAMBLE_MARKERS: tuple[str, ...] = ("现将", "如下")
PREAMBLE_END = "如下:"
SENTENCE_END = "。"
# A web page's <title> suffix naming the site ("报告标题 - XX区政府门户网站").
SITE_NAME = r"网|政府|门户"
# A web page heading that is a report title though it lacks 报告: "2024年度…法治…".
YEAR_AND_RULE_OF_LAW = r"\d{4}\s*年.{0,20}法治"

# "2024年，我乡…", "2023年是…开局之年，…", "2025年以来，…" open a report with the year it
# covers (not "2025年是…收官之年，我局将…", which opens a plan).
OPENING_YEAR = r"^(?:19|20)\d{2}年(?:(?:度)?[,，](?![^,，。]{0,12}将)|(?:是|以来)(?![^。]*将))"
# "一、2024年度推进法治政府建设的主要举措和成效", "一、2025年度工作总体情况"
RESULTS_YEAR = r"^[一1][、.]\s*(?:19|20)\d{2}年度?[^。]{0,30}?(?:举措|成效|情况|工作)"
# A page that lost its line breaks opens with the report's title run into the first sentence
# ("枫溪市2021年法治政府建设年度报告2021年是…", "…局关于2024年度法治政府建设情况的报告市人民政府:…"):
# the title is a first clause of at most 60 characters that names the rule of law and a year
# and ends in 报告 (or 工作总结) with no punctuation before it.
RUN_ON_TITLE = (
    r"^[^，,。；;:：!?！？\n]{0,40}?(?:19|20)\d{2}\s*年[^，,。；;:：!?！？\n]{0,30}?"
    r"(?:法治|依法行政|依法治)[^，,。；;:：!?！？\n]{0,20}?(?:报告|工作总结)"
)

