"""Touching the file system safely: regular files only in, atomic reports out, inputs never overwritten.

- ``read_regular(path, limit)``: opens with ``O_NONBLOCK`` and checks ``fstat`` before reading,
  so a FIFO, a device (``/dev/zero``) or a socket named ``run.fit`` or ``config.toml`` is refused
  at once instead of hanging or streaming forever; at most ``limit`` bytes are read.
  ``hash_regular`` is the same check for a content hash read as a stream.
- ``check_output(path, inputs)``: refuses a report path that is (or hard-links to) one of the
  inputs, or that would land inside a scanned folder under a name the scan reads.
- ``write_atomic(path, text)``: writes to a temporary file in the target folder, flushes,
  fsyncs and renames it over the target, so the old report stays whole until the new one is
  complete; on any failure (disk full, ``ulimit -f``, Ctrl-C, permission) the temporary file
  is removed and the error is one line naming the path.
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from crampcheck.errors import CrampcheckError, UnreadableFileError

MIB = 1024 * 1024
_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))
# names a scan reads (kept in step with history/sources.py, which imports them from here)
SCANNED_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz", ".zip")
SCANNED_NAMES = ("activities.csv",)
SCANNED_NAME_SUFFIXES = ("summarizedactivities.json",)


class OutputError(CrampcheckError):
    """A report cannot be written where the user asked (one line: path and why)."""


def not_regular(mode: int) -> str | None:
    """What a non-regular file is ('a FIFO (named pipe)'...), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def read_regular(path: str | os.PathLike, limit: int, error: type[CrampcheckError] = UnreadableFileError,
                 label: str | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (at most ``limit``); anything else raises ``error``."""
    label = label if label is not None else os.fsdecode(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error("no such file", label) from None
    except PermissionError:
        raise error("permission denied: cannot read the file", label) from None
    except OSError as exc:
        raise error(f"cannot open ({exc.strerror or exc})", label) from None
    try:
        kind = not_regular(os.fstat(fd).st_mode)
        if kind:
            raise error(f"is {kind}, not a regular file: not read", label)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(8 * MIB, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise error(f"cannot read ({exc.strerror or exc})", label) from None
    finally:
        os.close(fd)
    if size > limit:
        raise error(f"file larger than {limit // MIB} MB: refused", label)
    return b"".join(chunks)


def hash_regular(path: str | os.PathLike, limit: int, head_bytes: int,
                 error: type[CrampcheckError] = UnreadableFileError, label: str | None = None) -> tuple[str, bytes]:
    """SHA-256 (hex) of the regular file at ``path`` read as a stream, and its first ``head_bytes``:
    a big file is identified without holding it. Refuses what ``read_regular`` refuses."""
    import hashlib

    label = label if label is not None else os.fsdecode(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise error(f"cannot open ({exc.strerror or exc})", label) from None
    digest, head, size = hashlib.sha256(), b"", 0
    try:
        kind = not_regular(os.fstat(fd).st_mode)
        if kind:
            raise error(f"is {kind}, not a regular file: not read", label)
        while chunk := os.read(fd, 8 * MIB):
            size += len(chunk)
            if size > limit:
                raise error(f"file larger than {limit // MIB} MB: refused", label)
            digest.update(chunk)
            if len(head) < head_bytes:
                head += chunk[:head_bytes - len(head)]
    except OSError as exc:
        raise error(f"cannot read ({exc.strerror or exc})", label) from None
    finally:
        os.close(fd)
    return digest.hexdigest(), head


def is_scanned_name(name: str) -> bool:
    """True when a folder scan would read a file of this name (activity file, zip, export metadata)."""
    low = name.lower()
    return low.endswith(SCANNED_SUFFIXES) or low in SCANNED_NAMES or low.endswith(SCANNED_NAME_SUFFIXES)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output(path: str | os.PathLike, inputs: Iterable[str | os.PathLike], what: str = "report") -> None:
    """Refuse to write ``path`` over an input, or inside a scanned folder under a name it reads."""
    out = Path(path)
    try:
        target = out.resolve()
    except (OSError, RuntimeError) as exc:
        raise OutputError(f"cannot resolve the {what} path ({exc})", os.fsdecode(path)) from None
    for given in inputs:
        src = Path(given)
        try:
            resolved = src.resolve()
        except (OSError, RuntimeError):
            continue
        if target == resolved or _same_file(out, src):
            raise OutputError(f"is an input file: the {what} would overwrite it (choose another path)", os.fsdecode(path))
        if src.is_dir() and resolved in target.parents and is_scanned_name(target.name):
            raise OutputError(f"lies inside the scanned folder {given} with a name the scan reads: "
                              f"the {what} would replace or join the inputs (choose another path)", os.fsdecode(path))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike, text: str, what: str = "report") -> None:
    """Write ``text`` (UTF-8) to ``path`` via a temporary file + fsync + rename, or raise OutputError."""
    target = Path(path)
    label = os.fsdecode(path)
    folder = target.parent
    if target.is_dir():
        raise OutputError(f"is a directory: cannot write the {what} there", label)
    if not folder.is_dir():
        raise OutputError(f"cannot write the {what}: the folder {os.fsdecode(folder)} does not exist", label)
    data = text.encode("utf-8", errors="backslashreplace")
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over `ulimit -f`: an EFBIG error, not a kill
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            os.fchmod(fh.fileno(), 0o666 & ~_umask())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write the {what} ({exc.strerror or exc}); nothing was changed", label) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
