"""Test suite (see tests/README.md)."""
