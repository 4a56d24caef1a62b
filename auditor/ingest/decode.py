"""Bytes to text: BOMs, UTF-8/16/32, the legacy Chinese encodings, mixed files."""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

import opencc

from auditor.errors import InputError
from auditor.lang import furniture as F
from auditor.lang import script as S


def normalise_newlines(text: str) -> str:
    """Normalise CRLF / CR line endings to LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- encodings

CJK_CHAR_RE = re.compile(f"[{S.CJK}]")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LEGACY_ENCODINGS: tuple[str, ...] = ("gb18030", "big5", "cp950", "big5hkscs")
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
            utf8_chinese += len(CJK_CHAR_RE.findall(text))
        except UnicodeDecodeError:
            legacy_text = _gb_line(line)
            if legacy_text is None:
                return None
            text = legacy_text
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
    chars = set(F.COMMON_HANZI) | set(S.CJK_PUNCT)
    chars |= {s2t.convert(ch) for ch in F.COMMON_HANZI}
    return frozenset(c for c in chars if len(c) == 1)


def _commonness(text: str) -> tuple[int, int]:
    """(common characters, non-ASCII characters) in a sample of ``text``."""
    common = _common_chars()
    sample = text[:200_000]
    total = sum(1 for ch in sample if ord(ch) > 0x7F and not ch.isspace())
    hits = sum(1 for ch in sample if ch in common)
    return hits, total
