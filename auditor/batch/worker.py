"""One report of a batch, checked in a worker process (or in-process) that loaded the
pipeline once: the task, its outcome, and the worker that holds the batch's configuration.

A process pool's initializer and a Dask worker plugin can hand the configuration to later
tasks only through the process they run in, so each process has one ``Worker``
(``PROCESS_WORKER``), set up once; the in-process engine makes its own. The check itself
(``compute``) takes the configuration as an argument.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import limits
from ..batch_memo import MemoSpec
from ..errors import AuditorError, InputError
from ..limits import Limits
from ..output import write_atomic
from ..overrides import Overrides
from ..summary import HUMAN_EXTENSIONS
from .record import Record, record_from_json

Files = dict[str, str | bytes]


@dataclass(frozen=True)
class Task:
    """One report to check: where it is, what to call its outputs, its content hash."""

    index: int
    path: str
    name: str
    sha256: str
    size: int


@dataclass
class Outcome:
    """A task's record plus measurements (never written to any output)."""

    index: int
    record: Record
    cacheable: bool
    seconds: float = 0.0
    started: float = 0.0  # time.time() in the worker, comparable across processes
    finished: float = 0.0
    pid: int = 0
    peak_rss_kb: int = 0
    init_seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time of the task's thread (throughput per core, whatever the load)



@dataclass(frozen=True)
class WorkerConfig:
    """What shapes every report's outputs in one batch, besides the report itself."""

    checklists: Sequence = ()
    kind: str | None = None
    fmt: str = "html"
    folder: Path = Path(".")
    overrides: Overrides | None = None
    memo: MemoSpec | None = None


class Worker:
    """A process's batch worker: the configuration it loaded and how long loading took."""

    def __init__(self) -> None:
        self.config = WorkerConfig()
        self.init_seconds = 0.0

    def setup(self, checklists: Sequence, kind: str | None, fmt: str, folder: str, lim: Limits | None = None,
              parent: int | None = None, overrides: Overrides | None = None, memo: MemoSpec | None = None) -> None:
        """Load the pipeline and register the checklist terms once for this process."""
        t0 = time.perf_counter()
        from .. import match, nlp

        if lim is not None:  # workers do not inherit the parent's context
            limits.set_current(lim)
        nlp.warm()
        match.register_terms(checklists)
        self.config = WorkerConfig(checklists, kind, fmt, Path(folder), overrides, memo)
        self.init_seconds = time.perf_counter() - t0

    def run_task(self, task: Task) -> Outcome:
        """Check one report and write its outputs; any failure becomes the record's error."""
        outcome, files = self.compute_task(task)
        return write_outputs(outcome, files, self.config.folder)

    def compute_task(self, task: Task, raw: bytes | None = None) -> tuple[Outcome, Files]:
        """Check one report (from its path, or from ``raw``, the bytes a client sent) and render
        its outputs without writing them: the outcome, and the output files' names and texts."""
        return compute(task, self.config, raw, self.init_seconds)


PROCESS_WORKER = Worker()  # this process's worker, for pool initializers and Dask plugins


def setup(checklists: Sequence, kind: str | None, fmt: str, folder: str, lim: Limits | None = None,
          parent: int | None = None, overrides: Overrides | None = None, memo: MemoSpec | None = None) -> None:
    """Set up this process's worker (see ``Worker.setup``)."""
    PROCESS_WORKER.setup(checklists, kind, fmt, folder, lim, parent, overrides, memo)


def run_task(task: Task) -> Outcome:
    """``Worker.run_task`` on this process's worker (what a pool submits: a plain function)."""
    return PROCESS_WORKER.run_task(task)


def compute_task(task: Task, raw: bytes | None = None) -> tuple[Outcome, Files]:
    """``Worker.compute_task`` on this process's worker (what a Dask task calls)."""
    return PROCESS_WORKER.compute_task(task, raw)


