"""Batch mode: audit a whole corpus in parallel, skip what is unchanged, summarise.

Inputs are files, folders (searched recursively; files in unsupported formats are listed) and
``@LIST`` files (one path per line). Each report is checked in a worker process that
loaded the pipeline once (``--workers 1`` checks in-process) and writes its own
``<name>.json`` plus the human format into the output folder; the parent only collects
a small ``Record`` per report, so results never depend on the worker count or on the
order in which workers finish. ``.auditor-cache.json`` in the output folder remembers,
per input, the content hash and the configuration that produced its outputs, so a
re-run only checks what changed. The summaries (``summary.csv``, ``summary.html``)
are written by ``auditor.summary`` from the records, in input order.

Heavy modules (spaCy, pkuseg, the matcher) are imported only where a report is
checked, so a fully cached re-run never loads the pipeline.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, limits
from .errors import AuditorError, InputError, OutputError, os_reason
from .ingest_formats import EXTRA_FORMATS
from .limits import Limits
from .output import write_atomic
from .overrides import STALE_PREFIX, Overrides
from .batch_memo import MemoSpec
from .summary import HUMAN_EXTENSIONS, write_summaries

SUFFIXES: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".docx", *EXTRA_FORMATS)
# Files in a report folder that are never reports (scripts, styles, data and results): not
# listed. Any other file with an unsupported suffix is listed in the summary as unreadable.
NOT_REPORTS: frozenset[str] = frozenset({".py", ".sh", ".bat", ".ps1", ".js", ".css", ".map", ".json", ".yaml",
                                         ".yml", ".lock", ".log", ".pyc"})
LIST_PREFIX = "@"
CACHE_NAME = ".auditor-cache.json"
CACHE_FORMAT = 3  # 2: records carry the level and stale overrides (issue 14); 3: the conclusion and text hash
SUMMARY_STEMS = frozenset({"summary"})  # names taken by summary.csv / summary.html
WORKER_MEMORY = 400_000_000  # bytes per worker: measured RSS ~0.25 GB (the model is shared), rounded up
_SAVE_EVERY = 5.0  # seconds between cache checkpoints, so an interrupted run keeps its work

Progress = Callable[[int, int], None]


# -- inputs ------------------------------------------------------------------------------
def collect_inputs(specs: Sequence[str], exclude: Path | None = None) -> list[str]:
    """The report paths named by INPUT arguments, in argument order, each once.

    A folder contributes its files with a supported suffix, recursively, in sorted path
    order, skipping hidden files and folders, ``README.*`` files and ``exclude`` (the
    output folder, so a re-run never audits its own results). ``@FILE`` reads one path per line: blank lines
    and lines starting with ``#`` are ignored, relative paths are relative to the list
    file's folder, and ``@-`` reads standard input (paths relative to the current
    folder). A named path that does not exist is kept: it is reported as a failed input.
    """
    if exclude is not None:
        refuse_output_as_input_folder(specs, exclude)
    out: list[str] = []
    seen: set[Path] = set()
    for spec in specs:
        for path in _expand(spec, exclude):
            key = Path(path).resolve()
            if key not in seen:
                seen.add(key)
                out.append(path)
    return out


def refuse_output_as_input_folder(specs: Sequence[str], output: Path) -> None:
    """The output folder may not be an input folder: its results (.html, .md) would overwrite
    inputs of the same name and be audited as reports on the next run. A subfolder of the
    inputs is fine: walking skips it."""
    target = output.resolve()
    for spec in specs:
        if not spec.startswith(LIST_PREFIX) and Path(spec).is_dir() and Path(spec).resolve() == target:
            raise OutputError("A302", str(output), detail="输出目录与输入目录相同：结果会覆盖同名文稿并在下次被当作报告审核；请另选输出目录（可为其子目录）")


def _expand(spec: str, exclude: Path | None) -> list[str]:
    if spec.startswith(LIST_PREFIX) and len(spec) > 1:
        return [p for entry in read_list(spec[1:]) for p in _expand_path(entry, exclude)]
    return _expand_path(spec, exclude)


def _expand_path(spec: str, exclude: Path | None) -> list[str]:
    path = Path(spec)
    return walk(path, exclude) if path.is_dir() else [spec]


def read_list(name: str) -> list[str]:
    """The paths of a list file (``-`` = stdin); a missing list file is a usage error."""
    if name == "-":
        lines, base = sys.stdin.read().splitlines(), None
    else:
        try:
            lines = Path(name).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            detail = getattr(exc, "strerror", None) or type(exc).__name__
            raise OutputError("A301", name, detail=f"无法读取列表文件：{detail}") from None
        base = Path(name).parent
    entries = [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")]
    if base is None or str(base) == ".":
        return entries
    return [e if Path(e).is_absolute() else str(base / e) for e in entries]


def walk(folder: Path, exclude: Path | None = None) -> list[str]:
    """Supported report files under ``folder``, recursively, sorted, hidden ones skipped."""
    skip = exclude.resolve() if exclude is not None else None
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() != skip)
        for f in sorted(files):
            if _is_report_name(f):
                found.append(str(here / f))
    return sorted(found, key=lambda p: Path(p).parts)


def _is_report_name(name: str) -> bool:
    """Not hidden, not a folder's README (documentation, not a report) and not a script or
    data file; a file in an unsupported format is kept, to be listed with its reason."""
    p = Path(name)
    return not name.startswith(".") and p.suffix.lower() not in NOT_REPORTS and p.stem.upper() != "README"


# -- output names ------------------------------------------------------------------------
def output_bases(inputs: Sequence[str], folder: Path | None = None) -> dict[str, str]:
    """One unique output base name (no extension) per input.

    Same rule as ``auditor.output.output_names`` (``<stem>``; ``<stem>.<suffix>`` when
    stems collide; ``-2``, ``-3`` … after that) but linear in the number of inputs, and
    never ``summary`` (taken by the summary files) nor a name used twice, nor a name whose
    output files would be an input lying in the output ``folder``.
    """
    inputs_here = {Path(p).name.lower() for p in inputs if folder is not None and _in_folder(p, folder)}
    stems: dict[str, int] = {}
    for path in inputs:
        stem = Path(path).stem
        stems[stem] = stems.get(stem, 0) + 1
    used: dict[str, int] = {}
    taken: set[str] = set()
    names: dict[str, str] = {}
    for path in inputs:
        p = Path(path)
        clash = stems[p.stem] > 1 or p.stem.lower() in SUMMARY_STEMS
        base = f"{p.stem}.{p.suffix.lstrip('.')}" if clash else p.stem
        n = used.get(base, 0)
        used[base] = n + 1
        name = f"{base}-{n + 1}" if n else base
        while name.lower() in taken or name.lower() in SUMMARY_STEMS or _shadows(name, inputs_here):
            n += 1
            name = f"{base}-{n + 1}"
        taken.add(name.lower())
        names[path] = name
    return names


def _in_folder(path: str, folder: Path) -> bool:
    return Path(path).resolve().parent == folder.resolve()


OUTPUT_EXTENSIONS = ("json", "html", "md", "txt")


def _shadows(name: str, inputs_here: set[str]) -> bool:
    """Would one of the outputs of ``name`` (name.json, name.html…) replace an input?"""
    return any(f"{name}.{ext}".lower() in inputs_here for ext in OUTPUT_EXTENSIONS)


# -- records -----------------------------------------------------------------------------
@dataclass
class Record:
    """What the summaries need about one report; also what the cache keeps per input."""

    path: str
    name: str
    sha256: str | None = None
    outputs: list[str] = field(default_factory=list)
    title: str | None = None
    issuer: str | None = None
    year: int | None = None
    chars: int = 0
    score: float | None = None
    covered: int = 0
    partial: int = 0
    missing: int = 0
    required_open: list[str] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    level: str | None = None
    level_from: str | None = None
    stale: list[str] = field(default_factory=list)
    conclusion: str | None = None  # the memo's conclusion code (auditor.memo.conclude)
    text_sha256: str | None = None  # of the normalised text: the same report in two formats

    @property
    def ok(self) -> bool:
        """Whether the report was checked (as opposed to failing)."""
        return self.error is None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        """Rebuild a record read back from the cache; TypeError when any field has the wrong
        type or an output is not a plain file name (the cache is a file anyone can edit)."""
        if not isinstance(data, dict):
            raise TypeError("record")
        rec = cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
        rec.validate()
        return rec

    def validate(self) -> None:
        """Check every field's type, and that outputs are plain names inside the output folder."""
        _typed(self.path, str), _typed(self.name, str)
        _typed(self.sha256, (str, type(None))), _typed(self.title, (str, type(None)))
        _typed(self.issuer, (str, type(None))), _typed(self.error, (str, type(None)))
        _typed(self.level, (str, type(None))), _typed(self.level_from, (str, type(None)))
        _typed(self.conclusion, (str, type(None))), _typed(self.text_sha256, (str, type(None)))
        _typed(self.stale, list)
        if not all(isinstance(m, str) for m in self.stale):
            raise TypeError("stale")
        _typed(self.year, (int, type(None))), _typed(self.score, (int, float, type(None)))
        for n in (self.chars, self.covered, self.partial, self.missing):
            _typed(n, int)
        _typed(self.outputs, list), _typed(self.required_open, list), _typed(self.statuses, dict)
        for o in self.outputs:
            _typed(o, str)
            if not o or o in (".", "..") or "/" in o or "\\" in o or Path(o).name != o:
                raise TypeError(f"output {o!r} is not a plain file name")
        if not all(isinstance(i, str) for i in self.required_open) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.statuses.items()
        ):
            raise TypeError("item ids and statuses")


