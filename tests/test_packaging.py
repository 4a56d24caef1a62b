"""A plain `pip install .` (a wheel) ships the checklists and templates."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import ROOT


def _source_copy(dest: Path) -> Path:
    """The files a source distribution holds, without a build/ folder a past build may have
    left: the wheel must come from setup.cfg alone."""
    dest.mkdir()
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("auditor", "checklists", "templates"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def test_wheel_ships_checklists_and_templates(tmp_path: Path) -> None:
    src = _source_copy(tmp_path / "src")
    out = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
        check=True,
        cwd=tmp_path,
    )
    wheel = next(out.glob("auditor-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for f in (ROOT / "checklists").glob("*.yaml"):
        assert f"auditor/checklists/{f.name}" in names
    for f in (ROOT / "templates").iterdir():
        if f.suffix in {".j2", ".css", ".docx"}:
            assert f"auditor/templates/{f.name}" in names
    assert "auditor/schema/check.schema.json" in names
    assert "auditor/schema/compare.schema.json" in names
    assert "auditor/checklists/indicators/indicators.yaml" in names
    # every module of the package, subpackages included (a subpackage left out of setup.cfg
    # would install a tool that cannot import its own matcher)
    for f in (ROOT / "auditor").rglob("*.py"):
        assert f"auditor/{f.relative_to(ROOT / 'auditor').as_posix()}" in names, f