def _init_worker(checklists: Sequence, kind: str | None, fmt: str, folder: str, lim: Limits | None = None,
                 parent: int | None = None, overrides: Overrides | None = None, memo: MemoSpec | None = None) -> None:
    """Pool initializer: Ctrl-C is the parent's business; a worker whose batch process has
    died exits (it is not orphaned, holding memory and writing); then load everything once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="parent-watch").start()
    setup(checklists, kind, fmt, folder, lim, overrides=overrides, memo=memo)


def _watch_parent(pid: int, every: float = 1.0) -> None:
    """Exit the worker once the batch process ``pid`` is gone: no longer there, a zombie
    not yet reaped, or our own parent (the fork server) has exited with it."""
    own_parent = os.getppid()
    while True:
        time.sleep(every)
        if os.getppid() != own_parent or not _running(pid):
            os._exit(1)


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc: existence is all we can tell
    return state != "Z"


def compute(task: Task, config: WorkerConfig, raw: bytes | None = None,
            init_seconds: float = 0.0) -> tuple[Outcome, Files]:
    """Check one report under ``config``: the outcome with its measurements, and the outputs."""
    started, t0, c0 = time.time(), time.perf_counter(), time.thread_time()
    files: Files = {}
    try:
        rec, files = _check_one(task, config, raw)
        cacheable = True
    except AuditorError as exc:
        rec, cacheable = _failed(task, exc.format_message()), isinstance(exc, InputError)
    except Exception as exc:  # noqa: BLE001 - one bad report must not stop the batch
        rec, cacheable = _failed(task, f"{task.path}: 内部错误：{type(exc).__name__}: {exc} [A900]"), False
    outcome = Outcome(
        index=task.index,
        record=rec,
        cacheable=cacheable,
        seconds=time.perf_counter() - t0,
        started=started,
        finished=time.time(),
        pid=os.getpid(),
        peak_rss_kb=_peak_rss_kb(),
        init_seconds=init_seconds,
        cpu_seconds=time.thread_time() - c0,
    )
    return outcome, files


def write_outputs(outcome: Outcome, files: dict[str, str | bytes], folder: Path) -> Outcome:
    """Write a report's outputs atomically into ``folder`` (by the worker, or by the client of
    a remote engine); a failed write turns the record into an error."""
    rec = outcome.record
    try:
        for name, text in files.items():
            write_atomic(folder / name, text, protect=[rec.path])
    except AuditorError as exc:
        outcome.record = Record(path=rec.path, name=rec.name, sha256=rec.sha256, error=exc.format_message())
        outcome.cacheable = False
    return outcome


def _check_one(task: Task, config: WorkerConfig, raw: bytes | None = None) -> tuple[Record, Files]:
    from ..batch_memo import build_batch_memo, render_batch_memo, text_digest
    from ..pipeline import check, outline_from_bytes, read_outline
    from ..render import render_report

    with limits.deadline(task.path):  # reading, outline, matching and rendering share the limit
        outline = read_outline(task.path) if raw is None else outline_from_bytes(raw, task.path)
        report = check(outline, config.checklists, config.kind, config.overrides)
        text = render_report(report, "json")
        rendered = render_report(report, config.fmt)
        memo = build_batch_memo(report, outline, config.checklists, config.kind, config.memo)
        memo_file = render_batch_memo(memo, task.name, config.memo) if config.memo else None
    human = f"{task.name}.{HUMAN_EXTENSIONS[config.fmt]}"
    json_name = f"{task.name}.json"
    files: Files = {json_name: text, human: rendered}
    if memo_file is not None:
        files[memo_file[0]] = memo_file[1]
    rec = record_from_json(task.path, task.name, task.sha256, json.loads(text), list(files),
                           memo.conclusion.code, text_digest(outline.doc.text))
    return rec, files


def _failed(task: Task, message: str) -> Record:
    return Record(path=task.path, name=task.name, sha256=task.sha256 or None, error=message)


def _peak_rss_kb() -> int:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak

