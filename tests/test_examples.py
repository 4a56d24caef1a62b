"""The project's own example reports: the draft's known gaps are found, the complete one passes."""

from __future__ import annotations

import pytest

from auditor import match
from auditor.pipeline import read_outline

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def statuses(checklists):
    def run(name: str) -> dict[str, str]:
        report = match.check(read_outline(EXAMPLES / name), checklists)
        return {f.item_id: f.status for c in report.checklists for f in c.findings}

    return run


@pytest.mark.parametrize("name", ["draft-township-2024.txt", "draft-township-2024.docx"])
def test_draft_gaps(statuses, name: str) -> None:
    s = statuses(name)
    for item in (
        "structure.shortcomings",
        "disputes.administrative-reconsideration",
        "rules.normative-docs-filing-review",
        "disputes.litigation-and-appearance",
    ):
        assert s[item] == "missing", item
    for item in (
        "structure.first-responsible-person",
        "leadership.first-responsible-person",
        "enforcement.publicity-system",
        "enforcement.full-process-recording",
        "enforcement.major-decision-legal-review",
    ):
        assert s[item] == "partial", item
    assert s["structure.measures-and-results"] == "covered"
    assert s["structure.next-year-plan"] == "covered"


def test_complete_report_covers_every_required_item(checklists) -> None:
    report = match.check(read_outline(EXAMPLES / "complete-county-2024.txt"), checklists)
    assert report.required_gaps() == []
    status = {f.item_id: f.status for c in report.checklists for f in c.findings}
    assert status["rules.legislation"] == "missing"  # a county has no legislative power
    for c in report.checklists:
        for f in c.findings:
            if f.status == "covered":
                assert f.evidence and all(e.quote for e in f.evidence)
