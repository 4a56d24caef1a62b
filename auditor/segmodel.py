"""pkuseg's model in a form that costs almost nothing to open (issue 18).

pkuseg ships its ``default`` model as ``features.pkl`` (a pickled dict of 2.6 million feature
strings, about 1.5 s and 500 MB to unpickle) plus ``weights.npz``, and its post-processing
dictionary as ``dicts/default.pkl``. This module converts them once into plain arrays in a
cache folder and opens those arrays memory-mapped, so a process starts in milliseconds and
every process on the machine shares the same read-only pages.

The layout (all ``.npy``, opened with ``mmap_mode="r"``):

- ``fkeys``/``fidx``: every feature that the extractor can produce, as a structured 64-bit key
  (feature type, then two node or word ids) sorted for ``searchsorted``, and its index into
  the weights. Features the extractor can never produce (e.g. with a character it renames)
  are dropped; the conversion refuses any feature it cannot parse, so nothing is guessed.
- ``weights``: the model's weight vector, unchanged (float64).
- two string tables (``Lexicon``): the words of the model's unigram list, as sequences of
  normalised nodes (characters, ``**Num``, ``**Letter``), and the post-processing
  dictionary, as characters. A string is found by a 64-bit polynomial hash and then compared
  code point by code point, so a lookup is exact.

The cache folder is ``$XDG_CACHE_HOME/auditor`` (default ``~/.cache/auditor``), one folder per
model keyed by the model files' identity (real path, size, modification time) and this
format's version; ``manifest.json`` in it records the content sha256 of the files it was
built from. It is built in a temporary folder and renamed into place, so processes starting
together never see half a model (the first rename wins, the others use it). Where the cache
cannot be written, the model is converted in memory (correct, but each process pays the
conversion). ``AUDITOR_MODEL_CACHE`` names another folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FORMAT = 2
NUM, LETTER = 0x110000, 0x110001  # node codes of pkuseg's "**Num" and "**Letter"
NODE_NAMES = {"**Num": NUM, "**Letter": LETTER}
KEYWORDS = "-._,|/*:"  # renamed to "&" before segmentation (FeatureExtractor.keyword_rename)
NUM_CHARS = frozenset("0123456789." "几二三四五六七八九十千万亿兆零" "１２３４５６７８９０％")
LETTER_CHARS = frozenset(
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ" "ａｂｃｄｅｆｇｈｉｇｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ" "／・－"
)
WORD_MIN, WORD_MAX = 2, 6  # pkuseg config.wordMin / wordMax
NO_WORD = "**noWord"

# Feature types, in the order the extractor appends them (the order weights are summed in).
CHAR_TYPES = {"c.": 1, "c-1.": 2, "c1.": 4, "c-2.": 6, "c2.": 8}
PAIR_TYPES = {"c-1c.": 3, "cc1.": 5, "c-2c-1.": 7}
WORD_TYPES = {"w-1.": 9, "w1.": 10}
WW_TYPES = {"ww.l.": 11, "ww.r.": 12}
SHIFT_TYPE, SHIFT_A = 60, 30
_BASE = 0x9E3779B97F4A7C15  # odd: invertible modulo 2**64
_MASK = (1 << 64) - 1


def feature_key(kind: int, a: int, b: int = 0) -> int:
    """A feature as one uint64: its type and up to two node codes or word ids."""
    return (kind << SHIFT_TYPE) | (a << SHIFT_A) | b


class ModelError(RuntimeError):
    """The model files cannot be converted (an unknown feature shape, a broken file)."""


# -- string tables ---------------------------------------------------------------------------
class Lexicon:
    """A set of code-point sequences with exact, vectorised lookup of many spans at once."""

    def __init__(self, hashes: np.ndarray, offsets: np.ndarray, lengths: np.ndarray, codes: np.ndarray,
                 base: int) -> None:
        self.hashes, self.offsets, self.lengths, self.codes = hashes, offsets, lengths, codes
        self.base = base
        self._inv = pow(base, -1, 1 << 64)
        # powers of base and of its inverse, replaced as one tuple (safe under threads)
        self._tables = (np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64))

    @classmethod
    def build(cls, words: list[list[int]]) -> Lexicon:
        """A table of distinct sequences; a base whose hashes collide is replaced."""
        lengths = np.array([len(w) for w in words], dtype=np.int32)
        codes = np.array([c for w in words for c in w], dtype=np.uint32)
        starts = np.zeros(len(words), dtype=np.int64)
        if len(words):
            starts[1:] = np.cumsum(lengths[:-1])
        base = _BASE
        for _ in range(8):
            table = cls(np.zeros(0, np.uint64), starts, lengths, codes, base)
            h = table.span_hashes(codes, starts, starts + lengths)
            order = np.argsort(h, kind="stable")
            if len(h) < 2 or np.all(h[order][1:] != h[order][:-1]):
                return cls(h[order], starts[order], lengths[order], codes, base)
            base = (base * 6364136223846793005 + 1442695040888963407) & _MASK | 1
        raise ModelError("string table: hash collisions")  # pragma: no cover - 2**-64 odds

    def arrays(self) -> dict[str, np.ndarray]:
        """The table's arrays, by name (what the cache folder stores)."""
        return {"hashes": self.hashes, "offsets": self.offsets, "lengths": self.lengths, "codes": self.codes}

    def _powers(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        tables = self._tables
        if len(tables[0]) < n + 1:
            m = max(n + 1, 2 * len(tables[0]), 4096)
            one = np.ones(1, dtype=np.uint64)
            with np.errstate(over="ignore"):
                tables = (np.concatenate((one, np.cumprod(np.full(m - 1, self.base, dtype=np.uint64)))),
                          np.concatenate((one, np.cumprod(np.full(m - 1, self._inv, dtype=np.uint64)))))
            self._tables = tables
        return tables

    def prefix(self, codes: np.ndarray) -> np.ndarray:
        """Q[j] = sum over k < j of (code_k + 1) * base**-k, modulo 2**64."""
        _, ipow = self._powers(len(codes))
        q = np.zeros(len(codes) + 1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            np.cumsum((codes.astype(np.uint64) + np.uint64(1)) * ipow[: len(codes)], out=q[1:])
        return q

    def span_hashes(self, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, q: np.ndarray | None = None) -> np.ndarray:
        """The hash of every span ``codes[start:end]`` (non-empty spans)."""
        if q is None:
            q = self.prefix(codes)
        pw, _ = self._powers(len(codes))
        with np.errstate(over="ignore"):
            return (q[ends] - q[starts]) * pw[ends - 1]

    def find(self, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, q: np.ndarray | None = None) -> np.ndarray:
        """The table index of each span, or -1 where the span is not in the table."""
        out = np.full(len(starts), -1, dtype=np.int64)
        if not len(starts) or not len(self.hashes):
            return out
        h = self.span_hashes(codes, starts, ends, q)
        pos = np.minimum(np.searchsorted(self.hashes, h), len(self.hashes) - 1)
        cand = np.nonzero(self.hashes[pos] == h)[0]
        if not len(cand):
            return out
        ids = pos[cand]
        lens = ends[cand] - starts[cand]
        same_len = self.lengths[ids] == lens
        cand, ids, lens = cand[same_len], ids[same_len], lens[same_len]
        if len(cand):
            # compare code points: one flat gather of every candidate's characters
            within = np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens, lens)
            a = codes[np.repeat(starts[cand], lens) + within]
            b = self.codes[np.repeat(self.offsets[ids], lens) + within]
            bad = np.add.reduceat((a != b).astype(np.int64), np.cumsum(lens) - lens) if len(a) else np.zeros(0)
            ok = bad == 0
            out[cand[ok]] = ids[ok]
        return out


# -- the model -----------------------------------------------------------------------------
@dataclass
class SegModel:
    """Everything the segmenter reads, as (memory-mapped) arrays."""

    fkeys: np.ndarray  # uint64, sorted
    fidx: np.ndarray  # int32, feature index for each key
    weights: np.ndarray  # float64, pkuseg's w
    n_tag: int
    n_feature: int
    begin_tags: frozenset[int]  # tags whose name holds "B": a word starts there
    words: Lexicon  # unigram words (2..6 nodes) over node codes
    post: Lexicon  # post-processing dictionary over characters
    empty_is_word: bool  # "" is in the unigram list: out-of-range slices count as words
    ww_specials: frozenset[int]  # empty / **noWord ids that occur in some ww feature
    source: str  # where it was opened from ("mmap:<folder>" or "memory")

    @property
    def empty_id(self) -> int:
        """The id of the empty slice (out of the piece) when "" is a unigram word."""
        return len(self.words.hashes)

    @property
    def noword_id(self) -> int:
        """The id of pkuseg's "**noWord" (a slice that is not a unigram word)."""
        return len(self.words.hashes) + 1


def package_dir(name: str) -> Path:
    """A package's folder, found without importing it (pkuseg's import costs 0.3 s)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"{name} 未安装：请先运行 `make install`")
    return Path(list(spec.submodule_search_locations)[0])


def default_sources() -> dict[str, Path]:
    """The files spaCy's pkuseg segmenter reads in the auditor's set-up (see docs/nlp.md)."""
    model = package_dir("pkuseg") / "models" / "default"
    return {"features": model / "features.pkl", "weights": model / "weights.npz",
            "post": package_dir("spacy_pkuseg") / "dicts" / "default.pkl"}


def cache_root() -> Path:
    """``AUDITOR_MODEL_CACHE``, else ``$XDG_CACHE_HOME/auditor``, else ``~/.cache/auditor``."""
    explicit = os.environ.get("AUDITOR_MODEL_CACHE")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "auditor"


def source_key(sources: dict[str, Path]) -> str:
    """Identity of the model files (real path, size, mtime) and of this format: cheap to
    compute at every start, and changed by any reinstall or upgrade of the packages."""
    parts = [f"format={FORMAT}"]
    for name in sorted(sources):
        p = Path(sources[name]).resolve()
        st = p.stat()
        parts.append(f"{name}={p}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]


ARRAYS = ("fkeys", "fidx", "weights", "words.hashes", "words.offsets", "words.lengths", "words.codes",
          "post.hashes", "post.offsets", "post.lengths", "post.codes")


def load(sources: dict[str, Path] | None = None, root: Path | None = None) -> SegModel:
    """The model, from the cache (built there first if needed), else converted in memory."""
    sources = sources or default_sources()
    for path in sources.values():
        if not Path(path).is_file():
            raise ModelError(f"pkuseg 模型文件缺失：{path}")
    root = root if root is not None else cache_root()
    key = source_key(sources)
    folder = root / f"pkuseg-{key}"
    model = _open(folder, key)
    if model is not None:
        return model
    if folder.exists():  # damaged (a truncated array, a lost manifest): converted again
        shutil.rmtree(folder, ignore_errors=True)
    arrays, meta = convert(sources)
    meta["key"] = key
    if _publish(root, folder, arrays, meta):
        model = _open(folder, key)
        if model is not None:
            return model
    return _assemble(arrays, meta, "memory")


def _open(folder: Path, key: str) -> SegModel | None:
    try:
        meta = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or meta.get("key") != key:
            return None
        # plain ndarray views of the maps: np.memmap's indexing overhead is for writers
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
                  for name in ARRAYS}
    except (OSError, ValueError, KeyError):
        return None
    return _assemble(arrays, meta, f"mmap:{folder}")


def _publish(root: Path, folder: Path, arrays: dict[str, np.ndarray], meta: dict) -> bool:
    """Write the arrays into a temporary folder beside ``folder`` and rename it into place.
    False when the cache cannot be written; True when ``folder`` now holds a model (ours, or
    that of a process that got there first)."""
    tmp = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=root))
        for name, arr in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        (tmp / "manifest.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        try:
            os.rename(tmp, folder)
            tmp = None
        except OSError:
            if not (folder / "manifest.json").is_file():  # a stale or foreign folder: replace it
                shutil.rmtree(folder, ignore_errors=True)
                assert tmp is not None  # still ours: the first rename failed
                os.rename(tmp, folder)
                tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _assemble(arrays: dict[str, np.ndarray], meta: dict, source: str) -> SegModel:
    def lex(prefix: str, base: int) -> Lexicon:
        return Lexicon(arrays[f"{prefix}.hashes"], arrays[f"{prefix}.offsets"], arrays[f"{prefix}.lengths"],
                       arrays[f"{prefix}.codes"], base)

    return SegModel(
        fkeys=arrays["fkeys"], fidx=arrays["fidx"], weights=arrays["weights"],
        n_tag=int(meta["n_tag"]), n_feature=int(meta["n_feature"]),
        begin_tags=frozenset(int(i) for i in meta["begin_tags"]),
        words=lex("words", int(meta["words_base"])), post=lex("post", int(meta["post_base"])),
        empty_is_word=bool(meta["empty_is_word"]), ww_specials=frozenset(meta["ww_specials"]), source=source,
    )


# -- conversion ----------------------------------------------------------------------------
def node_codes(token: str) -> list[int] | None:
    """The node codes a string of joined nodes is made of, or None when no slice of
    normalised text can spell it (a renamed keyword, a digit the extractor turns into
    **Num, a stray '*')."""
    out: list[int] = []
    i = 0
    while i < len(token):
        for name, code in NODE_NAMES.items():
            if token.startswith(name, i):
                out.append(code)
                i += len(name)
                break
        else:
            c = token[i]
            if c in KEYWORDS or c in NUM_CHARS or c in LETTER_CHARS:
                return None
            out.append(ord(c))
            i += 1
    return out


def convert(sources: dict[str, Path]) -> tuple[dict[str, np.ndarray], dict]:
    """Read pkuseg's files and build the arrays (a few seconds, once per model)."""
    digests = {name: _sha256(p) for name, p in sources.items()}
    try:
        with open(sources["features"], "rb") as fh:
            data = pickle.load(fh)  # noqa: S301 - the model file shipped inside the pinned pkuseg package
        npz = np.load(sources["weights"])
        sizes, weights = npz["sizes"], np.asarray(npz["w"], dtype=np.float64)
        with open(sources["post"], "rb") as fh:
            post_words = pickle.load(fh).strip().split("\n")  # noqa: S301 - ditto (spacy-pkuseg)
    except (OSError, pickle.UnpicklingError, KeyError, ValueError, AttributeError, EOFError) as exc:
        raise ModelError(f"pkuseg 模型文件无法读取：{type(exc).__name__}") from None
    tag_to_idx = data["tag_to_idx"]
    feature_to_idx: dict[str, int] = data["feature_to_idx"]
    unigram = set(data["unigram"])
    n_tag, n_feature = int(sizes[0]), int(sizes[1])
    if n_tag != len(tag_to_idx) or n_feature != len(feature_to_idx) or weights.shape[0] != n_tag * (n_feature + n_tag):
        raise ModelError("pkuseg 模型文件不一致：特征数与权重不符")
    if feature_to_idx.get("$$") != 0:
        raise ModelError("pkuseg 模型：起始特征不是 0 号")

    # words the extractor can look up: unigram entries spelled by 2..6 nodes
    word_list: list[str] = []
    word_nodes: list[list[int]] = []
    for w in sorted(unigram):
        nodes = node_codes(w)
        if nodes is not None and WORD_MIN <= len(nodes) <= WORD_MAX:
            word_list.append(w)
            word_nodes.append(nodes)
    words = Lexicon.build(word_nodes)
    row_of = np.argsort(words.offsets, kind="stable")  # the k-th word (by offset) -> its table row
    word_id = {w: int(row_of[k]) for k, w in enumerate(word_list)}
    empty_id, noword_id = len(word_list), len(word_list) + 1
    empty_is_word = "" in unigram

    def component(s: str) -> int | None:
        """The id a ww-feature half stands for: a word, the empty slice, or **noWord."""
        if s in word_id:
            return word_id[s]
        if s == "" and empty_is_word:
            return empty_id
        if s == NO_WORD:
            return noword_id
        return None

    keys: list[int] = []
    idxs: list[int] = []
    dropped = 0
    for feat, idx in feature_to_idx.items():
        if feat == "$$":
            continue  # the start feature: the extractor always appends index 0
        got = _parse(feat, component, word_id, empty_is_word, empty_id)
        if got is None:
            raise ModelError(f"pkuseg 模型：无法解析的特征 {feat!r}")
        if not got:
            dropped += 1  # a feature no text can produce
        for key in got:
            keys.append(key)
            idxs.append(idx)
    fkeys = np.array(keys, dtype=np.uint64)
    fidx = np.array(idxs, dtype=np.int32)
    order = np.argsort(fkeys, kind="stable")
    fkeys, fidx = fkeys[order], fidx[order]
    if len(fkeys) > 1 and np.any(fkeys[1:] == fkeys[:-1]):
        raise ModelError("pkuseg 模型：特征键重复")

    # which special halves occur in ww features at all: keys holding another are never looked up
    ww_ids = (fkeys >> np.uint64(SHIFT_TYPE)) >= np.uint64(min(WW_TYPES.values()))
    halves = np.concatenate([(fkeys[ww_ids] >> np.uint64(SHIFT_A)) & np.uint64((1 << 30) - 1),
                             fkeys[ww_ids] & np.uint64((1 << 30) - 1)])
    ww_specials = sorted(int(x) for x in np.unique(halves[halves >= empty_id]))
    post = Lexicon.build([[ord(c) for c in w] for w in sorted(set(post_words)) if w])
    arrays: dict[str, np.ndarray] = {"fkeys": fkeys, "fidx": fidx, "weights": weights}
    arrays.update({f"words.{k}": v for k, v in words.arrays().items()})
    arrays.update({f"post.{k}": v for k, v in post.arrays().items()})
    meta = {
        "format": FORMAT, "n_tag": n_tag, "n_feature": n_feature,
        "begin_tags": sorted(i for t, i in tag_to_idx.items() if "B" in t),
        "ww_specials": ww_specials, "words_base": words.base, "post_base": post.base, "empty_is_word": empty_is_word,
        "features": len(feature_to_idx), "features_dropped": dropped, "words": len(word_list),
        "post_words": len(post.hashes), "sources": {k: str(v) for k, v in sources.items()}, "sha256": digests,
    }
    return arrays, meta


def _parse(feat: str, component: Callable[[str], int | None], word_id: dict[str, int], empty_is_word: bool, empty_id: int) -> list[int] | None:
    """The keys under which the extractor would look ``feat`` up: [] when it never can,
    None when the feature has a shape this converter does not know."""
    for prefix, kind in CHAR_TYPES.items():
        if feat.startswith(prefix) and not any(feat.startswith(p) for p in PAIR_TYPES):
            nodes = node_codes(feat[len(prefix):])
            if nodes is None or len(nodes) != 1:
                return []
            return [feature_key(kind, nodes[0])]
    for prefix, kind in PAIR_TYPES.items():
        if feat.startswith(prefix):
            parts = feat[len(prefix):].split(".")
            if len(parts) != 2:
                return []  # nodes never hold a '.', so this key is never built
            a, b = node_codes(parts[0]), node_codes(parts[1])
            if a is None or b is None or len(a) != 1 or len(b) != 1:
                return []
            return [feature_key(kind, a[0], b[0])]
    for prefix, kind in WORD_TYPES.items():
        if feat.startswith(prefix):
            rest = feat[len(prefix):]
            if rest in word_id:
                return [feature_key(kind, word_id[rest])]
            return [feature_key(kind, empty_id)] if rest == "" and empty_is_word else []
    for prefix, kind in WW_TYPES.items():
        if feat.startswith(prefix):
            rest = feat[len(prefix):]
            out = []
            for i, ch in enumerate(rest):
                if ch == "*":
                    left, right = component(rest[:i]), component(rest[i + 1:])
                    if left is not None and right is not None:
                        out.append(feature_key(kind, left, right))
            return out
    return None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def clear(root: Path | None = None) -> None:
    """Remove every converted model under the cache folder (tests, troubleshooting)."""
    root = root if root is not None else cache_root()
    with contextlib.suppress(FileNotFoundError):
        for p in root.iterdir():
            if p.name.startswith(("pkuseg-", ".pkuseg-")):
                shutil.rmtree(p, ignore_errors=True)
