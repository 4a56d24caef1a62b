"""Former home of ``auditor.ingest.formats``; this path keeps existing imports working."""

from auditor.ingest.formats import EXTRA_FORMATS, load, ocr_note

__all__ = ["EXTRA_FORMATS", "load", "ocr_note"]
