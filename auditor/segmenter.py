"""pkuseg's segmentation, run on the memory-mapped model of ``auditor.segmodel``.

This reproduces, step for step, what spaCy's Chinese tokenizer does with the ``spacy-pkuseg``
segmenter and pkuseg's ``default`` model (see docs/nlp.md): the user dictionary forces its
words (longest match, ``Preprocesser.solve``), every other piece is labelled by pkuseg's CRF
(the same features, weights summed in the same order, the same Viterbi with the same
tie-breaking) and merged by the post-processing dictionary (``Postprocesser``), and spaCy's
alignment turns the words into tokens with offsets. Only the data structures differ: the
feature table is looked up with numpy on memory-mapped arrays instead of a 2.6-million-entry
dict, for all the pieces of a text at once. ``tests/test_segmenter.py`` proves the tokens are
exactly those of pkuseg's own loader on every seed, dev-corpus text and fixture.

A segmenter's user dictionary is fixed when it is made: ``get(words)`` gives the segmenter of
one set of words (one per set, all on the one memory-mapped model), so text is segmented the
same way whatever else the process segmented before, and one instance serves several threads.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable

import numpy as np

from . import segmodel
from .segmodel import LETTER, LETTER_CHARS, NUM, NUM_CHARS, WORD_MAX, WORD_MIN, SegModel, feature_key

_RENAME = str.maketrans(segmodel.KEYWORDS, "&" * len(segmodel.KEYWORDS))
_CLASS = np.zeros(0x10000, dtype=np.uint8)  # 1: pkuseg's **Num, 2: **Letter (all in the BMP)
_CLASS[[ord(ch) for ch in NUM_CHARS]] = 1
_CLASS[[ord(ch) for ch in LETTER_CHARS]] = 2
_LENGTHS = tuple(range(WORD_MAX, WORD_MIN - 1, -1))  # 6 … 2, the extractor's order
_POST_SPAN = 7  # the post-processor merges up to 7 words


class _Trie:
    __slots__ = ("isword", "children")

    def __init__(self) -> None:
        self.isword = False
        self.children: dict[str, _Trie] = {}


def _trie(words: Iterable[str]) -> _Trie:
    """The user dictionary (spaCy's pkuseg_update_user_dict -> Preprocesser.insert)."""
    root = _Trie()
    for word in words:
        node = root
        for c in word.strip():
            nxt = node.children.get(c)
            if nxt is None:
                nxt = node.children[c] = _Trie()
            node = nxt
        node.isword = True
    return root


def codes_of(text: str) -> np.ndarray:
    """The code points of ``text`` as uint32 (lone surrogates kept)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


class Segmenter:
    """pkuseg's ``cut`` plus spaCy's token alignment, on a ``SegModel``, with ``words`` as its
    user dictionary (they are never split)."""

    def __init__(self, model: SegModel, words: Iterable[str] = ()) -> None:
        self.model = model
        nt, nf = model.n_tag, model.n_feature
        w = model.weights
        self.node_w = w[: nf * nt].reshape(nf, nt)
        edge = w[nf * nt: nf * nt + nt * nt]
        # run_viterbi's edge_score[y, y_pre] = 1.0 + w[backoff + y_pre * n_tag + y]
        self.edge = [[1.0 + float(edge[yp * nt + y]) for yp in range(nt)] for y in range(nt)]
        self.begins = model.begin_tags
        self.words = frozenset(w.strip() for w in words if w.strip())
        self.trie = _trie(self.words)
        self._empty_or_none = model.empty_id if model.empty_is_word else model.noword_id
        self._ww_skip = np.array(sorted({model.empty_id, model.noword_id} - model.ww_specials), dtype=np.uint64)

    def _usable(self, ids: np.ndarray) -> np.ndarray:
        """Which ww halves can occur in a feature (the special ids no ww feature holds cannot)."""
        ok = np.ones(ids.shape, dtype=bool)
        for special in self._ww_skip:
            ok &= ids != special
        return ok

    def _solve(self, txt: str) -> list[tuple[str, bool]]:
        """Preprocesser.solve: split ``txt`` at the user dictionary's longest matches."""
        out: list[tuple[str, bool]] = []
        n = len(txt)
        last = i = 0
        while i < n:
            now, j, found, last_word = self.trie, i, False, -1
            while True:
                c = txt[j]
                nxt = now.children.get(c)
                if nxt is None:
                    found = last_word != -1
                    break
                now = nxt
                if now.isword:
                    last_word = j
                j += 1
                if j == n:
                    if last_word != -1:
                        j, found = last_word + 1, True
                    break
            if found:
                if last != i:
                    out.append((txt[last:i], False))
                out.append((txt[i:j], True))
                last = i = j
            else:
                i += 1
        if last < n:
            out.append((txt[last:n], False))
        return out

    # -- pkuseg.cut ---------------------------------------------------------------------------
    def cut(self, text: str) -> list[str]:
        """The words of ``text``, exactly as ``spacy_pkuseg.pkuseg.cut`` returns them."""
        return self.cut_many([text])[0]

    def cut_many(self, texts: list[str]) -> list[list[str]]:
        """The words of each text, as ``cut`` gives them, with the CRF run once over the
        pieces of all of them (a piece is labelled on its own, so nothing changes but the
        cost: numpy's fixed cost per call is paid once instead of once per text)."""
        plans: list[list[tuple[str, bool]]] = []
        pieces: list[str] = []
        for text in texts:
            parts: list[tuple[str, bool]] = []
            for w0 in text.strip().split():
                parts.extend(self._solve(w0))
            plans.append(parts)
            pieces.extend(p for p, isword in parts if not isword)
        segmented = iter(self._cut_pieces(pieces)) if pieces else iter(())
        out: list[list[str]] = []
        for parts in plans:
            ret: list[str] = []
            for p, isword in parts:
                if isword:
                    ret.append(p)
                else:
                    ret.extend(next(segmented))
            out.append(ret)
        return out

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Token (start, end) offsets as spaCy's ``Doc`` has them (``get_words_and_spaces``:
        whitespace between words is a token, except one space after a word)."""
        return self.spans_many([text])[0]

    def spans_many(self, texts: list[str]) -> list[list[tuple[int, int]]]:
        """``spans`` of each text, segmented together (``cut_many``)."""
        return [self._align(text, words) for text, words in zip(texts, self.cut_many(texts), strict=True)]

    @staticmethod
    def _align(text: str, words: list[str]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        pos, n = 0, len(text)
        for word in words:
            if word.isspace():
                continue
            start = text.index(word, pos)
            if start > pos:
                out.append((pos, start))
            pos = start + len(word)
            out.append((start, pos))
            if pos < n and text[pos] == " ":
                pos += 1
        if pos < n:
            out.append((pos, n))
        return out

    def tokens(self, text: str) -> list[str]:
        """The token texts of ``text`` (whitespace tokens included, as spaCy has them)."""
        return [text[a:b] for a, b in self.spans(text)]

    # -- the CRF on many pieces at once ----------------------------------------------------------
    def _cut_pieces(self, pieces: list[str]) -> list[list[str]]:
        joined = "".join(pieces)
        raw = codes_of(joined)
        nodes = codes_of(joined.translate(_RENAME)).copy()
        kind = _CLASS[np.minimum(nodes, 0xFFFF)] * (nodes <= 0xFFFF)
        nodes[kind == 1] = NUM
        nodes[kind == 2] = LETTER
        lens = np.array([len(p) for p in pieces], dtype=np.int64)
        ends_of = np.cumsum(lens)
        starts_of = ends_of - lens
        ps = np.repeat(starts_of, lens)  # piece start / end of every node
        pe = np.repeat(ends_of, lens)
        scores = self._node_scores(nodes, ps, pe)
        tags = self._viterbi(scores, starts_of, lens)
        # a word starts at every node tagged B…, and at every piece's first node
        begin = np.isin(tags, list(self.begins))
        begin[starts_of] = True
        cuts = np.flatnonzero(begin).tolist() + [len(joined)]
        out, c = [], 0
        for a, z in zip(starts_of.tolist(), ends_of.tolist(), strict=True):
            here = [a]
            c += 1  # cuts[c - 1] == a
            while cuts[c] < z:
                here.append(cuts[c])
                c += 1
            here.append(z)
            out.append([joined[x:y] for x, y in zip(here, here[1:], strict=False)])
        return self._post_process(out, raw)

    def _slices(self, nodes: np.ndarray, pe: np.ndarray) -> np.ndarray:
        """(5, n): the word id of the l nodes starting at each position (l = 6 … 2, within
        the piece), or **noWord; one lookup for all lengths."""
        m = self.model
        n = len(nodes)
        lens = np.array(_LENGTHS, dtype=np.int64)[:, None]
        ends = np.arange(n)[None, :] + lens
        ok = ends <= pe[None, :]
        rows, starts = np.nonzero(ok)
        ids = np.full((len(_LENGTHS), n), m.noword_id, dtype=np.int64)
        found = m.words.find(nodes, starts, ends[rows, starts])
        ids[rows, starts] = np.where(found >= 0, found, m.noword_id)
        return ids

    def _node_scores(self, nodes: np.ndarray, ps: np.ndarray, pe: np.ndarray) -> np.ndarray:
        """pkuseg's getLogYY node scores: the weights of each node's features, summed in the
        order the extractor lists them (so the floating-point sums are the same)."""
        m = self.model
        n = len(nodes)
        g = np.arange(n)
        c = nodes.astype(np.uint64)
        wid = self._slices(nodes, pe)
        lens = np.array(_LENGTHS, dtype=np.int64)
        rows = np.arange(len(_LENGTHS))[None, :]

        def sl(off: np.ndarray) -> np.ndarray:
            """(n, 5): get_slice_str(nodes, i + off_l, l) as an id; "" (out of the piece) is the
            empty word or **noWord, as pkuseg's unigram list decides."""
            s = g[:, None] + off[None, :]
            inside = (s >= ps[:, None]) & (s + lens[None, :] <= pe[:, None])
            return np.where(inside, wid[rows, np.clip(s, 0, n - 1)], self._empty_or_none).astype(np.uint64)

        pre_in, post_in = sl(1 - lens), sl(np.zeros_like(lens))
        pre_ex, post_ex = sl(-lens), sl(np.ones_like(lens))
        near = np.clip(g[:, None] + np.array([-2, -1, 1, 2]), 0, n - 1)
        cm2, cm1, cp1, cp2 = (c[near[:, k]] for k in range(4))
        has = (g[:, None] + np.array([-2, -1, 1, 2])[None, :] >= ps[:, None]) & \
              (g[:, None] + np.array([-2, -1, 1, 2])[None, :] < pe[:, None])
        a, b = np.uint64(segmodel.SHIFT_A), np.uint64(segmodel.SHIFT_TYPE)

        def key(kind: int, x: np.ndarray, y: np.ndarray | int = 0) -> np.ndarray:
            return (np.uint64(kind) << b) | (x << a) | np.asarray(y, dtype=np.uint64)

        yes = np.ones(n, dtype=bool)
        noword = np.uint64(m.noword_id)
        # columns in the extractor's order: c., c-1., c-1c., c1., cc1., c-2., c-2c-1., c2.,
        # w-1. (6…2), w1. (6…2), ww.l. (pre 6…2 × post 6…2), ww.r. (likewise)
        keys = np.concatenate([
            np.stack([key(1, c), key(2, cm1), key(3, cm1, c), key(4, cp1), key(5, c, cp1),
                      key(6, cm2), key(7, cm2, cm1), key(8, cp2)], axis=1),
            key(9, pre_in), key(10, post_in),
            key(11, pre_ex[:, :, None], post_in[:, None, :]).reshape(n, -1),
            key(12, pre_in[:, :, None], post_ex[:, None, :]).reshape(n, -1),
        ], axis=1)
        # a ww key with a half that no ww feature has (e.g. **noWord) cannot be found: skip it
        usable = {"pre_in": self._usable(pre_in), "post_in": self._usable(post_in),
                  "pre_ex": self._usable(pre_ex), "post_ex": self._usable(post_ex)}
        valid = np.concatenate([
            np.stack([yes, has[:, 1], has[:, 1], has[:, 2], has[:, 2], has[:, 0], has[:, 0], has[:, 3]], axis=1),
            pre_in != noword, post_in != noword,
            (usable["pre_ex"][:, :, None] & usable["post_in"][:, None, :]).reshape(n, -1),
            (usable["pre_in"][:, :, None] & usable["post_ex"][:, None, :]).reshape(n, -1),
        ], axis=1)
        fk, fi = m.fkeys, m.fidx
        uniq, inv = np.unique(keys[valid], return_inverse=True)
        pos = np.minimum(np.searchsorted(fk, uniq), len(fk) - 1)
        idx_u = np.where(fk[pos] == uniq, fi[pos], -1)
        idx = np.full(keys.shape, -1, dtype=np.int64)
        idx[valid] = idx_u[inv]
        present = idx >= 0
        gathered = np.zeros(keys.shape + (m.n_tag,), dtype=np.float64)
        gathered[present] = self.node_w[idx[present]]
        scores = np.zeros((n, m.n_tag), dtype=np.float64) + self.node_w[0]
        for k in range(keys.shape[1]):
            scores = scores + gathered[:, k]
        return scores

    def _viterbi(self, scores: np.ndarray, starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """inference.run_viterbi on every piece at once: the tag of every node.

        Backwards from each piece's last node; the score of tag y after tag yp is
        ``best[yp] + node[y] + edge[y][yp]``, added in that order, and the last best
        predecessor wins a tie, as in pkuseg's loop; the last node's tag is the first best.
        Pieces are stepped together, position by position from their ends."""
        n, h = scores.shape
        edge = np.array(self.edge, dtype=np.float64)  # edge[y, yp]
        best = scores[starts + lens - 1].copy()
        back = np.zeros((n, h), dtype=np.int64)  # back[g, y]: best tag at g + 1 after tag y at g
        order = np.argsort(-lens, kind="stable")  # longest first: the active pieces are a prefix
        starts_o, lens_o, best = starts[order], lens[order], best[order]
        for t in range(int(lens.max(initial=1)) - 1):
            act = int(np.count_nonzero(lens_o > t + 1))
            g = starts_o[:act] + lens_o[:act] - 2 - t
            sc = (best[:act, None, :] + scores[g][:, :, None]) + edge[None, :, :]
            arg = (h - 1) - np.argmax(sc[:, :, ::-1], axis=2)  # the last best on a tie
            best[:act] = np.take_along_axis(sc, arg[:, :, None], axis=2)[:, :, 0]
            back[g] = arg
        tags = np.zeros(n, dtype=np.int64)
        first = np.argmax(best, axis=1)  # the first best
        tags[starts_o] = first
        for i in range(1, int(lens.max(initial=1))):
            act = int(np.count_nonzero(lens_o > i))
            g = starts_o[:act] + i
            tags[g] = back[g - 1, tags[g - 1]]
        return tags

    # -- Postprocesser (check_seperated=True; no common words in this set-up) ---------------------
    def _post_process(self, pieces: list[list[str]], raw: np.ndarray) -> list[list[str]]:
        post = self.model.post
        q = post.prefix(raw)
        # every window of 1..7 consecutive words of a piece, over all pieces, in one lookup
        counts = np.array([len(ws) for ws in pieces], dtype=np.int64)
        wend = np.cumsum([len(w) for ws in pieces for w in ws], dtype=np.int64)  # offsets in the joined pieces
        wstart = np.concatenate([[0], wend[:-1]])
        piece = np.repeat(np.arange(len(pieces)), counts)  # the piece of every word
        firsts, lasts = [], []  # the first and last word of every window
        for m in range(1, min(_POST_SPAN, len(piece)) + 1):
            j = np.flatnonzero(piece[: len(piece) - m + 1] == piece[m - 1:])
            firsts.append(j)
            lasts.append(j + m - 1)
        first_w, last_w = np.concatenate(firsts), np.concatenate(lasts)
        starts, ends = wstart[first_w], wend[last_w]
        found = post.find(raw, starts, ends, q) >= 0
        # a piece none of whose windows of two words or more is a word stays as it is
        merging = set(np.unique(piece[first_w[found & (last_w > first_w)]]).tolist())
        keep = np.isin(piece[first_w], list(merging))
        known = dict(zip(zip(starts[keep].tolist(), ends[keep].tolist(), strict=True), found[keep].tolist(), strict=True))

        def member(a: int, b: int) -> bool:
            got = known.get((a, b))
            if got is None:
                got = bool(post.find(raw, np.array([a]), np.array([b]), q)[0] >= 0)
                known[(a, b)] = got
            return got

        out = []
        first = 0  # the index of the piece's first word
        for k, words in enumerate(pieces):
            first, here = first + len(words), first
            if k not in merging:
                out.append(words)
                continue
            b = [int(wstart[here])] + wend[here: first].tolist()
            sent = [(b[i], b[i + 1]) for i in range(len(words))]
            for m in range(_POST_SPAN, 1, -1):
                end = len(sent) - m
                if end < 0:
                    continue
                i = 0
                while i < end + 1:
                    a, z = sent[i][0], sent[i + m - 1][1]
                    if member(a, z) and not all(member(x, y) for x, y in sent[i: i + m]):
                        sent[i: i + m] = [(a, z)]
                        end = len(sent) - m
                    i += 1
            base = b[0]
            text = "".join(words)
            out.append([text[x - base: y - base] for x, y in sent])
        return out


_MODEL: SegModel | None = None
_LOAD_LOCK = threading.Lock()
KEPT = 16  # segmenters (sets of words) kept per process; another set is made again, in milliseconds


def model() -> SegModel:
    """The process-wide model (opening the memory-mapped model takes milliseconds)."""
    global _MODEL
    with _LOAD_LOCK:
        if _MODEL is None:
            _MODEL = segmodel.load()
        return _MODEL


def get(words: Iterable[str] = ()) -> Segmenter:
    """The segmenter whose user dictionary is exactly ``words`` (stripped, empty ones dropped):
    the same set of words gives the same segmenter, shared by the threads of the process."""
    return _for_words(frozenset(w.strip() for w in words if w.strip()))


@functools.lru_cache(maxsize=KEPT)
def _for_words(words: frozenset[str]) -> Segmenter:
    return Segmenter(model(), words)


__all__ = ["Segmenter", "get", "feature_key"]