def _typed(value: object, kinds: type | tuple[type, ...]) -> None:
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise TypeError(f"{value!r} is not {kinds}")


def record_from_json(path: str, name: str, sha: str | None, data: dict[str, Any], outputs: list[str],
                     conclusion: str | None = None, text_sha256: str | None = None) -> Record:
    """Summarise a ``report_dict`` (the per-report JSON) into a record.

    Scores and counts are derived from the JSON itself, so the summaries always agree
    with the per-report files.
    """
    lists = data["checklists"]
    counts = {k: sum(c["summary"][k] for c in lists) for k in ("covered", "partial", "missing")}
    n = sum(counts.values())
    src = data["source"]
    return Record(
        path=path,
        name=name,
        sha256=sha,
        outputs=outputs,
        title=src.get("title"),
        issuer=src.get("issuer"),
        year=src.get("year"),
        chars=src.get("chars") or 0,
        score=round(100 * (counts["covered"] + 0.5 * counts["partial"]) / n, 1) if n else 0.0,
        required_open=[i for c in lists for i in c["summary"]["required_open"]],
        statuses={it["id"]: it["status"] for c in lists for it in c["items"]},
        level=src.get("level"),
        level_from=src.get("level_from"),
        stale=[w for w in src.get("warnings", []) if w.startswith(STALE_PREFIX)],
        conclusion=conclusion,
        text_sha256=text_sha256,
        **counts,
    )


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


