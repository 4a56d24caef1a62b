"""What one server offers, and the error every part of the page answers with."""

from __future__ import annotations

from dataclasses import dataclass

from ..checklist import Checklist
from ..limits import Limits
from ..overrides import Overrides


class RequestError(Exception):
    """A bad request with a one-line Chinese message (shown on the page or in the JSON)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message



@dataclass(frozen=True)
class Settings:
    """What one server offers: the checklists to pick from and the limits."""

    checklists: tuple[Checklist, ...]
    limits: Limits
    max_upload: int
    overrides: Overrides | None = None  # ``auditor serve --overrides FILE``

    def item_ids(self) -> set[str]:
        """Every item id of the offered checklists (what an overrides file may name)."""
        return {i.id for c in self.checklists for i in c.items}

    def by_id(self) -> dict[str, Checklist]:
        """The checklists keyed by id."""
        return {c.id: c for c in self.checklists}

