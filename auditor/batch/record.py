"""The cache record of a batch: what the summaries need about one report, and
``.auditor-cache.json``, which keeps it per input with the content hash and the
configuration that produced the outputs, so that a re-run only checks what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__, limits
from ..batch_memo import MemoSpec
from ..model import score
from ..output import write_atomic
from ..overrides import STALE_PREFIX, Overrides

CACHE_NAME = ".auditor-cache.json"
CACHE_FORMAT = 3  # 2: records carry the level and stale overrides (issue 14); 3: the conclusion and text hash


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
        for text in (self.path, self.name):
            _typed(text, str)
        for optional in (self.sha256, self.title, self.issuer, self.error, self.level, self.level_from,
                         self.conclusion, self.text_sha256):
            _typed(optional, (str, type(None)))
        _typed(self.stale, list)
        if not all(isinstance(m, str) for m in self.stale):
            raise TypeError("stale")
        _typed(self.year, (int, type(None)))
        _typed(self.score, (int, float, type(None)))
        for n in (self.chars, self.covered, self.partial, self.missing):
            _typed(n, int)
        for container, kind in ((self.outputs, list), (self.required_open, list), (self.statuses, dict)):
            _typed(container, kind)
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
        score=score(counts["covered"], counts["partial"], counts["missing"]),
        required_open=[i for c in lists for i in c["summary"]["required_open"]],
        statuses={it["id"]: it["status"] for c in lists for it in c["items"]},
        level=src.get("level"),
        level_from=src.get("level_from"),
        stale=[w for w in src.get("warnings", []) if w.startswith(STALE_PREFIX)],
        conclusion=conclusion,
        text_sha256=text_sha256,
        **counts,
    )


# -- cache -------------------------------------------------------------------------------
def config_digest(checklists: Sequence, kind: str | None, fmt: str, overrides: Overrides | None = None,
                  memo: MemoSpec | None = None) -> str:
    """A hash of everything besides the report's bytes that shapes its outputs (the
    overrides file included: a changed decision re-checks the reports; the memo options
    when memos are written)."""
    from ..render import SCHEMA_VERSION

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
