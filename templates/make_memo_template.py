"""Build ``templates/memo.docx``, the docxtpl template of the audit memo (审核意见).

Usage::

    .venv/bin/python templates/make_memo_template.py [OUTPUT.docx]

The template holds Jinja tags (docxtpl syntax: ``{%p … %}`` paragraph tags, ``{%tr … %}``
table-row tags) over the view built by ``auditor.memo.memo_view`` under the name ``m``.
All wording comes from the view, so Markdown, HTML and Word say the same thing; this
script only decides the layout: A4 with the margins of official documents (GB/T 9704),
宋体 title, 黑体 part headings (Heading 1), 楷体 finding headings (Heading 2), 仿宋 body,
a bordered summary table, and a blank reviewer/date block.

The build is deterministic (fixed core properties, fixed zip member times), so the
committed file only changes when this script does.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from auditor.docx_out import fix_properties, set_fonts, stable_bytes

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "memo.docx"
AUTHOR = "auditor"
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)


def styles(doc: Document) -> None:
    """Fonts and spacing of the styles the template uses."""
    st = doc.styles
    set_fonts(st["Normal"], "仿宋", 14)
    st["Normal"].paragraph_format.space_after = Pt(4)
    st["Normal"].paragraph_format.line_spacing = 1.25
    set_fonts(st["Title"], "宋体", 20, bold=True)
    st["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    st["Title"].paragraph_format.space_after = Pt(12)
    set_fonts(st["Heading 1"], "黑体", 15, bold=False)
    st["Heading 1"].paragraph_format.space_before = Pt(12)
    set_fonts(st["Heading 2"], "楷体", 14, bold=True)
    st["Heading 2"].paragraph_format.space_before = Pt(8)
    quote = st.add_style("Memo Quote", WD_STYLE_TYPE.PARAGRAPH)
    quote.base_style = st["Normal"]
    set_fonts(quote, "楷体", 12)
    quote.paragraph_format.left_indent = Mm(8)
    meta = st.add_style("Memo Meta", WD_STYLE_TYPE.PARAGRAPH)
    meta.base_style = st["Normal"]
    set_fonts(meta, "仿宋", 12)
    meta.paragraph_format.space_after = Pt(0)


def page(doc: Document) -> None:
    """A4 with the margins of GB/T 9704 official documents."""
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)


def tag(doc: Document, text: str) -> None:
    """A paragraph that holds only a docxtpl paragraph tag (removed when rendering)."""
    doc.add_paragraph(text, style="Normal")


def labelled(doc: Document, label: str, value: str) -> None:
    """“标签：内容” with a bold label."""
    p = doc.add_paragraph(style="Normal")
    p.add_run(label + "：").bold = True
    p.add_run(value)


def summary_table(doc: Document) -> None:
    """The covered/partial/missing table; row 2 and 4 are docxtpl row tags."""
    table = doc.add_table(rows=4, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for c in range(5):
        table.cell(0, c).paragraphs[0].add_run(f"{{{{ m.table.header[{c}] }}}}").bold = True
        table.cell(2, c).paragraphs[0].add_run(f"{{{{ row[{c}] }}}}")
    table.cell(1, 0).paragraphs[0].add_run("{%tr for row in m.table.rows %}")
    table.cell(3, 0).paragraphs[0].add_run("{%tr endfor %}")


def build() -> Document:
    """The template document."""
    doc = Document()
    page(doc)
    styles(doc)
    doc.add_paragraph("{{ m.title }}", style="Title")
    tag(doc, "{%p for row in m.meta %}")
    doc.add_paragraph("{{ row.label }}：{{ row.value }}", style="Memo Meta")
    tag(doc, "{%p endfor %}")

    doc.add_paragraph("{{ m.headings.basis }}", style="Heading 1")
    tag(doc, "{%p for b in m.basis %}")
    doc.add_paragraph("{{ b }}", style="Normal")
    tag(doc, "{%p endfor %}")

    doc.add_paragraph("{{ m.headings.overview }}", style="Heading 1")
    tag(doc, "{%p for p in m.overview %}")
    doc.add_paragraph("{{ p }}", style="Normal")
    tag(doc, "{%p endfor %}")
    summary_table(doc)

    tag(doc, "{%p for sec in m.sections %}")
    doc.add_paragraph("{{ sec.heading }}", style="Heading 1")
    tag(doc, "{%p if not sec.entries %}")
    doc.add_paragraph("{{ m.labels.none }}", style="Normal")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for e in sec.entries %}")
    doc.add_paragraph("{{ e.no }}{{ e.heading }}（{{ e.badge }}）", style="Heading 2")
    tag(doc, "{%p if e.requirement %}")
    labelled(doc, "{{ m.labels.requirement }}", "{{ e.requirement }}")
    tag(doc, "{%p endif %}")
    labelled(doc, "{{ m.labels.situation }}", "{{ e.situation }}")
    tag(doc, "{%p for q in e.quotes %}")
    doc.add_paragraph("{{ q.where }}：“{{ q.text }}”{% if q.note %}——{{ q.note }}{% endif %}", style="Memo Quote")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if e.advice %}")
    labelled(doc, "{{ m.labels.advice }}", "{{ e.advice }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")

    doc.add_paragraph("{{ m.headings.conclusion }}", style="Heading 1")
    p = doc.add_paragraph(style="Normal")
    p.add_run("{{ m.conclusion.label }}").bold = True
    doc.add_paragraph("{{ m.conclusion.text }}", style="Normal")
    doc.add_paragraph("", style="Normal")
    for text in ("{{ m.labels.reviewer }}：＿＿＿＿＿＿＿＿", "{{ m.labels.date }}：{{ m.labels.date_blank }}"):
        doc.add_paragraph(text, style="Normal").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    properties(doc)
    return doc


def properties(doc: Document) -> None:
    """Fixed core properties, so rebuilding gives the same bytes."""
    fix_properties(
        doc,
        AUTHOR,
        FIXED_TIME,
        title="审核意见",
        subject="法治政府建设年度报告审核意见",
        keywords="auditor; memo",
        comments="Generated by templates/make_memo_template.py",
    )

def main(argv: list[str]) -> int:
    """Write the template (default: templates/memo.docx)."""
    dst = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    dst.write_bytes(stable_bytes(build()))
    print(f"wrote {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
