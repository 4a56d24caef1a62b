"""The package keeps its shape: data flows one way through the stages, with no import cycles.

Every module of ``auditor`` belongs to one stage (``STAGES``, lowest first). A module may import
modules of its own stage or a lower one, never a higher one — also inside functions, where a late
import would only hide the wrong direction. Imports at module level form no cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "auditor"

# Lowest first. A name stands for the module and, with a trailing dot or underscore, every module
# whose name starts so. "" is the package's own __init__ (its version string).
STAGES: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("", "vocab", "errors", "limits", "model", "literals", "tiling", "patterns", "resources", "progress", "lang.",
                    "lang", "cli_i18n", "segmodel", "segmenter", "output")),
    ("ingest", ("ingest", "ingest.", "level")),
    ("outline", ("outline", "outline.")),
    ("nlp", ("nlp", "_warm")),
    ("match", ("checklist", "checklist.", "fit", "overrides", "indicators", "match", "match.",
               "pipeline", "defects")),
    ("render", ("render", "memo", "review", "review_docx", "docx_out", "letterhead", "summary",
                "summary_xlsx", "compare", "compare_render", "bodies", "evaluate", "view", "audit", "memo.")),
    ("application", ("batch", "batch.", "batch_memo", "archive", "yoy", "engine_dask", "serve",
                     "serve.", "serve_http", "serve_pool", "cli", "cli_")),
]


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def stage_of(module: str) -> int:
    """The stage index of a module name relative to the package ("" is the package itself)."""
    best, best_len = None, -1
    for index, (_, names) in enumerate(STAGES):
        for n in names:
            hit = module == n or (n.endswith(".") and module.startswith(n)) or (
                n.endswith("_") and module.startswith(n))
            if hit and len(n) > best_len:
                best, best_len = index, len(n)
    if best is None:
        raise AssertionError(f"module auditor.{module} belongs to no stage: add it to STAGES")
    return best


def _imports(module: str, top_level_only: bool) -> set[str]:
    """The package modules ``module`` imports (relative or absolute)."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module and (node.module == "auditor" or node.module.startswith("auditor.")):
                target = node.module.removeprefix("auditor").removeprefix(".")
            else:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                found.add(sub if sub in MODULES else target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("auditor"):
                    found.add(alias.name.removeprefix("auditor").removeprefix("."))
    return {m for m in found if m in MODULES and m != module}


def test_every_module_has_a_stage() -> None:
    for module in MODULES:
        stage_of(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_higher_stage(module: str) -> None:
    here = stage_of(module)
    higher = sorted(m for m in _imports(module, top_level_only=False) if stage_of(m) > here)
    assert not higher, (
        f"auditor.{module} ({STAGES[here][0]}) imports a higher stage: "
        + ", ".join(f"{m} ({STAGES[stage_of(m)][0]})" for m in higher)
    )


def test_module_level_imports_have_no_cycle() -> None:
    graph = {m: _imports(m, top_level_only=True) for m in MODULES}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for dep in sorted(graph[m]):
            if state.get(dep) == 1:
                cycle = stack[stack.index(dep):] + [dep]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
