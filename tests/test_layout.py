"""Page layout to text (auditor/layout.py) and Tesseract's TSV (auditor/ocr.py), on synthetic
pages: these run everywhere, with no PDF library call, converter or OCR engine."""

from __future__ import annotations

from auditor.ingest.layout import Glyph, Line, Page, drop_furniture, group_lines, join_lines, reflow
from auditor.ingest.ocr import parse_tsv

RIGHT = 500.0


def line(page: int, text: str, top: float, x0: float = 90.0, x1: float = RIGHT, size: float = 14.0,
         bold: bool = False) -> Line:
    return Line(page, text, x0, x1, top, top + size, size, bold)


def two_pages() -> list[Page]:
    """A report over two pages with a running header, page numbers, a wrapped paragraph that
    crosses the page break, a heading in a larger size and an indented new paragraph."""
    p1 = Page(0, 595, [
        line(0, "临江市法治政府建设领导小组办公室", 40, x1=300),
        line(0, "一、主要举措和成效", 100, x1=300, size=16),
        line(0, "全年办理行政复议案件46件，纠错率12.5%，全部在法定期限内", 130),
        line(0, "审结；组织行政执法人员培训3期，培训620人次，覆盖全部执法", 153),
        line(0, "- 1 -", 780, x0=280, x1=310),
    ])
    p2 = Page(1, 595, [
        line(1, "临江市法治政府建设领导小组办公室", 40, x1=300),
        line(1, "单位。", 100, x1=130),
        line(1, "下一步，将进一步规范行政复议案件办理和执法监督工作，提升", 123, x0=118),
        line(1, "法治政府建设水平。", 146, x1=220),
        line(1, "第 2 页", 780, x0=280, x1=320),
    ])
    return [p1, p2]


def test_headers_footers_and_page_numbers_are_dropped_and_paragraphs_joined() -> None:
    paged = reflow(drop_furniture(two_pages()))
    assert paged.text.split("\n") == [
        "一、主要举措和成效",
        "全年办理行政复议案件46件，纠错率12.5%，全部在法定期限内审结；组织行政执法人员培训3期，"
        "培训620人次，覆盖全部执法单位。",
        "下一步，将进一步规范行政复议案件办理和执法监督工作，提升法治政府建设水平。",
    ]
    # page 2 begins inside the second paragraph, at "单位。"
    assert paged.text[paged.page_starts[1]:].startswith("单位。") and paged.page_starts[0] == 0
    assert paged.headings == [(0, 1)]  # the larger heading is hinted; body lines are not


def test_a_single_page_keeps_its_text_but_loses_its_page_number() -> None:
    page = Page(0, 595, [line(0, "报告正文第一段。", 100, x1=200), line(0, "第 1 页 共 1 页", 780, x1=320)])
    assert reflow(drop_furniture([page])).text == "报告正文第一段。"


def test_glyphs_read_left_to_right_with_cells_and_latin_spaces() -> None:
    def g(ch: str, x: float, baseline: float = 100.0) -> Glyph:
        return Glyph(ch, x, x + 10, baseline - 10, baseline, 10.0, False, baseline)

    # drawn out of order (a quotation mark from another font comes last), a table gap, Latin words
    glyphs = [g("培", 0), g("育", 10), g("法", 30), g("”", 40), g("“", 20), g("4", 200), g("8", 210),
              g("名", 220), g("a", 0, 130), g("b", 10, 130), g("c", 24, 130)]
    lines = group_lines(0, glyphs)
    assert [ln.text for ln in lines] == ["培育“法”\t48名", "ab c"]


def test_joining_lines_removes_only_a_word_breaking_hyphen() -> None:
    assert join_lines("rule-of-", "law") == "rule-of-law"
    assert join_lines("govern-", "ment") == "government"
    assert join_lines("法治政府", "建设") == "法治政府建设"
    assert join_lines("Law-based", "Government") == "Law-based Government"
    assert join_lines("2024", "年") == "2024年"


def test_tesseract_tsv_becomes_lines_with_a_confidence() -> None:
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
            "1\t1\t0\t0\t0\t0\t0\t0\t1654\t2339\t-1\t",
            "5\t1\t1\t1\t1\t1\t100\t100\t200\t40\t96.0\t法治政府",
            "5\t1\t1\t1\t1\t2\t300\t100\t100\t40\t90.0\t建设",
            "5\t1\t1\t1\t2\t1\t100\t160\t60\t40\t80.0\t2024",
            "5\t1\t1\t1\t2\t2\t170\t160\t40\t40\t70.0\t年"]
    got = parse_tsv("\n".join(rows), page_number=3)
    assert [ln.text for ln in got.lines] == ["法治政府建设", "2024年"]
    assert all(ln.page == 3 for ln in got.lines) and got.width == 1654
    assert got.confidence == round((96 * 4 + 90 * 2 + 80 * 4 + 70) / 11 / 100, 3)
