"""Word output: render a docxtpl template into deterministic .docx bytes.

Report text is untrusted, so the template is rendered with autoescaping (docxtpl puts
values into WordprocessingML) and characters XML 1.0 forbids are dropped first. The zip
container is re-packed with fixed member times, so the same input gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from typing import Any

from jinja2 import Environment, StrictUndefined

from .resources import templates_dir

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value: Any) -> Any:
    """A copy of a view with every string made safe for a Word paragraph (one line, valid XML)."""
    if isinstance(value, str):
        return _XML_BAD.sub("", value.replace("\r", " ").replace("\n", " ").replace("\t", " "))
    if isinstance(value, dict):
        return {k: xml_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [xml_safe(v) for v in value]
    return value


def stable_zip(data: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """Re-pack a .docx with fixed member times and attributes; ``replace`` swaps the bytes
    of some members (e.g. ``docProps/app.xml``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return _pack((info.filename, (replace or {}).get(info.filename) or src.read(info.filename))
                      for info in src.infolist())


def _pack(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (name, bytes) members, in order, with fixed times and attributes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in members:
            zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            dst.writestr(zi, data)
    return out.getvalue()


class _Members:
    """Stands in for python-docx's zip writer: keeps the members it is given, in order."""

    def __init__(self) -> None:
        self.members: list[tuple[str, bytes]] = []

    def write(self, pack_uri, blob: bytes) -> None:
        self.members.append((pack_uri.membername, blob))


def _stable_docx(doc) -> bytes:
    """``stable_zip`` of what saving the python-docx ``doc`` gives, without zipping it twice:
    the members ``OpcPackage.save`` writes (same steps, same order) are packed once."""
    from docx.opc.pkgwriter import PackageWriter

    package = doc.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    writer = _Members()
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)  # type: ignore[arg-type]  # a writer in all but name
    return _pack(writer.members)


class _CompiledOnce(Environment):
    """docxtpl compiles the XML of every part of the template anew on each render (about a
    fifth of a memo's cost); the XML is the template's own, so each is compiled once per
    process. What is compiled is only ever template text, never report text (the report
    is the context), so the cache stays as small as the templates."""

    MAX_CACHED = 64

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self._compiled: dict[str, Any] = {}

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - Jinja's signature
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            if len(self._compiled) >= self.MAX_CACHED:
                self._compiled.clear()
            compiled = self._compiled[source] = super().from_string(source)
        return compiled

    def getattr(self, obj: Any, attribute: str) -> Any:
        from .render import view_getattr

        return view_getattr(self, obj, attribute)


_ENV = _CompiledOnce()


def render_docx(template: str, context: dict[str, Any], properties: dict[str, Any] | None = None) -> bytes:
    """Render ``templates/<template>`` with ``context`` and return the .docx bytes.

    ``properties`` sets the document's core properties (title, subject, author, created …):
    what Word shows under File › Info, so they describe this document, not the template."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(templates_dir() / template))
    tpl.render(xml_safe(context), _ENV, autoescape=True)
    if properties:
        set_properties(tpl.docx, xml_safe(properties))  # get_docx() would reload the template
    return _stable_docx(tpl.docx)  # tpl.save() adds nothing here: no pictures or media replaced


def set_properties(doc, props: dict[str, Any]) -> None:
    """Core properties of a rendered document; ``created`` also sets modified, the author is
    also the last to modify it, and the language is zh-CN."""
    cp = doc.core_properties
    for name, value in props.items():
        if name == "created":
            cp.created = cp.modified = value
        else:
            setattr(cp, name, value)
    cp.last_modified_by = props.get("author", cp.author) or ""
    cp.language = "zh-CN"
    cp.revision = 1


# -- building .docx files deterministically (the memo template, the example draft) ------
def set_fonts(style, east_asian: str, size: float, bold: bool | None = None) -> None:
    """Give a Word style an East Asian font, a size and black text (no theme fonts).

    Theme fonts would override the explicit ones, so they are removed.
    """
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

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
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]


def fix_properties(doc, author: str, when, **fields: str) -> None:
    """Fixed core properties (author, dates, revision, the given fields), for stable bytes."""
    cp = doc.core_properties
    cp.author = cp.last_modified_by = author
    cp.created = cp.modified = cp.last_printed = when
    cp.revision = 1
    for name in ("category", "content_status", "identifier", "version"):
        setattr(cp, name, "")
    cp.language = "zh-CN"
    for name, value in fields.items():
        setattr(cp, name, value)


def stable_bytes(doc, replace: dict[str, bytes] | None = None) -> bytes:
    """Serialise a python-docx Document with fixed zip member times (and replaced members)."""
    raw = io.BytesIO()
    doc.save(raw)
    return stable_zip(raw.getvalue(), replace)

