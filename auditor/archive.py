"""The archive of audits: an SQLite file that remembers every audited report across runs.

Why SQLite: embedded (no server), one file the user can copy, transactions that survive a
killed process, and a lock that lets two runs share a file safely. The schema is in
``docs/archive.md``; its version is ``PRAGMA user_version`` and ``MIGRATIONS`` bring an
older file up to date inside one transaction (tested from every earlier version).

What is stored: each report's bytes once (by sha256, zlib-compressed) with what it says
about itself (body, normalised body key, level, year, title, publication date); each run
(auditor version, ``--kind``, checklist ids, versions and file hashes); each audit of a
report in a run with every verdict and its evidence. Re-running adds a new run and new
audits, never replaces old ones. A whole batch is written in one transaction, so a run
killed midway leaves the archive as it was before the run.

Only the parent process of a batch writes here (workers never open the archive).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import stat
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .bodies import body_key, find_body
from .errors import AuditorError, os_reason
from .level import body_name
from .model import score

SCHEMA_VERSION = 2
WAIT_SECONDS = 60.0  # how long a run waits for another run's write to finish

# Migration N brings a file from version N-1 to version N. Never edit a released one: add one.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE contents (
            sha256 TEXT PRIMARY KEY,
            format TEXT NOT NULL,
            size INTEGER NOT NULL,
            data BLOB NOT NULL)""",
        """CREATE TABLE reports (
            sha256 TEXT PRIMARY KEY REFERENCES contents(sha256),
            body TEXT, body_key TEXT, level TEXT, year INTEGER,
            title TEXT, published TEXT, chars INTEGER NOT NULL)""",
        "CREATE INDEX reports_body ON reports(body_key, year)",
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL, auditor_version TEXT NOT NULL, kind TEXT, command TEXT NOT NULL)""",
        """CREATE TABLE run_checklists (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            checklist_id TEXT NOT NULL, version TEXT NOT NULL, digest TEXT)""",
        """CREATE TABLE audits (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            sha256 TEXT NOT NULL REFERENCES reports(sha256),
            path TEXT NOT NULL, score REAL NOT NULL,
            covered INTEGER NOT NULL, partial INTEGER NOT NULL, missing INTEGER NOT NULL)""",
        "CREATE INDEX audits_report ON audits(sha256)",
        """CREATE TABLE verdicts (
            id INTEGER PRIMARY KEY,
            audit_id INTEGER NOT NULL REFERENCES audits(id),
            checklist_id TEXT NOT NULL, item_id TEXT NOT NULL,
            severity TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL)""",
        "CREATE INDEX verdicts_audit ON verdicts(audit_id)",
        """CREATE TABLE evidence (
            verdict_id INTEGER NOT NULL REFERENCES verdicts(id),
            rank INTEGER NOT NULL, quote TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            path TEXT, part TEXT, kind TEXT)""",
        "CREATE INDEX evidence_verdict ON evidence(verdict_id)",
    ),
    # Overrides (a reviewer's correction of a verdict, issue 14) are kept beside the verdict
    # they correct; the audit keeps the overrides file it applied, as JSON.
    2: (
        "ALTER TABLE verdicts ADD COLUMN override_status TEXT",
        "ALTER TABLE verdicts ADD COLUMN override_note TEXT",
        "ALTER TABLE audits ADD COLUMN overrides TEXT",
    ),
}


class ArchiveError(AuditorError):
    """The archive file cannot be opened, is not an archive, or stays locked."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__("A304", path, detail=detail)


@dataclass(frozen=True)
class StoredReport:
    """A report in the archive with its latest audit."""

    sha256: str
    body: str
    body_key: str
    level: str | None
    year: int | None
    title: str | None
    published: str | None
    path: str
    score: float
    covered: int
    partial: int
    missing: int
    audits: int


@dataclass(frozen=True)
class AuditRecord:
    """Everything one audit of one report adds to the archive (built before the transaction)."""

    sha256: str
    raw: bytes
    fmt: str
    path: str
    level: str | None
    data: dict[str, Any]  # the report's check JSON (auditor.render.report_dict)


