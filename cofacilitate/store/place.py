"""Whether a place can hold a saved-work file, checked before anything is made there.

What the computer reports (a folder where the file should be, a file this account may not
read, a folder it may not write in) becomes one true sentence in plain words, written to
the log as well. Checking makes nothing, so a refusal leaves the place as it was.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from cofacilitate.store.backend import WorkspaceError, refusal

ANOTHER_FOLDER = "choose another folder with COFACILITATE_HOME (or --home when you start the app)"
CHOOSE = f"C{ANOTHER_FOLDER[1:]}."
UNCHANGED = "Nothing was changed."

_REASONS = {
    errno.EROFS: "it is on a disk that can only be read",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "there is no more room for this account on the disk",
    errno.EACCES: "this app is not allowed to use it",
    errno.EPERM: "this app is not allowed to use it",
    errno.ENOTDIR: "a file is in the way where a folder should be",
}


def unusable(where: Path, err: OSError) -> WorkspaceError:
    """Any other thing the computer refused, in words (the error number goes to the log only)."""
    reason = _REASONS.get(err.errno or 0, "the computer would not let this app use it")
    return refusal(f"{where} cannot be used for saved work: {reason}. {UNCHANGED} {CHOOSE}", f"errno {err.errno}")


def check_can_read(db_path: Path) -> bool:
    """Refuse a file that cannot be looked at; True when there is a file with something in it."""
    folder = db_path.parent
    try:
        info = db_path.stat()
    except FileNotFoundError:
        return False
    except NotADirectoryError:
        raise _blocked(folder) from None
    except PermissionError:
        raise refusal(f"This app is not allowed to look inside the folder {folder} (or a folder it is in). "
                      f"{UNCHANGED} {CHOOSE}") from None
    except OSError as err:
        raise unusable(db_path, err) from None
    if stat.S_ISDIR(info.st_mode):
        raise refusal(f"There is a folder where the saved-work file should be: {db_path}. {UNCHANGED} "
                      f"Move that folder away, or {ANOTHER_FOLDER}.")
    if not stat.S_ISREG(info.st_mode):
        raise refusal(f"{db_path} is not an ordinary file, so it cannot hold saved work. {UNCHANGED} {CHOOSE}")
    if not os.access(db_path, os.R_OK):
        raise refusal(f"This app is not allowed to read the saved-work file {db_path}. {UNCHANGED} "
                      f"Ask the person who looks after this computer to let you read it, or {ANOTHER_FOLDER}.")
    return info.st_size > 0


def check_can_write(db_path: Path) -> None:
    """Refuse a place where nothing new could be saved, and say it is read-only, not damaged."""
    folder = db_path.parent
    if db_path.exists():
        if not os.access(db_path, os.W_OK):
            raise refusal(f"The saved-work file {db_path} can only be read, not written to, so new answers could not "
                          f"be saved in it. It is not damaged. {UNCHANGED} {CHOOSE}")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise refusal(f"The folder {folder} can only be read, not written to, so new answers could not be saved "
                          f"there. The saved-work file in it is not damaged. {UNCHANGED} {CHOOSE}")
        return
    nearest = folder
    while not nearest.exists():
        nearest = nearest.parent
    if not nearest.is_dir():
        raise _blocked(folder)
    if not os.access(nearest, os.W_OK | os.X_OK):
        if nearest == folder:
            raise refusal(f"The folder {folder} can only be read, not written to, so this app cannot keep saved "
                          f"work there. {UNCHANGED} {CHOOSE}")
        raise refusal(f"The folder {folder} cannot be made, because this app is not allowed to add anything to "
                      f"{nearest}. {UNCHANGED} {CHOOSE}")


def _blocked(folder: Path) -> WorkspaceError:
    """A file sits where a folder on the way should be."""
    blocker = folder
    while not blocker.exists():
        blocker = blocker.parent
    if blocker.is_dir():  # it was there a moment ago; say what the computer would
        return unusable(folder, OSError(errno.ENOTDIR, "Not a directory"))
    return refusal(f"The folder {folder} cannot be made, because {blocker} is a file, not a folder. {UNCHANGED} {CHOOSE}")
