"""Build ``templates/memo.docx``, the docxtpl template of the audit memo (审核意见).

Usage::

    .venv/bin/python templates/make_memo_template.py [OUTPUT.docx]

The template lays out the block list built by ``auditor.memo.memo_view`` (name ``m``);
all wording comes from the view, so Markdown, HTML and Word say the same thing. This
script only decides the layout, after the conventions of official documents (GB/T 9704):
A4 with margins 37/35/28/26 mm and 22 lines a page; title in 方正小标宋简体 二号 (22 pt),
body in 仿宋_GB2312 三号 (16 pt) with first-line indent of two characters, first-level
headings in 黑体, second-level in 楷体_GB2312; the 主送 line flush left; 落款 and date
flush right, four characters in; the reviewer as a note (附注); page numbers "— 1 —" in
宋体 四号 in the footer. Fonts that may be missing name a fallback in the font table
(方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体), which Word and WPS use.

The build is deterministic (fixed core properties, fixed zip member times), so the
committed file only changes when this script does. Rendering sets the memo's own
properties (title, subject, author = the issuing office, created = now).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from auditor.docx_out import fix_properties, set_fonts, stable_bytes

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "memo.docx"
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
# Fonts a Windows or WPS machine may lack, with what to use instead (w:altName).
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", H2_FONT: "楷体"}
BODY_PT = 16  # 三号
LINE_PT = 28.9  # 225 mm of text height / 22 lines
INDENT = Pt(2 * BODY_PT)  # two characters


def styles(doc: Document) -> None:
    """Fonts, sizes and spacing of every style the template uses."""
    st = doc.styles
    normal = st["Normal"]
    set_fonts(normal, BODY_FONT, BODY_PT)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.first_line_indent = INDENT
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    title = st["Title"]
    set_fonts(title, TITLE_FONT, 22, bold=False)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_before = Pt(0)
    title.paragraph_format.space_after = Pt(LINE_PT)
    _drop_border(title)

    for name, font in (("Heading 1", H1_FONT), ("Heading 2", H2_FONT)):
        h = st[name]
        set_fonts(h, font, BODY_PT, bold=False)
        h.font.italic = False
        h.paragraph_format.first_line_indent = INDENT
        h.paragraph_format.space_before = h.paragraph_format.space_after = Pt(0)
        h.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        h.paragraph_format.line_spacing = Pt(LINE_PT)
        h.paragraph_format.keep_with_next = True

    to = _paragraph_style(st, "Memo To")
    to.paragraph_format.first_line_indent = Pt(0)

    sign = _paragraph_style(st, "Memo Sign")
    sign.paragraph_format.first_line_indent = Pt(0)
    sign.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.paragraph_format.right_indent = Pt(4 * BODY_PT)
    sign.paragraph_format.keep_with_next = True  # 落款, date and note stay on one page

    _paragraph_style(st, "Memo Note")

    quote = _paragraph_style(st, "Memo Quote")
    set_fonts(quote, H2_FONT, 14)
    quote.paragraph_format.line_spacing = Pt(24)

    table = _paragraph_style(st, "Memo Table")
    set_fonts(table, BODY_FONT, 12)
    table.paragraph_format.first_line_indent = Pt(0)
    table.paragraph_format.line_spacing = Pt(16)
    table.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    lead = st.add_style("Memo Lead", WD_STYLE_TYPE.CHARACTER)
    set_fonts(lead, H2_FONT, BODY_PT)
    label = st.add_style("Memo Label", WD_STYLE_TYPE.CHARACTER)
    label.font.bold = True

    page = _paragraph_style(st, "Memo Page")
    set_fonts(page, PAGE_FONT, 14)
    page.paragraph_format.first_line_indent = Pt(0)
    page.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _paragraph_style(st, name: str):
    s = st.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    s.base_style = st["Normal"]
    return s


def _drop_border(style) -> None:
    """The default Title style has a rule under it; an official title has none."""
    ppr = style.element.find(qn("w:pPr"))
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def language(doc: Document) -> None:
    """Every run defaults to Simplified Chinese for East Asian text (not ja-JP)."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def page(doc: Document) -> None:
    """A4 with the margins of GB/T 9704; the page number 7 mm under the text."""
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.header_distance, sec.footer_distance = Mm(15), Mm(22)
    footer = sec.footer.paragraphs[0]
    footer.style = doc.styles["Memo Page"]
    footer.add_run("— ")
    footer._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    footer.add_run(" —")


