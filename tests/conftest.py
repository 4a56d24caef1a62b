"""Shared fixtures: the real seed reports (skipped where ../shared is absent) and the built-in checklists."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

SHARED_REASON = f"real seed reports not present at {SHARED} (they live outside the project; CI provides them)"


def seed_names() -> list[str]:
    """Names of the labelled seed reports, or [] when ../shared is absent."""
    if not GOLD.is_dir():
        return []
    return sorted(p.stem for p in GOLD.glob("*.yaml"))


def gold(name: str) -> dict:
    """The hand labels of one seed."""
    return yaml.safe_load((GOLD / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def need_shared() -> None:
    """Skip with a clear reason when the seed reports are not available."""
    if not SEEDS.is_dir() or not GOLD.is_dir():
        pytest.skip(SHARED_REASON)


def seed_params():
    """Parametrize over seeds; a single skipped case when they are absent."""
    names = seed_names()
    if not names:
        return [pytest.param(None, marks=pytest.mark.skip(reason=SHARED_REASON))]
    return names


@pytest.fixture(scope="session")
def checklists():
    """The built-in checklists, loaded once."""
    from auditor.checklist import resolve

    return resolve([])
