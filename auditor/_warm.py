"""Imported once by the batch fork server so workers are forked with the pipeline loaded.

Loading spaCy + pkuseg costs about 3 s and 800 MB; doing it once in the fork server
instead of in every worker makes the pool's start-up independent of the worker count,
and the model's pages are shared copy-on-write. Any failure is swallowed here: each
worker then loads the pipeline itself (in its initializer) and reports the error.
"""

try:
    from auditor.nlp import warm

    warm()
except Exception:  # noqa: BLE001 - see the module docstring
    pass
