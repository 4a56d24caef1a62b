"""Imported once by the batch fork server so workers are forked with the segmenter open.

Opening the memory-mapped model (``auditor.segmodel``) and importing numpy and the
segmenter here, once, makes every worker start from them; the model's pages are shared with
the page cache whatever the number of workers. ``gc.freeze()`` then moves everything loaded
so far out of the collector's sight, so collections in the workers never touch (and copy)
those pages. Any failure is swallowed here: each worker then opens the segmenter itself (in
its initializer) and reports the error. A worker that fails before its first task (the batch
stopped while it was being started) reports through ``errors.worker_start_hook``, never with
a traceback.
"""

import gc
import sys

from auditor.errors import worker_start_hook

sys.excepthook = worker_start_hook  # a worker that fails before its first task: one line at most
try:
    from auditor.nlp import warm

    warm()
except Exception:  # noqa: BLE001 - see the module docstring
    pass
gc.freeze()
