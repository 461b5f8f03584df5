"""Files for the user's eyes only: logs, databases, and the folders the app makes for them.

Logs and databases hold customers' names and emails, so no other account on the machine may
read them: folders are 0700 and files 0600 (on Windows the modes mean little; a user's
profile is private there already). Usable by every package: it imports nothing of flexdesk.
"""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Make the folder `path` (parents as needed) the user's alone, also if it exists already.

    For folders the app owns (its log folder, its data folder), not for one the user named
    as the place of a file: see `private_file`.
    """
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    path.chmod(DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` readable by the user only, or take an existing one back to that.

    A missing parent folder is created private; an existing one is left as it is. SQLite's
    -wal and -shm files beside it are taken back too (SQLite gives new ones the file's mode).
    """
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    # Created 0600 in one step, so no other user can open it in between.
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if each.exists():
            each.chmod(FILE_MODE)
    return path
