"""Build ``draft-township-2024.pdf`` from ``draft-township-2024.txt`` as an office would publish it.

Usage::

    .venv/bin/python examples/make_pdf.py [INPUT.txt [OUTPUT.pdf]]

The Word document of ``make_docx.py`` gets a running header and a "第 N 页" footer (page
furniture that the auditor must drop), then LibreOffice headless (Debian package
``libreoffice-writer``, fonts from ``fonts-noto-cjk``) prints it to PDF with a text layer.
The tests build their PDF, scan and .doc fixtures the same way (``tests/formats.py``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_IN = HERE / "draft-township-2024.txt"
DEFAULT_OUT = HERE / "draft-township-2024.pdf"
FONT = "Noto Sans CJK SC"  # fonts-noto-cjk: fixed, so the PDF does not depend on font fallbacks
HEADER = "临江市法治政府建设领导小组办公室"


def _make_docx():
    spec = importlib.util.spec_from_file_location("make_docx", HERE / "make_docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def paged_word(lines: list[str], furniture: bool = True):
    """The Word document of ``make_docx.build`` in a fixed CJK font, with a running header and a
    page-number footer when ``furniture``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from auditor.docx_out import set_fonts

    doc = _make_docx().build(lines)
    for name, size in (("Normal", 14), ("Title", 22), ("Heading 1", 16), ("Heading 2", 16)):
        set_fonts(doc.styles[name], FONT, size)
    if furniture:
        section = doc.sections[0]
        section.header.paragraphs[0].text = HEADER
        footer = section.footer.paragraphs[0]
        footer.add_run("第 ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run, text = OxmlElement("w:r"), OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        footer._p.append(field)
        footer.add_run(" 页")
    return doc


def convert(sources: list[Path], target: str, outdir: Path) -> list[Path]:
    """Convert files with LibreOffice headless (one process for all) into ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = ["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(outdir), *map(str, sources)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": profile})
    ext = target.split(":")[0]
    made = [outdir / f"{p.stem}.{ext}" for p in sources]
    missing = [str(p) for p in made if not p.is_file()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {', '.join(missing)}")
    return made


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_IN
    dst = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    if shutil.which("soffice") is None:
        print("需要 LibreOffice：apt-get install libreoffice-writer fonts-noto-cjk", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        word = Path(tmp) / f"{dst.stem}.docx"
        paged_word(src.read_text(encoding="utf-8").splitlines()).save(str(word))
        (pdf,) = convert([word], "pdf", Path(tmp))
        shutil.copyfile(pdf, dst)
    print(f"wrote {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
