"""Language data (term lists, patterns) kept apart from code, as spaCy does."""
