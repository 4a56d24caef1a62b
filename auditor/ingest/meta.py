"""Metadata and page furniture: title, issuer, year, publication date, what is not report text."""

from __future__ import annotations

import datetime
import re

from auditor.ingest.normalise import TextLine, normalise_line
from auditor.lang import dates as D
from auditor.lang import furniture as F
from auditor.lang import header as H
from auditor.lang import numerals as N
from auditor.lang import outline as L_OUTLINE
from auditor.model import Metadata

_NUMBERED_RE = N.NUMBERED_LINE_RE
_EMPHASIS = re.compile(r"^\s*" + L_OUTLINE.HEADING_MARKUP + r"\s*")  # **一、…** is still numbered
DATE_RE = re.compile(D.DATE)
_DATE_LABEL_RE = re.compile(
    "(?:" + "|".join(map(re.escape, F.DATE_LABELS)) + r")\s*:?\s*" + DATE_RE.pattern
)
_DATE_ONLY_RE = re.compile(D.DATE_ONLY)
_META_RE = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, F.META_LABELS), key=len, reverse=True)) + r")(?::|\s|$)"
)
_YEAR_RE = re.compile(D.YEAR)
_ORG_SUFFIX_RE = re.compile(H.ORG_SUFFIX)
_ISSUER_LABEL = re.compile(H.ISSUER_LABEL)

TITLE_MAX_LEN = 60
ISSUER_MAX_LEN = 40
BODY_MIN_LEN = 60
TRAILER_MAX_LEN = 30

# --------------------------------------------------------------------------- furniture


def is_furniture(line: str) -> bool:
    """True for a normalised line that is web-page furniture rather than report text."""
    s = line.strip()
    if not s:
        return True
    if len(s) >= L_OUTLINE.RUN_ON_MIN:  # a page that lost its line breaks: the report is in it
        return False
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
    return F.BREADCRUMB_HOME in s and len(s) <= F.FURNITURE_MAX_LEN and any(
        sep in s for sep in F.BREADCRUMB_SEPARATORS
    )


def published_in(line: str) -> str | None:
    """The ISO date after a 发布日期/发文日期/发布时间 label, if valid."""
    m = _DATE_LABEL_RE.search(line)
    return iso_date(*m.groups()) if m else None


def iso_date(y: str, m: str, d: str) -> str | None:
    """The ISO form of a date, or None where it is no real date (2023-02-30)."""
    try:
        return datetime.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def drop_trailing_dates(lines: list[TextLine], keep: list[bool]) -> None:
    """Drop date-only lines (incl. garbled ones like "2023223") after the last paragraph."""
    for i in range(len(lines) - 1, -1, -1):
        if not keep[i]:
            continue
        s = lines[i].text
        if len(s) > TRAILER_MAX_LEN or _NUMBERED_RE.match(s):
            return
        if _DATE_ONLY_RE.fullmatch(s):
            keep[i] = False


def body_line(kept: list[TextLine]) -> int:
    """Index of the first body line: a numbered heading, a sentence or a long paragraph."""
    for i, ln in enumerate(kept):
        s = ln.text
        if _NUMBERED_RE.match(_EMPHASIS.sub("", s)) or H.SENTENCE_END in s or len(s) >= BODY_MIN_LEN:
            return i
        if H.PREAMBLE_MARKERS[0] in s or s.endswith(H.PREAMBLE_END):  # a one-line preamble
            return i
    return 0


def find_published(
    lines: list[TextLine], keep: list[bool], body_idx: int, kept: list[TextLine]
) -> str | None:
    """First labelled publication date in the header or in any furniture line."""
    body_no = kept[body_idx].no if body_idx < len(kept) else len(lines)
    for ln, k in zip(lines, keep, strict=False):
        if not k or ln.no < body_no:
            date = published_in(ln.text)
            if date:
                return date
    return None

# --------------------------------------------------------------------------- metadata


