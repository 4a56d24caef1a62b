"""Locate the data shipped with the auditor (checklists/, templates/).

The two folders live at the top of the source tree, where users see them, and setup.cfg
maps them into the wheel as the packages ``auditor.checklists`` and ``auditor.templates``.
An installed wheel is therefore read through ``importlib.resources``; a plain source
checkout (or an editable install, whose finder does not expose these namespace packages)
falls back to the folders next to the ``auditor/`` package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def _package_path(package: str) -> Path | None:
    """The file-system folder of a data package, or None when it is not importable."""
    try:
        root = resources.files(package)
    except ModuleNotFoundError:
        return None
    if isinstance(root, Path):
        return root if root.is_dir() else None
    # NOTE: a namespace package comes back as a MultiplexedPath; its entries are real paths.
    for entry in root.iterdir():
        if isinstance(entry, Path):
            return entry.parent
    return None


def data_dir(name: str) -> Path:
    """The folder holding the shipped ``name`` data (``checklists`` or ``templates``).

    Raises FileNotFoundError when neither the installed package nor the source tree has
    it, which means a broken installation rather than a user error.
    """
    found = _package_path(f"auditor.{name}")
    if found is not None:
        return found
    fallback = _SOURCE_ROOT / name
    if fallback.is_dir():
        return fallback
    raise FileNotFoundError(f"auditor data folder '{name}' not found (broken installation?)")


def checklists_dir() -> Path:
    """The folder of built-in checklist YAML files."""
    return data_dir("checklists")


def templates_dir() -> Path:
    """The folder of report templates (Jinja and .docx)."""
    return data_dir("templates")
