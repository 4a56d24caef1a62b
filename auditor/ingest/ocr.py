"""OCR of scanned pages and images with Tesseract (Debian's ``tesseract-ocr-chi-sim`` data).

Offline by construction: the engine and its Simplified Chinese model come from Debian
packages, nothing is downloaded. Tesseract's TSV output gives every word with its box and
confidence; words become visual lines for ``auditor.ingest.layout`` and the confidences one
figure per document (mean per character), which every output shows next to the text.
"""

from __future__ import annotations

import contextvars
import os
import shutil
import statistics
import struct
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

from .. import limits
from ..errors import InputError
from .layout import Line, is_cjk

ENGINE = "Tesseract"
LANG = "chi_sim"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-chi-sim"
MAX_PIXELS = 200_000_000  # an image larger than this (e.g. 14,000 × 14,000) is refused unread
_TAB_GAP = 1.5


@dataclass
class Recognised:
    """One page or image read by OCR: its visual lines and the mean confidence (0-1)."""

    lines: list[Line]
    width: float
    confidence: float


def missing_engine() -> str | None:
    """Why OCR cannot run here (in Chinese), or None when Tesseract with chi_sim is installed."""
    exe = shutil.which("tesseract")
    if exe is None:
        return f"未安装 OCR 引擎 Tesseract，无法识别扫描件或图片；请安装：{INSTALL_HINT}"
    if LANG not in _languages(exe):
        return f"OCR 引擎 Tesseract 缺少简体中文识别数据（{LANG}）；请安装：{INSTALL_HINT}"
    return None


@lru_cache(maxsize=4)
def _languages(exe: str) -> frozenset[str]:
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(ln.strip() for ln in (out.stdout + out.stderr).splitlines()[1:])


def recognise_image(raw: bytes, name: str) -> Recognised:
    """An image file (PNG, JPEG, TIFF, BMP) read by OCR."""
    _check_pixels(raw, name)
    return recognise_pixels(raw, name)


def recognise_pixels(image: bytes, name: str, page_number: int = 0) -> Recognised:
    """Run Tesseract on one image (any format Leptonica reads, PGM included)."""
    why = missing_engine()
    if why is not None:
        raise InputError("A111", name, detail=why)
    limits.check_time()
    cmd = [shutil.which("tesseract") or "tesseract", "stdin", "stdout", "-l", LANG,
           "-c", "preserve_interword_spaces=1", "tsv"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # the batch already runs one report per core
    try:
        out = subprocess.run(cmd, input=image, capture_output=True, timeout=_time_left(), check=False, env=env)
    except subprocess.TimeoutExpired:
        raise InputError("A109", name, limit=f"{limits.current().timeout:g} 秒") from None
    except OSError as exc:
        raise InputError("A111", name, detail=f"无法运行 OCR 引擎 Tesseract（{exc.strerror or exc}）") from None
    if out.returncode != 0:
        what = out.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["未知错误"]
        raise InputError("A107", name, detail=f"OCR 无法读取图像（{what[0][:80]}）")
    return parse_tsv(out.stdout.decode("utf-8", "replace"), page_number)


def recognise_pages(images: dict[int, bytes], name: str) -> dict[int, Recognised]:
    """Several page images by OCR, two at a time (one Tesseract process per core is the
    fastest on the 2-core machines this runs on); results keyed by page index."""
    if len(images) <= 1:
        return {i: recognise_pixels(img, name, page_number=i) for i, img in images.items()}
    workers = max(1, min(2, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {i: pool.submit(limits_copy(recognise_pixels), img, name, i) for i, img in images.items()}
        return {i: f.result() for i, f in futures.items()}


def limits_copy(fn):
    """``fn`` run in a worker thread with the caller's limits and deadline (context variables)."""
    ctx = contextvars.copy_context()

    def call(*args):
        return ctx.copy().run(fn, *args)

    return call


def _time_left() -> float | None:
    left = limits.remaining()
    return None if left is None else max(0.1, left)


def parse_tsv(tsv: str, page_number: int = 0) -> Recognised:
    """Tesseract's TSV (level, page, block, par, line, word, left, top, width, height, conf,
    text) to visual lines; one confidence per page, weighted by characters."""
    words: dict[tuple[int, int, int], list[tuple[int, int, int, int, float, str]]] = {}
    width = 0.0
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12:
            continue
        level, left, top, w, h = (int(cols[i]) for i in (0, 6, 7, 8, 9))
        if level == 1:
            width = float(w)
        text = cols[11].strip()
        if level != 5 or not text:
            continue
        words.setdefault((int(cols[2]), int(cols[3]), int(cols[4])), []).append((left, top, w, h, float(cols[10]), text))
    lines: list[Line] = []
    weighted, chars = 0.0, 0
    for ws in words.values():
        ws.sort(key=lambda t: t[0])
        text = _join_words(ws)
        heights = [t[3] for t in ws]
        lines.append(Line(page_number, text, ws[0][0], max(t[0] + t[2] for t in ws), min(t[1] for t in ws),
                          max(t[1] + t[3] for t in ws), statistics.median(heights), False))
        for *_, conf, t in ws:
            weighted += max(conf, 0.0) * len(t)
            chars += len(t)
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    if lines:  # OCR boxes vary by a pixel or two: one size per page keeps the style rules quiet
        size = statistics.median(ln.size for ln in lines)
        for ln in lines:
            ln.size = size
    return Recognised(lines, width, round(weighted / chars / 100, 3) if chars else 0.0)


def _join_words(ws: list[tuple[int, int, int, int, float, str]]) -> str:
    out = ""
    prev = None
    for left, _top, w, h, _conf, text in ws:
        if prev is not None:
            gap = left - (prev[0] + prev[2])
            if gap > _TAB_GAP * max(h, prev[3]) * 1.2:
                out += "\t"
            elif not (is_cjk(out[-1]) or is_cjk(text[0])):
                out += " "
        out += text
        prev = (left, _top, w, h)
    return out


def _check_pixels(raw: bytes, name: str) -> None:
    """Refuse a PNG whose declared size would need gigabytes to decode (a pixel bomb)."""
    if raw.startswith(b"\x89PNG\r\n\x1a\n") and len(raw) >= 24:
        w, h = struct.unpack(">II", raw[16:24])
        if w * h > MAX_PIXELS:
            raise InputError("A105", name, detail=f"图像 {w}×{h} 像素", limit=f"{MAX_PIXELS:,} 像素")

