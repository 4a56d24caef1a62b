"""Word .docx: paragraphs and table rows in order, heading styles as hints, zip bombs refused."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from lxml import etree

from auditor import limits
from auditor.errors import InputError
from auditor.ingest.text import bounded, from_text
from auditor.lang import page as P
from auditor.limits import human_size
from auditor.model import Document

if TYPE_CHECKING:  # python-docx is imported only when a .docx is read (it costs 75 ms)
    from docx.table import Table
    from docx.text.paragraph import Paragraph

# --------------------------------------------------------------------------- .docx

_DOCX_HEADING_RE = re.compile(P.DOCX_HEADING_STYLE, re.IGNORECASE)


def load_docx(raw: bytes, name: str) -> Document:
    """Extract a Word document: paragraphs and table rows in order, heading styles as hints."""
    _check_docx_package(raw, name)
    try:
        ex = extract_docx(raw)
    except InputError:
        raise
    except Exception as exc:  # python-docx raises many types for broken packages
        raise InputError("A107", name, detail=f"无法解析 Word 文档（{type(exc).__name__}）") from None
    if not ex.text.strip():
        raise InputError("A108", name, detail="Word 文档中没有文字")
    doc = from_text(bounded(ex.text, name), path=name, fmt="docx", headings=ex.headings, title=ex.title)
    return replace(doc, paragraphs=ex.paragraphs)


def _check_docx_package(raw: bytes, name: str) -> None:
    """Refuse what is not a .docx, and zip bombs, before python-docx unpacks anything.

    ``zipfile`` never inflates a member past its declared size, so the declared sizes
    bound the work: the whole package and ``word/document.xml`` each have a limit.
    """
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        what = "旧版 Word 文件（.doc），请使用 .doc 扩展名或另存为 .docx" if raw.startswith(b"\xd0\xcf\x11\xe0") else "不是有效的 .docx（ZIP）文件"
        raise InputError("A107", name, detail=what)
    lim = limits.current()
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = zf.infolist()
    except Exception as exc:  # noqa: BLE001 - zipfile raises many types (NotImplementedError for odd versions)
        raise InputError("A107", name, detail=f"ZIP 结构损坏（{type(exc).__name__}: {exc}）") from None
    if len(infos) > 10_000:
        raise InputError("A107", name, detail=f"压缩包内有 {len(infos):,} 个文件，不像 Word 文档")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > lim.max_unpacked:
        raise InputError("A105", name, detail=f"解压后 {human_size(unpacked)}", limit=human_size(lim.max_unpacked))
    body = next((i for i in infos if i.filename == "word/document.xml"), None)
    if body is None:
        raise InputError("A107", name, detail="缺少 word/document.xml，不是 Word 文档")
    if body.file_size > lim.max_xml_bytes:
        raise InputError("A105", name, detail=f"正文 XML 解压后 {human_size(body.file_size)}",
                         limit=human_size(lim.max_xml_bytes))
    # Every other XML part is bounded too: python-docx parses styles.xml, numbering.xml…
    # whole (a 140 MB styles.xml cost minutes and gigabytes).
    part_cap = lim.max_xml_bytes // 5
    for info in infos:
        if info is not body and info.filename.endswith((".xml", ".rels")) and info.file_size > part_cap:
            raise InputError("A105", name, detail=f"{info.filename} 解压后 {human_size(info.file_size)}",
                             limit=human_size(part_cap))
    # Bounded in elements, not only bytes: 50 MB of empty paragraphs is a small file that
    # would build millions of XML nodes.
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf, zf.open(body) as fh:
            tags = sum(chunk.count(b"<") for chunk in iter(lambda: fh.read(1 << 20), b""))
    except Exception as exc:  # noqa: BLE001 - zipfile raises many types for damaged members
        raise InputError("A107", name, detail=f"ZIP 结构损坏（{type(exc).__name__}: {exc}）") from None
    if tags > lim.max_xml_elements:
        raise InputError("A105", name, detail=f"正文 XML 含 {tags:,} 个元素", limit=f"{lim.max_xml_elements:,} 个")


@dataclass
class DocxText:
    """What a Word document gives: one paragraph / table row per line, (line, level) heading
    hints, a title hint, and each line's paragraph number (non-empty paragraphs counted in
    reading order, table cells included) so evidence can say where it is in Word."""

    text: str
    headings: list[tuple[int, int]]
    title: str | None
    paragraphs: list[int]


def qn(tag: str) -> str:
    """python-docx's qualified-name helper, imported with python-docx when a .docx is read."""
    from docx.oxml.ns import qn as _qn

    return _qn(tag)


def extract_docx(raw: bytes) -> DocxText:
    """Extract the text of a .docx in reading order, with heading, title and paragraph hints."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(raw))
    lines: list[str] = []
    numbers: list[int] = []
    headings: list[tuple[int, int]] = []
    title: str | None = None
    first_heading: str | None = None
    count = 0
    for el in _docx_blocks(document.element.body):
        if el.tag == qn("w:tbl"):
            for row_text, row_paras in _docx_table_rows(Table(el, document)):
                lines.append(row_text)
                numbers.append(count + 1)
                count += row_paras
            continue
        para = Paragraph(el, document)
        parts = [s.strip() for s in para.text.split("\n") if s.strip()]
        if not parts:
            continue
        count += 1
        style = _style_name(para)
        level = _docx_heading_level(para, style)
        if style.lower() in P.DOCX_TITLE_STYLES and title is None:
            title = parts[0]
        elif level:
            headings.append((len(lines), level))
            first_heading = first_heading or parts[0]
        lines.extend(parts)
        numbers.extend([count] * len(parts))
    return DocxText("\n".join(lines), headings, title or first_heading, numbers)


def _docx_blocks(body: etree._Element) -> Iterator[etree._Element]:
    """Body paragraphs and tables in document order, looking inside content controls."""
    for child in body.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _docx_blocks(content)


def _docx_table_rows(table: Table) -> list[tuple[str, int]]:
    """One line per row, cells joined by a tab, with the row's non-empty paragraphs; merged
    cells counted once."""
    rows: list[tuple[str, int]] = []
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        paras = 0
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = " ".join(cell.text.split("\n")).strip()
            if text:
                cells.append(text)
                paras += sum(1 for p in cell.paragraphs if p.text.strip())
        if cells:
            rows.append(("\t".join(cells), paras))
    return rows


def _style_name(para: Paragraph) -> str:
    try:
        style = para.style
        return (style.name or "") if style is not None else ""
    except (KeyError, ValueError, AttributeError):
        return ""


def _docx_heading_level(para: Paragraph, style: str) -> int:
    """Level from a "Heading N" / "标题 N" style, else from the paragraph's outline level."""
    m = _DOCX_HEADING_RE.fullmatch(style.strip())
    if m:
        return int(m.group(1))
    ppr = para._p.pPr
    if ppr is not None:
        lvl = ppr.find(qn("w:outlineLvl"))
        if lvl is not None:
            try:
                val = int(lvl.get(qn("w:val")))
            except (TypeError, ValueError):
                return 0
            return val + 1 if 0 <= val < 9 else 0
    return 0
