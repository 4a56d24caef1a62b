"""Audit memo: finding order, conclusion rule, formal checks, three formats with one content."""

from __future__ import annotations

import dataclasses
import html
import io
import os
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as Docx

from auditor.cli import main
from auditor.defects import find_defects
from auditor.ingest import from_text
from auditor.letterhead import Letterhead
from auditor.match import check, summarise
from auditor.memo import (
    Counts,
    build_memo,
    conclude,
    memo_title,
    memo_view,
    order_findings,
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
NOW = datetime(2025, 3, 20, 9, 30, 0)
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
    return Finding(item_id, f"条目{item_id}", severity, status, reason, evidence or [], f"要求{item_id}", "纲要 三", f"建议{item_id}",
                   item_type="part" if item_id.startswith("structure.") else "mention")


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
    assert memo.title == "关于测试县人民政府2024年度法治政府建设情况报告的审核意见"


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
    return build_memo(check(outline, checklists, "township"), find_defects(outline), "township")


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


def _docx_text(data: bytes) -> str:
    doc = Docx(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.parametrize("detail", ["brief", "full"])
def test_same_content_in_every_format(draft_memo, detail: str) -> None:
    view = memo_view(draft_memo, detail)
    md = render_memo(draft_memo, "md", detail)
    page = html.unescape(render_memo(draft_memo, "html", detail))
    data = render_memo(draft_memo, "docx", detail, now=NOW)
    paras = _docx_paragraphs(data)
    body = _docx_text(data)
    style = {"h1": "Heading 1", "h2": "Heading 2"}
    for b in view["blocks"]:
        if b["kind"] in style:
            assert (style[b["kind"]], b["text"]) in paras
        texts = [b["text"], b["lead"], *(c for row in b["rows"] for c in row)]
        for text in filter(None, texts):
            assert md_escape(text) in md and text in page and text in body, text
    for text in (view["title"], *view["sign"].values()):
        assert md_escape(text) in md and text in page and text in body
    assert [t for s, t in paras if s == "Heading 1"] == [b["text"] for b in view["blocks"] if b["kind"] == "h1"]


def test_brief_memo_is_the_short_one(draft_memo) -> None:
    brief, full = memo_view(draft_memo, "brief"), memo_view(draft_memo, "full")
    heads = [b["text"] for b in brief["blocks"] if b["kind"] == "h1"]
    assert heads == ["一、总体评价", "二、需要补充的必备内容", "三、需要充实的内容", "四、文字和形式方面的问题", "五、可以补充的内容"]
    assert not [b for b in brief["blocks"] if b["kind"] in ("h2", "quote", "field")]
    table = next(b for b in brief["blocks"] if b["kind"] == "items")
    partial = [e for e in draft_memo.content if e.severity == "required" and e.status == "partial"]
    assert [r[0] for r in table["rows"]] == [e.heading for e in partial]
    size = {d: len(render_memo(draft_memo, "md", d)) for d in ("brief", "full")}
    assert size["brief"] * 2 < size["full"], size
    assert len([b for b in full["blocks"] if b["kind"] == "h2"]) == sum(
        len(x) for x in (draft_memo.content, draft_memo.structure, draft_memo.formal))


def test_no_ids_versions_or_offsets_in_memos(draft_memo, checklists) -> None:
    for detail in ("brief", "full"):
        text = render_memo(draft_memo, "md", detail) + _docx_text(render_memo(draft_memo, "docx", detail, now=NOW))
        for cl in checklists:
            assert cl.id not in text and f"版本{cl.version}" not in text
            assert not any(f"`{it.id}`" in text or f"（{it.id}" in text for it in cl.items)
        assert "未识别" not in text


def test_docx_layout_after_official_documents(draft_memo) -> None:
    head = Letterhead(to="临江市司法局", issuer="临江市人民政府办公室", reviewer="张三", issued=date(2025, 3, 20))
    memo = dataclasses.replace(draft_memo, letterhead=head)
    data = render_memo(memo, "docx", now=NOW)
    doc = Docx(io.BytesIO(data))
    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paras[0] == ("Title", "关于临江市白石镇2024年度法治政府建设情况报告的审核意见")
    assert paras[1] == ("Memo To", "临江市司法局：")
    assert paras[-3:] == [("Memo Sign", "临江市人民政府办公室"), ("Memo Sign", "2025年3月20日"), ("Memo Note", "（审核人：张三）")]
    assert not any("{%" in t or "{{" in t for _, t in paras)
    fonts = {name: _east_asian(doc.styles[name]) for name in ("Title", "Normal", "Heading 1", "Heading 2")}
    assert fonts == {"Title": "方正小标宋简体", "Normal": "仿宋_GB2312", "Heading 1": "黑体", "Heading 2": "楷体_GB2312"}
    assert doc.styles["Title"].font.size.pt == 22 and doc.styles["Normal"].font.size.pt == 16
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer and "— " in footer and " —" in footer
    cp = doc.core_properties
    assert (cp.title, cp.author, cp.language) == (memo.title, "临江市人民政府办公室", "zh-CN")
    assert cp.created.replace(tzinfo=None) == NOW
    assert cp.subject == "法治政府建设年度报告审核意见" and not cp.comments
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        app, styles, fonts_xml = (z.read(n).decode() for n in ("docProps/app.xml", "word/styles.xml", "word/fontTable.xml"))
    assert "Macintosh" not in app and "ja-JP" not in styles and 'w:eastAsia="zh-CN"' in styles
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts_xml
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts_xml


def _east_asian(style) -> str:
    from docx.oxml.ns import qn

    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_unknown_letterhead_fields_are_visible_blanks(draft_memo) -> None:
    md = render_memo(draft_memo, "md")
    assert md.splitlines()[2] == "＿＿＿＿＿＿＿＿："
    assert "（审核人：＿＿＿＿＿＿＿＿）" in md and "　　　　年　　月　　日" in md


def test_memo_is_deterministic(draft_memo) -> None:
    assert render_memo(draft_memo, "docx", now=NOW) == render_memo(draft_memo, "docx", now=NOW)
    assert render_memo(draft_memo, "md") == render_memo(draft_memo, "md")


def test_memo_title_names_body_and_year() -> None:
    doc = from_text("x", "reports/r1.txt", "txt")
    assert memo_title(Metadata(title="青川县人民政府关于2024年度法治政府建设情况的报告", issuer="青川县人民政府", year=2024), doc) == \
        "关于青川县人民政府2024年度法治政府建设情况报告的审核意见"
    assert memo_title(Metadata(title="临江市白石镇2024年度法治政府建设情况报告", year=2024), doc) == \
        "关于临江市白石镇2024年度法治政府建设情况报告的审核意见"
    assert memo_title(Metadata(title="2024年度法治政府建设情况报告", year=2024), doc) == \
        "关于2024年度法治政府建设情况报告（r1.txt）的审核意见"
    assert memo_title(Metadata(), doc) == "关于r1.txt的审核意见"


def test_repeated_placeholders_in_one_sentence_are_one_finding() -> None:
    text = TEXT.replace("全年审核规范性文件12件。", "XX镇XX村XX组XX社区XX街XX号XX室审核规范性文件12件。")
    outline = build(from_text(text, "t.txt", "txt"))
    defects = [d for d in find_defects(outline) if d.kind == "placeholder"]
    assert len(defects) == 7
    memo = build_memo(report_of([finding("x.ok", "required", "covered")], text), defects)
    entry = next(e for e in memo.formal if e.kind == "placeholder")
    assert entry.badge == "1处" and [q.count for q in entry.quotes] == [7]
    assert "本句共7处" in entry.quotes[0].note
    assert memo.counts.blocking == 1


def test_shortcomings_without_causes_are_asked_for_the_causes() -> None:
    causes = ("causes",)
    fs = [dataclasses.replace(finding("structure.shortcomings", "required", "partial"), needs=causes),
          finding("x.ok", "required", "covered")]
    memo = build_memo(report_of(fs))
    entry = memo.structure[0]
    assert "未分析原因" in entry.advice and "单列" not in entry.advice
    missing = build_memo(report_of([dataclasses.replace(finding("structure.shortcomings", "required", "missing"),
                                                        needs=causes)]))
    assert missing.structure[0].advice == "建议structure.shortcomings"


def test_not_applicable_items_are_neither_gaps_nor_counted() -> None:
    fs = [finding("x.ok", "required", "covered"), dataclasses.replace(finding("x.na", "required", "missing"), status="not-applicable")]
    outline = build(from_text(TEXT, "t.txt", "txt"))
    memo = build_memo(Report(outline, [ChecklistResult("t", "测试清单", "1.0", "纲要", fs, summarise(fs[:1]))]))
    assert memo.conclusion.code == "pass" and not memo.content
    assert "共审核1项" in memo.overview[0]


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


def test_letterhead_from_options_and_config(tmp_path: Path) -> None:
    config = tmp_path / "memo.yaml"
    config.write_text("主送: 广元市司法局\n落款: 广元市人民政府办公室\nreviewer: 李四\n", encoding="utf-8")
    out = tmp_path / "memo.md"
    args = ["memo", str(EXAMPLES / "complete-county-2024.txt"), "-o", str(out), "--config", str(config),
            "--from", "广元市依法治市办", "--date", "2025-03-20"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.stderr
    md = out.read_text(encoding="utf-8")
    assert "广元市司法局：" in md and "广元市依法治市办" in md and "广元市人民政府办公室" not in md
    assert "2025年3月20日" in md and "（审核人：李四）" in md
    docx = tmp_path / "memo.docx"
    res = CliRunner().invoke(main, [*args[:3], str(docx), *args[4:]])
    assert res.exit_code == 0 and Docx(str(docx)).core_properties.author == "广元市依法治市办"


@pytest.mark.parametrize(("content", "words"), [
    ("主送: 甲\n审核人: [unclosed\n", "第3行：审核意见配置文件不是有效的 YAML"),
    ("- 一个列表\n", "键: 值"),
    ("抄送: 某局\n", "抄送"),
    ("主送: 12\n", "应为文字"),
])
def test_bad_letterhead_config_is_one_line(tmp_path: Path, content: str, words: str) -> None:
    config = tmp_path / "memo.yaml"
    config.write_text(content, encoding="utf-8")
    res = CliRunner().invoke(main, ["memo", str(DRAFT), "--format", "md", "--config", str(config)])
    assert res.exit_code == 2 and words in res.stderr and str(config) in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.output
    res = CliRunner().invoke(main, ["memo", str(DRAFT), "--format", "md", "--date", "3月20日"])
    assert res.exit_code == 2 and "--date" in res.stderr


@pytest.mark.parametrize("seed", seed_params())
def test_memo_on_each_seed(seed: str, tmp_path: Path) -> None:
    runner = CliRunner()
    src = SEEDS / f"{seed}.txt"
    for fmt in ("docx", "md", "html"):
        out = tmp_path / f"memo.{fmt}"
        res = runner.invoke(main, ["memo", str(src), "--format", fmt, "--output", str(out)])
        assert res.exit_code in (0, 1), res.stderr
        assert out.stat().st_size > 1000
    res = runner.invoke(main, ["memo", str(src), "--detail", "full", "-o", str(tmp_path / "full.docx")])
    res = runner.invoke(main, ["memo", str(src), "--detail", "full", "--format", "md", "-o", str(tmp_path / "full.md")])
    doc = Docx(str(tmp_path / "full.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    md = (tmp_path / "full.md").read_text(encoding="utf-8")
    assert headings and all(f"### {md_escape(h)}" in md for h in headings)
    assert any(p.style.name == "Normal" and p.text.startswith("修改意见：") for p in doc.paragraphs)
    brief = Docx(str(tmp_path / "memo.docx"))
    assert brief.paragraphs[0].style.name == "Title" and not [p for p in brief.paragraphs if p.style.name == "Heading 2"]


@pytest.mark.parametrize("detail", ["brief", "full"])
def test_golden_markdown_memo(need_shared, tmp_path: Path, detail: str) -> None:
    """Pins the Markdown memo of one seed, both forms; regenerate with UPDATE_GOLDEN=1."""
    out = tmp_path / "memo.md"
    args = ["memo", str(SEEDS / f"{GOLDEN_SEED}.txt"), "--format", "md", "--kind", "county", "-o", str(out),
            "--to", "台州市司法局", "--from", "台州市人民政府办公室", "--date", "2023-03-10", "--detail", detail]
    res = CliRunner().invoke(main, args)
    assert res.exit_code in (0, 1), res.stderr
    golden = GOLDEN / (f"memo-{GOLDEN_SEED}.md" if detail == "brief" else f"memo-full-{GOLDEN_SEED}.md")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
    assert out.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8")
