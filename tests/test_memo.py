"""Audit memo: finding order, conclusion rule, formal checks, three formats with one content."""

from __future__ import annotations

import html
import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as Docx

from auditor.cli import main
from auditor.defects import find_defects
from auditor.ingest import from_text
from auditor.match import check, summarise
from auditor.memo import (
    Counts,
    build_memo,
    conclude,
    memo_view,
    order_findings,
    part_item_ids,
    publication_issue,
    render_memo,
    title_year_issue,
)
from auditor.model import ChecklistResult, Evidence, Finding, Metadata, Report
from auditor.outline import build
from auditor.pipeline import read_outline
from auditor.render import md_escape

from .conftest import EXAMPLES, SEEDS, seed_params

GOLDEN = Path(__file__).resolve().parent / "golden"
GOLDEN_SEED = "004_91e0d0777a8f95a6"
DRAFT = EXAMPLES / "draft-township-2024.txt"
TEXT = (
    "测试县人民政府关于2024年度法治政府建设情况的报告\n\n"
    "一、2024年度法治政府建设主要举措和成效\n（一）依法决策\n全年审核规范性文件12件。\n"
    "（二）党政主要负责人履行推进法治建设第一责任人职责情况\n县长主持召开专题会议4次。\n"
    "二、存在的不足和原因\n执法人员不足，原因是编制偏少。\n三、2025年工作安排\n（一）继续深化改革。\n"
)


# -- hand-built reports ------------------------------------------------------------------
def finding(item_id: str, severity: str, status: str, evidence: list[Evidence] | None = None) -> Finding:
    reason = {"missing": "全文未提及相关内容", "partial": "有所提及，但未报告具体举措", "covered": "已报告"}[status]
    return Finding(item_id, f"条目{item_id}", severity, status, reason, evidence or [], f"要求{item_id}", "纲要 三", f"建议{item_id}")


def report_of(findings: list[Finding], text: str = TEXT) -> Report:
    outline = build(from_text(text, "t.txt", "txt"))
    return Report(outline, [ChecklistResult("t", "测试清单", "1.0", "纲要", findings, summarise(findings))])


def test_order_most_serious_first_and_stable() -> None:
    fs = [
        finding("a", "recommended", "partial"),
        finding("b", "required", "partial"),
        finding("c", "required", "covered"),
        finding("d", "recommended", "missing"),
        finding("e", "required", "missing"),
        finding("f", "required", "missing"),
        finding("g", "required", "partial"),
    ]
    assert [f.item_id for f in order_findings(fs)] == ["e", "f", "b", "g", "d", "a"]


@pytest.mark.parametrize(
    ("counts", "code"),
    [
        (Counts(), "pass"),
        (Counts(editorial=1), "pass-with-advice"),
        (Counts(required_partial=2), "pass-with-advice"),
        (Counts(required_partial=3), "revise"),
        (Counts(required_missing=1), "revise"),
        (Counts(required_missing=2, required_partial=5), "revise"),
        (Counts(parts_partial=1), "revise"),
        (Counts(blocking=1), "revise"),
        (Counts(required_missing=3), "reject"),
        (Counts(parts_missing=1), "reject"),
    ],
)
def test_conclusion_rule(counts: Counts, code: str) -> None:
    c = conclude(counts)
    assert c.code == code
    assert c.label in {"符合要求", "基本符合要求，建议完善", "建议修改完善后报送", "不符合要求，退回修改"}
    assert c.reasons


def test_memo_of_a_hand_built_report() -> None:
    ev = Evidence("s1.1", "一、… > （一）依法决策", "全年审核规范性文件12件。", 10, 22, ["规范性文件"], "measures-and-results")
    fs = [
        finding("x.partial", "required", "partial", [ev]),
        finding("structure.shortcomings", "required", "missing"),
        finding("x.rec", "recommended", "missing"),
        finding("x.missing", "required", "missing"),
        finding("x.ok", "required", "covered"),
    ]
    memo = build_memo(report_of(fs))
    assert [e.item_id for e in memo.content] == ["x.missing", "x.partial", "x.rec"]
    assert [e.item_id for e in memo.structure] == ["structure.shortcomings"]
    assert memo.content[1].quotes[0].text == "全年审核规范性文件12件。"
    assert memo.content[0].situation == "报告全文未提及相关内容。"
    assert memo.conclusion.code == "reject" and not memo.structure_complete
    assert memo.counts == Counts(required_missing=1, required_partial=1, parts_missing=1)


