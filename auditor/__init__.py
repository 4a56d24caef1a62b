"""auditor: checks annual rule-of-law government reports against outline checklists."""

__version__ = "0.1.0"
