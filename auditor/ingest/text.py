"""``from_text``: normalised lines, furniture dropped, metadata found, one ``Document`` built."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from auditor import limits
from auditor.errors import InputError
from auditor.ingest.decode import normalise_newlines
from auditor.ingest.meta import body_line, drop_trailing_dates, find_published, is_furniture, metadata
from auditor.ingest.normalise import TextLine, assemble, normalised_lines
from auditor.ingest.unwrap import unwrap
from auditor.model import Document


def bounded(original: str, name: str) -> str:
    """Refuse text beyond ``max_chars`` before the per-character normalisation runs on it."""
    cap = limits.current().max_chars
    if len(original) > cap:
        raise InputError("A105", name, detail=f"正文 {len(original):,} 字", limit=f"{cap:,} 字")
    return original


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
    original = normalise_newlines(original)
    lines = normalised_lines(original, fmt)
    keep = [bool(ln.text) and not is_furniture(ln.text) for ln in lines]
    drop_trailing_dates(lines, keep)
    kept = [ln for ln, k in zip(lines, keep, strict=False) if k]
    if fmt == "txt":
        kept = unwrap(kept)
    text, offsets, starts = assemble(kept, len(original))
    body_idx = body_line(kept)
    body_start = starts[body_idx] if body_idx < len(kept) else len(text)
    head = kept[:body_idx]
    found = published or find_published(lines, keep, body_idx, kept)
    meta = metadata(original, head, kept[body_idx:], title, fmt, found)
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


def _heading_spans(
    kept: list[TextLine], starts: list[int], hints: Sequence[tuple[int, int]] | None
) -> list[tuple[int, int, int]]:
    """Turn (line number, level) hints and Markdown headings into spans of ``text``."""
    levels = {no: level for no, level in (hints or [])}
    out: list[tuple[int, int, int]] = []
    for ln, start in zip(kept, starts, strict=False):
        level = levels.get(ln.no) or ln.md_level
        if level:
            out.append((start, start + len(ln.text), level))
    return out
