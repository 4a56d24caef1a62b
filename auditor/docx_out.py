"""Word output: render a docxtpl template into deterministic .docx bytes.

Report text is untrusted, so the template is rendered with autoescaping (docxtpl puts
values into WordprocessingML) and characters XML 1.0 forbids are dropped first. The zip
container is re-packed with fixed member times, so the same input gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
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
    if isinstance(value, (list, tuple)):
        return [xml_safe(v) for v in value]
    return value


def stable_zip(data: bytes) -> bytes:
    """Re-pack a .docx with fixed member times and attributes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def render_docx(template: str, context: dict[str, Any]) -> bytes:
    """Render ``templates/<template>`` with ``context`` and return the .docx bytes."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(templates_dir() / template))
    env = Environment(autoescape=True, undefined=StrictUndefined)
    tpl.render(xml_safe(context), env, autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return stable_zip(buf.getvalue())
