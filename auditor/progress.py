"""A one-line progress bar for long batches: done/total, reports per second and ETA.

Written by hand rather than with click.progressbar so the line can show the rate, and
redrawn at most a few times a second so a fast cached run does not flood the terminal.
It draws only on a terminal; piped or redirected stderr stays clean for logs.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 24
REDRAW_EVERY = 0.2  # seconds


class ProgressBar:
    """Call with (done, total) as reports finish; ``close()`` ends the line."""

    def __init__(self, stream: TextIO | None = None, label: str = "审核") -> None:
        self.stream = stream or sys.stderr
        self.label = label
        self.last = 0.0
        self.drawn = False
        self.first: float | None = None  # when the first report finished

    def __call__(self, done: int, total: int) -> None:
        """Redraw the bar after ``done`` of ``total`` reports."""
        now = time.monotonic()
        if done and self.first is None:
            self.first = now
        if done < total and now - self.last < REDRAW_EVERY:
            return
        self.last = now
        self.stream.write("\r" + self.line(done, total, self._rate(done, now)))
        self.stream.flush()
        self.drawn = True

    def _rate(self, done: int, now: float) -> float:
        """Reports per second since the first one finished, so start-up does not skew it."""
        if self.first is None or done < 2 or now <= self.first:
            return 0.0
        return (done - 1) / (now - self.first)

    def line(self, done: int, total: int, rate: float) -> str:
        """The text of the bar, e.g. ``审核 [######------] 35/200  4.2 份/秒  剩余 0:39``."""
        filled = WIDTH * done // total if total else WIDTH
        eta = _clock((total - done) / rate) if rate > 0 else "--:--"
        bar = "#" * filled + "-" * (WIDTH - filled)
        return f"{self.label} [{bar}] {done}/{total}  {rate:.1f} 份/秒  剩余 {eta} "

    def close(self) -> None:
        """Finish the line so later messages start on a fresh one."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def progress_bar(quiet: bool, stream: TextIO | None = None) -> ProgressBar | None:
    """A bar when ``stream`` (stderr) is a terminal and not ``--quiet``; otherwise None."""
    stream = stream or sys.stderr
    if quiet or not getattr(stream, "isatty", lambda: False)():
        return None
    return ProgressBar(stream)
