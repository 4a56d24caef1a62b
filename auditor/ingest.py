"""Ingest: turn a report file (.txt/.md/.html/.docx) into a ``Document``.

Every format is first reduced to plain text with one paragraph per line (``original``);
``from_text`` then builds the normalised ``text`` used by the later stages, keeping an exact
character map back into ``original`` so every quote shown to a user is the text as written.
Page furniture (breadcrumbs, index tables, share bars) is dropped from ``text`` only.
"""

from __future__ import annotations

import codecs
import datetime
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

import lxml.html
import opencc
from lxml import etree
from lxml.html import HtmlElement

from auditor import limits
from auditor.errors import InputError, os_reason
from auditor.limits import human_size
from auditor.lang import furniture as F
from auditor.lang.numerals import NUMBERED_LINE_RE as _NUMBERED_RE
from auditor.lang.numerals import YEAR_DIGITS as _CN_DIGITS
from auditor.ingest_formats import EXTRA_FORMATS
from auditor.model import Document, Metadata

if TYPE_CHECKING:  # python-docx is imported only when a .docx is read (it costs 75 ms)
    from docx.table import Table
    from docx.text.paragraph import Paragraph

SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    **EXTRA_FORMATS,  # .pdf, .doc, .wps, images: auditor/ingest_formats.py
}

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛ"
# Bounded character class and length: linear time, no backtracking blow-up.
_PINYIN_RE = re.compile(rf"(?<=[{_CJK}])\(([A-Za-züÜ{_TONE_VOWELS}' ]{{1,40}})\)")
_MD_HEADING_RE = re.compile(r"#{1,6}[ \t]+")

_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
_DATE_LABEL_RE = re.compile(
    "(?:" + "|".join(map(re.escape, F.DATE_LABELS)) + r")\s*:?\s*" + _DATE_RE.pattern
)
_DATE_ONLY_RE = re.compile(
    r"(?:19|20)\d{2}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}\s*日?"
    r"|(?:19|20)\d{4,6}"
    r"|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日"
)
_META_RE = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, F.META_LABELS), key=len, reverse=True)) + r")(?::|\s|$)"
)
_YEAR_RE = re.compile(r"((?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年")
_ORG_SUFFIX_RE = re.compile(
    r"(?:人民政府|政府|委员会|党委|区委|市委|县委|省委|委|办公室|办公厅|局|厅|院|办|管委会|办事处)$"
)

TITLE_MAX_LEN = 60
ISSUER_MAX_LEN = 40
BODY_MIN_LEN = 60
TRAILER_MAX_LEN = 30


# --------------------------------------------------------------------------- loading


def load(path: str | Path, max_bytes: int | None = None) -> Document:
    """Read one report file into a ``Document``; bad input raises ``InputError``."""
    max_bytes = limits.current().max_bytes if max_bytes is None else max_bytes
    raw, fmt = read_file(path, max_bytes)
    return load_bytes(raw, str(path), fmt, max_bytes)


def read_file(path: str | Path, max_bytes: int | None = None) -> tuple[bytes, str]:
    """A report file's bytes and format, with every check ``load`` makes before parsing (a
    batch client reads the files and sends the bytes to remote workers)."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError("A101", name, detail="文件不存在")
    if not p.is_file():
        raise InputError("A101", name, detail="是目录而不是文件" if p.is_dir() else "不是普通文件（设备、管道或套接字）")
    fmt = format_of(name)
    max_bytes = limits.current().max_bytes if max_bytes is None else max_bytes
    return _read_bytes(p, name, max_bytes), fmt


def format_of(name: str) -> str:
    """The input format named by a file's suffix; A104 for anything unsupported."""
    suffix = Path(name).suffix
    fmt = SUFFIX_FORMATS.get(suffix.lower())
    if fmt is None:
        raise InputError("A104", name, detail=suffix or "（无扩展名）")
    return fmt


HTML_BYTES_PER_CHAR = 10  # a page's markup plus three bytes per Chinese character, generously


def html_cap() -> int:
    """The largest web page parsed: ten bytes per character of the text limit, at most the file limit."""
    lim = limits.current()
    return min(lim.max_bytes, HTML_BYTES_PER_CHAR * lim.max_chars)


