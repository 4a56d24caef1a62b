"""Web pages: the article extracted from the page, its furniture dropped, title and date found."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from auditor.errors import InputError
from auditor.ingest.decode import CJK_CHAR_RE, decode_bytes
from auditor.ingest.meta import DATE_RE, iso_date, published_in
from auditor.ingest.normalise import normalise_line
from auditor.ingest.text import bounded, from_text
from auditor.lang import furniture as F
from auditor.lang import header as H
from auditor.lang import script as S
from auditor.model import Document

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
_LONG_META_LABELS = "|".join(
    sorted((re.escape(x) for x in F.META_LABELS if len(x) > 2), key=len, reverse=True)
)
_META_LABEL_ANY_RE = re.compile(f"(?:{_LONG_META_LABELS})")
_META_LABEL_COLON_RE = re.compile(f"(?:{_LONG_META_LABELS})(?=\\s*[:：])")
_TITLE_ATTR_RE = re.compile(r"title|\btit\b|\bbt\b", re.IGNORECASE)
_PUBDATE_META = (
    "pubdate", "publishdate", "firstpublishedtime", "article:published_time", "maketime"
)


def load_html(raw: bytes, name: str, warnings: list[str]) -> Document:
    """Extract the article of a web page, then normalise it like any text."""
    m = _CHARSET_RE.search(raw[:4096])
    html = decode_bytes(raw, name, declared=m.group(1).decode("ascii") if m else None, warnings=warnings)
    original, headings, published, title = extract_html(html)
    if not original.strip():
        raise InputError("A108", name, detail="网页中没有可提取的文字")
    return from_text(bounded(original, name), path=name, fmt="html", headings=headings,
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
        if (_FURNITURE_ATTR_RE.search(attrs) and len(text) <= _FURNITURE_ATTR_MAX_TEXT) or (
                len(text) <= _META_BLOCK_MAX_TEXT and _is_meta_block(el, text)):
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
            credit(p, len(CJK_CHAR_RE.findall(p.text_content())))
        return scores
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag == "a" or _inside(el, "a"):
            continue
        own = (el.text or "") + "".join(c.tail or "" for c in el)
        credit(el, len(CJK_CHAR_RE.findall(own)))
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


_HAN_OR_PUNCT = f"[{S.CJK}{S.JOINING_PUNCT}]"
_HTML_BREAK_RE = re.compile(f"(?<={_HAN_OR_PUNCT})[ \\t\\r\\n]*\\n[ \\t\\r\\n]*(?={_HAN_OR_PUNCT})")
_HTML_WS_RE = re.compile(r"[ \t\r\n\f\v]+")


def _collapse_html_ws(s: str) -> str:
    """Source line breaks between Chinese characters vanish; other whitespace runs become " "."""
    return _HTML_WS_RE.sub(" ", _HTML_BREAK_RE.sub("", s))


def _page_published(root: HtmlElement, page_lines: list[str]) -> str | None:
    """The 发布日期 shown on the page, else a PubDate <meta>."""
    for line in page_lines:
        date = published_in(line.replace("：", ":"))
        if date:
            return date
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").lower()
        if key in _PUBDATE_META:
            m = DATE_RE.search(meta.get("content") or "")
            if m:
                return iso_date(*m.groups())
    return None


def _clean_page_title(t: str) -> str:
    """"报告标题_XX区人民政府" -> "报告标题"."""
    t = _collapse_html_ws(t).strip()
    first = re.split(r"\s*[_|｜]\s*|\s+[-–—]\s+", t)[0].strip()
    m = re.fullmatch(r"(.+?)\s*[-–]\s*([^-–]{2,30})", first)
    if m and H.REPORT not in m.group(2) and re.search(H.SITE_NAME, m.group(2)):
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
    return 0 < len(s) <= 80 and (H.REPORT in s or bool(re.search(H.YEAR_AND_RULE_OF_LAW, s)))


def _same_text(a: str, b: str) -> bool:
    norm = normalise_line(0, a, 0, "html").text
    return bool(norm) and norm == normalise_line(0, b, 0, "html").text
