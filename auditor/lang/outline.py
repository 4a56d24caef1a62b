"""Language data for the outline stage: heading shapes and the words that name parts.

Kept apart from the code (as spaCy keeps ``lang/`` data apart from its pipeline) so a
maintainer can extend a word list without reading the parser.
"""

from __future__ import annotations

# Heading numbering (digits, kinds, damaged forms) lives in lang/numerals.py.

# Formatting marks a heading line may carry around its number in Markdown exports
# ("**1.健全工作机制。**正文…"); they are not part of the number or the title.
HEADING_MARKUP = r"(?:\*\*|__)"
# Characters that, right after a bare number, show it is a quantity, not a heading number.
MEASURE_CHARS = set("年月日号时分秒个件项次人名家条座户元万亿千百台辆部批套份场所期届类种位天周岁篇余多期支级倍例宗起")

# Sentence terminators that close an inline heading ("1.深化“放管服”改革。正文…").
TITLE_TERMINATORS = "。;!?:"
# A half-width full stop used as a sentence end: after a Chinese character, a percentage or a
# closing bracket, before Chinese or the line end (…46件.纠错率12%.), or before a figure after a
# Chinese word (宣传.3月…). Not between digits (1.5万), nor after a heading numeral (三.2024年).
HALF_WIDTH_STOP = (
    r"(?<=[\u4e00-\u9fff%)）”》])\.+(?=[\u4e00-\u9fff“\"]|\s*$)"
    r"|(?<=[\u4e00-\u9fff])(?<![一二三四五六七八九十])\.(?=\d)"
)
MAX_TITLE = 28  # longer first clauses are run-on headings whose punctuation was lost
# ... unless they are a few short comma-separated phrases ending in a terminator, the usual
# two-part heading ("坚持以习近平法治思想为指导，全面加强党对法治政府建设的领导。").
MAX_PHRASED_TITLE = 40
MAX_TITLE_PHRASE = 20
MAX_TITLE_PHRASES = 2  # three or more long phrases are body sentences, not a heading
TITLE_PHRASE_SEPARATORS = ","  # not "、", which lists items inside a body sentence
MAX_BARE_HEADING = 40  # an unnumbered standalone heading line is at most this long
MIN_TITLE = 6
# A count in a numbered line ending in a full stop (抽评案卷180卷, 对12名人员, 下降31%) makes it a
# sentence that reports, not a heading that names; a year (2024年) does not.
COUNT_IN_TITLE = r"\d+(?:\.\d+)?\s*(?:余|多)?(?:件|项|次|个|名|人|卷|份|条|家|场|期|起|宗|户|万|亿|%|％|台|部|批|处|篇|本|元)"
RUN_ON_MIN = 300  # a line this long may be a whole report that lost its line breaks
RUN_ON_REPORT = 1500  # a report with a line this long lost its line breaks (paragraphs are shorter)
MIN_PART_HEADING = 4  # a bare heading that names a part may be as short as "存在问题"

# Words that typically open the body right after a heading whose full stop was lost
# ("备案审查更有效实施市政府…" → title "备案审查更有效").
BODY_OPENERS = (
    "开展", "实施", "全面", "聚焦", "组织", "制定", "印发", "出台", "坚持", "围绕",
    "深入", "积极", "加强", "推进", "推动", "落实", "建立", "健全", "完善", "持续",
    "不断", "进一步", "严格", "依托", "通过", "按照", "根据", "针对", "今年", "全年",
    "目前", "截至", "共计", "累计", "对标", "紧扣", "着力", "注重", "强化", "牢固",
)

# A year that opens the body after a run-on heading ("…主要安排2025年是…", "2023,玉环市…").
YEAR_OPENS_BODY = r"(?<![\d《])(?:19|20)\d{2}(?:年(?!度)|[,，])"
# How the names of a report's parts end: the body begins after them ("…不足和原因法治政府建设是…").
PART_NAME_END = r"(?:不足|问题)(?:和|及)原因|举措(?:和|及)成效|主要安排|工作安排|工作计划|工作打算|工作思路"

# Words that make a heading name the next year's plan whatever else it says.
FUTURE_MARKERS = ("下一步", "下一年", "下步", "明年", "今后")
# Result forms: a heading with one of these reports this year's work ("重点工作推进情况"),
# unless a future marker says otherwise.
RESULT_FORMS = ("推进情况", "开展情况", "落实情况", "完成情况", "工作情况", "成效", "举措")