def load_bytes(raw: bytes, name: str, fmt: str | None = None, max_bytes: int | None = None) -> Document:
    """Turn the bytes of a report (an upload, a file already read) into a ``Document``.

    ``name`` is what messages and outputs call the report; ``fmt`` defaults to its suffix.
    """
    fmt = fmt or format_of(name)
    max_bytes = limits.current().max_bytes if max_bytes is None else max_bytes
    if len(raw) > max_bytes:
        raise InputError("A105", name, detail=human_size(len(raw)), limit=human_size(max_bytes))
    if not raw.strip():
        raise InputError("A102", name, detail="没有任何内容" if not raw else "只有空白字符")
    warnings: list[str] = []
    if fmt == "docx":
        doc = _load_docx(raw, name)
    elif fmt in EXTRA_FORMATS.values():
        from auditor import ingest_formats  # the PDF, OCR and converter code loads only when needed

        doc = ingest_formats.load(raw, name, fmt, warnings)
    elif fmt == "html":
        cap = html_cap()
        if len(raw) > cap:  # refused before lxml builds a tree of it (an 18 MB page took 30 s)
            raise InputError("A105", name, detail=f"网页 {human_size(len(raw))}", limit=f"{human_size(cap)}（正文字数上限的 {HTML_BYTES_PER_CHAR} 倍）")
        doc = _load_html(raw, name, warnings)
    else:
        text = decode_bytes(raw, name, warnings=warnings)
        if not text.strip():
            raise InputError("A102", name, detail="只有空白字符")
        doc = from_text(_bounded(_newlines(text), name), path=name, fmt=fmt)
    doc.sha256 = hashlib.sha256(raw).hexdigest()
    doc.warnings = warnings + doc.warnings
    if not doc.text[doc.body_start:].strip():
        raise InputError("A108", name, detail="去除网页导航、索引表等内容后没有正文")
    _warn_if_not_chinese(doc)
    return doc


# Below this share of CJK characters in the body the text is not a Chinese report (an
# English page, a data dump); it is still audited, but the user is told why it scores nil.
_MIN_CJK_SHARE = 0.2


def _warn_if_not_chinese(doc: Document) -> None:
    body = doc.text[doc.body_start:]
    visible = sum(1 for ch in body if not ch.isspace())
    cjk = len(_CJK_CHAR_RE.findall(body))
    if visible and cjk < _MIN_CJK_SHARE * visible:
        doc.warnings.append(f"正文中文字符很少（{cjk}/{visible}），似非中文报告，检查结果可能没有意义")


def _bounded(original: str, name: str) -> str:
    """Refuse text beyond ``max_chars`` before the per-character normalisation runs on it."""
    cap = limits.current().max_chars
    if len(original) > cap:
        raise InputError("A105", name, detail=f"正文 {len(original):,} 字", limit=f"{cap:,} 字")
    return original


def _read_bytes(p: Path, name: str, max_bytes: int) -> bytes:
    """Check the size first (never read a huge file), then read it."""
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError("A105", name, detail=human_size(size), limit=human_size(max_bytes))
        with p.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError("A101", name, detail=os_reason(exc)) from None
    if len(raw) > max_bytes:  # grew while we looked
        raise InputError("A105", name, detail=human_size(len(raw)), limit=human_size(max_bytes))
    return raw


