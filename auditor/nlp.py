"""NLP stage: pkuseg segmentation on a memory-mapped model, and sentence splitting.

How spaCy and pkuseg meet (a deliberate choice, see docs/nlp.md): the tokens are those of
spaCy's Chinese tokenizer running the ``spacy-pkuseg`` segmenter on the ``default`` model
that the ``pkuseg`` package ships (``pkuseg/models/default``), so nothing is downloaded at
run time. Unpickling that model costs about 2 s and 500 MB per process, and importing spaCy
another 0.45 s, so the auditor runs the same segmentation itself (``auditor.segmenter``) on a
copy of the model converted once into memory-mapped arrays (``auditor.segmodel``): opening it
takes milliseconds, every process shares its pages, and ``tests/test_segmenter.py`` proves the
tokens identical to pkuseg's own loader. The terms of the checklists a report is checked with
are the segmenter's user dictionary, so terms of art such as 重大行政决策 or 行政执法三项制度 stay
whole tokens; each set of terms has its own segmenter (``get_segmenter(terms)``), so a process
that checks with several checklist sets segments each text as a fresh run with that set would.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import limits
from .lang import outline as L_OUTLINE

if TYPE_CHECKING:
    from .segmenter import Segmenter

SENTENCE_END = "。!?;！？；\n"
_SENT_RX = re.compile(r"[^。!?;！？；\n]*(?:[。!?;！？；]+[”’\"']?|$)")


def pkuseg_model_dir() -> Path:
    """The default model shipped inside the ``pkuseg`` package (found without importing it)."""
    from .segmodel import ModelError, package_dir

    try:
        return package_dir("pkuseg") / "models" / "default"
    except ModelError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "pkuseg 未安装：请先运行 `make install`"
            "（需先安装 numpy 与 Cython，再执行 pip install --no-build-isolation pkuseg==0.0.25）"
        ) from exc


def get_segmenter(terms: Iterable[str] = ()) -> Segmenter:
    """The segmenter with ``terms`` as its user dictionary (one per set of terms), on the
    process-wide model opened on first use (milliseconds once the model is converted; the first
    use on a machine converts it, about 10 s, see auditor/segmodel.py)."""
    from . import segmenter

    return segmenter.get(terms)


def tokenize(text: str, seg: Segmenter | None = None) -> list[str]:
    """Segment a string (used by tests and the benchmark); no user dictionary unless ``seg`` has one."""
    return (seg or get_segmenter()).tokens(text)


class Boundaries:
    """Token boundaries of one sentence, segmented with pkuseg only when first asked.

    Only short terms (under four characters) need a boundary check, and most paragraphs
    never hold one, so segmenting lazily keeps matching well below the cost of
    segmenting the whole report. A paragraph is segmented at most once.
    """

    __slots__ = ("_para", "_start", "_end", "_cache")

    def __init__(self, para: _Paragraph, start: int, end: int) -> None:
        self._para, self._start, self._end = para, start, end
        self._cache: frozenset[int] | None = None

    def _get(self) -> frozenset[int]:
        if self._cache is None:
            s, e = self._start, self._end
            self._cache = frozenset(b - s for b in self._para.bounds() if s <= b <= e)
        return self._cache

    def __contains__(self, offset: object) -> bool:
        return offset in self._get()

    def __iter__(self):
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


class _Paragraph:
    """One span of text whose pkuseg segmentation is computed on demand, once."""

    __slots__ = ("text", "seg", "_bounds")

    def __init__(self, text: str, seg: Segmenter) -> None:
        self.text, self.seg = text, seg
        self._bounds: set[int] | None = None

    def bounds(self) -> set[int]:
        if self._bounds is None:
            segment_paragraphs([self])
        assert self._bounds is not None
        return self._bounds


SEGMENT_CHUNK = 2_000  # characters pkuseg is given at once; a real paragraph is shorter
SEGMENT_BATCH = 8_000  # characters segmented in one call when several paragraphs are


def segment_ahead(boundaries: Iterable[Collection[int]]) -> None:
    """Segment now, together, the paragraphs of these sentences' lazy ``Boundaries`` that
    are not segmented yet (the boundaries are the same as when asked one by one, for less:
    see ``Segmenter.cut_many``). The match stage calls it with the sentences it will ask about."""
    paras = {id(b._para): b._para for b in boundaries if isinstance(b, Boundaries) and b._para._bounds is None}
    segment_paragraphs(list(paras.values()))


def segment_paragraphs(paras: list[_Paragraph]) -> None:
    """Fill the token boundaries of paragraphs, those of one segmenter together, in calls
    of at most ``SEGMENT_BATCH`` characters, each after a time check (a page with no line
    breaks is one huge paragraph)."""
    by_seg: dict[int, list[_Paragraph]] = {}
    for p in paras:
        by_seg.setdefault(id(p.seg), []).append(p)
    for group in by_seg.values():
        _segment_together(group[0].seg, group)


def _segment_together(seg: Segmenter, paras: list[_Paragraph]) -> None:
    work = [(p, a, p.text[a:b]) for p in paras for a, b in chunks(p.text)]
    found: dict[int, set[int]] = {id(p): set() for p in paras}
    start = 0
    while start < len(work):
        end, size = start, 0
        while end < len(work) and (end == start or size + len(work[end][2]) <= SEGMENT_BATCH):
            size += len(work[end][2])
            end += 1
        limits.check_time()
        batch = work[start:end]
        for (p, a, _), spans in zip(batch, seg.spans_many([t for _, _, t in batch]), strict=True):
            bounds = found[id(p)]
            for s, e in spans:
                bounds.add(a + s)
                bounds.add(a + e)
        start = end
    for p in paras:
        p._bounds = found[id(p)]


def chunks(text: str, size: int = SEGMENT_CHUNK) -> list[tuple[int, int]]:
    """Spans of at most ``size`` characters covering ``text``, cut after a sentence end
    where there is one (so segmentation is unchanged for ordinary paragraphs)."""
    out, start = [], 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = max(window.rfind(c) for c in SENTENCE_END)
        end = start + (cut + 1 if cut > 0 else size)
        out.append((start, end))
        start = end
    out.append((start, len(text)))
    return out


@dataclass(frozen=True)
class Sentence:
    """A sentence of the normalised text with the token boundaries inside it."""

    start: int
    end: int
    text: str
    boundaries: Boundaries  # offsets (relative to ``start``) where a token starts or ends


def sentences(text: str, spans: list[tuple[int, int]], seg: Segmenter | None = None) -> list[list[Sentence]]:
    """Split each span of ``text`` into sentences, with token boundaries segmented lazily by
    ``seg`` (the segmenter of the checklists' terms; none: no user dictionary).

    Sentences end at Chinese or Western sentence punctuation (。！？；) and at line ends,
    by one regular expression; lines are paragraphs, so no sentence spans a line break.
    """
    seg = seg or get_segmenter()
    return [_split(text[a:b], a, seg) for a, b in spans]


def _split(chunk: str, base: int, seg: Segmenter) -> list[Sentence]:
    para = _Paragraph(chunk, seg)
    res: list[Sentence] = []
    for m in _SENT_RX.finditer(chunk):
        for s, e in _half_width_stops(chunk, m.start(), m.end()):
            if e <= s or not chunk[s:e].strip():
                continue
            res.append(Sentence(base + s, base + e, chunk[s:e], Boundaries(para, s, e)))
    return res


def _half_width_stops(chunk: str, s: int, e: int) -> list[tuple[int, int]]:
    """[s, e) cut after each half-width full stop that follows a Chinese character, a
    percentage or a closing bracket (…46件.纠错率12%.): pages typed with half-width
    punctuation end sentences so. A point between digits (1.5万) or in a web address is
    no stop."""
    cuts = [m.end() for m in _HALF_STOP.finditer(chunk, s, e)]
    bounds = [s, *cuts, e] if cuts and cuts[-1] < e else [s, *cuts] if cuts else [s, e]
    return list(zip(bounds, bounds[1:], strict=False))


_HALF_STOP = re.compile(L_OUTLINE.HALF_WIDTH_STOP)


def warm() -> None:
    """Open the segmenter now (batch workers and the fork server call this once)."""
    get_segmenter()
