"""Input formats beyond text, web pages and .docx: PDF (text layer and scans), images (OCR),
old .doc and WPS .wps. Each is made here from the project's own fixture texts and must give
the same sections and verdicts as the .txt it was made from (OCR: the required items)."""

from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor import match
from auditor.cli import main
from auditor.errors import InputError
from auditor.ingest import load_bytes
from auditor.memo import build_memo, render_memo
from auditor.pipeline import read_outline
from auditor.render import render_report, report_dict
from auditor.review import build_review, render_review

from .conftest import EXAMPLES, FIXTURES
from .formats import HEADER, char_accuracy, convert, need_tools, page_png, scan, word_bytes

DRAFT = EXAMPLES / "draft-township-2024.txt"
COMPLETE = EXAMPLES / "complete-county-2024.txt"
SHORT = FIXTURES / "reports" / "township_unheaded_2024.txt"  # two pages: the OCR parity fixture
# every fixture report of other shapes (departments, provinces, unheaded parts, damaged numbering…)
SHAPES = sorted((FIXTURES / "reports").glob("*.txt")) + sorted((FIXTURES / "reports2").glob("*.txt"))


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """Word files with page furniture for three fixtures, and their PDFs (one LibreOffice run)."""
    need_tools("soffice")
    base = tmp_path_factory.mktemp("formats")
    words = []
    for src in dict.fromkeys((DRAFT, COMPLETE, SHORT, *SHAPES)):
        p = base / f"{src.stem}.docx"
        p.write_bytes(word_bytes(src))
        words.append(p)
    plain = base / "plain.docx"  # no header or footer: the page image whose every character is truth
    plain.write_bytes(word_bytes(DRAFT, furniture=False))
    words.append(plain)
    with ThreadPoolExecutor(2) as pool:  # two LibreOffice processes at once: one per core
        pdfs = pool.submit(convert, words, "pdf", base / "pdf")
        docs = pool.submit(convert, words[:1], "doc:MS Word 97", base / "doc")
        pdfs, (doc,) = pdfs.result(), docs.result()
    return {**{f"{p.stem}.docx": p for p in words}, **{f"{p.stem}.pdf": p for p in pdfs}, "doc": doc}


def verdicts(path: Path, checklists) -> tuple[list[tuple[str, str, str]], dict[str, str], object]:
    tree = read_outline(path)
    report = match.check(tree, checklists)
    sections = [(s.number, s.title, s.part) for s in tree.sections]
    return sections, {f.item_id: f.status for c in report.checklists for f in c.findings}, report