def _newlines(text: str) -> str:
    """Normalise CRLF / CR line endings to LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- encodings

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LEGACY_ENCODINGS: tuple[str, ...] = ("gb18030", "big5", "cp950", "big5hkscs")
_CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】—…·"
_MIN_COMMON_RATIO = 0.3
_MIN_CHARS_FOR_RATIO = 20


def decode_bytes(
    raw: bytes, path: str = "<bytes>", declared: str | None = None, warnings: list[str] | None = None
) -> str:
    """Decode a text file: BOM, then UTF-16 without BOM, then UTF-8, then GB18030 / Big5.

    GB18030 and Big5 both decode most byte strings of the other without error, so the
    choice is made on content: the candidate made of more common Chinese characters wins,
    and a result that looks like mojibake is refused (A106) rather than guessed.
    ``declared`` (an HTML charset) only breaks ties. What had to be repaired (a few invalid
    UTF-8 bytes, stray NUL bytes) is appended to ``warnings``.
    """
    warnings = [] if warnings is None else warnings
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(enc).lstrip("\ufeff")
            except UnicodeDecodeError:
                raise InputError("A106", path, detail=f"有 {enc} 字节序标记但内容无效") from None
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        warnings.append("文件为无字节序标记的 UTF-16 编码，已按 UTF-16 读取")
        return utf16
    raw = _drop_stray_nuls(raw, path, warnings)
    _check_binary(raw, path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mixed = _mixed_lines(raw)
    if mixed is not None:
        text, lines = mixed
        where = "、".join(str(n) for n in lines[:5]) + ("等" if len(lines) > 5 else "")
        warnings.append(f"第 {where} 行（共 {len(lines)} 行）不是 UTF-8 编码，已按 GB18030 读取")
        return text
    mostly_utf8 = _mostly_utf8(raw)
    if mostly_utf8 is not None:
        text, bad = mostly_utf8
        warnings.append(f"文件中有 {bad} 处无效的 UTF-8 字节，已替换为“\ufffd”")
        return text
    return _decode_legacy(raw, path, declared)


_MAX_NUL_SHARE = 0.01


def _mixed_lines(raw: bytes) -> tuple[str, list[int]] | None:
    """(text, GB18030 line numbers) for a UTF-8 file with some lines pasted in as GBK.

    Each line that is not valid UTF-8 is read as GB18030 if it then reads as Chinese;
    a file where that fails for any line, or with no real UTF-8 Chinese, is not mixed.
    """
    lines = raw.split(b"\n")
    out: list[str] = []
    legacy: list[int] = []
    utf8_chinese = 0
    for no, line in enumerate(lines, 1):
        try:
            text = line.decode("utf-8")
            utf8_chinese += len(_CJK_CHAR_RE.findall(text))
        except UnicodeDecodeError:
            text = _gb_line(line)
            if text is None:
                return None
            legacy.append(no)
        out.append(text)
    if not legacy or utf8_chinese < _MIN_CHARS_FOR_RATIO:
        return None
    return "\n".join(out), legacy


def _gb_line(line: bytes) -> str | None:
    """One line as GB18030 when that reads as common Chinese, else None."""
    try:
        text = line.decode("gb18030")
    except UnicodeDecodeError:
        return None
    hits, total = _commonness(text)
    return text if total and hits >= 0.6 * total else None


# A UTF-8 file with a few damaged bytes is still that file; beyond this share of bad
# sequences it is probably another encoding.
_MAX_BAD_UTF8_SHARE = 0.02


def _mostly_utf8(raw: bytes) -> tuple[str, int] | None:
    """(text, bad sequences) when ``raw`` is UTF-8 apart from a few invalid bytes."""
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - raw.decode("utf-8", errors="ignore").count("\ufffd")
    multibyte = sum(1 for ch in text if "\u0080" <= ch != "\ufffd")
    if bad and multibyte >= _MIN_CHARS_FOR_RATIO and bad <= max(3, _MAX_BAD_UTF8_SHARE * len(text)):
        return text, bad
    return None


def _utf16_without_bom(raw: bytes) -> str | None:
    """Text saved as UTF-16 without a byte-order mark (Word's "Unicode" export, some tools).

    Recognised by its NUL bytes all sitting on one parity (the high byte of ASCII
    characters), then confirmed by the decoded text reading as Chinese or as plain text.
    """
    if len(raw) < 4 or len(raw) % 2:
        return None
    sample = raw[:65536]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < max(2, 0.01 * len(sample) / 2) or min(even, odd) * 4 > max(even, odd):
        return None
    enc = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError:
        return None
    hits, total = _commonness(text)
    readable = total < _MIN_CHARS_FOR_RATIO or hits >= 0.6 * total
    controls = sum(1 for ch in text[:20000] if ord(ch) < 0x20 and ch not in "\t\n\r\f")
    return text if readable and not controls and "\ufffe" not in text else None


def _drop_stray_nuls(raw: bytes, path: str, warnings: list[str]) -> bytes:
    """Remove a few NUL bytes from an otherwise textual file (copy-paste debris)."""
    nuls = raw.count(0)
    if not nuls or nuls > _MAX_NUL_SHARE * len(raw):
        return raw
    warnings.append(f"文件中有 {nuls} 个 NUL 空字节，已删除")
    return raw.replace(b"\x00", b"")


def _check_binary(raw: bytes, path: str) -> None:
    """Refuse NUL bytes, a known binary signature or many control bytes: not a text file."""
    sample = raw[:65536]
    for magic, what in _BINARY_MAGIC:
        if sample.startswith(magic):
            raise InputError("A103", path, detail=f"实为{what}")
    if b"\x00" in sample:
        raise InputError("A103", path, detail="含有大量 NUL 字节")
    controls = sum(1 for b in sample if b < 0x20 and b not in (9, 10, 12, 13, 27))
    if controls > 0.1 * len(sample):
        raise InputError("A103", path, detail="控制字符过多")


_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", " PDF 文件，请使用 .pdf 扩展名"),
    (b"PK\x03\x04", " ZIP 压缩包（若为 Word 文档，请使用 .docx 扩展名）"),
    (b"\xd0\xcf\x11\xe0", "旧版 Office 文件（.doc 或 .wps），请使用原扩展名"),
    (b"\x89PNG", " PNG 图片"),
    (b"\xff\xd8\xff", " JPEG 图片"),
    (b"GIF8", " GIF 图片"),
    (b"{\\rtf", " RTF 文件，请另存为 .docx"),
)


def _decode_legacy(raw: bytes, path: str, declared: str | None) -> str:
    """Pick between the legacy Chinese encodings by how Chinese the result reads."""
    order = list(_LEGACY_ENCODINGS)
    pref = _canonical_encoding(declared)
    if pref in order:
        order.remove(pref)
        order.insert(0, pref)
    scored: dict[str, tuple[int, int, str]] = {}  # decoded text -> (hits, -rank, encoding)
    for rank, enc in enumerate(order):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if text not in scored:
            scored[text] = (_commonness(text)[0], -rank, enc)
    if not scored:
        raise InputError("A106", path, detail="不是有效的 UTF-8、GB18030 或 Big5 文本")
    ranked = sorted(scored.items(), key=lambda kv: kv[1][:2], reverse=True)
    text, (hits, _, enc) = ranked[0]
    if len(ranked) > 1 and ranked[1][1][0] == hits and enc != pref:
        names = f"{enc} 与 {ranked[1][1][2]}"
        raise InputError("A106", path, detail=f"无法确定是 {names} 中的哪一种编码")
    _, total = _commonness(text)
    if total >= _MIN_CHARS_FOR_RATIO and hits < _MIN_COMMON_RATIO * total:
        raise InputError("A106", path, detail=f"按 {enc} 解码后不像中文文本")
    return text


def _canonical_encoding(name: str | None) -> str | None:
    """Map charset labels seen in the wild onto the codecs tried here."""
    if not name:
        return None
    n = name.strip().lower().replace("_", "-")
    if n in ("gb2312", "gbk", "gb18030", "x-gbk", "gb-2312", "cp936", "euc-cn"):
        return "gb18030"
    if n in ("big5", "x-big5", "cp950", "big5-hkscs", "big5hkscs"):
        return "big5"
    return n


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """Common Simplified characters, their Traditional forms, and CJK punctuation."""
    s2t = opencc.OpenCC("s2t")
    chars = set(F.COMMON_HANZI) | set(_CJK_PUNCT)
    chars |= {s2t.convert(ch) for ch in F.COMMON_HANZI}
    return frozenset(c for c in chars if len(c) == 1)


def _commonness(text: str) -> tuple[int, int]:
    """(common characters, non-ASCII characters) in a sample of ``text``."""
    common = _common_chars()
    sample = text[:200_000]
    total = sum(1 for ch in sample if ord(ch) > 0x7F and not ch.isspace())
    hits = sum(1 for ch in sample if ch in common)
    return hits, total


# --------------------------------------------------------------------------- normalisation


@dataclass
class _Line:
    """One line of ``original`` after normalisation, with its character map."""

    no: int
    text: str
    offs: list[int]
    end: int  # index in ``original`` of the newline ending this line
    md_level: int = 0


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def _map_char(ch: str) -> str:
    """Full-width ASCII to half-width, any space to " ", invisible controls to nothing."""
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:
        return chr(o - 0xFEE0)
    if ch == "\t":
        return " "
    cat = unicodedata.category(ch)
    if cat in ("Zs", "Zl", "Zp"):
        return " "
    if cat in ("Cc", "Cf"):
        return ""
    return ch


@lru_cache(maxsize=4096)
def _t2s_char(ch: str) -> str:
    return _t2s().convert(ch) or ch


def _normalise_line(no: int, line: str, base: int, fmt: str) -> _Line:
    """Normalise one line, keeping for each output char its index in ``original``."""
    start, md_level = 0, 0
    if fmt == "md":
        m = _MD_HEADING_RE.match(line)
        if m:
            start, md_level = m.end(), line[: m.end()].count("#")
    chars: list[str] = []
    offs: list[int] = []
    for i in range(start, len(line)):
        mapped = _map_char(line[i])
        if mapped:
            chars.append(mapped)
            offs.append(base + i)
    s = "".join(chars)
    s, offs = _drop_pinyin(s, offs)
    s, offs = _collapse_spaces(s, offs)
    s, offs = _to_simplified(s, offs)
    return _Line(no, s, offs, base + len(line), md_level)


def _drop_pinyin(s: str, offs: list[int]) -> tuple[str, list[int]]:
    """Remove "(jiān)"-style annotations that follow a CJK character."""
    if "(" not in s:
        return s, offs
    spans = [m.span() for m in _PINYIN_RE.finditer(s) if any(c in _TONE_VOWELS for c in m.group(1))]
    if not spans:
        return s, offs
    keep = [True] * len(s)
    for a, b in spans:
        keep[a:b] = [False] * (b - a)
    return "".join(c for c, k in zip(s, keep) if k), [o for o, k in zip(offs, keep) if k]


def _collapse_spaces(s: str, offs: list[int]) -> tuple[str, list[int]]:
    """Collapse runs of spaces to one and strip both ends."""
    out: list[str] = []
    o2: list[int] = []
    for ch, o in zip(s, offs):
        if ch == " " and (not out or out[-1] == " "):
            continue
        out.append(ch)
        o2.append(o)
    if out and out[-1] == " ":
        out.pop()
        o2.pop()
    return "".join(out), o2


def _to_simplified(s: str, offs: list[int]) -> tuple[str, list[int]]:
    """Traditional to Simplified; whole-line conversion when it keeps the length, else per char."""
    if s.isascii():
        return s, offs
    conv = _t2s().convert(s)
    if len(conv) == len(s):
        return conv, offs
    out: list[str] = []
    o2: list[int] = []
    for ch, o in zip(s, offs):
        c = _t2s_char(ch)
        out.append(c)
        o2.extend([o] * len(c))
    return "".join(out), o2


# --------------------------------------------------------------------------- furniture


def is_furniture(line: str) -> bool:
    """True for a normalised line that is web-page furniture rather than report text."""
    s = line.strip()
    if not s:
        return True
    core = s.lstrip("【[ ")
    if all(t in F.ONLY_TOKENS or set(t) <= set("|-·/") for t in s.split()):
        return True
    if _is_breadcrumb(s):
        return True
    if core.startswith(F.START_MARKERS) or _META_RE.match(core):
        return True
    return len(s) <= F.FURNITURE_MAX_LEN and any(m in s for m in F.CONTAINS_MARKERS)


def _is_breadcrumb(s: str) -> bool:
    """"首页 > 政务公开 > …" or a continuation line starting with ">"."""
    if s.startswith(F.BREADCRUMB_SEPARATORS):
        return True
    return "首页" in s and len(s) <= F.FURNITURE_MAX_LEN and any(
        sep in s for sep in F.BREADCRUMB_SEPARATORS
    )


def _published_in(line: str) -> str | None:
    """The ISO date after a 发布日期/发文日期/发布时间 label, if valid."""
    m = _DATE_LABEL_RE.search(line)
    return _iso_date(*m.groups()) if m else None


def _iso_date(y: str, m: str, d: str) -> str | None:
    try:
        return datetime.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _trailing_dates(lines: list[_Line], keep: list[bool]) -> None:
    """Drop date-only lines (incl. garbled ones like "2023223") after the last paragraph."""
    for i in range(len(lines) - 1, -1, -1):
        if not keep[i]:
            continue
        s = lines[i].text
        if len(s) > TRAILER_MAX_LEN or _NUMBERED_RE.match(s):
            return
        if _DATE_ONLY_RE.fullmatch(s):
            keep[i] = False


# --------------------------------------------------------------------------- from_text


def from_text(
    original: str,
    path: str = "<text>",
    fmt: str = "txt",
    headings: Sequence[tuple[int, int]] | None = None,
    published: str | None = None,
    title: str | None = None,
) -> Document:
    """Build a ``Document`` from extracted text (one paragraph per line).

    ``headings`` are (line number in ``original``, level) hints from the source format;
    ``published`` an ISO date found by the extractor; ``title`` a title candidate (HTML
    <h1>/<title>, Word Title style) that is used when it is one of the header lines.
    """
    original = _newlines(original)
    lines = _split_lines(original, fmt)
    keep = [bool(ln.text) and not is_furniture(ln.text) for ln in lines]
    _trailing_dates(lines, keep)
    kept = [ln for ln, k in zip(lines, keep) if k]
    text, offsets, starts = _assemble(kept, len(original))
    body_idx = _body_line(kept)
    body_start = starts[body_idx] if body_idx < len(kept) else len(text)
    head = kept[:body_idx]
    found = published or _find_published(lines, keep, body_idx, kept)
    meta = _metadata(original, head, kept[body_idx:], title, fmt, found)
    return Document(
        path=path,
        original=original,
        text=text,
        offsets=offsets,
        meta=meta,
        sha256=hashlib.sha256(original.encode("utf-8")).hexdigest(),
        format=fmt,
        body_start=body_start,
        headings=_heading_spans(kept, starts, headings),
    )


def _split_lines(original: str, fmt: str) -> list[_Line]:
    lines: list[_Line] = []
    base = 0
    for no, line in enumerate(original.split("\n")):
        if no % 256 == 0:
            limits.check_time()
        lines.append(_normalise_line(no, line, base, fmt))
        base += len(line) + 1
    return lines


def _assemble(kept: list[_Line], orig_len: int) -> tuple[str, list[int], list[int]]:
    """Join kept lines with "\\n"; each "\\n" maps to the newline ending the previous line."""
    parts: list[str] = []
    offsets: list[int] = []
    starts: list[int] = []
    pos = 0
    for i, ln in enumerate(kept):
        if i:
            parts.append("\n")
            offsets.append(kept[i - 1].end)
            pos += 1
        starts.append(pos)
        parts.append(ln.text)
        offsets.extend(ln.offs)
        pos += len(ln.text)
    offsets.append(orig_len)
    return "".join(parts), offsets, starts


def _body_line(kept: list[_Line]) -> int:
    """Index of the first body line: a numbered heading, a sentence or a long paragraph."""
    for i, ln in enumerate(kept):
        s = ln.text
        if _NUMBERED_RE.match(s) or "。" in s or len(s) >= BODY_MIN_LEN:
            return i
        if "现将" in s or s.endswith("如下:"):  # a one-line preamble
            return i
    return 0


def _find_published(
    lines: list[_Line], keep: list[bool], body_idx: int, kept: list[_Line]
) -> str | None:
    """First labelled publication date in the header or in any furniture line."""
    body_no = kept[body_idx].no if body_idx < len(kept) else len(lines)
    for ln, k in zip(lines, keep):
        if not k or ln.no < body_no:
            date = _published_in(ln.text)
            if date:
                return date
    return None


def _heading_spans(
    kept: list[_Line], starts: list[int], hints: Sequence[tuple[int, int]] | None
) -> list[tuple[int, int, int]]:
    """Turn (line number, level) hints and Markdown headings into spans of ``text``."""
    levels = {no: level for no, level in (hints or [])}
    out: list[tuple[int, int, int]] = []
    for ln, start in zip(kept, starts):
        level = levels.get(ln.no) or ln.md_level
        if level:
            out.append((start, start + len(ln.text), level))
    return out


# --------------------------------------------------------------------------- metadata


def _quote(original: str, ln: _Line, a: int = 0, b: int | None = None) -> str:
    """The original text behind chars [a, b) of a normalised line."""
    b = len(ln.text) if b is None else b
    if b <= a:
        return ""
    return original[ln.offs[a] : ln.offs[b - 1] + 1]


def _metadata(
    original: str,
    head: list[_Line],
    body: list[_Line],
    title_hint: str | None,
    fmt: str,
    published: str | None,
) -> Metadata:
    title_idx = _title_lines(head, title_hint, fmt)
    title_norm = "".join(head[i].text for i in title_idx)
    title = "".join(_quote(original, head[i]) for i in title_idx) or None
    issuer = _issuer(original, head, set(title_idx))
    if issuer is None and title_idx:
        issuer = _issuer_from_title(original, head[title_idx[0]])
    year = _year_in(title_norm) if title_norm else None
    if year is None:
        year = _preamble_year(body)
    return Metadata(title=title, issuer=issuer, year=year, published=published)


def _title_lines(head: list[_Line], hint: str | None, fmt: str) -> list[int]:
    """Indices (into ``head``) of the title line(s)."""
    if hint:
        target = _normalise_line(0, hint, 0, fmt).text
        for i, ln in enumerate(head):
            if target and ln.text == target:
                return [i]
    for i, ln in enumerate(head):
        s = ln.text
        if len(s) <= TITLE_MAX_LEN and ("报告" in s or "法治政府建设" in s or "法治建设" in s):
            return _extend_title(head, i)
    if fmt == "docx":
        for i, ln in enumerate(head):
            if len(ln.text) <= TITLE_MAX_LEN and not _is_issuer(ln.text):
                return [i]
    return []


def _extend_title(head: list[_Line], i: int) -> list[int]:
    """Join a title broken over two lines ("…关于" / "…的报告")."""
    idx = [i]
    if i > 0 and head[i - 1].text.endswith("关于"):
        idx.insert(0, i - 1)
    nxt = i + 1
    if "报告" not in head[i].text and nxt < len(head) and head[nxt].text.endswith("报告"):
        if len(head[nxt].text) <= TITLE_MAX_LEN:
            idx.append(nxt)
    return idx


def _is_issuer(s: str) -> bool:
    return len(s) <= ISSUER_MAX_LEN and ":" not in s and bool(_ORG_SUFFIX_RE.search(s))


def _issuer(original: str, head: list[_Line], title_idx: set[int]) -> str | None:
    """Issuer lines of the title block, joined with "、"."""
    names = [
        _quote(original, ln)
        for i, ln in enumerate(head)
        if i not in title_idx and "报告" not in ln.text and _is_issuer(ln.text)
    ]
    return "、".join(dict.fromkeys(names)) or None


def _issuer_from_title(original: str, ln: _Line) -> str | None:
    """"玉环市人民政府关于…的报告" -> "玉环市人民政府"."""
    cut = ln.text.find("关于")
    if cut < 2 or cut > ISSUER_MAX_LEN:
        return None
    prefix = ln.text[:cut].rstrip()
    if not _ORG_SUFFIX_RE.search(prefix):
        return None
    return _quote(original, ln, 0, len(prefix))


def _year_in(s: str) -> int | None:
    """The first year ("2024年", "二〇二四年") in a string."""
    m = _YEAR_RE.search(s)
    if not m:
        return None
    y = m.group(1)
    if not y.isdigit():
        y = "".join(str(_CN_DIGITS[c]) for c in y)
    year = int(y)
    return year if 1949 <= year <= 2100 else None


def _preamble_year(body: list[_Line]) -> int | None:
    """Year in a "现将…2024年度…报告如下" sentence of the opening paragraph(s)."""
    for ln in body[:3]:
        if _NUMBERED_RE.match(ln.text):
            return None
        for sentence in ln.text.split("。"):
            if "现将" in sentence or "如下" in sentence:
                year = _year_in(sentence)
                if year:
                    return year
    return None


# --------------------------------------------------------------------------- HTML

_HTML_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed",
                   "svg", "canvas", "select", "button", "input", "textarea", "map")
_HTML_FURNITURE_TAGS = ("nav", "header", "footer", "aside")
_BLOCK_TAGS = frozenset(
    "p div section article main li ul ol dl dt dd blockquote pre table tbody thead tfoot "
    "center form fieldset address figure figcaption hr body html caption".split()
)
_HEADING_TAGS = {f"h{i}": i for i in range(1, 7)}
_FURNITURE_ATTR_RE = re.compile(
    r"(?:^|[\s_-])(?:nav|menu|breadcrumbs?|crumbs?|position|location|share|bdshare|print|"
    r"toolbar|footer|header|sidebar|copyright|qrcode|ewm|pager|prevnext|related|fontsize)",
    re.IGNORECASE,
)
_CONTENT_ATTR_RE = re.compile(r"content|article|trs_editor|zoom|detail|text|main", re.IGNORECASE)
_FURNITURE_ATTR_MAX_TEXT = 300
_META_BLOCK_MAX_TEXT = 600
_CONTAINER_SHARE = 0.85
_HINTED_SHARE = 0.7
_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_-]{1,20})""", re.I)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]{0,200}\?>")
_CJK_CHAR_RE = re.compile(f"[{_CJK}]")
_LONG_META_LABELS = "|".join(
    sorted((re.escape(x) for x in F.META_LABELS if len(x) > 2), key=len, reverse=True)
)
_META_LABEL_ANY_RE = re.compile(f"(?:{_LONG_META_LABELS})")
_META_LABEL_COLON_RE = re.compile(f"(?:{_LONG_META_LABELS})(?=\\s*[:：])")
_TITLE_ATTR_RE = re.compile(r"title|\btit\b|\bbt\b", re.IGNORECASE)
_PUBDATE_META = (
    "pubdate", "publishdate", "firstpublishedtime", "article:published_time", "maketime"
)