# Part vocabulary: words in a heading that name the part it is.
PART_HEADING_WORDS: dict[str, tuple[str, ...]] = {
    "first-responsible-person": (
        "第一责任人", "主要负责人履行", "主要负责同志履行", "党政主要负责人",
    ),
    "shortcomings": (
        "不足", "存在的问题", "存在问题", "差距", "短板", "薄弱环节", "困难和问题",
        "问题和困难", "问题与不足", "主要问题", "问题及原因", "问题和原因", "面临的困难",
        "面临的问题", "困难和挑战",
    ),
    "next-year-plan": (
        "下一步", "下一年", "下步", "明年", "今后", "工作安排", "主要安排", "工作计划",
        "工作思路", "工作打算", "努力方向", "工作设想", "工作展望", "重点工作",
    ),
    "other": ("其他需要", "其它需要", "其他事项", "其它事项", "其他情况"),
    "measures-and-results": (
        "举措", "成效", "主要工作", "工作情况", "建设情况", "开展情况", "主要做法",
        "成绩", "进展", "落实情况", "推进情况",
    ),
}
# How an unnumbered part heading begins ("存在的问题", "下一步工作打算"); a line that merely
# contains a part word ("补齐短板，…") is not one.
PART_HEADING_STARTS: tuple[str, ...] = (
    "存在", "问题", "不足", "困难", "面临", "工作中存在",
    "下一步", "下步", "下一年", "下一阶段", "明年", "今后",
    "党政主要负责人", "主要负责人", "其他", "其它",
)
# Inside another part, only these (at the start of a sub-heading) make a sub-part.
SUBPART_HEADING_PREFIXES: dict[str, tuple[str, ...]] = {
    "shortcomings": (
        "存在的问题", "存在的不足", "存在问题", "存在不足", "问题和不足", "不足和原因",
        "存在的主要问题", "存在的困难", "面临的困难", "面临的问题",
    ),
}

# An unheaded shortcomings paragraph states a shortfall: "还存在一些不足", "仍有不少短板",
# "相比还有一定差距". Bare words are not enough ("排查整改问题隐患312个", "针对存在的
# 问题…"), so the statement must follow a contrast or comparison, or introduce a list.
SHORTFALL_STILL = r"(?:还|仍|也|尚|依然|仍然|依旧)"
SHORTFALL = r"(?:存在|有|面临)[^。;]{0,12}?(?:不足|差距|问题|短板|薄弱|弱项|困难)"
SHORTFALL_CONTRASTS = (
    "但", "然而", "不过", "同时", "当前", "目前", "对照", "相比", "比较", "清醒", "看到",
)
# What introduces a list of shortcomings right after the statement ("…还存在一些不足：").
SHORTFALL_LIST_CUE = r"[^。;]{0,6}?(?:主要|表现|如下|:|一是)"
# "存在的问题主要有…", "面临的困难主要表现在…": a summary that needs no contrast.
SHORTFALL_SUMMARY = r"(?:存在|面临)的(?:主要)?(?:问题|不足|困难)[^。;]{0,8}?(?:主要(?:有|是|表现)|表现(?:在|为)|如下)"
SHORTFALL_HEAD = 120  # only the opening of a paragraph is read
# An unheaded next-year-plan paragraph: "2025年，我们将…", "下一步，…", "新的一年，…".
PLAN_OPENERS = (
    "下一步", "下步", "下一阶段", "下阶段", "今后", "新的一年", "展望", "明年", "接下来",
)
PLAN_VERBS = ("将", "要", "计划", "拟")
PLAN_VERB_WINDOW = 40  # the verb must come early, in the first sentence
PLAN_SUBJECTS = r"(?:我们|我区|我市|我县|我局|我委|我办|我镇|我乡|我省|全区|全市|全县|全镇|全省|本单位|本机关|[\u4e00-\u9fff]{2,6}(?:市|县|区|镇|乡|局|委|办)(?:政府)?)"

# A shortcomings part states causes when it uses one of these (a heading such as
# "存在的不足和原因" counts, as annotators read it).
CAUSES = r"原因|由于|究其|根源|源于|缘于|导致|造成(?:这|上述)|归因"

# The preamble ends with the sentence that announces the report ("现将有关情况报告如下："),
# looked for among the first few body lines; without one it is the first paragraph.
PREAMBLE_CLOSERS = ("报告如下", "汇报如下", "总结如下", "情况如下", "如下:")
PREAMBLE_MAX_LINES = 4

# How far ahead to look for the sibling that shows an unnumbered line lost its number.
GAP_LOOKAHEAD = 60
