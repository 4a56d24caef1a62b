"""Passages one text repeats from another: greedy string tiling, and near-copies joined across
small changes (三次 → 五次, 进一步 → 持续). Plain strings in, offsets out; ``compare`` maps
them back to the reports (carried-over text, 文字重复)."""

from __future__ import annotations

from dataclasses import dataclass

from . import limits

MIN_PASSAGE = 40  # normalised characters: shorter common runs are formulae, not copying
KGRAM = 12  # seed length of the tiling
MIN_RUN = 12  # common runs kept for joining into near-copies (the seed length)
MAX_GAP = 8  # a near-copy: runs joined across at most this many changed characters on each side
MAX_SEEDS = 64  # candidate positions kept per k-gram (boilerplate repeats within a report)


def tile(a: str, b: str, min_len: int = MIN_PASSAGE, k: int = KGRAM) -> list[tuple[int, int, int]]:
    """Maximal common runs of ``b`` in ``a``, left to right, each of ``b`` at most once:
    (start in a, start in b, length). Seeds are the k-grams of ``a``; each seed is extended
    forward and the longest run at a position is taken (greedy string tiling)."""
    if len(a) < k or len(b) < k:
        return []
    seeds: dict[str, list[int]] = {}
    for j in range(len(a) - k + 1):
        lst = seeds.setdefault(a[j : j + k], [])
        if len(lst) < MAX_SEEDS:
            lst.append(j)
    out, i, n, m = [], 0, len(b), len(a)
    while i <= n - k:
        if not i % 1024:
            limits.check_time()  # repetitive text costs up to MAX_SEEDS extensions a position
        cands = seeds.get(b[i : i + k])
        best, at = 0, -1
        if cands:
            for j in cands:
                length = k
                while i + length < n and j + length < m and a[j + length] == b[i + length]:
                    length += 1
                if length > best:
                    best, at = length, j
        if best >= min_len:
            out.append((at, i, best))
            i += best
        else:
            i += 1
    return out


@dataclass(frozen=True)
class Run:
    """A near-copy in normalised coordinates: runs of common text joined across small changes."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    segments: tuple[tuple[int, int], ...]  # the common runs, as (start in b, length)

    @property
    def chars(self) -> int:
        """Characters of b repeated from a (the changed characters between runs not counted)."""
        return sum(n for _, n in self.segments)


def near_copies(a: str, b: str, min_len: int = MIN_PASSAGE) -> list[Run]:
    """Passages of ``b`` copied from ``a``, a few words changed or not: common runs of at least
    ``MIN_RUN`` characters (``tile``) joined when at most ``MAX_GAP`` characters separate them in
    both texts, kept when they repeat at least ``min_len`` characters."""
    runs: list[Run] = []
    for ja, jb, n in tile(a, b, min_len=min(MIN_RUN, min_len)):
        last = runs[-1] if runs else None
        if last and 0 <= jb - last.b_end <= MAX_GAP and 0 <= ja - last.a_end <= MAX_GAP:
            runs[-1] = Run(last.a_start, ja + n, last.b_start, jb + n, (*last.segments, (jb, n)))
        else:
            runs.append(Run(ja, ja + n, jb, jb + n, ((jb, n),)))
    return [r for r in runs if r.chars >= min_len]
