"""NLP stage: one spaCy Chinese pipeline per process, segmenting with pkuseg.

How spaCy and pkuseg meet (a deliberate choice, see docs/nlp.md): spaCy's Chinese
tokenizer runs the ``spacy-pkuseg`` fork's segmenter code, but spaCy would otherwise
download that fork's model on first use. The ``pkuseg`` package on PyPI ships its
``default`` model inside the package (``pkuseg/models/default``: features.pkl and
weights.npz), in a format the fork still reads. We point spaCy's tokenizer at that
directory, so nothing is downloaded at run time and the model is read once per process.
Checklist terms are added to the segmenter's user dictionary so terms of art such as
重大行政决策 or 行政执法三项制度 stay whole tokens.
"""

from __future__ import annotations

import contextlib
import gc
import io
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import limits

_LOCK = threading.Lock()
_NLP = None
_USER_TERMS: set[str] = set()

SENTENCE_END = "。!?;！？；\n"
_SENT_RX = re.compile(r"[^。!?;！？；\n]*(?:[。!?;！？；]+[”’\"']?|$)")


def pkuseg_model_dir() -> Path:
    """The default model shipped inside the ``pkuseg`` package."""
    try:
        import pkuseg  # noqa: F401  (only its data directory is used)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "pkuseg 未安装：请先运行 `make install`"
            "（需先安装 numpy 与 Cython，再执行 pip install --no-build-isolation pkuseg==0.0.25）"
        ) from exc
    return Path(pkuseg.__file__).parent / "models" / "default"


def get_nlp():
    """The process-wide pipeline, built on first use (about 3 s; later calls are free)."""
    global _NLP
    with _LOCK:
        if _NLP is None:
            _NLP = _build()
        return _NLP


def _build():
    from spacy.lang.zh import Chinese

    nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    model = pkuseg_model_dir()
    if not (model / "weights.npz").exists():  # pragma: no cover - broken install
        raise RuntimeError(f"pkuseg 模型文件缺失：{model}")
    # The fork prints a notice when it falls back from msgpack to the pickle format.
    # Unpickling its 2.6-million-entry feature table is most of the start-up time; the
    # cyclic garbage collector has nothing to find there, so it is paused meanwhile.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            nlp.tokenizer.initialize(pkuseg_model=str(model), pkuseg_user_dict="default")
    finally:
        if gc_was_enabled:
            gc.enable()
    return nlp


def add_terms(terms: Iterable[str]) -> None:
    """Add terms of art to the segmenter's user dictionary (idempotent)."""
    nlp = get_nlp()
    new = sorted({t.strip() for t in terms if t and t.strip()} - _USER_TERMS)
    if new:
        nlp.tokenizer.pkuseg_update_user_dict(new)
        _USER_TERMS.update(new)


def tokenize(text: str) -> list[str]:
    """Segment a string (used by tests and the benchmark)."""
    return [t.text for t in get_nlp().make_doc(text)]


class Boundaries:
    """Token boundaries of one sentence, segmented with pkuseg only when first asked.

    Only short terms (under four characters) need a boundary check, and most paragraphs
    never hold one, so segmenting lazily keeps matching well below the cost of
    segmenting the whole report. A paragraph is segmented at most once.
    """

    __slots__ = ("_para", "_start", "_end", "_cache")

    def __init__(self, para: "_Paragraph", start: int, end: int) -> None:
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

    __slots__ = ("text", "_bounds")

    def __init__(self, text: str) -> None:
        self.text = text
        self._bounds: set[int] | None = None

    def bounds(self) -> set[int]:
        if self._bounds is None:
            bounds: set[int] = set()
            for a, b in chunks(self.text):
                limits.check_time()  # a page with no line breaks is one huge paragraph
                for tok in get_nlp().make_doc(self.text[a:b]):
                    bounds.add(a + tok.idx)
                    bounds.add(a + tok.idx + len(tok.text))
            self._bounds = bounds
        return self._bounds


SEGMENT_CHUNK = 2_000  # characters pkuseg is given at once; a real paragraph is shorter


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


def sentences(text: str, spans: list[tuple[int, int]]) -> list[list[Sentence]]:
    """Split each span of ``text`` into sentences, with lazily segmented token boundaries.

    Sentences end at Chinese or Western sentence punctuation (。！？；) and at line ends,
    by one regular expression; lines are paragraphs, so no sentence spans a line break.
    """
    return [_split(text[a:b], a) for a, b in spans]


def _split(chunk: str, base: int) -> list[Sentence]:
    para = _Paragraph(chunk)
    res: list[Sentence] = []
    for m in _SENT_RX.finditer(chunk):
        s, e = m.start(), m.end()
        if e <= s or not chunk[s:e].strip():
            continue
        res.append(Sentence(base + s, base + e, chunk[s:e], Boundaries(para, s, e)))
    return res


def warm() -> None:
    """Load the pipeline now (batch workers call this once at start-up)."""
    get_nlp()
