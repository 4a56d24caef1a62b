"""The closed vocabularies of the package, in one place: every other module imports them.

Values are the English identifiers used in checklists, JSON and code; their Chinese names
for people are in ``auditor.lang.labels``, one table per vocabulary.
"""

from __future__ import annotations

from typing import Literal, get_args

# The parts of a report (the outline stage assigns each section one of them).
Part = Literal[
    "preamble",
    "measures-and-results",
    "shortcomings",
    "first-responsible-person",
    "next-year-plan",
    "other",
]
PARTS: tuple[str, ...] = get_args(Part)
# The four parts the reporting rules require; the preamble and other matters are optional.
REQUIRED_PARTS: tuple[str, ...] = ("measures-and-results", "shortcomings", "first-responsible-person", "next-year-plan")
OPTIONAL_PARTS: tuple[str, ...] = ("preamble", "other")

# A checklist item's verdict on a report.
Status = Literal["covered", "partial", "missing", "not-applicable"]
STATUSES: tuple[str, ...] = get_args(Status)
# Statuses that count as a gap in a required item (not-applicable never does).
OPEN_STATUSES: tuple[str, ...] = ("partial", "missing")

Severity = Literal["required", "recommended"]
SEVERITIES: tuple[str, ...] = get_args(Severity)

# Mention items are judged from sentences, part items from the outline.
ItemType = Literal["mention", "part"]
ITEM_TYPES: tuple[str, ...] = get_args(ItemType)

# The level of the reporting body (inferred from title and issuer, or --kind).
Level = Literal["province", "city", "county", "township", "department"]
LEVELS: tuple[str, ...] = get_args(Level)
# What a checklist item may apply to or be required for: the levels, plus governments with
# power to make rules (设区的市 and above), which no report *is* but some items depend on.
ReportKind = Literal["province", "city", "county", "township", "department", "legislative-power"]
REPORT_KINDS: tuple[str, ...] = get_args(ReportKind)

# What kind of statement a piece of evidence is (see auditor.match.statements).
StatementKind = Literal["act", "plan", "slogan", "shortcoming", "topic", "heading", "furniture"]
STATEMENT_KINDS: tuple[str, ...] = get_args(StatementKind)
