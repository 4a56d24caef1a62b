"""Hard-wrapped plain text: lines cut at a fixed width are joined back into paragraphs.

Text copied out of a PDF viewer or an e-mail often breaks every line at the same width,
in the middle of a sentence. Read as it stands, each piece would be a paragraph: a term
cut in two is never found and a count lands in another "paragraph" than its task. A
text is taken as wrapped only when many lines have one common length and stop in the
middle of a sentence; a line is then joined to the next when it is that long, does not
end a sentence, and the next line does not open a numbered heading or point.
"""

from __future__ import annotations

import re
from collections import Counter

from auditor.ingest.normalise import TextLine
from auditor.lang import numerals as N

MIN_FULL = 5  # full lines that stop mid-sentence before a text counts as wrapped
SHARE = 0.3  # ... and their share of the lines long enough to be wrapped
MIN_WIDTH = 16  # shorter lines are headings, dates and signatures
SLACK = 2  # a wrapped line may be this much shorter (a closing quote pushed to the next)
SENTENCE_END = "。！？；：!?;:"
_OPENS = re.compile(r"^\s*(?:" + "|".join(p.replace("?P<n>", "") for p in N.NUMBER_PATTERNS.values())
                    + "|" + N.POINT_MARKERS + ")")


def wrap_width(lines: list[TextLine]) -> int | None:
    """The width the text was wrapped at, or None when it was not wrapped."""
    long = [ln.text for ln in lines if len(ln.text) >= MIN_WIDTH]
    # headings of one length ("一、坚持…，健全…机制") are no wrap: a line that opens with a
    # number is a heading or a paragraph's first line, never the evidence of a width
    cut = Counter(len(t) for t in long if t[-1] not in SENTENCE_END and not _OPENS.match(t))
    if not cut:
        return None
    width, _ = cut.most_common(1)[0]
    full = sum(n for size, n in cut.items() if width - SLACK <= size <= width + 1)
    return width if full >= MIN_FULL and full >= SHARE * len(long) else None


def unwrap(lines: list[TextLine]) -> list[TextLine]:
    """The lines with every wrapped line joined to the one it continues."""
    width = wrap_width(lines)
    if width is None:
        return lines
    out: list[TextLine] = []
    last = 0  # length of the physical line that ends out[-1]
    for ln in lines:
        prev = out[-1] if out else None
        if prev is not None and _continues(prev, last, ln, width):
            out[-1] = TextLine(prev.no, prev.text + ln.text, prev.offs + ln.offs, ln.end, prev.md_level)
        else:
            out.append(ln)
        last = len(ln.text)
    return out


def _continues(prev: TextLine, last: int, ln: TextLine, width: int) -> bool:
    """Does ``ln`` go on with the sentence ``prev`` was cut in (its last physical line,
    ``last`` characters long, was full and stopped mid-sentence)?"""
    return last >= width - SLACK and prev.text[-1] not in SENTENCE_END and not _OPENS.match(ln.text)
