"""Writing outputs safely: atomically, never over an input, with predictable names."""

from __future__ import annotations

import os
from collections import Counter
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError


def write_atomic(path: str | Path, data: str | bytes, protect: Iterable[str | Path] = ()) -> Path:
    """Write ``data`` to ``path`` via a temporary file and a rename.

    A reader never sees a half-written file, and an input file listed in ``protect``
    is never overwritten.
    """
    target = Path(path)
    resolved = target.resolve()
    for p in protect:
        if Path(p).resolve() == resolved:
            raise OutputError("A302", str(target), detail="输出文件与输入文件相同，已拒绝覆盖输入")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=str(target.parent))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError("A302", str(target), detail=exc.strerror or str(exc)) from None
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def is_dir_target(output: str, n_inputs: int) -> bool:
    """An output names a directory when it exists as one, ends in '/', or has no suffix with several inputs."""
    p = Path(output)
    return output.endswith(("/", os.sep)) or p.is_dir() or (n_inputs > 1 and not p.suffix)


def output_names(inputs: list[str], ext: str) -> dict[str, str]:
    """One file name per input (``<stem>.<ext>``), disambiguated when stems collide."""
    names: dict[str, str] = {}
    used: dict[str, int] = {}
    stems = Counter(Path(p).stem for p in inputs)
    for path in inputs:
        stem = Path(path).stem
        base = f"{stem}.{Path(path).suffix.lstrip('.')}" if stems[stem] > 1 else stem
        n = used.get(base, 0)
        used[base] = n + 1
        names[path] = f"{base}{'-' + str(n + 1) if n else ''}.{ext}"
    return names
