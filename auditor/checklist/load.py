"""Loading checklist files as a set, the shipped checklists, and resolving ``--checklist`` specs."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path

from .. import limits
from ..errors import ChecklistError
from ..resources import checklists_dir
from .items import Checklist, ChecklistProblems, Item, Problem, _raise
from .parse import _read, parse_checklist
from .validate import _quote, _Validator
from .vocab import YAML_SUFFIXES


def load_checklist(path: str | Path, families: dict[str, tuple[str, ...]] | None = None) -> Checklist:
    """Load and validate one checklist file; raise ChecklistError listing all problems.

    ``families`` are term families of files loaded before this one, usable as ``@name``.
    """
    path = Path(path)
    name = str(path)
    data, node, total = parse_checklist(name, _read(path), limits.current().max_items)
    validator = _Validator(name, families, total)
    checklist = validator.checklist(data, node)
    if validator.problems or checklist is None:
        _raise(sorted(validator.problems, key=lambda p: p.line))
    return checklist


def duplicate_problems(checklists: Sequence[Checklist]) -> list[Problem]:
    """Checklist ids and item ids that repeat across checklists loaded together."""
    problems: list[Problem] = []
    lists: dict[str, Checklist] = {}
    items: dict[str, Item] = {}
    for checklist in checklists:
        if checklist.id in lists:
            first = lists[checklist.id]
            message = f"检查清单 ID{_quote(checklist.id)}重复（已在 {first.path} 定义）"
            problems.append(Problem(checklist.path, 1, message))
            continue
        lists[checklist.id] = checklist
        for item in checklist.items:
            if item.id in items:
                first_item = items[item.id]
                problems.append(
                    Problem(
                        item.path,
                        item.line,
                        f"条目 ID{_quote(item.id)}重复（已在 {first_item.path}:{first_item.line} 定义）",
                    )
                )
            else:
                items[item.id] = item
    return problems


def yaml_files(folder: Path) -> list[Path]:
    """The checklist files of a folder, in name order (not recursive)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES)


def _load_set(paths: Iterable[Path], cache: dict[Path, Checklist]) -> list[Checklist]:
    """Load files as one set (each once, in order): all problems, ids unique across it.

    ``cache`` maps resolved paths to checklists already loaded (the built-ins). A file may
    use the term families of the built-ins and of the files before it.
    """
    result: list[Checklist] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for path in paths:
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        if resolved in cache:
            result.append(cache[resolved])
            continue
        families = {k: v for c in (*cache.values(), *result) for k, v in c.families.items()}
        try:
            result.append(load_checklist(path, families))
        except ChecklistProblems as exc:
            problems.extend(exc.problems)
    problems.extend(duplicate_problems(result))
    if problems:
        _raise(problems)
    return result


def load_checklists(paths: Iterable[str | Path]) -> list[Checklist]:
    """Load several checklist files as one set; raise one ChecklistError for all problems."""
    return _load_set((Path(p) for p in paths), {})


# ---------------------------------------------------------------- built-ins and specs
def builtin_dir() -> Path:
    """The folder of shipped checklists (installed package or source tree)."""
    return checklists_dir()


@functools.cache
def builtin_checklists() -> tuple[Checklist, ...]:
    """All shipped checklists, loaded once per process (they are immutable)."""
    return tuple(load_checklists(yaml_files(builtin_dir())))


def _spec_paths(spec: str, builtins: dict[str, Checklist]) -> list[Path]:
    """The files a spec names: a file, a folder of YAML files or a built-in id."""
    path = Path(spec)
    if path.is_dir():
        files = yaml_files(path)
        if not files:
            _raise([Problem(spec, 1, "该目录下没有 .yaml 或 .yml 检查清单文件")])
        return files
    if path.is_file():
        return [path]
    if spec in builtins:
        return [Path(builtins[spec].path)]
    raise ChecklistError("A202", detail=spec)


def resolve(specs: Sequence[str] | None = None) -> list[Checklist]:
    """The checklists named by specs (built-in id, YAML file or folder); none -> all built-ins.

    Everything named is loaded as one set, in spec order, so ids must be unique across it.
    """
    builtins = {c.id: c for c in builtin_checklists()}
    if not specs:
        return list(builtins.values())
    paths = [p for spec in specs for p in _spec_paths(spec, builtins)]
    cache = {Path(c.path).resolve(): c for c in builtins.values()}
    return _load_set(paths, cache)


def builtin_families() -> dict[str, tuple[str, ...]]:
    """The term families the shipped checklists define (usable as ``@name`` in any file)."""
    return {k: v for c in builtin_checklists() for k, v in c.families.items()}


def find_item(item_id: str, checklists: Iterable[Checklist]) -> Item | None:
    """The item with this id in any of the checklists."""
    return next((i for c in checklists for i in c.items if i.id == item_id), None)
