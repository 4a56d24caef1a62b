"""Report text is untrusted: every HTML output must show it as text, never run it.

A report (and its file name, and a user checklist) carrying ``<script>``, ``onerror=``,
``javascript:`` and a closing ``</textarea>`` goes through every HTML template: the gap
report, the self-review, the memo, the year-over-year comparison and the batch summary. The payload must be visible as
text and nothing of it may be live markup.
"""

from __future__ import annotations

import lxml.html
import pytest
from click.testing import CliRunner

from auditor.cli import main

from .hostile_inputs import write

SCRIPT = "<script>alert('xss')</script>"
PAYLOADS = (
    SCRIPT,
    '"><img src=x onerror="alert(1)">',
    "<a href=\"javascript:alert(2)\">点此</a>",
    "</textarea><script>alert(3)</script>",
    "'><svg onload=alert(4)>",
)
HOSTILE_NAME = '<img src=x onerror=alert(5)>javascript:alert(6).txt'


def hostile_report() -> str:
    """A report whose title, headings and evidence sentences all carry a payload."""
    p = PAYLOADS
    return (
        f"XX县2024年法治政府建设情况报告{p[0]}\n"
        f"2024年，我县深入学习贯彻习近平法治思想{p[1]}，现将有关情况报告如下。\n"
        f"一、主要举措和成效{p[2]}\n"
        f"（一）全年审核规范性文件12件{p[3]}，备案审查率100%。\n"
        f"（二）政府主要负责人履行推进法治建设第一责任人职责{p[4]}，专题研究法治工作3次。\n"
        "（三）全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。\n"
        f"二、存在的不足和原因{p[0]}\n"
        "基层执法力量不足，原因是编制紧张。\n"
        "三、2025年工作安排\n"
        f"2025年，我县将继续深化法治政府建设{p[3]}。\n"
    )


USER_CHECKLIST = f"""\
id: local-list
title: 本地清单{SCRIPT}
version: "1"
basis: 本地方案{PAYLOADS[1]}
items:
  - id: local.sample-item
    title: 示例条目{PAYLOADS[2]}
    cite: 某省实施方案
    severity: recommended
    requirement: 报告写明示例工作{PAYLOADS[3]}
    advice: 请补充示例工作{PAYLOADS[4]}
    terms: [示例工作]
"""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every HTML output for the hostile report, by name."""
    d = tmp_path_factory.mktemp("xss")
    report = write(d, HOSTILE_NAME, hostile_report())
    lst = d / "local.yaml"
    lst.write_text(USER_CHECKLIST, encoding="utf-8")
    runner = CliRunner()
    out = d / "out"
    commands = {
        "check.html": ["check", str(report), "--checklist", "outline-2021-2025", "--checklist", str(lst),
                       "--format", "html", "-o", str(out / "check.html")],
        "review.html": ["review", str(report), "--format", "html", "-o", str(out / "review.html")],
        "memo.html": ["memo", str(report), "--format", "html", "-o", str(out / "memo.html")],
        "compare.html": ["compare", str(report), str(report), "--format", "html", "-o", str(out / "compare.html")],
    }
    for args in commands.values():
        res = runner.invoke(main, args, catch_exceptions=False)
        assert res.exit_code in (0, 1), res.output
    res = runner.invoke(main, ["batch", str(report), "--output", str(out / "batch"), "--quiet"], catch_exceptions=False)
    assert res.exit_code in (0, 1), res.output
    pages = {name: (out / name).read_text(encoding="utf-8") for name in commands}
    for page in sorted((out / "batch").glob("*.html")):
        pages[f"batch/{page.name}"] = page.read_text(encoding="utf-8")
    assert "batch/summary.html" in pages and len(pages) >= 5
    return pages


NAMES = ("check.html", "review.html", "memo.html", "compare.html", "batch/summary.html")


@pytest.mark.parametrize("name", NAMES)
def test_no_payload_is_live(outputs: dict[str, str], name: str) -> None:
    html = outputs[name]
    tree = lxml.html.document_fromstring(html)
    for script in tree.iter("script"):
        assert "alert" not in (script.text or ""), name
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for attr, value in el.attrib.items():
            assert not attr.lower().startswith("on"), (name, el.tag, attr, value)
            if attr.lower() in ("href", "src", "action", "formaction", "xlink:href"):
                assert not value.strip().lower().startswith("javascript:"), (name, el.tag, value)
    assert not list(tree.iter("textarea", "img", "iframe")), name  # the templates use none
    for raw in ("<script>alert", "<img", "<svg onload", "</textarea>", "<a href=\"javascript"):
        assert raw not in html, (name, raw)


@pytest.mark.parametrize("name", NAMES)
def test_payload_is_shown_as_text(outputs: dict[str, str], name: str) -> None:
    text = lxml.html.document_fromstring(outputs[name]).text_content()
    assert SCRIPT in text or "onerror=alert(5)" in text, name


def test_per_report_batch_page_is_safe(outputs: dict[str, str]) -> None:
    pages = [n for n in outputs if n.startswith("batch/") and n != "batch/summary.html"]
    assert pages
    for name in pages:
        html = outputs[name]
        assert "<script>alert" not in html and "<img" not in html
        assert "&lt;script&gt;" in html