def _load_html(raw: bytes, name: str, warnings: list[str]) -> Document:
    """Extract the article of a web page, then normalise it like any text."""
    m = _CHARSET_RE.search(raw[:4096])
    html = decode_bytes(raw, name, declared=m.group(1).decode("ascii") if m else None, warnings=warnings)
    original, headings, published, title = extract_html(html)
    if not original.strip():
        raise InputError("A108", name, detail="网页中没有可提取的文字")
    return from_text(_bounded(original, name), path=name, fmt="html", headings=headings,
                     published=published, title=title)


def extract_html(html: str) -> tuple[str, list[tuple[int, int]], str | None, str | None]:
    """(article text one paragraph per line, (line, level) heading hints, published, title)."""
    html = _XML_DECL_RE.sub("", html, count=1)
    if not html.strip():
        return "", [], None, None
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return "", [], None, None
    for comment in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(comment)
    etree.strip_elements(root, *_HTML_DROP_TAGS, with_tail=False)

    page_lines, _ = _html_lines(root)
    published = _page_published(root, page_lines)
    h1s = [_inline_text(h) for h in root.iter("h1")]
    page_title = _clean_page_title(root.findtext(".//title") or "")

    _strip_furniture(root)
    container = _pick_container(root)
    lines, levels = _html_lines(container)
    title, trusted = _choose_title(container, h1s, page_title, root)
    if title and trusted and not any(_same_text(title, ln) for ln in lines[:5]):
        lines.insert(0, title)
        levels = {k + 1: v for k, v in levels.items()}
    headings = sorted(levels.items())
    return "\n".join(lines), headings, published, title


