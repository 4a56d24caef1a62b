"""`auditor eval` metrics, and agreement on the project's own labelled fixture reports.

The fixture reports in tests/fixtures/reports were labelled item by item by an annotator who
did not see the auditor's rules or output, so they are a check of how the rules carry over to
reports the checklists were not written against.
"""

from __future__ import annotations

from pathlib import Path

from auditor.evaluate import DocEval, EvalResult, evaluate, load_split

from .conftest import FIXTURES

REPORTS = FIXTURES / "reports"


def test_metrics_on_a_hand_made_result() -> None:
    pairs = [("a", "covered", "covered"), ("b", "covered", "partial"), ("c", "missing", "covered"), ("d", "partial", "partial")]
    r = EvalResult(docs=[DocEval("x", pairs, 0, 0, [], [], [], [])])
    assert r.accuracy == 0.5
    # covered: tp=1, fp=1, fn=1
    assert r.covered_f1 == 0.5
    # addressed: tp=3 (a, b, d), fp=1 (c), fn=0
    assert round(r.addressed_f1, 3) == round(6 / 7, 3)


def test_fixture_reports_agree_with_blind_labels(checklists) -> None:
    result = evaluate(REPORTS, [str(REPORTS)], checklists)
    assert len(result.docs) == 8 and not result.skipped
    assert result.heading_recall == 1.0
    assert all(not d.headings_extra for d in result.docs)
    assert all(not d.parts_wrong for d in result.docs)
    assert result.covered_f1 >= 0.92
    assert result.accuracy >= 0.88


def test_eval_skips_labels_without_a_report(tmp_path: Path, checklists) -> None:
    (tmp_path / "x.yaml").write_text("doc: nowhere.txt\nitems: {}\n", encoding="utf-8")
    result = evaluate(tmp_path, [str(REPORTS)], checklists)
    assert result.docs == [] and result.skipped == ["nowhere.txt"]


REPORTS2 = FIXTURES / "reports2"


def test_second_fixture_set_outlines_match_labels(checklists) -> None:
    """Six more shapes, written without looking at the rules: headings and parts as labelled."""
    result = evaluate(REPORTS2, [str(REPORTS2)], checklists)
    assert len(result.docs) == 6 and not result.skipped
    assert result.heading_recall == 1.0
    assert all(not d.headings_extra for d in result.docs), [d.headings_extra for d in result.docs]
    assert all(not d.parts_wrong for d in result.docs), [d.parts_wrong for d in result.docs]


OPENINGS = FIXTURES / "openings"


def test_the_projects_own_openings_agree_with_their_labels(checklists) -> None:
    """258 report openings written and labelled for the project by writers who saw neither the
    rules nor the output (tests/data/openings-split.yaml tells how). The rules were tuned on the
    disagreements of part of them; the rest were only measured. Floors sit just under today's
    figures (tuned 0.939 / 0.961, measured 0.920 / 0.948), so a change that loses ground fails."""
    held = load_split(Path(__file__).parent / "data" / "openings-split.yaml")
    result = evaluate(OPENINGS, [str(OPENINGS)], checklists)
    assert len(result.docs) == 258 and not result.skipped
    names = {d.doc for d in result.docs}
    measured = result.subset({n for n in names if Path(n).stem in held})
    tuned = result.subset({n for n in names if Path(n).stem not in held})
    assert len(measured.docs) == 100
    assert tuned.covered_f1 >= 0.935 and tuned.accuracy >= 0.958
    assert measured.covered_f1 >= 0.915 and measured.accuracy >= 0.945
    first, anywhere, _ = result.evidence_rates()
    assert first >= 0.85 and anywhere >= 0.95
