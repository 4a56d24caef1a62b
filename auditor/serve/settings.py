"""What one server offers, and the error every part of the page answers with."""

from __future__ import annotations

from dataclasses import dataclass

from ..checklist import Checklist
from ..errors import AuditorError, error_line
from ..limits import Limits
from ..overrides import Overrides


class RequestError(Exception):
    """A bad request with a one-line Chinese message (shown on the page or in the JSON): the
    catalogue's entry ``code`` (``auditor.errors``) filled with ``path`` and ``fields``, or the
    ``message`` of an ``AuditorError`` passed on as it is."""

    def __init__(self, status: int, code: str, message: str | None = None, path: str | None = None,
                 **fields: object) -> None:
        message = error_line(code, path, **fields) if message is None else message
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    @classmethod
    def of(cls, status: int, exc: AuditorError) -> RequestError:
        """The request's answer to a user error of the pipeline: its code and its one line."""
        return cls(status, exc.code, exc.format_message().replace("\n", "；"))



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