def lines_of(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


# -- PDF with a text layer -------------------------------------------------------------------
@pytest.mark.parametrize("src", list(dict.fromkeys((DRAFT, COMPLETE, SHORT, *SHAPES))), ids=lambda p: p.stem)
def test_text_pdf_reads_like_the_txt(made, checklists, src: Path) -> None:
    """Same paragraphs (headers, footers and page numbers gone, wrapped lines joined), same
    sections, same verdict on every item."""
    pdf = made[f"{src.stem}.pdf"]
    sections, statuses, report = verdicts(pdf, checklists)
    doc = report.doc
    assert doc.format == "pdf" and len(doc.pages) >= 2
    assert doc.original.split("\n") == lines_of(src)
    assert HEADER not in doc.original and "第 1 页" not in doc.original
    txt_sections, txt_statuses, _ = verdicts(src, checklists)
    assert sections == txt_sections
    assert statuses == txt_statuses


def test_pdf_evidence_carries_its_page(made, checklists) -> None:
    """Every quote is found on the page its evidence names (PDFium's own page text)."""
    import pypdfium2 as pdfium

    pdf = made["complete-county-2024.pdf"]
    _, _, report = verdicts(pdf, checklists)
    pages = ["".join(pg.get_textpage().get_text_range().split()) for pg in pdfium.PdfDocument(pdf)]
    seen = set()
    for c in report.checklists:
        for f in c.findings:
            for e in f.evidence:
                assert e.page is not None and 1 <= e.page <= len(pages)
                head = "".join(e.quote.split())[:4]  # a quote may run on to the next page
                assert head in pages[e.page - 1], (e.page, e.quote)
                seen.add(e.page)
    assert len(seen) >= 3  # evidence from several pages, not all pinned to one
    data = json.loads(run("check", str(pdf), "--format", "json").stdout)
    ev = [e for cl in data["checklists"] for it in cl["items"] for e in it["evidence"]]
    assert data["source"]["format"] == "pdf" and data["source"]["pages"] == len(pages)
    assert all("page" in e and "paragraph" not in e for e in ev)
    text = run("check", str(pdf)).stdout
    assert "第3页" in text
    draft = run("review", str(made["draft-township-2024.pdf"])).stdout
    assert re.search(r"位置：第\d页，", draft)  # the self-review and memo say where, too


def test_pdf_headings_from_font_size(made) -> None:
    """Heading hints come from the font: the 16-point headings are hinted, body lines are not,
    and the 22-point line is the title."""
    doc = load_bytes(made["draft-township-2024.pdf"].read_bytes(), "draft.pdf")
    hinted = {doc.text[a:b] for a, b, _ in doc.headings}
    assert "一、2024年法治政府建设主要举措和成效" in hinted
    assert "(一)加强组织领导,压实法治建设责任" in hinted
    assert not any("。" in h for h in hinted)
    assert doc.meta.title == "临江市白石镇2024年度法治政府建设情况报告（征求意见稿）"


# -- scans and images (OCR) --------------------------------------------------------------------
def test_scanned_pdf_is_read_by_ocr_with_the_same_required_verdicts(made, checklists, tmp_path) -> None:
    need_tools("tesseract")
    scanned = scan(made[f"{SHORT.stem}.pdf"], tmp_path / "scan.pdf")
    _, statuses, report = verdicts(scanned, checklists)
    _, txt_statuses, txt_report = verdicts(SHORT, checklists)
    required = {f.item_id for f in txt_report.checklists[0].findings + txt_report.checklists[-1].findings
                if f.severity == "required"}
    assert required and {i: statuses[i] for i in required} == {i: txt_statuses[i] for i in required}
    assert report.doc.ocr is not None and 0.5 < report.doc.ocr.confidence <= 1 and report.doc.ocr.pages == len(report.doc.pages) >= 2
    data = report_dict(report)
    assert data["source"]["ocr"]["engine"] == "Tesseract"
    assert any("OCR" in w and "置信度" in w for w in data["source"]["warnings"])
    for fmt in ("text", "md", "html"):
        out = render_report(report, fmt)
        assert "OCR" in out and "置信度" in out, fmt


def test_page_image_ocr_accuracy(made, checklists, tmp_path) -> None:
    """A rendered page image (PNG, 200 dpi) is read at 98 % character accuracy or better."""
    need_tools("tesseract")
    pdf = made["plain.pdf"]
    truth_doc = load_bytes(pdf.read_bytes(), "page.pdf")
    truth = truth_doc.original[: truth_doc.pages[1]]
    png = tmp_path / "page1.png"
    png.write_bytes(page_png(pdf, 0))
    tree = read_outline(png)
    doc = tree.doc
    assert doc.format == "image" and doc.ocr is not None
    accuracy = char_accuracy(doc.original, truth)
    assert accuracy >= 0.98, f"OCR character accuracy {accuracy:.4f}"
    review = build_review(match.check(tree, checklists))  # the self-review says it was recognised
    for fmt in ("text", "md", "html"):
        out = render_review(review, fmt)
        assert "OCR（Tesseract）" in out and "平均置信度" in out, fmt
    memo = build_memo(match.check(tree, checklists))  # and so does the audit memo
    for fmt in ("md", "html"):
        assert "OCR（Tesseract）" in render_memo(memo, fmt), fmt


# -- .doc and .wps ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def binary_word(made, tmp_path_factory) -> dict[str, Path]:
    """The draft as an old binary .doc, and the same bytes as a Kingsoft .wps (a Word-compatible
    compound file)."""
    wps = tmp_path_factory.mktemp("binary") / "draft-township-2024.wps"
    shutil.copyfile(made["doc"], wps)
    return {"doc": made["doc"], "wps": wps}


@pytest.mark.parametrize("fmt", ["doc", "wps"])
def test_doc_and_wps_read_like_the_txt(binary_word, checklists, fmt: str) -> None:
    path = binary_word[fmt]
    sections, statuses, report = verdicts(path, checklists)
    assert report.doc.format == fmt
    assert report.doc.original.split("\n") == lines_of(DRAFT)
    txt_sections, txt_statuses, _ = verdicts(DRAFT, checklists)
    assert sections == txt_sections and statuses == txt_statuses
    assert all(e.paragraph for c in report.checklists for f in c.findings for e in f.evidence)


# -- what is missing or broken ---------------------------------------------------------------
def test_missing_tools_are_one_line_errors(tmp_path, monkeypatch) -> None:
    """No LibreOffice, no Tesseract: one Chinese line naming the file and how to install."""
    from auditor.ingest import convert, ocr

    monkeypatch.setattr(convert.shutil, "which", lambda name: None)
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    cases = {"a.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "b.wps": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
             "c.png": (EXAMPLES / "draft-township-2024.txt").read_bytes()}
    for name, raw in cases.items():
        p = tmp_path / name
        p.write_bytes(raw)
        res = run("check", str(p))
        assert res.exit_code == 2, res.output
        err = res.stderr.strip()
        assert len(err.splitlines()) == 1 and "Traceback" not in err and name in err and "[A111]" in err, err
        assert "apt-get install" in err


def test_broken_and_empty_pdfs(tmp_path) -> None:
    import pypdfium2 as pdfium

    with pytest.raises(InputError) as bad:
        load_bytes(b"%PDF-1.7\n" + b"garbage" * 50, "bad.pdf")
    assert bad.value.code == "A107"
    blank = pdfium.PdfDocument.new()
    blank.new_page(595, 842)
    path = tmp_path / "blank.pdf"
    blank.save(path)
    with pytest.raises(InputError) as empty:
        load_bytes(path.read_bytes(), "blank.pdf")
    assert empty.value.code == "A108"


def test_docx_evidence_carries_the_paragraph_number(checklists) -> None:
    """evidence[].paragraph is the Word paragraph (non-empty ones in reading order, table
    cells included) holding the quote."""
    import docx
    from docx.oxml.ns import qn

    path = EXAMPLES / "draft-township-2024.docx"
    report = match.check(read_outline(path), checklists)
    body = docx.Document(str(path)).element.body
    paras = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]
    paras = [p for p in paras if p.strip()]
    evidence = [e for c in report.checklists for f in c.findings for e in f.evidence]
    assert len(evidence) > 10
    for e in evidence:
        assert e.paragraph is not None and e.page is None
        assert e.quote.split("\t")[0] in paras[e.paragraph - 1], (e.paragraph, e.quote)


