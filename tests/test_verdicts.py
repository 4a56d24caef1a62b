"""Verdicts and evidence on real reports: ../shared/devcorpus (106 labelled openings) and the seeds.

The floors below are what the engine reaches today (`make eval` prints the same figures); a
change that lowers one fails here. The dev corpus is split once, before any tuning, into a
tuning part and a held-apart third (tests/data/devcorpus-split.yaml): rules and term families
are written against the tuning part only, and the held-apart figures say how they carry over
to reports nobody tuned for. Tests skip with a reason where ../shared is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor import match
from auditor.evaluate import EvalResult, evaluate, evaluate_statements, load_split
from auditor.lang import signals as S
from auditor.pipeline import read_outline

from .conftest import GOLD, ROOT, SEEDS, SHARED

DEV = SHARED / "devcorpus"
SPLIT = ROOT / "tests" / "data" / "devcorpus-split.yaml"
STATEMENTS = ROOT / "tests" / "data" / "statements.tsv"
DEV_REASON = f"the labelled dev corpus is not present at {DEV} (it lives outside the project; CI provides it)"

needs_dev = pytest.mark.skipif(not (DEV / "gold").is_dir(), reason=DEV_REASON)
needs_seeds = pytest.mark.skipif(not GOLD.is_dir(), reason=f"seed reports not present at {SEEDS}")


@pytest.fixture(scope="module")
def dev(checklists) -> EvalResult:
    return evaluate(DEV / "gold", [str(DEV / "pages")], checklists)


@pytest.fixture(scope="module")
def held_out() -> set[str]:
    return load_split(SPLIT)


@needs_dev
def test_split_is_fixed_and_by_body(dev: EvalResult, held_out: set[str]) -> None:
    """A third of the documents, all reports of one body on the same side."""
    docs = {Path(d.doc).stem for d in dev.docs}
    assert held_out <= docs and 0.3 <= len(held_out) / len(docs) <= 0.37
    bodies: dict[str, set[bool]] = {}
    for line in (DEV / "index.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        bodies.setdefault(cols[4], set()).add(cols[0] in held_out)
    assert all(len(sides) == 1 for sides in bodies.values())


@needs_dev
def test_dev_corpus_figures(dev: EvalResult, held_out: set[str]) -> None:
    assert len(dev.docs) == 106 and not dev.skipped
    assert dev.covered_f1 >= 0.89 and dev.accuracy >= 0.96
    tuning = dev.subset({d.doc for d in dev.docs if Path(d.doc).stem not in held_out})
    held = dev.subset(held_out)
    assert len(held.docs) == len(held_out)
    assert tuning.covered_f1 >= 0.918 and tuning.accuracy >= 0.972
    # The held-apart floor sits one item below its figure: rules are not tuned on that
    # third, so a one-item move either way is noise, not a regression.
    assert held.covered_f1 >= 0.84 and held.accuracy >= 0.935


@needs_dev
def test_evidence_quotes_the_decisive_clause(dev: EvalResult, held_out: set[str]) -> None:
    """Where gold and tool both say covered, the gold's decisive quote is in the tool's first
    evidence clause for >= 75 % of items and in one of its clauses for >= 90 %."""
    for part in (dev, dev.subset(held_out)):
        first, anywhere, n = part.evidence_rates()
        assert n >= 150
        assert first >= 0.80 and anywhere >= 0.90, (first, anywhere)


@needs_seeds
def test_seed_figures(checklists) -> None:
    result = evaluate(GOLD, [str(SEEDS)], checklists)
    assert len(result.docs) == 3
    assert result.covered_f1 >= 0.95 and result.accuracy >= 0.94


@needs_dev
def test_statement_kinds_agree_with_labels(checklists) -> None:
    """Sentence kinds (act, slogan, topic, plan, heading, furniture) against 1,354 hand labels."""
    result = evaluate_statements(STATEMENTS, DEV / "pages", checklists)
    assert not result.stale and len(result.pairs) == 1354
    assert result.accuracy("tuning") >= 0.82 and result.accuracy("held-out") >= 0.80


_QUOTED = re.compile(r"“([^”]+)”")


@pytest.fixture(scope="module")
def reports(checklists) -> list:
    """Every dev-corpus page and seed, audited once for the evidence tests below."""
    paths = sorted((DEV / "pages").glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
    return [match.check(read_outline(path), checklists) for path in paths]


@needs_dev
def test_reasons_agree_with_their_evidence(reports) -> None:
    """Every reason is written from the evidence it shows: the words a covered reason quotes
    stand in its evidence, a "no substance" reason is never given over an evidence clause that
    reports an act, and missing items show no evidence."""
    checked = 0
    for report in reports:
        doc = report.doc
        for f in (f for c in report.checklists for f in c.findings):
            if f.status == "missing":
                assert not f.evidence, f.item_id
                continue
            assert f.evidence, (doc.path, f.item_id)
            shown = "".join(e.quote for e in f.evidence)  # as written: cues quote the original
            if f.status == "covered" and f.reason.startswith("报告了本年度已开展的具体工作"):
                cues = _QUOTED.findall(f.reason)
                assert cues and all(c in shown for c in cues), (doc.path, f.item_id, f.reason)
                assert f.evidence[0].kind == "act" and f.evidence[0].substantive
            if "未报告该项工作的具体做法" in f.reason:
                first = f.evidence[0]
                assert first.kind != "act" and not first.substantive, (doc.path, f.item_id)
            checked += 1
    assert checked > 900


@needs_dev
def test_strongest_evidence_comes_first(reports) -> None:
    """Substantive evidence before the rest; among acts, direct before inherited."""
    for report in reports:
        for f in (f for c in report.checklists for f in c.findings if f.status == "covered"):
            flags = [e.substantive for e in f.evidence]
            assert flags == sorted(flags, reverse=True), f.item_id


def test_signal_labels_cover_every_signal() -> None:
    assert set(S.SIGNAL_LABELS) == set(S.SIGNALS)
