"""Bad, odd and hostile report files: each is audited (with a warning) or refused in one line.

The table below is the contract of issue 6: for every input, the exit status and what the
user reads on stderr. Refusals are exactly one line, ``auditor: <file>: <what> [Axxx]``;
nothing ever prints a traceback (``catch_exceptions=False`` would surface one as a failure).
"""

from __future__ import annotations

import codecs
import json
import os
import pathlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main

from .hostile_inputs import HOSTILE_HTML, REPORT, docx_bytes, write, zip_bomb


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@dataclass(frozen=True)
class Case:
    """One input file, how to make it, and what the user must see."""

    id: str
    make: Callable[[Path], Path]
    status: int  # 2 = refused; 1 = audited (gaps found, as in every test report here)
    stderr: tuple[str, ...] = ()  # substrings of stderr (a refusal's line, or warnings)
    args: tuple[str, ...] = ()  # global options placed before the command


def _missing(d: Path) -> Path:
    return d / "不存在的报告.txt"


def _directory(d: Path) -> Path:
    (d / "reports.txt").mkdir()
    return d / "reports.txt"


def _png(d: Path) -> Path:
    return write(d, "scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))


def _pdf(d: Path) -> Path:
    return write(d, "report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(50))


def _truncated_docx(d: Path) -> Path:
    return write(d, "truncated.docx", docx_bytes()[:3000])


def _corrupt_docx(d: Path) -> Path:
    raw = bytearray(docx_bytes())
    raw[200:1200] = os.urandom(1000)
    return write(d, "corrupt.docx", bytes(raw))


def _not_a_word_package(d: Path) -> Path:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    return write(d, "fake.docx", buf.getvalue())


def _old_doc(d: Path) -> Path:
    return write(d, "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))


def _zip_bomb(d: Path) -> Path:
    return write(d, "bomb.docx", zip_bomb("word/media/pad.bin", 210_000_000, docx_bytes()))


def _huge_xml(d: Path) -> Path:
    return write(d, "huge-xml.docx", zip_bomb("word/document.xml", 60_000_000, docx_bytes()))


def _gbk(d: Path) -> Path:
    return write(d, "gbk.txt", REPORT.encode("gbk"))


def _utf16_bom(d: Path) -> Path:
    return write(d, "utf16.txt", REPORT.encode("utf-16"))


def _utf16_no_bom(d: Path) -> Path:
    return write(d, "utf16le.txt", REPORT.encode("utf-16-le"))


def _utf8_bad_bytes(d: Path) -> Path:
    a, b = len(REPORT[:40].encode("utf-8")), len(REPORT[:120].encode("utf-8"))
    raw = REPORT.encode("utf-8")
    return write(d, "damaged.txt", raw[:a] + b"\xff" + raw[a:b] + b"\x80\xc3" + raw[b:])


def _mixed_encodings(d: Path) -> Path:
    lines = REPORT.splitlines(keepends=True)
    raw = "".join(lines[:5]).encode("utf-8") + "".join(lines[5:]).encode("gbk")
    return write(d, "mixed.txt", raw)


def _mixed_newlines(d: Path) -> Path:
    lines = REPORT.splitlines()
    ends = ["\r\n", "\n", "\r"]
    return write(d, "newlines.txt", "".join(ln + ends[k % 3] for k, ln in enumerate(lines)))


def _twenty_mb(d: Path) -> Path:
    return write(d, "big.txt", ("全年审核规范性文件12件。" * 1000 + "\n").encode("utf-8") * 600)


def _too_many_chars(d: Path) -> Path:
    return write(d, "long.txt", ("全年审核规范性文件12件。" * 50 + "\n") * 2000)


def _no_numbering(d: Path) -> Path:
    plain = "\n".join(ln.split("、", 1)[-1].split("）", 1)[-1] for ln in REPORT.splitlines())
    return write(d, "plain.txt", plain)


def _one_line(d: Path) -> Path:
    return write(d, "oneline.txt", REPORT.replace("\n", ""))


def _english(d: Path) -> Path:
    text = "Annual report on building a law-based government, 2024\n" + (
        "The county government reviewed 12 normative documents and trained 300 officers.\n" * 20
    )
    return write(d, "english.txt", text)


def _few_nuls(d: Path) -> Path:
    raw = REPORT.encode("utf-8")
    return write(d, "nul.txt", raw[:60] + b"\x00" + raw[60:300] + b"\x00" + raw[300:])


def _many_nuls(d: Path) -> Path:
    return write(d, "nuls.txt", REPORT.encode("utf-8").replace("。".encode(), b"\x00" * 40))


def _hostile_html(d: Path) -> Path:
    return write(d, "page.html", HOSTILE_HTML)


def _unsupported(d: Path) -> Path:
    return write(d, "report.xlsx", b"PK\x03\x04\n")


CASES: tuple[Case, ...] = (
    Case("missing-path", _missing, 2, ("不存在的报告.txt: 无法读取文件：文件不存在", "[A101]")),
    Case("directory", _directory, 2, ("reports.txt: 无法读取文件：是目录而不是文件", "[A101]")),
    Case("empty", lambda d: write(d, "empty.txt", b""), 2, ("empty.txt: 文件为空：没有任何内容", "[A102]")),
    Case("whitespace-only", lambda d: write(d, "blank.txt", " \n\t\r\n　\n"), 2, ("blank.txt: 文件为空：只有空白字符", "[A102]")),
    Case("png-renamed-txt", _png, 2, ("scan.txt: 不是文本文件", "PNG 图片", "[A103]")),
    Case("pdf-renamed-txt", _pdf, 2, ("report.txt: 不是文本文件", "PDF 文件", "[A103]")),
    Case("unsupported-suffix", _unsupported, 2, ("report.xlsx: 不支持的文件格式", "[A104]")),
    Case("truncated-docx", _truncated_docx, 2, ("truncated.docx: 文件内容已损坏", "[A107]")),
    Case("corrupt-docx", _corrupt_docx, 2, ("corrupt.docx: 文件内容已损坏", "[A107]")),
    Case("zip-without-word-body", _not_a_word_package, 2, ("fake.docx: 文件内容已损坏：缺少 word/document.xml", "[A107]")),
    Case("old-word-doc", _old_doc, 2, ("old.docx: 文件内容已损坏：旧版 Word 文件（.doc）", "[A107]")),
    Case("docx-zip-bomb", _zip_bomb, 2, ("bomb.docx: 文件过大（解压后 210.", "上限为 200.0 MB", "[A105]")),
    Case("docx-huge-xml", _huge_xml, 2, ("huge-xml.docx: 文件过大（正文 XML 解压后 60.0 MB）", "[A105]")),
    Case("html-scripts-styles-iframes", _hostile_html, 1),
    Case("gbk-as-txt", _gbk, 1),
    Case("utf16-with-bom", _utf16_bom, 1),
    Case("utf16-without-bom", _utf16_no_bom, 1, ("警告：", "无字节序标记的 UTF-16")),
    Case("utf8-invalid-bytes", _utf8_bad_bytes, 1, ("警告：", "damaged.txt", "3 处无效的 UTF-8 字节")),
    Case("utf8-and-gbk-mixed", _mixed_encodings, 1, ("警告：", "第 6、7、8、9、10 行（共 5 行）不是 UTF-8 编码，已按 GB18030 读取")),
    Case("mixed-line-endings", _mixed_newlines, 1),
    Case("twenty-mb-text", _twenty_mb, 2, ("big.txt: 文件过大（21.0 MB），上限为 20.0 MB", "[A105]")),
    Case("over-max-chars", _too_many_chars, 2, ("long.txt: 文件过大（正文 1,302,000 字），上限为 1,000,000 字", "[A105]")),
    Case("max-size-option", _gbk, 2, ("gbk.txt: 文件过大", "上限为 100 字节", "[A105]"), ("--max-size", "100")),
    Case("no-numbering", _no_numbering, 1),
    Case("one-single-line", _one_line, 1),
    Case("english-report", _english, 1, ("警告：", "似非中文报告")),
    Case("stray-nul-bytes", _few_nuls, 1, ("警告：", "2 个 NUL 空字节，已删除")),
    Case("many-nul-bytes", _many_nuls, 2, ("nuls.txt: 不是文本文件", "NUL 字节", "[A103]")),
)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_odd_input_is_audited_or_refused_in_one_line(case: Case, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    res = run(*case.args, "check", str(path), "--format", "json")
    err = res.stderr
    assert "Traceback" not in res.output + err
    assert res.exit_code == case.status, err
    for needle in case.stderr:
        assert needle in err, err
    if case.status == 2:
        assert len(err.strip().splitlines()) == 1, err
        assert err.startswith(f"auditor: {path}: "), err
        return
    report = json.loads(res.stdout)
    assert report["sections"], "an audited report has a section tree"
    if case.stderr:  # warnings are in the JSON too, for batch and API users
        assert report["source"]["warnings"]
    else:
        assert "warnings" not in report["source"], report["source"].get("warnings")


def test_unreadable_file_is_refused(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, "secret.txt", REPORT)
    if os.geteuid() != 0:
        path.chmod(0)
    else:  # root reads anything: make the read fail the way a permission error does
        real_open = pathlib.Path.open

        def deny(self, *a, **kw):
            if self.name == "secret.txt":
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *a, **kw)

        monkeypatch.setattr(pathlib.Path, "open", deny)
    res = run("check", str(path))
    assert res.exit_code == 2
    assert res.stderr.strip() == f"auditor: {path}: 无法读取文件：没有读取权限（Permission denied） [A101]"


def test_gbk_and_utf16_read_the_same_as_utf8(tmp_path: Path) -> None:
    utf8 = json.loads(run("outline", str(write(tmp_path, "a.txt", REPORT)), "--format", "json").stdout)
    for name, raw in (("b.txt", REPORT.encode("gbk")), ("c.txt", REPORT.encode("utf-16-le")),
                      ("d.txt", codecs.BOM_UTF16_BE + REPORT.encode("utf-16-be"))):
        other = json.loads(run("outline", str(write(tmp_path, name, raw)), "--format", "json").stdout)
        assert [s["title"] for s in other["sections"]] == [s["title"] for s in utf8["sections"]]


def test_html_scripts_never_reach_the_text(tmp_path: Path) -> None:
    res = run("check", str(_hostile_html(tmp_path)), "--format", "json")
    text = res.stdout
    for bad in ("alert(", "document.write", "999件", "请启用脚本", "javascript:"):
        assert bad not in text
    assert "全年审核规范性文件12件" in text


def test_mixed_line_endings_keep_offsets_exact(tmp_path: Path) -> None:
    path = _mixed_newlines(tmp_path)
    data = json.loads(run("check", str(path), "--format", "json").stdout)
    original = path.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    quotes = [(e["start"], e["end"], e["quote"]) for cl in data["checklists"] for f in cl["items"]
              for e in f["evidence"] if e.get("quote")]
    assert quotes
    for start, end, quote in quotes:
        assert original[start:end] == quote


def test_timeout_option_stops_a_report_in_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "r.txt", REPORT)
    res = run("--timeout", "0.000001", "check", str(path))
    assert res.exit_code == 2
    assert res.stderr.strip().startswith(f"auditor: {path}: 分析超时"), res.stderr
    assert "[A109]" in res.stderr


def test_limits_come_from_the_environment(tmp_path: Path) -> None:
    path = write(tmp_path, "r.txt", REPORT)
    res = CliRunner(env={"AUDITOR_MAX_SIZE": "100B"}).invoke(main, ["check", str(path)], catch_exceptions=False)
    assert res.exit_code == 2
    assert "上限为 100 字节" in res.stderr


def test_bad_limit_option_is_one_line() -> None:
    res = run("--max-size", "lots", "check", "x.txt")
    assert res.exit_code == 2
    assert res.stderr.strip() == "auditor: --max-size: 无法理解的大小“lots”（示例：20MB、500KB，上限 10GB） [A301]"


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("AUDITOR_MAX_SIZE", "inf"),  # was an internal OverflowError on every command
        ("AUDITOR_MAX_SIZE", "nan"),
        ("AUDITOR_MAX_SIZE", "99999GB"),
        ("AUDITOR_MAX_CHARS", "-5"),
        ("AUDITOR_MAX_CHARS", "many"),
        ("AUDITOR_TIMEOUT", "-1"),  # silently meant "no limit"
        ("AUDITOR_TIMEOUT", "nan"),
        ("AUDITOR_TIMEOUT", "inf"),
    ],
)
def test_bad_limit_in_the_environment_is_one_line_naming_it(tmp_path: Path, var: str, value: str) -> None:
    path = write(tmp_path, "r.txt", REPORT)
    res = CliRunner(env={var: value}).invoke(main, ["check", str(path)])
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"auditor: {var}: 环境变量的值“{value}”无效") and "[A301]" in lines[0]


