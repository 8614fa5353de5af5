"""Return codes: on a shared computer, a person gets back to their own answers, and to nobody else's.

When someone hands the computer over ("I am someone else"), they are shown a short code, once.
Typed into the person's box later, it brings back their own page; nobody has to pick their name
from a list of everyone's. The workspace keeps only a slow hash of each code (scrypt, with a salt
of the workspace's own, in the owner-only database), never the code, so the file holds nothing
that can be typed in to open someone's answers. A code belongs to one person in one room, and a
new one replaces their old one.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from cofacilitate.store import schema
from cofacilitate.store.backend import Backend
from cofacilitate.store.records import Owner, now_iso

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0 or O, no 1, I or L: easy to read back and to type
LENGTH = 8  # 31**8, about 40 bits; and every guess costs a slow hash
SALT_KEY = "return_code_salt"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024, "dklen": 32}  # about 16 MB and 0.05 s a guess
_NOT_PART = re.compile("[\\s\\-\u2013\u2014_.]+")  # what people type between the parts of a code (dashes of any length)


def new_code() -> str:
    """A code to show once, in two halves that are easy to copy: ``K7QM-4PXT``."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{code[:4]}-{code[4:]}"


def typed_code(text: str) -> str | None:
    """A typed code as stored before hashing (capitals, no spaces or dashes); None when it cannot be one."""
    code = _NOT_PART.sub("", text or "").upper()
    return code if len(code) == LENGTH and all(letter in ALPHABET for letter in code) else None


def _hash(code: str, salt: str) -> str:
    return hashlib.scrypt(code.encode("ascii"), salt=salt.encode("ascii"), **_SCRYPT).hex()


def _salt(backend: Backend) -> str:
    """The workspace's own salt, made the first time a code is given."""
    query = f"SELECT value FROM {schema.META_TABLE} WHERE key = :key"
    found = backend.read(query, {"key": SALT_KEY})
    if found:
        return str(found[0][0])
    with backend.transaction() as db:
        db.run(f"INSERT INTO {schema.META_TABLE} (key, value) VALUES (:key, :value) ON CONFLICT (key) DO NOTHING",
               {"key": SALT_KEY, "value": secrets.token_hex(16)})
        return str(db.read(query, {"key": SALT_KEY})[0][0])


def give(backend: Backend, owner: Owner) -> str:
    """A new code for this person in this room, replacing any code they had; only its hash is kept."""
    code = new_code()
    hashed = _hash(typed_code(code) or "", _salt(backend))  # hashed before the write, so no one waits on it
    with backend.transaction() as db:
        db.run(f"DELETE FROM {schema.RETURN_CODES_TABLE} WHERE person = :person AND room = :room",
               {"person": owner.person, "room": owner.room})
        db.run(f"INSERT INTO {schema.RETURN_CODES_TABLE} (code_hash, person, room, created_at) "
               "VALUES (:hash, :person, :room, :stamp)",
               {"hash": hashed, "person": owner.person, "room": owner.room, "stamp": now_iso()})
    return code


def has_code(backend: Backend, owner: Owner) -> bool:
    return bool(backend.read(f"SELECT 1 FROM {schema.RETURN_CODES_TABLE} WHERE person = :person AND room = :room",
                             {"person": owner.person, "room": owner.room}))


def holder(backend: Backend, text: str, room: str) -> str | None:
    """The id of the person in this room whose code was typed; None for anything else."""
    code = typed_code(text)
    if code is None:
        return None
    found = backend.read(f"SELECT person FROM {schema.RETURN_CODES_TABLE} WHERE code_hash = :hash AND room = :room",
                         {"hash": _hash(code, _salt(backend)), "room": room})
    return str(found[0][0]) if found else None