# -- cache -------------------------------------------------------------------------------
def config_digest(checklists: Sequence, kind: str | None, fmt: str, overrides: Overrides | None = None,
                  memo: MemoSpec | None = None) -> str:
    """A hash of everything besides the report's bytes that shapes its outputs (the
    overrides file included: a changed decision re-checks the reports; the memo options
    when memos are written)."""
    from .render import SCHEMA_VERSION

    lists = [[c.id, c.version, _file_digest(c.path)] for c in checklists]
    config = {"cache": CACHE_FORMAT, "auditor": __version__, "schema": SCHEMA_VERSION,
              "checklists": lists, "kind": kind, "format": fmt,
              "overrides": repr(overrides.entries) if overrides is not None else None,
              "limits": asdict(limits.current())}
    if memo is not None:
        config["memo"] = memo.key()
    blob = json.dumps(config, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _file_digest(path: str) -> str | None:
    """Content hash of a checklist file, so an edit without a version bump still counts."""
    try:
        return file_sha256(path)
    except OSError:
        return None


class NotRegularFile(OSError):
    """A path that is a device, FIFO or socket: never opened (a FIFO blocks, /dev/zero never ends)."""


def file_sha256(path: str | Path) -> str:
    """The sha256 of a regular file's bytes, read in chunks."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotRegularFile(path)
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Cache:
    """``DIR/.auditor-cache.json``: per input path, the hash, configuration and record."""

    def __init__(self, folder: Path, config: str, entries: dict[str, dict[str, Any]] | None = None) -> None:
        self.path = folder / CACHE_NAME
        self.folder = folder
        self.config = config
        self.entries = entries or {}

    @classmethod
    def load(cls, folder: Path, config: str) -> Cache:
        """Read the cache; a missing, foreign or damaged file means an empty cache."""
        try:
            data = json.loads((folder / CACHE_NAME).read_text(encoding="utf-8"))
            entries = data["entries"] if data.get("format") == CACHE_FORMAT else {}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            entries = {}
        return cls(folder, config, entries if isinstance(entries, dict) else {})

    def lookup(self, path: str, sha: str, name: str) -> Record | None:
        """The cached record when nothing that shapes the outputs changed and they exist."""
        entry = self.entries.get(path)
        if not isinstance(entry, dict) or entry.get("config") != self.config:
            return None
        try:
            rec = Record.from_dict(entry["record"])
        except (KeyError, TypeError, ValueError):
            return None  # a damaged or edited entry: the report is audited again
        if rec.sha256 != sha or rec.name != name or rec.path != path:
            return None
        if not all((self.folder / o).is_file() for o in rec.outputs):
            return None
        return rec

    def store(self, rec: Record) -> None:
        """Remember a record produced under the current configuration."""
        self.entries[rec.path] = {"config": self.config, "record": asdict(rec)}

    def save(self) -> None:
        """Write the cache atomically (entries for inputs not in this run are kept)."""
        data = {"format": CACHE_FORMAT, "entries": self.entries}
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


# -- one report (runs in a worker, or in-process) ---------------------------------------------
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


@dataclass
class _State:
    checklists: Sequence = ()
    kind: str | None = None
    overrides: Overrides | None = None
    fmt: str = "html"
    folder: Path = Path(".")
    init_seconds: float = 0.0
    memo: MemoSpec | None = None


_STATE = _State()


def setup(checklists: Sequence, kind: str | None, fmt: str, folder: str, lim: Limits | None = None,
          parent: int | None = None, overrides: Overrides | None = None, memo: MemoSpec | None = None) -> None:
    """Load the pipeline and register the checklist terms once for this process."""
    t0 = time.perf_counter()
    from . import match, nlp

    if lim is not None:  # workers do not inherit the parent's context
        limits.set_current(lim)
    nlp.warm()
    match.register_terms(checklists)
    _STATE.checklists, _STATE.kind, _STATE.fmt, _STATE.folder = checklists, kind, fmt, Path(folder)
    _STATE.overrides = overrides
    _STATE.memo = memo
    _STATE.init_seconds = time.perf_counter() - t0


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


def run_task(task: Task) -> Outcome:
    """Check one report and write its outputs; any failure becomes the record's error."""
    outcome, files = compute_task(task)
    return write_outputs(outcome, files, _STATE.folder)


def compute_task(task: Task, raw: bytes | None = None) -> tuple[Outcome, dict[str, str | bytes]]:
    """Check one report (from its path, or from ``raw``, the bytes a client sent) and render
    its outputs without writing them: the outcome, and the output files' names and texts."""
    started, t0, c0 = time.time(), time.perf_counter(), time.thread_time()
    files: dict[str, str | bytes] = {}
    try:
        rec, files = _check_one(task, raw)
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
        init_seconds=_STATE.init_seconds,
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


def _check_one(task: Task, raw: bytes | None = None) -> tuple[Record, dict[str, str | bytes]]:
    from .batch_memo import build_batch_memo, render_batch_memo, text_digest
    from .pipeline import check, outline_from_bytes, read_outline
    from .render import render_report

    with limits.deadline(task.path):  # reading, outline, matching and rendering share the limit
        outline = read_outline(task.path) if raw is None else outline_from_bytes(raw, task.path)
        report = check(outline, _STATE.checklists, _STATE.kind, _STATE.overrides)
        text = render_report(report, "json")
        rendered = render_report(report, _STATE.fmt)
        memo = build_batch_memo(report, outline, _STATE.checklists, _STATE.kind, _STATE.memo)
        memo_file = render_batch_memo(memo, task.name, _STATE.memo) if _STATE.memo else None
    human = f"{task.name}.{HUMAN_EXTENSIONS[_STATE.fmt]}"
    json_name = f"{task.name}.json"
    files: dict[str, str | bytes] = {json_name: text, human: rendered}
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


# -- the batch ---------------------------------------------------------------------------
@dataclass
class BatchResult:
    """Every record in input order, plus what this run did and how fast."""

    records: list[Record]
    checked: int
    cached: int
    workers: int
    outcomes: list[Outcome] = field(default_factory=list)
    wall: float = 0.0
    began: float = 0.0  # time.time() at the start, to compare with Outcome.started

    @property
    def failed(self) -> list[Record]:
        """Reports that could not be checked."""
        return [r for r in self.records if not r.ok]

    def exit_code(self) -> int:
        """2 when nothing could be checked; 1 for any failure or required gap; else 0."""
        ok = [r for r in self.records if r.ok]
        if not ok:
            return 2
        return 1 if self.failed or any(r.required_open for r in ok) else 0


def default_workers() -> int:
    """Usable cores, capped by the memory available for ~1 GB per worker."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    avail = _available_memory()
    if avail:
        cores = min(cores, max(1, avail // WORKER_MEMORY))
    return max(1, cores)


def _available_memory() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def run_batch(
    inputs: Sequence[str],
    output: str | Path,
    checklists: Sequence,
    kind: str | None = None,
    fmt: str = "html",
    workers: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    archive: Archiving | None = None,
    overrides: Overrides | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    memo: MemoSpec | None = None,
) -> BatchResult:
    """Check every input (skipping unchanged ones), write per-report outputs and summaries
    (and a memo per report when ``memo`` says which); with ``archive``, record the run
    there and compare each report with last year's.

    ``engine="dask"`` runs the per-report work on a Dask cluster (``scheduler``, else a
    LocalCluster here; see ``auditor.engine_dask``); the outputs are the same bytes."""
    t0, began = time.perf_counter(), time.time()
    folder = _output_folder(output)
    with _folder_lock(folder):
        return _run_locked(folder, inputs, checklists, kind, fmt, workers, use_cache, progress, t0, began, archive,
                           overrides, Engine(engine, scheduler), memo)


@dataclass(frozen=True)
class Engine:
    """Where the per-report work runs: ``local`` (this process or a process pool) or ``dask``."""

    name: str = "local"
    scheduler: str | None = None


@dataclass(frozen=True)
class Archiving:
    """``--archive``: where the archive is, the body-name mapping, where to say we wait."""

    path: str
    aliases: dict[str, str] = field(default_factory=dict)
    notify: Callable[[str], None] | None = None


def _archive(arc: Archiving | None, folder: Path, done: list[Record], checklists: Sequence, kind: str | None,
             fmt: str) -> tuple[dict[str, Any], AuditorError | None]:
    """Record the run in the archive (parent process only) and compare with last year;
    an archive error is returned, to be raised once the summaries are written."""
    if arc is None:
        return {}, None
    from .yoy import archive_batch

    try:
        return archive_batch(arc.path, folder, done, checklists, kind, fmt, arc.aliases, arc.notify), None
    except AuditorError as exc:
        return {}, exc


LOCK_NAME = ".auditor-lock"


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """One batch at a time per output folder: a lock file holding the owner's pid. A lock
    whose owner is gone (a killed run) is stale and taken over; a live one is a clear error
    (two runs with different options would otherwise mix their results in one cache)."""
    path = folder / LOCK_NAME
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            owner = _lock_owner(path)
            if owner is not None and owner != os.getpid() and _running(owner):
                raise OutputError("A302", str(folder), detail=f"另一批量审核（进程 {owner}）正在使用该输出目录；请待其结束，或另选输出目录") from None
            with contextlib.suppress(FileNotFoundError):
                path.unlink()  # stale: its owner is gone
            continue
        except OSError as exc:
            raise OutputError("A302", str(path), detail=os_reason(exc)) from None
        with os.fdopen(fd, "w") as fh:
            fh.write(str(os.getpid()))
        break
    else:
        raise OutputError("A302", str(folder), detail="无法取得输出目录的锁")
    try:
        yield
    finally:
        if _lock_owner(path) == os.getpid():
            with contextlib.suppress(OSError):
                path.unlink()


def _lock_owner(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _run_locked(folder: Path, inputs: Sequence[str], checklists: Sequence, kind: str | None, fmt: str,
                workers: int | None, use_cache: bool, progress: Progress | None, t0: float, began: float,
                archive: Archiving | None = None, overrides: Overrides | None = None,
                engine: Engine = Engine(), memo: MemoSpec | None = None) -> BatchResult:
    """The batch proper, with the output folder locked."""
    config = config_digest(checklists, kind, fmt, overrides, memo)
    cache = Cache.load(folder, config) if use_cache else Cache(folder, config)
    records, tasks = _plan(inputs, output_bases(inputs, folder), cache)
    cached = sum(1 for r in records if r is not None and r.sha256 is not None)
    n = min(workers or default_workers(), len(tasks)) or 1
    outcomes: list[Outcome] = []
    saved = time.perf_counter()
    interrupted, restore = False, None
    try:
        init = (checklists, kind, fmt, str(folder), limits.current(), os.getpid(), overrides, memo)
        for out in _execute(tasks, n, init, progress, engine):
            outcomes.append(out)
            records[out.index] = out.record
            if out.cacheable:
                cache.store(out.record)
            if time.perf_counter() - saved > _SAVE_EVERY:
                cache.save()
                saved = time.perf_counter()
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM turned into it by the CLI
        interrupted = True
        restore = _exit_on_second_interrupt()
    finally:
        cache.save()
    done = [r for r in records if r is not None]
    note = f"运行被中断：已完成 {len(outcomes)}/{len(tasks)} 份，其余未审核" if interrupted else None
    yoy, archive_error = _archive(None if interrupted else archive, folder, done, checklists, kind, fmt)
    write_summaries(folder, done, checklists, kind, fmt, note, yoy=yoy)
    if archive_error is not None:
        raise archive_error
    result = BatchResult(done, len(tasks), cached, n, outcomes, time.perf_counter() - t0, began)
    if restore is not None:
        restore()
    if interrupted:
        raise BatchInterrupted(result)
    return result


class BatchInterrupted(Exception):
    """The run was interrupted; finished results, the cache and the summaries are saved."""

    def __init__(self, result: BatchResult) -> None:
        super().__init__("interrupted")
        self.result = result


def _exit_on_second_interrupt() -> Callable[[], None] | None:
    """While the finished work is saved, a second Ctrl-C leaves at once (the cache and the
    outputs are written atomically, so whatever is on disk stays whole). Returns what puts
    the previous handlers back."""
    if threading.current_thread() is not threading.main_thread():
        return None
    before = {sig: signal.signal(sig, lambda *_: os._exit(130)) for sig in (signal.SIGINT, signal.SIGTERM)}
    return lambda: [signal.signal(sig, h) for sig, h in before.items()] and None


def _output_folder(output: str | Path) -> Path:
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise OutputError("A301", str(output), detail="--output 须为目录，但这是一个已存在的文件")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError("A302", str(output), detail=os_reason(exc)) from None
    return folder


def _plan(inputs: Sequence[str], names: dict[str, str], cache: Cache) -> tuple[list[Record | None], list[Task]]:
    """Records already known (cached, or unreadable here) and the tasks left to run."""
    records: list[Record | None] = []
    tasks: list[Task] = []
    for i, path in enumerate(inputs):
        name = names[path]
        if Path(path).suffix.lower() not in SUFFIXES:  # listed with its reason, never opened
            suffix = Path(path).suffix or "（无扩展名）"
            records.append(Record(path=path, name=name, error=InputError("A104", path, detail=suffix).format_message()))
            continue
        try:
            sha, size = file_sha256(path), Path(path).stat().st_size
        except OSError as exc:
            detail = "文件不存在" if not Path(path).exists() else os_reason(exc)
            if Path(path).is_dir():
                detail = "是目录而不是文件"
            elif isinstance(exc, NotRegularFile):
                detail = "不是普通文件（设备、管道或套接字），已跳过"
            records.append(Record(path=path, name=name, error=InputError("A101", path, detail=detail).format_message()))
            continue
        hit = cache.lookup(path, sha, name)
        records.append(hit)
        if hit is None:
            tasks.append(Task(i, path, name, sha, size))
    return records, tasks


def _execute(tasks: list[Task], workers: int, init: tuple, progress: Progress | None,
             engine: Engine = Engine()) -> Iterable[Outcome]:
    """Run the tasks in-process (one worker), in a process pool or on Dask, yielding as they finish."""
    total = len(tasks)
    if not tasks:
        return
    if engine.name == "dask":
        from .engine_dask import run_dask

        yield from run_dask(tasks, workers, init, progress, engine.scheduler)
        return
    if progress:
        progress(0, total)
    if workers <= 1:
        setup(*init)
        for k, task in enumerate(tasks, 1):
            yield run_task(task)
            if progress:
                progress(k, total)
        return
    yield from _pool(tasks, workers, init, progress)


def _pool(tasks: list[Task], workers: int, init: tuple, progress: Progress | None) -> Iterable[Outcome]:
    """Largest reports first (a shorter tail); results are re-ordered by the caller."""
    from concurrent.futures import as_completed

    ctx = _mp_context()
    order = sorted(tasks, key=lambda t: (-t.size, t.index))
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=init) as pool:
        futures: dict[Future, Task] = {pool.submit(run_task, t): t for t in order}
        try:
            for k, fut in enumerate(as_completed(futures), 1):
                yield _result(fut, futures[fut])
                if progress:
                    progress(k, len(tasks))
        except BaseException:
            # Stop now: running reports are abandoned (their outputs are written atomically,
            # so none is half-written) and queued ones cancelled.
            for proc in list(getattr(pool, "_processes", {}).values()):
                with contextlib.suppress(Exception):
                    proc.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _result(fut: Future, task: Task) -> Outcome:
    """A finished future's outcome; a dead worker fails only the reports it took down."""
    try:
        return fut.result()
    except BrokenProcessPool:
        msg = f"{task.path}: 内部错误：工作进程意外退出（可能内存不足）[A900]"
    except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
        msg = f"{task.path}: 内部错误：{type(exc).__name__}: {exc} [A900]"
    return Outcome(task.index, _failed(task, msg), cacheable=False)


def _mp_context():
    """A clean start for workers: ``forkserver`` where available, else ``spawn``.

    Never plain ``fork``: the parent may hold threads or a half-used pipeline (in tests,
    or a library caller), and a clean worker makes results independent of the parent.
    The fork server imports ``auditor._warm`` first, so the pipeline is loaded once and
    every worker is forked with it.
    """
    import multiprocessing as mp

    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["auditor._warm"])
        return ctx
    return mp.get_context("spawn")
