"""Batch workers share the read-only model: two workers cost about what one does (issue 18)."""

from __future__ import annotations

from benchmarks.memshare import batch_memory, measure

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
        assert w.own < 120_000_000  # a worker's own memory besides the shared model
    # two workers against one: each worker's own memory, the model once
    assert batch_memory(two) <= 1.3 * batch_memory(one), (one, two)
