"""Which sentences of a report can be about an item, found in one pass over the report.

Every item is checked against every sentence, and most pairs fail at the item's trigger
(``finder.trigger``): one bounded ``regex`` search per sentence, some 12,000 per report,
which made up about half of a check's time. The trigger's necessary literals
(``auditor.literals``) are instead looked for in all the sentences at once, joined into one
text, and only the sentences that hold one are searched with the trigger, exactly as before.
A sentence without any cannot match: the verdicts are unchanged.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from ..literals import SEPARATOR


class Joined:
    """A report's sentences joined into one text, to find literals in all of them at once."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.text = SEPARATOR.join(texts)
        self._held: dict[re.Pattern[str], list[int]] = {}  # an item is asked about twice
        self.starts: list[int] = []
        offset = 0
        for t in texts:
            self.starts.append(offset)
            offset += len(t) + len(SEPARATOR)

    def holding(self, finder: re.Pattern[str]) -> list[int]:
        """Indexes of the sentences that hold a match of ``finder`` (a literal never spans
        two sentences: no literal holds the separator)."""
        held = self._held.get(finder)
        if held is None:
            held = self._held[finder] = self._holding(finder)
        return held

    def _holding(self, finder: re.Pattern[str]) -> list[int]:
        out: list[int] = []
        pos, end = 0, len(self.text)
        while pos <= end:
            m = finder.search(self.text, pos)
            if m is None:
                break
            k = bisect_right(self.starts, m.start()) - 1
            out.append(k)
            if k + 1 >= len(self.starts):
                break
            pos = self.starts[k + 1]
        return out
