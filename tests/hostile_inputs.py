"""Builders for hostile and odd report files (shared by the hostile-input and fuzz tests).

Every builder writes into a folder the test owns and returns the path; nothing here
reads ../shared, so the table runs in any clone.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document as DocxDocument

REPORT = (
    "XX县2024年法治政府建设情况报告\n"
    "2024年，我县深入学习贯彻习近平法治思想，现将有关情况报告如下。\n"
    "一、主要举措和成效\n"
    "（一）加强党的领导。县政府常务会议专题学习习近平法治思想4次，政府主要负责人切实履行推进法治建设第一责任人职责。\n"
    "（二）规范性文件管理。全年审核规范性文件12件，备案审查率100%。\n"
    "（三）严格规范公正文明执法。全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。\n"
    "二、存在的不足和原因\n"
    "基层执法力量不足，原因是编制紧张。\n"
    "三、2025年工作安排\n"
    "2025年，我县将继续深化法治政府建设。\n"
)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    """Write bytes (or UTF-8 text) to ``folder/name``."""
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def docx_bytes(text: str = REPORT) -> bytes:
    """A real .docx with one paragraph per line of ``text``."""
    doc = DocxDocument()
    for line in text.splitlines():
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def zip_bomb(member: str, size: int, others_from: bytes | None = None) -> bytes:
    """A .docx-shaped ZIP whose ``member`` inflates to ``size`` bytes (from a few hundred KB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        if others_from:
            with zipfile.ZipFile(io.BytesIO(others_from)) as src:
                for info in src.infolist():
                    if info.filename != member:
                        zf.writestr(info, src.read(info))
        with zf.open(member, "w", force_zip64=True) as fh:
            chunk = b" " * 1_000_000
            for _ in range(size // len(chunk)):
                fh.write(chunk)
    return buf.getvalue()


HOSTILE_HTML = (
    "<html><head><title>XX县2024年法治政府建设情况报告</title>"
    "<style>body{background:url(javascript:alert(1))}</style>"
    "<script>alert('head')</script></head><body>"
    "<iframe src='javascript:alert(2)'></iframe>"
    "<div class='article'>"
    + "".join(f"<p>{line}</p>" for line in REPORT.splitlines())
    + "<script>document.write('<p>全年审核规范性文件999件。</p>')</script>"
    "<noscript>请启用脚本</noscript></div></body></html>"
)