def _quote(original: str, ln: TextLine, a: int = 0, b: int | None = None) -> str:
    """The original text behind chars [a, b) of a normalised line."""
    b = len(ln.text) if b is None else b
    if b <= a:
        return ""
    return original[ln.offs[a] : ln.offs[b - 1] + 1]


def metadata(
    original: str,
    head: list[TextLine],
    body: list[TextLine],
    title_hint: str | None,
    fmt: str,
    published: str | None,
) -> Metadata:
    """Title, issuer and year from the header lines (the year from the preamble failing the title)."""
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


def _title_lines(head: list[TextLine], hint: str | None, fmt: str) -> list[int]:
    """Indices (into ``head``) of the title line(s)."""
    if hint:
        target = normalise_line(0, hint, 0, fmt).text
        for i, ln in enumerate(head):
            if target and ln.text == target:
                return [i]
    for i, ln in enumerate(head):
        s = ln.text
        if len(s) <= TITLE_MAX_LEN and any(w in s for w in H.TITLE_WORDS):
            return _extend_title(head, i)
    if fmt == "docx":
        for i, ln in enumerate(head):
            if len(ln.text) <= TITLE_MAX_LEN and not _is_issuer(ln.text):
                return [i]
    return []


def _extend_title(head: list[TextLine], i: int) -> list[int]:
    """Join a title broken over two lines ("…关于" / "…的报告")."""
    idx = [i]
    if i > 0 and head[i - 1].text.endswith(H.ABOUT):
        idx.insert(0, i - 1)
    nxt = i + 1
    if (H.REPORT not in head[i].text and nxt < len(head) and head[nxt].text.endswith(H.REPORT)
            and len(head[nxt].text) <= TITLE_MAX_LEN):
        idx.append(nxt)
    return idx


def _is_issuer(s: str) -> bool:
    return len(s) <= ISSUER_MAX_LEN and ":" not in s and bool(_ORG_SUFFIX_RE.search(s))


def _issuer(original: str, head: list[TextLine], title_idx: set[int]) -> str | None:
    """Issuer lines of the title block, joined with "、"; a site's labelled issuer
    ("- [ 发布机构 ] XX乡人民政府") is read without its label."""
    names = []
    for i, ln in enumerate(head):
        if i in title_idx or H.REPORT in ln.text:
            continue
        label = _ISSUER_LABEL.match(ln.text)
        start = label.end() if label else 0
        if start < len(ln.text) and _is_issuer(ln.text[start:].rstrip()):
            names.append(_quote(original, ln, start, len(ln.text.rstrip())))
    return "、".join(dict.fromkeys(names)) or None


def _issuer_from_title(original: str, ln: TextLine) -> str | None:
    """"玉环市人民政府关于…的报告" -> "玉环市人民政府"."""
    cut = ln.text.find(H.ABOUT)
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
    year = N.year_value(m.group(1))
    return year if 1949 <= year <= 2100 else None


def _preamble_year(body: list[TextLine]) -> int | None:
    """Year in a "现将…2024年度…报告如下" sentence of the opening paragraph(s); else the year
    an opening paragraph begins with ("2024年，我乡…") or the first part heading names
    ("一、2024年度推进法治政府建设主要举措和成效")."""
    for ln in body[:3]:
        if _NUMBERED_RE.match(ln.text):
            break
        for sentence in ln.text.split(H.SENTENCE_END):
            if any(m in sentence for m in H.PREAMBLE_MARKERS):
                year = _year_in(sentence)
                if year:
                    return year
    for ln in body[:4]:
        m = _OPENING_YEAR.match(ln.text) or _RESULTS_YEAR.match(ln.text)
        if m:
            return _year_in(m.group(0))
    return None


_OPENING_YEAR = re.compile(H.OPENING_YEAR)
_RESULTS_YEAR = re.compile(H.RESULTS_YEAR)