class Archive:
    """An open archive file; use as a context manager."""

    def __init__(self, path: str | Path, aliases: dict[str, str] | None = None,
                 notify: Callable[[str], None] | None = None) -> None:
        self.path = str(path)
        self.aliases = aliases or {}
        self.notify = notify
        _refuse_special(Path(path))
        try:
            self.db = sqlite3.connect(self.path, timeout=0.2, isolation_level=None)
            self.db.execute("PRAGMA foreign_keys = ON")
            self._wal()
            self.migrate()
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(self.path, _reason(exc)) from None

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file (nothing is pending: every write commits or rolls back)."""
        self.db.close()

    def _wal(self) -> None:
        """Write-ahead logging: readers never block the writer, and a killed writer leaves a
        log that the next opening rolls back."""
        with contextlib.suppress(sqlite3.OperationalError):  # another run holds it: keep the mode it set
            self.db.execute("PRAGMA journal_mode = WAL")

    @property
    def version(self) -> int:
        """The schema version of the file (0 for a new, empty file)."""
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self, target: int = SCHEMA_VERSION) -> None:
        """Bring the file up to ``target``, each step in the same transaction as its version."""
        if self.version > SCHEMA_VERSION:
            raise ArchiveError(self.path, f"归档库的版本（{self.version}）高于本工具支持的版本（{SCHEMA_VERSION}），请升级 auditor")
        if self.version >= target:
            return
        with self.transaction():
            current = self.version
            if current == 0 and self._has_foreign_tables():
                raise ArchiveError(self.path, "该文件是 SQLite 数据库，但不是审核归档库")
            for v in range(current + 1, target + 1):
                for sql in MIGRATIONS[v]:
                    self.db.execute(sql)
            self.db.execute(f"PRAGMA user_version = {int(target)}")

    def _has_foreign_tables(self) -> bool:
        return self.db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE (the write lock up front); wait for another run with a message,
        and give up with a clear error after ``WAIT_SECONDS``. Commit or roll back whole."""
        deadline = time.monotonic() + WAIT_SECONDS
        told = False
        while True:
            try:
                self.db.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise ArchiveError(self.path, _reason(exc)) from None
                if time.monotonic() > deadline:
                    raise ArchiveError(self.path, f"另一运行正在写入归档库，等待 {WAIT_SECONDS:.0f} 秒后仍未结束；请稍后重试") from None
                if not told and self.notify:
                    self.notify(f"{self.path}: 另一运行正在写入归档库，等待其完成…")
                    told = True
                time.sleep(0.2)
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # -- writing ------------------------------------------------------------------------------
    def record_run(self, audits: Sequence[AuditRecord], checklists: Sequence, kind: str | None,
                   command: str = "batch") -> int:
        """Add one run and its audits in one transaction; returns the run id."""
        with self.transaction() as db:
            started = datetime.now(UTC).isoformat(timespec="seconds")
            run = db.execute("INSERT INTO runs (started, auditor_version, kind, command) VALUES (?, ?, ?, ?)",
                             (started, __version__, kind, command)).lastrowid
            assert run is not None  # an INSERT always sets it
            db.executemany("INSERT INTO run_checklists VALUES (?, ?, ?, ?)",
                           [(run, c.id, c.version, _digest(c.path)) for c in checklists])
            for a in audits:
                self._add_audit(db, run, a)
            return int(run)

    def _add_audit(self, db: sqlite3.Connection, run: int, a: AuditRecord) -> None:
        src = a.data["source"]
        body = body_name(src.get("issuer"), src.get("title")) or ""
        key = self._canonical_key(db, body_key(body, self.aliases))
        db.execute("INSERT OR IGNORE INTO contents VALUES (?, ?, ?, ?)",
                   (a.sha256, a.fmt, len(a.raw), zlib.compress(a.raw, 6)))
        db.execute("INSERT OR IGNORE INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (a.sha256, body, key, a.level, src.get("year"), src.get("title"), src.get("published"),
                    src.get("chars") or 0))
        lists = a.data["checklists"]
        counts = [sum(c["summary"][k] for c in lists) for k in ("covered", "partial", "missing")]
        audit = db.execute("INSERT INTO audits (run_id, sha256, path, score, covered, partial, missing) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (run, a.sha256, a.path, score(*counts), *counts)).lastrowid
        for c in lists:
            for it in c["items"]:
                verdict = db.execute(
                    "INSERT INTO verdicts (audit_id, checklist_id, item_id, severity, status, reason) VALUES (?, ?, ?, ?, ?, ?)",
                    (audit, c["id"], it["id"], it["severity"], it["status"], it["reason"])).lastrowid
                db.executemany(
                    'INSERT INTO evidence (verdict_id, rank, quote, start, "end", path, part, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
                    [(verdict, k, e["quote"], e["start"], e["end"], e["path"], e["part"], e["kind"])
                     for k, e in enumerate(it["evidence"])])

    def _canonical_key(self, db: sqlite3.Connection, key: str) -> str:
        """An archived key naming the same body (so 浦东新区 joins 上海市浦东新区), else ``key``."""
        if not key:
            return key
        keys = [r[0] for r in db.execute("SELECT DISTINCT body_key FROM reports WHERE body_key != ''")]
        return find_body(key, keys) or key

    # -- reading ------------------------------------------------------------------------------
    def reports_of(self, body: str) -> list[StoredReport]:
        """The reports of a body (by normalised name), by year, each with its latest audit."""
        key = body_key(body, self.aliases)
        keys = [r[0] for r in self.db.execute("SELECT DISTINCT body_key FROM reports WHERE body_key != ''")]
        match = find_body(key, keys)
        if match is None:
            return []
        same = [k for k in keys if k == match or find_body(k, [match]) is not None]
        marks = ",".join("?" * len(same))
        rows = self.db.execute(
            f"""SELECT r.sha256, r.body, r.body_key, r.level, r.year, r.title, r.published,
                       a.path, a.score, a.covered, a.partial, a.missing,
                       (SELECT count(*) FROM audits WHERE sha256 = r.sha256)
                FROM reports r JOIN audits a ON a.id = (SELECT max(id) FROM audits WHERE sha256 = r.sha256)
                WHERE r.body_key IN ({marks}) ORDER BY r.year, a.id""", same).fetchall()
        return [StoredReport(*row) for row in rows]

    def previous_year(self, issuer: str | None, title: str | None, year: int | None) -> StoredReport | None:
        """The latest-audited report of the same body for ``year - 1``, if archived."""
        body = body_name(issuer, title)
        if not body or year is None:
            return None
        found = [r for r in self.reports_of(body) if r.year == year - 1]
        return found[-1] if found else None

    def content(self, sha256: str) -> tuple[bytes, str]:
        """A report's bytes as read, and its format."""
        row = self.db.execute("SELECT data, format FROM contents WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            raise ArchiveError(self.path, f"缺少内容 {sha256[:12]}")
        return zlib.decompress(row[0]), row[1]

    def counts(self) -> dict[str, int]:
        """Rows per table (for tests and the README)."""
        return {t: self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("contents", "reports", "runs", "audits", "verdicts", "evidence")}


def _refuse_special(path: Path) -> None:
    """Only a regular file (or a new one) is an archive: SQLite would write into /dev/null,
    a FIFO or a device as readily as into a file."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ArchiveError(str(path), os_reason(exc)) from None
    if not stat.S_ISREG(mode):
        raise ArchiveError(str(path), "不是普通文件（目录、设备或管道），不能作为归档库")


def _digest(path: str) -> str | None:
    from .batch import _file_digest

    return _file_digest(path)


def _reason(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "not a database" in text:
        return "不是 SQLite 归档库文件（或文件已损坏）"
    if "locked" in text or "busy" in text:
        return "归档库被另一运行锁定"
    if "unable to open" in text:
        return "无法打开归档库文件（目录不存在或没有写入权限）"
    return f"归档库出错：{text}"


def audit_record(path: str, sha256: str, level: str | None, data: dict[str, Any]) -> AuditRecord | None:
    """Read a report's bytes for the archive; None when the file changed since it was audited."""
    try:
        raw = Path(path).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(raw).hexdigest() != sha256:
        return None
    return AuditRecord(sha256, raw, data["source"].get("format") or Path(path).suffix.lstrip("."), path, level, data)


def read_json(path: Path) -> dict[str, Any] | None:
    """A per-report JSON written by the batch, or None when it is missing or damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "source" in data and "checklists" in data else None
