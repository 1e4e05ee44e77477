"""The folder uploads wait in, and what a killed process left there.

Django writes an upload larger than `FILE_UPLOAD_MAX_MEMORY_SIZE` to a temporary file
(`*.upload*`) in `FILE_UPLOAD_TEMP_DIR`, and a tracker import saves its uploads to a
temporary folder there (`upload_folder()`); both are removed when the request ends. A
server or import killed halfway leaves them behind, so each process start
(`prepare_upload_folder`, from an AppConfig.ready()) removes what is older than
`STALE_AFTER`. Only old entries go: several workers starting while others serve
uploads delete nothing that is still being written or read. The folder is
`<data dir>/uploads`, never the system's temporary folder, where other programs' files
live.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

from django.conf import settings

STALE_AFTER = 60 * 60  # seconds; far longer than any upload and import take


def upload_folder() -> Path | None:
    """`FILE_UPLOAD_TEMP_DIR`, created if missing; None when it is not set (the system's
    temporary folder is used then, and never cleaned by productops)."""
    folder = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _newest_change(path: Path) -> float:
    """The latest modification time of a file, or of a folder and everything in it."""
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for root, folders, files in os.walk(path):
            for name in folders + files:
                with contextlib.suppress(OSError):
                    newest = max(newest, (Path(root) / name).lstat().st_mtime)
    return newest


def clean_stale_uploads(folder: Path | None = None, *, older_than: float = STALE_AFTER) -> int:
    """Remove the files and folders in the upload folder unchanged for `older_than`
    seconds; returns how many entries went. Safe to run from several processes at once."""
    folder = folder if folder is not None else upload_folder()
    if folder is None or not folder.is_dir():
        return 0
    cutoff = time.time() - older_than
    removed = 0
    for entry in folder.iterdir():
        try:
            if _newest_change(entry) >= cutoff:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except FileNotFoundError:
            continue  # another process removed it first
        except OSError:
            continue  # not ours to remove; leave it
        removed += 1
    return removed


def prepare_upload_folder() -> None:
    """Once per process start: create the upload folder and clean what was left in it."""
    with contextlib.suppress(OSError):  # a read-only data dir must not stop the start
        clean_stale_uploads(upload_folder())
