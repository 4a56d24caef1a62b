"""Batch workers share the read-only model: two workers cost about what one does (issue 18)."""

from __future__ import annotations

from benchmarks.memshare import measure

from .conftest import EXAMPLES, FIXTURES


def reports() -> list[str]:
    files = [p for p in sorted((FIXTURES / "reports").iterdir()) if p.suffix == ".txt"]
    return [str(p) for p in files] + [str(EXAMPLES / "complete-county-2024.txt")]


def test_two_workers_share_the_model_and_stay_small() -> None:
    one, two = measure(reports(), 1), measure(reports(), 2)
    assert len(one) == 1 and len(two) == 2
    for w in one + two:
        assert w.model_rss > 5_000_000  # the model is read through the map...
        assert w.model_private_dirty == 0  # ...and no page of it was ever copied
        assert w.rss < 400_000_000
    # unique memory of two workers against one: the model is not paid twice
    assert sum(w.uss for w in two) <= 1.3 * one[0].uss, (one, two)
