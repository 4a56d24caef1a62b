"""Outline stage on report shapes the seeds do not show (tests/fixtures/reports).

Each fixture is a fictional but realistic report with hand labels next to it in the
../shared/gold format (``NAME.yaml``: doc, title, year, published, headings, parts, items).
The checks are the seed checks of tests/test_outline.py: headings as written, each part
opening with its labelled words, and a properly nested tree. A label file may name
``twins`` (the same report in another format) that must give the same tree.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from auditor.ingest import load
from auditor.model import Outline
from auditor.outline import build

from .conftest import FIXTURES

REPORTS = FIXTURES / "reports"
NAMES = sorted(p.stem for p in REPORTS.glob("*.yaml"))


def labels(name: str) -> dict:
    """The hand labels of one fixture report."""
    return yaml.safe_load((REPORTS / f"{name}.yaml").read_text(encoding="utf-8"))


def outline_of(path: Path) -> Outline:
    return build(load(path))


def test_there_are_enough_fixtures() -> None:
    assert len(NAMES) >= 6


@pytest.mark.parametrize("name", NAMES)
def test_fixture_is_report_sized(name: str) -> None:
    text = (REPORTS / labels(name)["doc"]).read_text(encoding="utf-8")
    assert 1500 <= len(text) <= 4000


@pytest.mark.parametrize("name", NAMES)
def test_metadata_match_labels(name: str) -> None:
    g = labels(name)
    meta = load(REPORTS / g["doc"]).meta
    assert (meta.title, meta.year, meta.published) == (g["title"], g["year"], g.get("published") and str(g["published"]))


@pytest.mark.parametrize("name", NAMES)
def test_headings_match_labels(name: str) -> None:
    g = labels(name)
    o = outline_of(REPORTS / g["doc"])
    got = [(s.level, s.number, s.title) for s in o.sections if not s.synthetic]
    want = [(h[0], str(h[1]), str(h[2])) for h in g["headings"]]
    assert got == want


@pytest.mark.parametrize("name", NAMES)
def test_parts_open_with_labelled_words(name: str) -> None:
    g = labels(name)
    doc = load(REPORTS / g["doc"])
    o = build(doc)
    for part, openings in g["parts"].items():
        secs = [s for s in o.sections if s.part == part]
        assert secs, f"no section for part {part}"
        first = secs[0]
        body = doc.original[first.start : first.end]
        for opening in openings:
            assert (
                first.title.startswith(opening)
                or body.startswith(opening)
                or body.lstrip("一二三四五六七八九十、.").startswith(opening)
            ), (part, opening, first.title)
    labelled = set(g["parts"])
    assert {s.part for s in o.sections} <= labelled | {"measures-and-results"}, "a part the labels do not have"


@pytest.mark.parametrize("name", NAMES)
def test_sections_are_nested_and_ordered(name: str) -> None:
    o = outline_of(REPORTS / labels(name)["doc"])
    index = {s.id: s for s in o.sections}
    for s in o.sections:
        assert s.start <= s.end
        if s.parent:
            p = index[s.parent]
            assert p.level == s.level - 1 and p.start <= s.start and s.end <= p.end
        else:
            assert s.level == 1
    starts = [s.start for s in o.sections]
    assert starts == sorted(starts)


@pytest.mark.parametrize("name", [n for n in NAMES if labels(n).get("twins")])
def test_twins_give_the_same_tree(name: str) -> None:
    g = labels(name)

    def shape(path: Path) -> list[tuple[int, str, str, str]]:
        return [(s.level, s.number, s.title, s.part) for s in outline_of(path).sections]

    want = shape(REPORTS / g["doc"])
    for twin in g["twins"]:
        assert shape(REPORTS / twin) == want, twin


# -- the rules the shapes needed, on small texts ------------------------------------------
def _tree(text: str, fmt: str = "txt") -> list[tuple[int, str, str, str]]:
    from auditor.ingest import from_text

    o = build(from_text(text, f"t.{fmt}", fmt))
    return [(s.level, s.number, s.title, s.part) for s in o.sections if s.part != "preamble"]


def test_two_phrase_inline_title_is_kept_whole_but_run_on_heading_is_cut() -> None:
    text = (
        "一、主要举措和成效\n"
        "（一）坚持以习近平法治思想为指导，全面加强党对法治政府建设的领导。市政府常务会议审议议题6个。\n"
        "（二）优化营商环境聚焦发展需要、企业需求，优化营商环境制度供给，出台措施12条。\n"
    )
    titles = [t for _, _, t, _ in _tree(text)]
    assert titles[1] == "坚持以习近平法治思想为指导，全面加强党对法治政府建设的领导"
    assert titles[2] == "优化营商环境"


def test_lost_closing_bracket_needs_the_sequence() -> None:
    text = (
        "一、主要举措\n（一）推进审批改革\n全年办件3万件。\n"
        "（一网通办）改革持续深化，全年网办率达到99%。\n"
        "（二加强事中事后监管\n开展检查100次。\n"
    )
    assert [(lv, n, t) for lv, n, t, _ in _tree(text)] == [
        (1, "一、", "主要举措"), (2, "（一）", "推进审批改革"), (2, "（二", "加强事中事后监管"),
    ]


def test_unnumbered_part_headings_open_top_level_parts() -> None:
    text = (
        "一、主要举措和成效\n（一）推进依法行政\n全年审核文件20件。\n"
        "补齐基层执法短板\n全年培训执法人员300人次。\n"
        "存在的问题\n一是基层执法力量薄弱。二是普法针对性不强。\n"
        "下一步工作打算\n一是加强学习。二是强化监督。\n"
    )
    assert _tree(text) == [
        (1, "一、", "主要举措和成效", "measures-and-results"),
        (2, "（一）", "推进依法行政", "measures-and-results"),
        (1, "", "存在的问题", "shortcomings"),
        (1, "", "下一步工作打算", "next-year-plan"),
    ]


def test_markdown_levels_place_an_unnumbered_heading() -> None:
    text = (
        "# 某县法治政府建设情况报告\n\n现将有关情况报告如下。\n\n## 一、主要举措和成效\n\n"
        "### （一）推进依法行政\n\n**1.健全机制**制定工作要点。\n\n## 存在的不足\n\n一是力量薄弱。\n\n"
        "## 2025年工作安排\n\n### （一）加强学习\n"
    )
    assert _tree(text, "md") == [
        (1, "一、", "主要举措和成效", "measures-and-results"),
        (2, "（一）", "推进依法行政", "measures-and-results"),
        (3, "1.", "健全机制", "measures-and-results"),
        (1, "", "存在的不足", "shortcomings"),
        (1, "", "2025年工作安排", "next-year-plan"),
        (2, "（一）", "加强学习", "next-year-plan"),
    ]


@pytest.mark.parametrize(
    "text, opens",
    [
        ("当前，我镇法治政府建设与上级要求和群众期盼相比还有一定差距，主要是：一是…", True),
        ("我局法治政府建设还存在一些不足：一是执法力量薄弱。", True),
        ("工作中存在的问题主要有：基层力量薄弱。", True),
        ("对照新要求，我县仍有不少短板弱项。", True),
        ("虽然执法人员较少，但通过推行执法+服务模式，整改问题隐患312个。", False),
        ("针对督察发现存在的问题，一是建立整改台账，二是限期销号。", False),
        ("全年审核规范性文件30件，纠正问题文件2件。", False),
    ],
)
def test_shortcomings_paragraph_states_a_shortfall(text: str, opens: bool) -> None:
    from auditor.outline import opens_shortcomings

    assert opens_shortcomings(text) is opens


@pytest.mark.parametrize("name", [n for n in NAMES if labels(n)["doc"].endswith(".txt")])
def test_other_formats_give_the_same_tree(name: str, tmp_path) -> None:
    from .test_outline import _as_docx, _as_html, _shape

    src = REPORTS / labels(name)["doc"]
    text = src.read_text(encoding="utf-8")
    body = lambda shape: [s for s in shape if s[3] != "preamble"]  # noqa: E731
    want = _shape(src)
    gb = tmp_path / "gb.txt"
    gb.write_bytes(text.encode("gb18030"))
    page = tmp_path / "page.html"
    page.write_text(_as_html(text), encoding="utf-8")
    docx = tmp_path / "report.docx"
    _as_docx(text, docx)
    assert _shape(gb) == want
    assert body(_shape(page)) == body(want)
    assert body(_shape(docx)) == body(want)


@pytest.mark.parametrize(
    "text, opens",
    [
        ("2025年是“十四五”规划收官之年，我县将坚持以习近平法治思想为指导。", True),
        ("下一阶段，我们将持续推进法治政府建设。", True),
        ("下一步，我镇将坚持以习近平法治思想为指导，重点抓好以下工作。", True),
        ("2025年1月，市政府召开全市法治政府建设工作会议，部署全年工作。", False),
        ("2024年，我们坚持以习近平法治思想为指导。", False),
    ],
)
def test_plan_paragraph_looks_to_next_year(text: str, opens: bool) -> None:
    from auditor.outline import opens_plan

    assert opens_plan(text, 2024) is opens
