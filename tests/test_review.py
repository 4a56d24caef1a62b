"""Self-review: what to fix first, each point at its place, highlighted and escaped in HTML."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.defects import find_defects
from auditor.ingest import from_text
from auditor.match import check
from auditor.outline import build
from auditor.pipeline import read_outline
from auditor.review import Point, Review, build_review, highlight, render_review

from .conftest import EXAMPLES

DRAFT = EXAMPLES / "draft-township-2024.txt"
COMPLETE = EXAMPLES / "complete-county-2024.txt"


def review_of(path: Path, checklists, kind: str | None = None) -> Review:
    outline = read_outline(path)
    return build_review(check(outline, checklists, kind), find_defects(outline))


@pytest.fixture(scope="module")
def draft(checklists) -> Review:
    return review_of(DRAFT, checklists)


def points(review: Review, step: str | None = None) -> list[Point]:
    return [p for s in review.steps for p in s.points if step is None or s.key == step]


def point(review: Review, *, item: str | None = None, kind: str | None = None, line: int | None = None) -> Point:
    found = [
        p for p in points(review)
        if (item is None or p.item_id == item) and (kind is None or p.kind == kind)
        and (line is None or p.where.startswith(f"第{line}行"))
    ]
    assert len(found) == 1, [(p.kind, p.item_id, p.where) for p in found]
    return found[0]


# -- order --------------------------------------------------------------------------------
def test_steps_in_order_of_urgency(draft: Review) -> None:
    assert [s.key for s in draft.steps] == ["parts", "required", "defects", "slogans", "recommended"]
    numbers = [p.number for p in points(draft)]
    assert numbers == list(range(1, len(numbers) + 1))


def test_missing_parts_come_first(draft: Review) -> None:
    parts = points(draft, "parts")
    assert [(p.item_id, p.status) for p in parts] == [
        ("structure.shortcomings", "missing"),
        ("structure.first-responsible-person", "partial"),
    ]
    assert parts[0].problem == "全文还没有写到这方面的内容。" and "不足和原因" in parts[0].suggestion
    assert parts[1].where.startswith("第14行") and "第一责任人职责" in parts[1].quote


def test_required_items_missing_then_partial(draft: Review) -> None:
    req = points(draft, "required")
    statuses = [p.status for p in req]
    assert statuses == sorted(statuses, key=lambda s: s != "missing")
    # (rules.normative-docs-legality-review is covered: "对镇政府拟发文件…开展合法性审查22件".)
    for item in (
        "rules.normative-docs-filing-review",
        "disputes.administrative-reconsideration",
        "disputes.litigation-and-appearance",
    ):
        p = point(draft, item=item)
        assert p.step == "required" and p.status == "missing" and not p.spans and p.suggestion
    for item in ("enforcement.publicity-system", "enforcement.full-process-recording", "enforcement.major-decision-legal-review"):
        p = point(draft, item=item)
        assert p.status == "partial" and p.where.startswith("第31行") and p.where.endswith("3.规范执法行为")
    assert point(draft, item="leadership.first-responsible-person").where.startswith("第14行")


@pytest.mark.parametrize(
    ("kind", "line", "text"),
    [
        ("placeholder", 15, "*次"),
        ("placeholder", 21, "【待补充】"),
        ("placeholder", 29, "XXXX年"),
        ("placeholder", 32, "××"),
        ("placeholder", 35, "XX村"),
        ("quote", 20, "“一窗受理、集成服务模式，"),
        ("bracket", 36, "（由镇司法所牵头负责日常受理，"),
        ("numbering", 17, "2.加强普法宣传"),
        ("numbering", 19, "（三）深化“放管服”改革"),
        ("empty-heading", 39, "（七）强化行政权力制约监督"),
        ("year", 22, "2022年"),
    ],
)
def test_draft_defects_at_their_places(draft: Review, kind: str, line: int, text: str) -> None:
    p = point(draft, kind=kind, line=line)
    assert p.step == "defects" and text in p.quote
    a, b = p.spans[0]
    assert text.startswith(draft.original[a:b]) or draft.original[a:b].startswith(text)


def test_fix_placeholders_before_checking_numbering(draft: Review) -> None:
    kinds = [p.kind for p in points(draft, "defects")]
    assert kinds.index("numbering") > max(i for i, k in enumerate(kinds) if k in ("placeholder", "empty-heading"))


def test_slogans(draft: Review) -> None:
    slogans = points(draft, "slogans")
    assert [p.where[: p.where.index("行") + 1] for p in slogans] == ["第26行", "第31行"]
    assert slogans[0].quote.startswith("（四）坚持依法决策")


def test_complete_report_gets_no_invented_defects(checklists) -> None:
    review = review_of(COMPLETE, checklists)
    assert [s.key for s in review.steps] == ["recommended"]
    assert review.exit_status == 0
    assert "必备项都已写到" in review.summary


def test_checklist_marks(draft: Review) -> None:
    rows = [r for _, _, _, rs in draft.checklists for r in rs]
    assert {r.mark for r in rows} == {"✔", "◐", "✘"}
    assert all(r.suggestion for r in rows if r.status != "covered")
    assert not any(r.suggestion for r in rows if r.status == "covered")


# -- formats ------------------------------------------------------------------------------
def test_text_and_markdown_list_every_point(draft: Review) -> None:
    text = render_review(draft, "text")
    md = render_review(draft, "md")
    for p in points(draft):
        assert f"{p.number}. " in text and p.title in text and p.suggestion in text
        assert f"### {p.number}. " in md
    assert text.index("第一步：补齐报告的必备部分") < text.index("第二步：补充必备内容") < text.index("第三步：改正文稿中的硬伤")


def test_html_highlights_every_located_point(draft: Review) -> None:
    page = render_review(draft, "html")
    located = [p for p in points(draft) if p.spans]
    assert located
    for p in located:
        assert f'id="{p.anchor}"' in page and f'href="#{p.anchor}"' in page
        assert f'id="d{p.number}"' in page
    star = point(draft, kind="placeholder", line=15)
    n = star.number
    assert f'id="p{n}"></span><mark class="hl k-placeholder" title="{n}. 未填写的占位符">*次</mark>' in page
    for p in (p for p in points(draft) if not p.spans):
        assert f'href="#d{p.number}"' in page
    opening = '<article class="doc" aria-label="文稿原文">'
    article = page[page.index(opening) + len(opening) : page.index("</article>")]
    plain = re.sub(r"<[^>]+>", "", re.sub(r'<a class="ref"[^>]*>\d+</a>', "", article))
    assert html.unescape(plain) == draft.original


def test_html_is_self_contained_and_escaped(checklists) -> None:
    text = "测试镇2024年度法治政府建设情况报告\n\n一、2024年主要举措和成效\n（一）工作\n全年办理XX件<script>alert(1)</script>案件，\"共\"计12件。\n"
    outline = build(from_text(text, "evil.txt", "txt"))
    page = render_review(build_review(check(outline, checklists), find_defects(outline)), "html")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page) and "<link" not in page


def test_highlight_cuts_overlapping_spans() -> None:
    segs = highlight("abcdefgh", [(1, 5, 1, True), (3, 7, 2, True)])
    assert [(s.text, s.points, s.anchors, s.ends) for s in segs] == [
        ("a", [], [], []),
        ("bc", [1], ["p1"], []),
        ("de", [1, 2], ["p2"], [1]),
        ("fg", [2], [], [2]),
        ("h", [], [], []),
    ]
    assert "".join(s.text for s in segs) == "abcdefgh"


# -- command line --------------------------------------------------------------------------
def test_review_command(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["review", str(DRAFT)])
    assert res.exit_code == 1
    assert res.stdout.startswith("自查提示：临江市白石镇2024年度法治政府建设情况报告")
    out = tmp_path / "review.html"
    res = runner.invoke(main, ["review", str(DRAFT), "--format", "html", "--output", str(out)])
    assert res.exit_code == 1 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert runner.invoke(main, ["review", str(COMPLETE), "--format", "md"]).exit_code == 0
    res = runner.invoke(main, ["review", str(tmp_path / "none.txt")])
    assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1
    res = runner.invoke(main, ["review", str(DRAFT), "--format", "pdf"])
    assert res.exit_code == 2