def tag(doc: Document, text: str) -> None:
    """A paragraph that holds only a docxtpl paragraph tag (removed when rendering)."""
    doc.add_paragraph(text, style="Normal")


def block_table(doc: Document, widths_mm: tuple[float, ...]) -> None:
    """A block's table: a header row, then one row per ``b.rows`` entry; the header
    repeats on every page."""
    n = len(widths_mm)
    table = doc.add_table(rows=4, cols=n)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for c, w in enumerate(widths_mm):
        for r in range(4):
            table.cell(r, c).width = Mm(w)
        head = table.cell(0, c).paragraphs[0]
        head.style = doc.styles["Memo Table"]
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        head.add_run(f"{{{{ b.header[{c}] }}}}").bold = True
        cell = table.cell(2, c).paragraphs[0]
        cell.style = doc.styles["Memo Table"]
        cell.add_run(f"{{{{ row[{c}] }}}}")
    table.cell(1, 0).paragraphs[0].add_run("{%tr for row in b.rows %}")
    table.cell(3, 0).paragraphs[0].add_run("{%tr endfor %}")
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
    doc.add_paragraph("", style="Memo Table")  # Word needs a paragraph between tables


def build() -> Document:
    """The template document."""
    doc = Document()
    styles(doc)
    language(doc)
    page(doc)
    doc.add_paragraph("{{ m.title }}", style="Title")
    doc.add_paragraph("{{ m.sign.to }}：", style="Memo To")
    tag(doc, "{%p for b in m.blocks %}")
    tag(doc, "{%p if b.kind == 'h1' %}")
    doc.add_paragraph("{{ b.text }}", style="Heading 1")
    tag(doc, "{%p elif b.kind == 'h2' %}")
    doc.add_paragraph("{{ b.text }}", style="Heading 2")
    tag(doc, "{%p elif b.kind == 'p' %}")
    p = doc.add_paragraph(style="Normal")
    p.add_run("{{ b.lead }}", style="Memo Lead")
    p.add_run("{{ b.text }}")
    tag(doc, "{%p elif b.kind == 'field' %}")
    p = doc.add_paragraph(style="Normal")
    p.add_run("{{ b.label }}：", style="Memo Label")
    p.add_run("{{ b.text }}")
    tag(doc, "{%p elif b.kind == 'quote' %}")
    doc.add_paragraph("{{ b.text }}", style="Memo Quote")
    tag(doc, "{%p elif b.kind == 'counts' %}")
    block_table(doc, (40, 29, 29, 29, 29))
    tag(doc, "{%p elif b.kind == 'items' %}")
    block_table(doc, (42, 114))
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    issuer = doc.add_paragraph("{{ m.sign.issuer }}", style="Memo Sign")
    issuer.paragraph_format.space_before = Pt(BODY_PT)  # set off from the body
    doc.add_paragraph("{{ m.sign.date }}", style="Memo Sign")
    doc.add_paragraph("{{ m.sign.reviewer }}", style="Memo Note")
    fix_properties(doc, "", FIXED_TIME, title="", subject="", keywords="", comments="")
    return doc


def font_table() -> bytes:
    """word/fontTable.xml naming every font used, each missing one with its fallback."""
    fonts = []
    for name in (TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT, "仿宋", "楷体", "Times New Roman"):
        alt = f'<w:altName w:val="{FALLBACKS[name]}"/>' if name in FALLBACKS else ""
        charset = "00" if name == "Times New Roman" else "86"
        fonts.append(f'<w:font w:name="{name}">{alt}<w:charset w:val="{charset}"/>'
                     f'<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {nsdecls("w")}>'
            + "".join(fonts) + "</w:fonts>").encode("utf-8")


# The default template's says "Microsoft Macintosh Word"; the memo says what made it.
APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>auditor</Application><DocSecurity>0</DocSecurity></Properties>"
)


def main(argv: list[str]) -> int:
    """Write the template (default: templates/memo.docx)."""
    dst = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    dst.write_bytes(stable_bytes(build(), {"word/fontTable.xml": font_table(), "docProps/app.xml": APP_XML}))
    print(f"wrote {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
