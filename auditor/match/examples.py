"""An item's own examples, judged by the engine ``auditor check`` uses.

Two questions, one engine:

- ``example_terms``: which of the item's terms the finder (``finder.find``) fires on in a
  sentence. The checklist loader asks it of every ``hit`` example, so a rule that misses
  its own example fails at load. It runs without a segmenter (loading must stay fast), so
  a short term is not held to token boundaries there. A Traditional example is read in
  Simplified characters, as ingest reads a report.
- ``verdict``: what the sentence, written in the results part of a report, makes of the
  item: ``covered`` (a reported act about it: finder, then the statement judgement),
  ``partial`` (named, no act) or ``missing``. A ``hit`` promises covered, a ``named``
  example partial, a ``miss`` anything but covered; the tests ask it of every shipped
  example.

The checklist package sits below this stage and imports it only inside the function that
runs the load-time check (``auditor.checklist.validate``), never at module import time.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..ingest import _t2s, from_text
from ..outline import build
from . import register_terms
from .finder import cited, find
from .mention import hits_for
from .units import mask_cited_titles, prepare

# A minimal report around an example: the sentence is the body of the results part.
RESULTS_WRAPPER = (
    "一、2024年主要举措和成效\n（一）主要工作\n{body}\n二、存在的不足和原因\n"
    "个别工作有差距，原因是人员不足。\n三、2025年工作安排\n（一）继续推进。\n"
)


def example_terms(item, sentence: str) -> list[str]:
    """The terms of ``item`` the finder fires on in ``sentence`` (no segmenter); empty when
    nothing fires or an ``exclude`` pattern vetoes it."""
    text = _t2s().convert(sentence) or sentence  # read as ingest reads a report
    found = find(item, mask_cited_titles(text), veto_text=text) or cited(item, text)
    return found.terms if found else []


def verdict(item, sentence: str, checklists: Iterable = ()) -> str:
    """covered, partial or missing: the mention item judged on ``sentence`` alone, in the
    results part of a report. ``checklists`` are the loaded set whose terms are the
    segmenter's user dictionary in a real check (``register_terms``)."""
    units = prepare(build(from_text(RESULTS_WRAPPER.format(body=sentence), "t.txt", "txt")), register_terms(checklists))
    hits = [h for h in hits_for(item, units) if h.unit.part == "measures-and-results"]
    if any(h.strong for h in hits):
        return "covered"
    return "partial" if hits else "missing"


def is_evidence(item, sentence: str, checklists: Iterable = ()) -> bool:
    """Whether ``sentence`` in the results part of a report is substantive evidence for the
    mention item: a reported act about it in that part."""
    return verdict(item, sentence, checklists) == "covered"
