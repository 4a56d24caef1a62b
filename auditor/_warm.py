"""Imported once by the batch fork server so workers are forked with the segmenter open.

Opening the memory-mapped model (``auditor.segmodel``) and importing numpy and the
segmenter here, once, makes every worker start from them; the model's pages are shared with
the page cache whatever the number of workers. ``gc.freeze()`` then moves everything loaded
so far out of the collector's sight, so collections in the workers never touch (and copy)
those pages. Any failure is swallowed here: each worker then opens the segmenter itself (in
its initializer) and reports the error.
"""

import gc

try:
    from auditor.nlp import warm

    warm()
except Exception:  # noqa: BLE001 - see the module docstring
    pass
gc.freeze()
