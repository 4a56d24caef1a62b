"""Old binary Word (.doc) and WPS (.wps) files, converted to .docx by LibreOffice headless.

A real converter, not a guess at the binary format: LibreOffice reads Word 97-2003 and
Kingsoft WPS documents (whose .wps files are Word-compatible compound files) and writes
.docx, which ingest then reads like any Word document — paragraphs, tables, heading
styles and paragraph numbers included. Each conversion runs in a fresh temporary folder
with its own LibreOffice profile (so parallel batch workers never share one), in its own
process group, bounded by the report's time limit; nothing is left behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .. import limits
from ..errors import InputError

INSTALL_HINT = "apt-get install libreoffice-writer"
DEFAULT_TIMEOUT = 120.0  # when the report has no time limit, a hung converter still stops
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing_converter(fmt: str) -> str | None:
    """Why a .doc / .wps cannot be read here (in Chinese), or None."""
    if soffice() is None:
        label = "旧版 Word 文档（.doc）" if fmt == "doc" else "WPS 文档（.wps）"
        return f"读取{label}需要 LibreOffice，但本机未安装；请安装：{INSTALL_HINT}，或将文件另存为 .docx"
    return None


def to_docx(raw: bytes, name: str, fmt: str) -> bytes:
    """The .docx that LibreOffice makes of a .doc or .wps file."""
    why = missing_converter(fmt)
    if why is not None:
        raise InputError("A111", name, detail=why)
    with tempfile.TemporaryDirectory(prefix="auditor-convert-") as tmp:
        folder = Path(tmp)
        src = folder / f"input{_suffix_for(raw, fmt)}"
        src.write_bytes(raw)
        _run(folder, src, name)
        out = folder / "input.docx"
        if not out.is_file() or out.stat().st_size == 0:
            raise InputError("A107", name, detail="LibreOffice 无法读取该文件，文件可能已损坏或不是文字处理文档")
        return out.read_bytes()


def _suffix_for(raw: bytes, fmt: str) -> str:
    """Name the temporary copy after its content: LibreOffice picks its import filter from it,
    and a Kingsoft .wps (a Word compound file) must not be taken for a Microsoft Works file."""
    if raw.startswith(_OLE_MAGIC):
        return ".doc"
    if raw.lstrip()[:5] == b"{\\rtf":
        return ".rtf"
    return f".{fmt}"


def _run(folder: Path, src: Path, name: str) -> None:
    """Run the conversion in its own process group; kill the whole group on timeout."""
    exe = soffice() or "soffice"
    profile = (folder / "profile").as_uri()
    cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
           "--nodefault", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder), str(src)]
    left = limits.remaining()
    timeout = DEFAULT_TIMEOUT if left is None else max(0.1, left)
    env = {**os.environ, "HOME": str(folder)}
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                cwd=folder, env=env, start_new_session=True)
    except OSError as exc:
        raise InputError("A111", name, detail=f"无法运行 LibreOffice（{exc.strerror or exc}）") from None
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise InputError("A109", name, limit=f"{timeout:g} 秒") from None
    finally:
        if proc.poll() is None:  # interrupted (Ctrl-C): never leave a converter running
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