def _drop(el: etree._Element) -> None:
    """Remove an element but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _strip_furniture(root: HtmlElement) -> None:
    """Drop navigation, share bars, small furniture blocks and index/metadata tables."""
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _HTML_FURNITURE_TAGS:
            doomed.append(el)
            continue
        if el.tag in ("html", "body"):
            continue
        attrs = f"{el.get('class', '')} {el.get('id', '')}"
        text = el.text_content()
        if _FURNITURE_ATTR_RE.search(attrs) and len(text) <= _FURNITURE_ATTR_MAX_TEXT:
            doomed.append(el)
        elif len(text) <= _META_BLOCK_MAX_TEXT and _is_meta_block(el, text):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            _drop(el)


def _is_meta_block(el: HtmlElement, text: str) -> bool:
    """An index/metadata block: two or more labels such as 索引号, 发布机构.

    Outside tables a label counts only with its colon ("公开方式:"), so a body sentence
    that merely lists 公开方式、公开范围 is not taken for one.
    """
    in_table = el.tag in ("table", "tbody", "tr")
    pattern = _META_LABEL_ANY_RE if in_table else _META_LABEL_COLON_RE
    return len(set(pattern.findall(text))) >= 2


def _pick_container(root: HtmlElement) -> HtmlElement:
    """The deepest element holding most of the page's paragraph text.

    Scored by Chinese characters in <p> descendants; pages without <p> fall back to all
    text outside links. Content-like class names ("content", "TRS_Editor") relax the share.
    """
    body = root.find("body")
    body = body if body is not None else root
    scores = _text_scores(body, paragraphs_only=True)
    if scores.get(body, 0) < 100:
        scores = _text_scores(body, paragraphs_only=False)
    total = scores.get(body, 0)
    if not total:
        return body
    node = body
    while True:
        nxt = None
        for child in node:
            score = scores.get(child, 0)
            hinted = _CONTENT_ATTR_RE.search(f"{child.get('class', '')} {child.get('id', '')}") \
                if isinstance(child.tag, str) else None
            if score >= _CONTAINER_SHARE * total or (hinted and score >= _HINTED_SHARE * total):
                nxt = child
                break
        if nxt is None:
            return node
        node = nxt


def _text_scores(body: HtmlElement, paragraphs_only: bool) -> dict[HtmlElement, int]:
    """Chinese characters per element, summed over its <p> descendants (or all text)."""
    scores: dict[HtmlElement, int] = {}

    def credit(el: HtmlElement | None, n: int) -> None:
        while el is not None and n:
            scores[el] = scores.get(el, 0) + n
            if el is body:
                break
            el = el.getparent()

    if paragraphs_only:
        for p in body.iter("p"):
            credit(p, len(_CJK_CHAR_RE.findall(p.text_content())))
        return scores
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag == "a" or _inside(el, "a"):
            continue
        own = (el.text or "") + "".join(c.tail or "" for c in el)
        credit(el, len(_CJK_CHAR_RE.findall(own)))
    return scores


def _inside(el: HtmlElement, tag: str) -> bool:
    return any(a.tag == tag for a in el.iterancestors())


class _LineBuilder:
    """Collects inline text into lines; block elements and <br> end a line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.levels: dict[int, int] = {}
        self.buf: list[str] = []

    def add(self, s: str | None) -> None:
        if s:
            self.buf.append(s)

    def flush(self, level: int = 0) -> None:
        line = _collapse_html_ws("".join(self.buf))
        self.buf = []
        self.line(line, level)

    def line(self, line: str, level: int = 0) -> None:
        line = line.strip()
        if line:
            if level:
                self.levels[len(self.lines)] = level
            self.lines.append(line)


