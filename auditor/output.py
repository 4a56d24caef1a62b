"""Writing outputs safely: atomically, never over an input, with predictable names."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import OutputError, os_reason


def write_atomic(path: str | Path, data: str | bytes, protect: Iterable[str | Path] = ()) -> Path:
    """Write ``data`` to ``path`` via a temporary file and a rename.

    A reader never sees a half-written file (an interrupted run leaves the old output
    whole, or none), and an input listed in ``protect`` is never written to or through.
    """
    target = Path(path)
    refuse_input_target(target, protect)
    refuse_special_target(target)
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=str(target.parent))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError("A302", str(target), detail=os_reason(exc)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return target


def refuse_input_target(target: Path, protect: Iterable[str | Path]) -> None:
    """Refuse an output that is an input (by path, symlink or hard link) or lies inside one."""
    resolved = target.resolve()
    for p in protect:
        src = Path(p).resolve()
        if src == resolved or _same_file(src, target):
            raise OutputError("A302", str(target), detail="输出文件与输入文件相同，已拒绝覆盖输入")
        if src in resolved.parents:
            raise OutputError("A302", str(target), detail=f"输出位置在输入文件 {p} 之下，已拒绝")


def refuse_special_target(target: Path) -> None:
    """Only regular files are replaced: a device (/dev/null, /dev/full), a FIFO, a socket, a
    folder or a symlink is never swapped for a file, whoever runs the command."""
    if target.is_symlink():
        raise OutputError("A302", str(target), detail="是符号链接，不替换；请指定普通文件")
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError("A302", str(target), detail=os_reason(exc)) from None
    if stat.S_ISDIR(mode):
        raise OutputError("A302", str(target), detail="是目录，不能作为输出文件")
    if not stat.S_ISREG(mode):
        raise OutputError("A302", str(target), detail="不是普通文件（设备、管道或套接字），不替换")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def is_dir_target(output: str, n_inputs: int) -> bool:
    """An output names a directory when it exists as one, ends in '/', or has no suffix with several inputs."""
    p = Path(output)
    return output.endswith(("/", os.sep)) or p.is_dir() or (n_inputs > 1 and not p.suffix)


def output_names(inputs: Sequence[str], ext: str) -> dict[str, str]:
    """One file name per input (``<base>.<ext>``): the bases of ``output_bases``."""
    return {path: f"{base}.{ext}" for path, base in output_bases(inputs).items()}


def output_bases(inputs: Sequence[str], reserved: frozenset[str] = frozenset(), folder: Path | None = None,
                 extensions: Sequence[str] = ()) -> dict[str, str]:
    """One unique output base name (no extension) per input: the one naming rule of
    ``auditor check --output DIR`` and ``auditor batch``.

    ``<stem>``; ``<stem>.<suffix>`` when stems collide (or the stem is ``reserved``); ``-2``,
    ``-3`` … after that; never a name already given (case aside: folders may be
    case-insensitive), nor one whose files ``<name>.<ext>`` for ``extensions`` would replace an
    input lying in the output ``folder``. Linear in the number of inputs.
    """
    inputs_here = {Path(p).name.lower() for p in inputs if folder is not None and _in_folder(p, folder)}
    stems = Counter(Path(p).stem for p in inputs)
    used: dict[str, int] = {}
    taken: set[str] = set()
    names: dict[str, str] = {}
    for path in inputs:
        p = Path(path)
        clash = stems[p.stem] > 1 or p.stem.lower() in reserved
        base = f"{p.stem}.{p.suffix.lstrip('.')}" if clash else p.stem
        n = used.get(base, 0)
        used[base] = n + 1
        name = f"{base}-{n + 1}" if n else base
        while name.lower() in taken or name.lower() in reserved or _shadows(name, inputs_here, extensions):
            n += 1
            name = f"{base}-{n + 1}"
        taken.add(name.lower())
        names[path] = name
    return names


def _in_folder(path: str, folder: Path) -> bool:
    return Path(path).resolve().parent == folder.resolve()


def _shadows(name: str, inputs_here: set[str], extensions: Sequence[str]) -> bool:
    """Would one of the outputs of ``name`` (name.json, name.html…) replace an input?"""
    return any(f"{name}.{ext}".lower() in inputs_here for ext in extensions)