@pytest.mark.parametrize("value", ["nan", "inf", "-1"])
def test_bad_timeout_option_is_one_line(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, "r.txt", REPORT)
    res = run("--timeout", value, "check", str(path))
    assert res.exit_code == 2 and "Traceback" not in res.stderr
    assert "--timeout" in res.stderr.strip().splitlines()[-1]  # click's usage error, or ours for nan


def test_batch_reports_bad_files_and_finishes_the_rest(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    good = [write(inbox, f"good{k}.txt", REPORT) for k in range(2)]
    bad = [_png(inbox), _truncated_docx(inbox), write(inbox, "empty.txt", b"")]
    res = run("batch", str(inbox), "--output", str(tmp_path / "out"), "--quiet", "-j", "1")
    assert "Traceback" not in res.output + res.stderr
    assert res.exit_code in (1, 2)
    rows = (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8-sig")
    for p in good:
        assert (tmp_path / "out" / f"{p.stem}.json").is_file()
    for p in bad:
        assert p.name in rows
        assert not (tmp_path / "out" / f"{p.stem}.json").exists()


def test_the_real_command_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    """The installed entry point, not only click's test runner, keeps to one line."""
    import subprocess
    import sys

    bad_list = tmp_path / "bad.yaml"
    bad_list.write_text("id: x\n  title: [\n", encoding="utf-8")
    cases = [
        (["check", str(_png(tmp_path))], "[A103]"),
        (["memo", str(_truncated_docx(tmp_path)), "--format", "md"], "[A107]"),
        (["check", "--checklist", str(bad_list), str(write(tmp_path, "r.txt", REPORT))], "bad.yaml:2: YAML 语法错误"),
    ]
    for args, needle in cases:
        proc = subprocess.run([sys.executable, "-m", "auditor.cli", *args], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr and proc.stdout == ""
        assert needle in proc.stderr, proc.stderr
        assert proc.stderr.startswith("auditor: "), proc.stderr


def test_eval_with_a_missing_gold_folder_is_one_line(tmp_path: Path) -> None:
    res = run("eval", "--gold", str(tmp_path / "nope"), str(write(tmp_path, "r.txt", REPORT)))
    assert res.exit_code == 2
    assert res.stderr.strip() == f"auditor: {tmp_path / 'nope'}: 标注文件有误：目录不存在 [A303]"


def test_a_huge_web_page_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    """Pages over ten bytes per character of the text limit are refused by size, unparsed."""
    page = b"<html><body><div>" + b"<p><span>x</span></p>" * 30_000 + "<p>法治政府建设</p></div></body></html>".encode()
    path = tmp_path / "big.html"
    path.write_bytes(page)
    res = run("--max-chars", "50000", "check", str(path))
    assert res.exit_code == 2
    assert res.stderr.strip() == f"auditor: {path}: 文件过大（网页 630.1 KB），上限为 500.0 KB（正文字数上限的 10 倍） [A105]"


def _docx_with(member: str, data: bytes) -> bytes:
    """A real .docx with one part replaced."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            zf.writestr(info.filename, data if info.filename == member else src.read(info))
    return buf.getvalue()


def test_every_xml_part_of_a_docx_is_bounded(tmp_path: Path) -> None:
    """A 20 MB styles.xml (only document.xml used to be bounded) is refused unparsed."""
    styles = b'<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' \
        + b" " * 20_000_000 + b"</w:styles>"
    path = write(tmp_path, "styles.docx", _docx_with("word/styles.xml", styles))
    res = run("check", str(path))
    assert res.exit_code == 2
    assert "word/styles.xml 解压后 20.0 MB" in res.stderr and "上限为 10.0 MB" in res.stderr and "[A105]" in res.stderr


def test_docx_body_is_bounded_in_elements(tmp_path: Path) -> None:
    """Millions of empty paragraphs in a small file are refused before any XML tree is built."""
    ns = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = b'<?xml version="1.0"?><w:document ' + ns + b"><w:body>" + b"<w:p/>" * 2_500_000 + b"</w:body></w:document>"
    path = write(tmp_path, "empty-paras.docx", _docx_with("word/document.xml", body))
    res = run("check", str(path))
    assert res.exit_code == 2
    assert "正文 XML 含 2,500,00" in res.stderr and "上限为 2,000,000 个" in res.stderr


def test_the_time_limit_covers_reading_and_the_outline_too(tmp_path: Path) -> None:
    """The deadline bounds every stage of a report, not only matching: `outline`, which runs
    no matching, stops too (2.8 MB of repeated headings used to answer after minutes)."""
    path = write(tmp_path, "heads.txt", "\n".join(["某县2024年法治政府建设情况报告"] + ["一、加强组织领导"] * 20_000))
    res = run("--timeout", "0.000001", "outline", str(path))
    assert res.exit_code == 2
    assert res.stderr.strip().startswith(f"auditor: {path}: 分析超时") and "[A109]" in res.stderr
