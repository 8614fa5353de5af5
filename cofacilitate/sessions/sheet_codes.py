"""The short code printed on a paper worksheet, so its answers count once when typed into a room.

Every sheet of one printed copy of a session carries the same code: the code stands for the person who
filled that copy in, so the answers typed from it, on any exercise and however often, are that one person's.
The code is not a secret (it is on paper, and it opens nothing): it only has to be hard to mistype into
another valid code. Its letters leave out look-alikes (0 and O, 1 and I, 5 and S, ...), and its last letter
is worked out from the others, so most slips (a wrong letter, two letters swapped) are caught.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "ACDEFHJKMNPRTUVWXY3479"  # 22 letters and figures that do not look like each other
RANDOM_LENGTH = 6  # 22**6 is about 113 million codes: two copies of one session sharing a code is far off
SHOWN_AS = re.compile(r"\A([A-Z0-9]{4})([A-Z0-9]{3})\Z")
MISTYPED = ("That code does not look right. It has 7 letters and numbers, like K7PA-3QX, and is at the top of "
            "each sheet. Please check it against the paper.")


def _check_letter(body: str) -> str:
    """The weighted sum of the letters' places: a changed letter or two swapped neighbours change it."""
    total = sum((position + 1) * ALPHABET.index(letter) for position, letter in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_sheet_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return shown(body + _check_letter(body))


def shown(code: str) -> str:
    """As printed: two groups, easy to read aloud (K7PA-3QX)."""
    found = SHOWN_AS.fullmatch(code)
    return f"{found[1]}-{found[2]}" if found else code


def read_sheet_code(typed: str) -> str | None:
    """The code as printed, from what was typed (any case, spaces or dashes); None if it cannot be a sheet's code."""
    plain = re.sub(r"[\s\-\u2013\u2014.]", "", typed or "").upper()  # any dash a keyboard makes
    if len(plain) != RANDOM_LENGTH + 1 or any(letter not in ALPHABET for letter in plain):
        return None
    body, check = plain[:-1], plain[-1]
    return shown(plain) if _check_letter(body) == check else None