def _html_lines(el: HtmlElement) -> tuple[list[str], dict[int, int]]:
    """Lines of text under ``el`` plus {line index: heading level}."""
    b = _LineBuilder()
    _walk(el, b)
    b.flush()
    return b.lines, b.levels


def _walk(el: HtmlElement, b: _LineBuilder) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "br":
        b.flush()
        return
    if tag == "tr":
        b.flush()
        cells = [_inline_text(c) for c in el if getattr(c, "tag", "") in ("td", "th")]
        b.line("\t".join(c for c in cells if c))
        return
    level = _HEADING_TAGS.get(tag, 0)
    block = level or tag in _BLOCK_TAGS
    if block:
        b.flush()
    b.add(el.text)
    for child in el:
        _walk(child, b)
        b.add(child.tail)
    if block:
        b.flush(level)


def _inline_text(el: HtmlElement) -> str:
    """All text of an element on one line."""
    return _collapse_html_ws(" ".join(el.itertext())).strip()


_HAN_OR_PUNCT = f"[{_CJK}，。、；：！？”“]"
_HTML_BREAK_RE = re.compile(f"(?<={_HAN_OR_PUNCT})[ \\t\\r\\n]*\\n[ \\t\\r\\n]*(?={_HAN_OR_PUNCT})")
_HTML_WS_RE = re.compile(r"[ \t\r\n\f\v]+")