def test_batch_lists_unreadable_and_unsupported_files(made, tmp_path) -> None:
    """A PDF in a folder is audited; a spreadsheet and a broken PDF are listed with their reason."""
    import csv
    import io

    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copyfile(made["draft-township-2024.pdf"], inbox / "draft.pdf")
    (inbox / "figures.xlsx").write_bytes(b"PK\x03\x04 not really")
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"x" * 200)
    res = run("batch", str(inbox), "--output", str(tmp_path / "out"), "--workers", "1", "--quiet")
    assert res.exit_code == 1, res.output
    rows = {Path(r["文件"]).name: r for r in csv.DictReader(io.StringIO((tmp_path / "out" / "summary.csv").read_text(encoding="utf-8-sig")))}
    assert set(rows) == {"draft.pdf", "figures.xlsx", "broken.pdf"}
    assert not rows["draft.pdf"]["错误"] and rows["draft.pdf"]["年度"] == "2024"
    assert "A104" in rows["figures.xlsx"]["错误"] and ".xlsx" in rows["figures.xlsx"]["错误"]
    assert "A107" in rows["broken.pdf"]["错误"]
    assert "figures.xlsx" in (tmp_path / "out" / "summary.html").read_text(encoding="utf-8")



def test_a_pdf_with_too_many_pages_is_refused_before_it_is_read(tmp_path) -> None:
    import pypdfium2 as pdfium

    from auditor.ingest.pdf import MAX_PAGES

    pdf = pdfium.PdfDocument.new()
    for _ in range(MAX_PAGES + 1):
        pdf.new_page(100, 100)
    path = tmp_path / "many.pdf"
    pdf.save(path)
    res = run("check", str(path))
    assert res.exit_code == 2 and "[A105]" in res.stderr and f"{MAX_PAGES:,} 页" in res.stderr, res.stderr