def test_clean_report_passes() -> None:
    memo = build_memo(report_of([finding("x.ok", "required", "covered")]), find_defects(report_of([]).outline))
    assert memo.structure_complete, memo.overview
    assert memo.conclusion.code == "pass"
    assert memo.title == "关于《测试县人民政府关于2024年度法治政府建设情况的报告》的审核意见"


def test_without_structure_items_the_outline_decides() -> None:
    text = "测试县2024年度法治政府建设情况报告\n\n一、2024年主要举措和成效\n全年审核规范性文件12件。\n"
    memo = build_memo(report_of([finding("x.ok", "required", "covered")], text))
    assert memo.counts.parts_missing == 3 and memo.conclusion.code == "reject"
    assert "存在的不足和原因" in memo.overview[1]


def test_late_publication_depends_on_level() -> None:
    meta = Metadata(title="t", year=2024, published="2025-03-15")
    late = publication_issue(meta, "township")
    assert late is not None and "2025年3月1日前" in late.situation and "2025年3月15日" in late.situation
    assert publication_issue(meta, "county") is None
    assert publication_issue(meta, None) is None
    assert publication_issue(Metadata(year=2024, published="2025-04-01"), "county") is not None
    assert publication_issue(meta, "county", {"county": (3, 10)}) is not None


def test_title_year_against_body_year() -> None:
    text = TEXT.replace("一、2024年度", "一、2023年度")
    issue = title_year_issue(build(from_text(text, "t.txt", "txt")))
    assert issue is not None and "2024年度" in issue.situation and "2023年度" in issue.situation
    assert title_year_issue(build(from_text(TEXT, "t.txt", "txt"))) is None


def test_formal_findings_reach_the_memo() -> None:
    r = report_of([finding("x.ok", "required", "covered")], TEXT.replace("一、2024年度", "一、2023年度"))
    memo = build_memo(r, kind="county")
    assert [e.kind for e in memo.formal] == ["title-year"]
    assert memo.conclusion.code == "pass-with-advice"


# -- the gapped draft, in every format ---------------------------------------------------------
@pytest.fixture(scope="module")
def draft_memo(checklists):
    outline = read_outline(DRAFT)
    return build_memo(check(outline, checklists, "township"), find_defects(outline), "township", part_item_ids(checklists))


def test_draft_memo_content(draft_memo) -> None:
    m = draft_memo
    assert m.conclusion.label == "不符合要求，退回修改"
    assert [e.item_id for e in m.structure if e.kind == "item"] == ["structure.shortcomings", "structure.first-responsible-person"]
    assert {e.kind for e in m.structure} >= {"numbering", "empty-heading"}
    statuses = [(e.severity, e.status) for e in m.content]
    assert statuses == sorted(statuses, key=lambda s: ({"required": 0}.get(s[0], 1), {"missing": 0}.get(s[1], 1)))
    ids = [e.item_id for e in m.content]
    assert ids.index("rules.normative-docs-filing-review") < ids.index("enforcement.publicity-system")
    frp = next(e for e in m.content if e.item_id == "leadership.first-responsible-person")
    assert "镇党委书记、镇长认真履行推进法治建设第一责任人职责" in frp.quotes[0].text
    assert frp.quotes[0].where.startswith("第14行")
    placeholders = next(e for e in m.formal if e.kind == "placeholder")
    assert len(placeholders.quotes) == 5


def _docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in Docx(io.BytesIO(data)).paragraphs]


def test_same_findings_in_every_format(draft_memo) -> None:
    view = memo_view(draft_memo)
    md = render_memo(draft_memo, "md")
    page = html.unescape(render_memo(draft_memo, "html"))
    paras = _docx_paragraphs(render_memo(draft_memo, "docx"))
    h2 = [t for s, t in paras if s == "Heading 2"]
    body = "\n".join(t for _, t in paras)
    expected = [f"{e['no']}{e['heading']}（{e['badge']}）" for s in view["sections"] for e in s["entries"]]
    assert h2 == expected
    for sec in view["sections"]:
        assert (f"## {sec['heading']}" in md) and (sec["heading"] in page) and ("Heading 1", sec["heading"]) in paras
        for e in sec["entries"]:
            assert f"### {e['no']}{md_escape(e['heading'])}" in md
            assert f"{e['no']}{e['heading']}" in page
            for text in (e["situation"], e["advice"], *(q["text"] for q in e["quotes"])):
                assert md_escape(text) in md and text in page and text in body
    for text in (view["conclusion"]["label"], view["conclusion"]["text"], view["title"]):
        assert md_escape(text) in md and text in page and text in body