def _collapse_html_ws(s: str) -> str:
    """Source line breaks between Chinese characters vanish; other whitespace runs become " "."""
    return _HTML_WS_RE.sub(" ", _HTML_BREAK_RE.sub("", s))


def _page_published(root: HtmlElement, page_lines: list[str]) -> str | None:
    """The 发布日期 shown on the page, else a PubDate <meta>."""
    for line in page_lines:
        date = _published_in(line.replace("：", ":"))
        if date:
            return date
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").lower()
        if key in _PUBDATE_META:
            m = _DATE_RE.search(meta.get("content") or "")
            if m:
                return _iso_date(*m.groups())
    return None


def _clean_page_title(t: str) -> str:
    """"报告标题_XX区人民政府" -> "报告标题"."""
    t = _collapse_html_ws(t).strip()
    first = re.split(r"\s*[_|｜]\s*|\s+[-–—]\s+", t)[0].strip()
    m = re.fullmatch(r"(.+?)\s*[-–]\s*([^-–]{2,30})", first)
    if m and "报告" not in m.group(2) and re.search(r"网|政府|门户", m.group(2)):
        first = m.group(1)
    return first


def _choose_title(
    container: HtmlElement, h1s: list[str], page_title: str, root: HtmlElement
) -> tuple[str | None, bool]:
    """(title candidate, trusted): an <h1> in the article or a report-like <h1>, title
    block or <title> is trusted and put above the article when missing from it; any other
    <title> is only a hint that must match a header line."""
    inner = [_inline_text(h) for h in container.iter("h1")]
    for cand in inner + [h for h in h1s if _looks_like_title(h)]:
        if cand:
            return cand, True
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if _TITLE_ATTR_RE.search(f"{el.get('class', '')} {el.get('id', '')}"):
            cand = _inline_text(el)
            if _looks_like_title(cand):
                return cand, True
    return (page_title or None), _looks_like_title(page_title)


def _looks_like_title(s: str) -> bool:
    """A report title, not a column name such as "法治政府建设" above the article."""
    return 0 < len(s) <= 80 and ("报告" in s or bool(re.search(r"\d{4}\s*年.{0,20}法治", s)))


def _same_text(a: str, b: str) -> bool:
    norm = _normalise_line(0, a, 0, "html").text
    return bool(norm) and norm == _normalise_line(0, b, 0, "html").text


# --------------------------------------------------------------------------- .docx

_DOCX_HEADING_RE = re.compile(r"(?:heading|标题)\s*([1-9])", re.IGNORECASE)
_DOCX_TITLE_STYLES = ("title", "标题")


def _load_docx(raw: bytes, name: str) -> Document:
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
    doc = from_text(_bounded(ex.text, name), path=name, fmt="docx", headings=ex.headings, title=ex.title)
    doc.paragraphs = ex.paragraphs
    return doc


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
        if style.lower() in _DOCX_TITLE_STYLES and title is None:
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
