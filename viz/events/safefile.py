"""Files the store and the corrections share between processes: written
atomically, changed under a lock, and a corrupt one set aside, never fatal.

* :func:`atomic_write`: a temp file of its own in the same folder, flushed to
  disk, then renamed over the target, so a reader sees the old file or the
  new one, never half of one, and two writers never share a temp file;
* :func:`locked`: an exclusive advisory lock (``fcntl.flock``) on a lock file
  beside the target, held for a read-modify-write;
* :func:`set_aside`: a corrupt file renamed ``<name>.corrupt-<time>`` (kept for
  whoever wants to look), so what can be rebuilt is rebuilt and nothing else
  is blocked.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: threads are still serialised
    fcntl = None  # type: ignore[assignment]

_THREADS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


def atomic_write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock of ``path`` (a ``.lock`` file beside it) across threads
    and processes."""
    lock_file = path.with_name(path.name + ".lock")
    with _GUARD:
        thread_lock = _THREADS.setdefault(str(lock_file), threading.Lock())
    with thread_lock:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_file, "a+b") as fh:
            if fcntl is not None:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                if fcntl is not None:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def set_aside(path: Path) -> Path:
    """Rename a corrupt ``path`` out of the way; the new name."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    dest = path.with_name(f"{path.name}.corrupt-{stamp}")
    with suppress(FileNotFoundError):  # set aside by another process meanwhile
        os.replace(path, dest)
    return dest
