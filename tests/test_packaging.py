"""A plain `pip install .` (a wheel) ships the checklists and templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import ROOT


def test_wheel_ships_checklists_and_templates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path)],
        check=True,
        cwd=tmp_path,
    )
    wheel = next(tmp_path.glob("auditor-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for f in (ROOT / "checklists").glob("*.yaml"):
        assert f"auditor/checklists/{f.name}" in names
    for f in (ROOT / "templates").iterdir():
        if f.suffix in {".j2", ".css", ".docx"}:
            assert f"auditor/templates/{f.name}" in names
    assert "auditor/schema/check.schema.json" in names
    assert "auditor/schema/compare.schema.json" in names
    assert "auditor/checklists/indicators/indicators.yaml" in names
