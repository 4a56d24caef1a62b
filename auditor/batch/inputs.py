"""Collecting the reports of a batch: files, folders (recursively) and ``@LIST`` files.

A folder contributes its files except hidden ones, READMEs, scripts and data; a file in an
unsupported format is kept, so that the summary lists it with its reason.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import OutputError, UsageError
from ..ingest.formats import EXTRA_FORMATS

SUFFIXES: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".docx", *EXTRA_FORMATS)
# Files in a report folder that are never reports (scripts, styles, data and results): not
# listed. Any other file with an unsupported suffix is listed in the summary as unreadable.
NOT_REPORTS: frozenset[str] = frozenset({".py", ".sh", ".bat", ".ps1", ".js", ".css", ".map", ".json", ".yaml",
                                         ".yml", ".lock", ".log", ".pyc"})
LIST_PREFIX = "@"


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
            raise UsageError("A306", name, detail=detail) from None
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

