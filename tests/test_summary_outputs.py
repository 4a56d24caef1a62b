"""Issue 15's outputs of a batch: a memo per report, summary.xlsx, the printable summary.html;
plus click's words in Chinese and the gap report without offsets."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import click
import pytest
from click.testing import CliRunner
from docx import Document as Docx

from auditor.batch import collect_inputs
from auditor.cli import main
from auditor.summary import CSV_HEADER, STATUS_MARKS, csv_text, summary_view

from .conftest import EXAMPLES

openpyxl = pytest.importorskip("openpyxl")
EXAMPLE_REPORTS = len(collect_inputs([str(EXAMPLES)]))


@pytest.fixture(scope="module")
def memo_batch(tmp_path_factory):
    """``auditor batch examples --output out --memos docx`` (one worker): the output folder."""
    out = tmp_path_factory.mktemp("memos") / "out"
    args = ["batch", str(EXAMPLES), "--output", str(out), "--memos", "docx", "--workers", "1", "--quiet",
            "--from", "广元市司法局", "--date", "2025-03-20"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 1, res.output  # the draft has gaps
    return out


def test_a_memo_per_report_named_after_body_and_year(memo_batch: Path) -> None:
    memos = sorted(p.name for p in memo_batch.glob("*.docx"))
    assert memos == [
        "临江市白石镇2024年度审核意见-draft-township-2024.docx.docx",
        "临江市白石镇2024年度审核意见-draft-township-2024.pdf.docx",
        "临江市白石镇2024年度审核意见-draft-township-2024.txt.docx",
        "青川县人民政府2024年度审核意见-complete-county-2024.docx",
    ]  # one per report, copies included
    doc = Docx(str(memo_batch / memos[-1]))
    assert doc.paragraphs[0].text == "关于青川县人民政府2024年度法治政府建设情况报告的审核意见"
    assert doc.core_properties.author == "广元市司法局"
    assert [p.text for p in doc.paragraphs][-2] == "2025年3月20日"


def test_memos_are_kept_by_the_cache_and_follow_their_options(memo_batch: Path) -> None:
    res = CliRunner().invoke(main, ["batch", str(EXAMPLES), "--output", str(memo_batch), "--memos", "docx",
                                    "--workers", "1", "--from", "广元市司法局", "--date", "2025-03-20"])
    assert f"沿用缓存 {EXAMPLE_REPORTS} 份" in res.stderr, res.stderr
    res = CliRunner().invoke(main, ["batch", str(EXAMPLES), "--output", str(memo_batch), "--memos", "md",
                                    "--workers", "1", "--from", "广元市司法局", "--date", "2025-03-20"])
    assert f"本次审核 {EXAMPLE_REPORTS} 份" in res.stderr, res.stderr
    assert len(list(memo_batch.glob("*审核意见-*.md"))) == EXAMPLE_REPORTS


def test_summary_workbook(memo_batch: Path) -> None:
    wb = openpyxl.load_workbook(memo_batch / "summary.xlsx")
    assert wb.sheetnames[0] == "汇总" and wb.sheetnames[-1] == "全部发现"
    assert {"法治政府建设实施纲要（2021—2025年）主要任务", "法治政府建设年度报告结构要求"} <= set(wb.sheetnames)
    summary = wb["汇总"]
    assert tuple(c.value for c in summary[1]) == CSV_HEADER
    assert summary.freeze_panes == "B2" and summary.auto_filter.ref == "A1:N3"
    rows = {r[0].value: r for r in summary.iter_rows(min_row=2)}
    draft = next(r for k, r in rows.items() if k.endswith(".docx"))
    assert draft[CSV_HEADER.index("相同内容的其他文件")].value.endswith("draft-township-2024.txt")
    assert draft[CSV_HEADER.index("审核结论")].value == "不符合要求，退回修改"
    assert "行政规范性文件备案审查" in draft[CSV_HEADER.index("未达标必备项")].value

    grid = wb["法治政府建设年度报告结构要求"]
    head = [c.value for c in grid[1]]
    assert head[:4] == ["报告", "层级", "审核结论", "得分"] and "存在的不足和原因" in head
    assert grid.freeze_panes == "B2" and grid.auto_filter.ref.startswith("A1:")
    fills = {"✔": "FFC6EFCE", "◐": "FFFFEB9C", "✘": "FFFFC7CE", "—": "FFEDEDED"}
    marks = set()
    for row in grid.iter_rows(min_row=2):
        for cell in row[4:]:
            assert cell.value in fills, cell.value
            assert cell.fill.fgColor.rgb == fills[cell.value]
            marks.add(cell.value)
    assert marks == {"✔", "◐", "✘"}  # the draft lacks its shortcomings part, half-reports its leaders' duties

    findings = wb["全部发现"]
    assert [c.value for c in findings[1]] == ["文件", "报告", "检查清单", "条目", "类别", "状态", "原文", "所在章节"]
    data = [[c.value for c in r] for r in findings.iter_rows(min_row=2)]
    items = {p.name: sum(len(cl["items"]) for cl in json.loads(p.read_text(encoding="utf-8"))["checklists"])
             for p in memo_batch.glob("*.json") if not p.name.startswith(".")}
    assert len(data) == items["complete-county-2024.json"] + items["draft-township-2024.docx.json"]  # every item, once per report
    assert {r[5] for r in data} >= {"已覆盖", "部分覆盖", "缺失"}
    covered = next(r for r in data if r[5] == "已覆盖")
    assert covered[6] and covered[7]  # the quote and where it is


def _record(path: str, statuses: dict[str, str], **more) -> SimpleNamespace:
    base = dict(path=path, name=Path(path).stem, title="测试县人民政府2024年度法治政府建设情况报告", issuer="测试县人民政府",
                year=2024, score=50.0, covered=1, partial=0, missing=1, required_open=[], statuses=statuses,
                error=None, ok=True, conclusion="revise", text_sha256=path, level=None, level_from=None, outputs=[])
    return SimpleNamespace(**{**base, **more})


def test_summaries_tolerate_a_not_applicable_status(checklists) -> None:
    first = checklists[0].items[0].id
    rec = _record("a.txt", {first: "not-applicable"}, level="county", level_from="issuer")
    view = summary_view([rec], checklists, None, "html")
    cell = view["rows"][0]["cells"][0]
    assert (cell["mark"], cell["label"]) == (STATUS_MARKS["not-applicable"], "不适用") == ("—", "不适用")
    assert view["items"][0]["rate"] == 0.0 and view["rows"][0]["level"] == "县级政府"
    assert view["rows"][0]["level_from"] == "推断自发布机关"
    row = csv_text([rec], None).splitlines()[1]
    assert "县级政府,推断自发布机关,建议修改完善后报送" in row


def test_summary_html_prints_as_a_compact_grid(memo_batch: Path) -> None:
    html = (memo_batch / "summary.html").read_text(encoding="utf-8")
    css = html[html.index("@media print"):]
    assert "size:A4 landscape" in css and "display:table-header-group" in css
    assert '<span class="no">1</span>' in html and '<ol class="key">' in html
    assert "审核结论</th>" in html and "副本：" in html
    assert 'href="%E9%9D%92%E5%B7%9D%E5%8E%BF' in html  # the memo of 青川县…, linked from its row
    assert "outline-2021-2025" not in html and "structure.shortcomings</span>" not in html


def _commands(group: click.Group):
    yield [], group
    for name, cmd in group.commands.items():
        yield [name], cmd
        if isinstance(cmd, click.Group):
            for sub, c in cmd.commands.items():
                yield [name, sub], c


def test_cli_help_is_chinese_everywhere() -> None:
    english = re.compile(r"Show this message|\[required\]|\[default:|Usage:|Options:|Commands:|Show the version")
    for path, _ in _commands(main):
        res = CliRunner().invoke(main, [*path, "--help"])
        assert res.exit_code == 0, path
        assert not english.search(res.output), (path, english.search(res.output).group())
        assert "显示本帮助并退出" in res.output and "用法：" in res.output
    res = CliRunner().invoke(main, ["batch", "x"])
    assert res.exit_code == 2 and "缺少选项" in res.stderr and "Error" not in res.stderr
    res = CliRunner().invoke(main, ["memo", "x", "--format", "pdf"])
    assert res.exit_code == 2 and "取值无效" in res.stderr


def test_gap_report_without_offsets_or_other_part_badge(tmp_path: Path) -> None:
    for fmt in ("html", "md", "text"):
        res = CliRunner().invoke(main, ["check", str(EXAMPLES / "draft-township-2024.txt"), "--format", fmt])
        assert res.exit_code == 1
        assert "其他事项" not in res.stdout
        visible = re.sub(r'title="[^"]*"', "", res.stdout)
        assert not re.search(r"\d+[–-]\d+）", visible), fmt
    assert re.search(r'title="原文第 \d+–\d+ 字"', res.stdout) is None  # text has no tooltips
    page = CliRunner().invoke(main, ["check", str(EXAMPLES / "draft-township-2024.txt"), "--format", "html"]).stdout
    assert re.search(r'title="原文第 \d+–\d+ 字"', page)


def test_memo_names_are_plain_file_names() -> None:
    from auditor.batch_memo import memo_name

    assert memo_name("青川县人民政府", 2024, "r1", "docx") == "青川县人民政府2024年度审核意见-r1.docx"
    assert memo_name("../<b>某县\u202e/人民 政府", None, "r1", "md") == "b某县人民政府审核意见-r1.md"
    assert memo_name("..", 2024, "r1", "html") == "审核意见-r1.html"