def test_docx_layout(draft_memo) -> None:
    doc = Docx(io.BytesIO(render_memo(draft_memo, "docx")))
    styles = [p.style.name for p in doc.paragraphs]
    assert styles[0] == "Title" and doc.paragraphs[0].text == draft_memo.title
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == [
        "一、审核依据", "二、总体评价", "三、内容方面的问题", "四、结构方面的问题", "五、文字和形式方面的问题", "六、审核结论",
    ]
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[0] == ["条目类别", "已覆盖", "部分覆盖", "缺失", "合计"] and rows[-1][0] == "合计"
    assert not any("{%" in p.text or "{{" in p.text for p in doc.paragraphs)
    assert doc.paragraphs[-2].text.startswith("审核人：") and doc.paragraphs[-1].text.startswith("审核日期：")


def test_memo_is_deterministic(draft_memo) -> None:
    assert render_memo(draft_memo, "docx") == render_memo(draft_memo, "docx")
    assert render_memo(draft_memo, "md") == render_memo(draft_memo, "md")


def test_untrusted_text_is_escaped(checklists) -> None:
    text = (
        "<script>alert(1)</script>县2024年度法治政府建设情况报告\n\n一、2024年度主要举措和成效\n"
        "（一）依法决策\n全年审核XX件<script>alert(1)</script>文件12件。\n"
    )
    outline = build(from_text(text, "evil.txt", "txt"))
    memo = build_memo(check(outline, checklists), find_defects(outline))
    page = render_memo(memo, "html")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in render_memo(memo, "md")
    body = "\n".join(t for _, t in _docx_paragraphs(render_memo(memo, "docx")))
    assert "<script>alert(1)</script>" in body


# -- command line -----------------------------------------------------------------------------
def test_memo_command_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["memo", str(DRAFT)])
    assert res.exit_code == 2 and "--output" in res.stderr
    copy = tmp_path / "draft.txt"
    copy.write_text(DRAFT.read_text(encoding="utf-8"), encoding="utf-8")
    res = runner.invoke(main, ["memo", str(copy), "--format", "md", "--output", str(copy)])
    assert res.exit_code == 2 and "A302" in res.stderr
    assert copy.read_text(encoding="utf-8") == DRAFT.read_text(encoding="utf-8")
    res = runner.invoke(main, ["memo", str(tmp_path / "none.txt"), "-o", str(tmp_path / "x.docx")])
    assert res.exit_code == 2 and "A101" in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_memo_command_infers_format(tmp_path: Path) -> None:
    out = tmp_path / "memo.html"
    res = CliRunner().invoke(main, ["memo", str(EXAMPLES / "complete-county-2024.txt"), "-o", str(out), "--kind", "county"])
    assert res.exit_code == 0, res.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "符合要求" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("seed", seed_params())
def test_memo_on_each_seed(seed: str, tmp_path: Path) -> None:
    runner = CliRunner()
    src = SEEDS / f"{seed}.txt"
    for fmt in ("docx", "md", "html"):
        out = tmp_path / f"memo.{fmt}"
        res = runner.invoke(main, ["memo", str(src), "--format", fmt, "--output", str(out)])
        assert res.exit_code in (0, 1), res.stderr
        assert out.stat().st_size > 1000
    doc = Docx(str(tmp_path / "memo.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    md = (tmp_path / "memo.md").read_text(encoding="utf-8")
    assert headings and all(f"### {md_escape(h)}" in md for h in headings)
    assert any(p.style.name == "Normal" and p.text.startswith("修改意见：") for p in doc.paragraphs)


def test_golden_markdown_memo(need_shared, tmp_path: Path) -> None:
    """Pins the Markdown memo of one seed; regenerate with UPDATE_GOLDEN=1."""
    out = tmp_path / "memo.md"
    res = CliRunner().invoke(main, ["memo", str(SEEDS / f"{GOLDEN_SEED}.txt"), "--format", "md", "--kind", "county", "-o", str(out)])
    assert res.exit_code in (0, 1), res.stderr
    golden = GOLDEN / f"memo-{GOLDEN_SEED}.md"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
    assert out.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8")
