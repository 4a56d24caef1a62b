"""Former home of ``auditor.ingest.ocr``; this path keeps existing imports working."""

from auditor.ingest.ocr import ENGINE, missing_engine, recognise_image

__all__ = ["ENGINE", "missing_engine", "recognise_image"]
