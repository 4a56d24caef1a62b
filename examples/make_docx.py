"""Build ``draft-township-2024.docx`` from ``draft-township-2024.txt`` (the source of truth).

Usage::

    .venv/bin/python examples/make_docx.py [INPUT.txt [OUTPUT.docx]]

One non-empty line of the .txt becomes one paragraph of the .docx, in the same order and with
the same text, so the auditor extracts the same article text from both files:

* the first non-empty line (the title)                  -> style "Title"
* lines starting ``一、`` ``二、`` …                       -> style "Heading 1"
* lines starting ``（一）`` ``（二）`` … with no body        -> style "Heading 2"
* lines starting ``（一）`` or ``1.`` whose heading sentence is followed by body text on the
  same line (``1.深化“放管服”改革。全面落实……``)       -> style "Normal", heading sentence bold,
  as authors of such reports usually type them in Word
* consecutive lines containing a TAB                    -> one table (first row = header)
* the closing issuer and date lines                      -> style "Normal", right-aligned
* everything else                                        -> style "Normal"

The build is deterministic: fixed core properties (author "auditor examples", fixed created and
modified dates) and a re-written zip container with fixed member timestamps, so rebuilding from
an unchanged .txt gives a byte-identical file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

HERE = Path(__file__).resolve().parent
DEFAULT_IN = HERE / "draft-township-2024.txt"
DEFAULT_OUT = HERE / "draft-township-2024.docx"

AUTHOR = "auditor examples"
FIXED_TIME = dt.datetime(2025, 1, 15, 9, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

CN_NUM = "一二三四五六七八九十"
RE_H1 = re.compile(rf"^[{CN_NUM}]+、")
RE_H2 = re.compile(rf"^（[{CN_NUM}]+）")
RE_ITEM = re.compile(r"^\d+[.．]")
# A date line such as 2025年1月15日, closing the report.
RE_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def set_fonts(style, east_asian: str, size: float, bold: bool | None = None) -> None:
    """Give a style an East Asian font, a size and black text."""
    style.font.name = "Times New Roman"
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi"):
        rfonts.set(qn(attr), "Times New Roman")
    rfonts.set(qn("w:eastAsia"), east_asian)
    # Theme fonts would override the explicit ones; drop them.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]


def inline_heading(line: str) -> tuple[str, str] | None:
    """Split ``1.标题。正文`` / ``（一）标题。正文`` into (heading, body); None if no body."""
    if not (RE_ITEM.match(line) or RE_H2.match(line)):
        return None
    cut = line.find("。")
    if cut == -1 or cut == len(line) - 1:
        return None
    return line[: cut + 1], line[cut + 1 :]


def build(lines: list[str]) -> Document:
    doc = Document()
    styles = doc.styles
    set_fonts(styles["Normal"], "仿宋", 14)
    set_fonts(styles["Title"], "宋体", 22, bold=True)
    set_fonts(styles["Heading 1"], "黑体", 16, bold=False)
    set_fonts(styles["Heading 2"], "楷体", 16, bold=False)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    lines = [ln.rstrip() for ln in lines]
    content = [ln for ln in lines if ln.strip()]
    closing = set()
    if len(content) >= 2 and RE_DATE.match(content[-1]):
        closing = {len(content) - 2, len(content) - 1}

    i = 0
    while i < len(content):
        line = content[i]
        if i == 0:
            doc.add_paragraph(line, style="Title")
        elif "\t" in line:
            rows = []
            while i < len(content) and "\t" in content[i]:
                rows.append(content[i].split("\t"))
                i += 1
            ncols = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=ncols)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for r, cells in enumerate(rows):
                for c in range(ncols):
                    cell = table.cell(r, c)
                    run = cell.paragraphs[0].add_run(cells[c] if c < len(cells) else "")
                    run.bold = r == 0
            continue
        elif RE_H1.match(line):
            doc.add_paragraph(line, style="Heading 1")
        elif (split := inline_heading(line)) is not None:
            head, body = split
            p = doc.add_paragraph(style="Normal")
            p.add_run(head).bold = True
            p.add_run(body)
        elif RE_H2.match(line):
            doc.add_paragraph(line, style="Heading 2")
        else:
            p = doc.add_paragraph(line, style="Normal")
            if i in closing:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        i += 1

    cp = doc.core_properties
    cp.author = AUTHOR
    cp.last_modified_by = AUTHOR
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME
    cp.last_printed = FIXED_TIME
    cp.revision = 1
    cp.title = content[0] if content else ""
    cp.subject = "法治政府建设年度报告示例（含缺陷的征求意见稿）"
    cp.keywords = "auditor; example; draft"
    cp.comments = "Generated by examples/make_docx.py from draft-township-2024.txt"
    cp.category = ""
    cp.content_status = ""
    cp.identifier = ""
    cp.language = "zh-CN"
    cp.version = ""
    return doc


def deterministic_bytes(doc: Document) -> bytes:
    """Serialise ``doc`` and re-pack the zip with fixed timestamps and attributes."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_IN
    dst = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    text = src.read_text(encoding="utf-8")
    dst.write_bytes(deterministic_bytes(build(text.splitlines())))
    print(f"wrote {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
