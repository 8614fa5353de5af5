"""Words kept locked in the workspace file: only the person's passphrase opens them.

Someone who copies the file reads nothing of what was sealed. A passphrase becomes a key
with scrypt (slow and memory-hungry on purpose, so guessing passphrases costs a lot); each
value is sealed with AES-GCM under a fresh random nonce. Each seal names its place (a
context such as a record id), so a sealed value moved into another record does not open
there. The file keeps a `Lock`: the salt and settings that make the key, and a sealed known
marker that tells a right passphrase from a wrong one. The key itself is never written.

The `cryptography` package is imported only when something is locked or opened, so the
rest of the app works without it. A sealed token shows roughly how long its words are.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import unicodedata
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, NoReturn

from cofacilitate.store.safe_json import loads

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "sealed-v1:"
MIN_PASSPHRASE = 8
SALT_BYTES, NONCE_BYTES, KEY_BYTES, TAG_BYTES = 16, 12, 32, 16
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # about 32 MB and 0.1 to 0.2 seconds for each derivation
MAX_SCRYPT_MEMORY = 2**28  # 128 * n * r bytes: a lock edited by hand cannot make the app ask for more
CHECK_MARKER, CHECK_CONTEXT = "cofacilitate-lock-check", "lock-check"
MISSING = ("The lock needs a part of the app that is missing here (the 'cryptography' package). "
           "The person who set up this copy can add it with: pip install cryptography")
UNOPENED = "This locked piece of writing could not be opened: it was changed in the file, or it belongs somewhere else."


class WrongPassphrase(ValueError):
    """The passphrase does not open the lock; the message never repeats it."""

    def __init__(self) -> None:
        super().__init__("That passphrase does not open these words. Please check it (capital letters count) and try again.")


@dataclass(frozen=True)
class Lock:
    """What the workspace keeps to turn a passphrase back into the key: nothing secret."""

    salt: str
    check: str
    n: int
    r: int
    p: int

    def __post_init__(self) -> None:
        for name in ("salt", "check"):
            if not isinstance(getattr(self, name), str):
                _bad_lock(f"its {name} is not text")
        for name in ("n", "r", "p"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                _bad_lock(f"its setting {name} is not a whole number")
        if not 2**14 <= self.n <= 2**20 or self.n & (self.n - 1):
            _bad_lock("its setting n is not one this app uses")
        if not 1 <= self.r <= 32 or not 1 <= self.p <= 16 or 128 * self.n * self.r > MAX_SCRYPT_MEMORY:
            _bad_lock("its settings would need more of the computer than this app allows")
        try:
            salt = _unb64(self.salt, "salt")
        except ValueError as err:
            _bad_lock(str(err))
        if not SALT_BYTES <= len(salt) <= 64:
            _bad_lock("its salt is not the right size")
        if not is_sealed(self.check):
            _bad_lock("its check is not a locked value")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Lock:
        """A lock read back from the file; a wrong shape raises ValueError in plain words."""
        if not isinstance(data, dict):
            _bad_lock("it is not a set of named settings")
        expected = {"salt", "check", "n", "r", "p"}
        if set(data) != expected:
            missing, extra = sorted(expected - set(data)), sorted(str(key) for key in set(data) - expected)
            _bad_lock(f"it lacks {', '.join(missing)}" if missing
                      else f"it has settings this app does not know ({', '.join(extra)})")
        return cls(**data)


class Key:
    """The key a passphrase opens. It is never printed, copied into a file or pickled."""

    __slots__ = ("_aead",)

    def __init__(self, raw: bytes) -> None:
        if not isinstance(raw, bytes) or len(raw) != KEY_BYTES:
            raise ValueError(f"a key is {KEY_BYTES} bytes")
        self._aead = _aesgcm(raw)

    def __repr__(self) -> str:
        return "Key(hidden)"

    def __reduce__(self) -> NoReturn:
        raise TypeError("A key is never copied or saved: keep the passphrase instead.")

    def seal(self, value: Any, context: str) -> str:
        """`value` (anything JSON can hold) locked to `context`: 'sealed-v1:' and URL-safe base64 text."""
        data = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
        nonce = os.urandom(NONCE_BYTES)
        sealed = nonce + self._aead.encrypt(nonce, data, _context(context))
        return PREFIX + base64.urlsafe_b64encode(sealed).decode("ascii")

    def unseal(self, token: str, context: str) -> Any:
        """The value sealed in `token` with this key and this context; ValueError if it cannot be opened."""
        from cryptography.exceptions import InvalidTag

        if not is_sealed(token):
            raise ValueError(UNOPENED)
        try:
            raw = _unb64(token[len(PREFIX):], "token")
        except ValueError:
            raise ValueError(UNOPENED) from None
        if len(raw) < NONCE_BYTES + TAG_BYTES:
            raise ValueError(UNOPENED)
        try:
            data = self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _context(context))
        except InvalidTag:
            raise ValueError(UNOPENED) from None
        return loads(data.decode("utf-8"))


def new_lock(passphrase: str) -> tuple[Lock, Key]:
    """A new lock and its key, for a passphrase that `check_new_passphrase` accepts."""
    problem = check_new_passphrase(passphrase)
    if problem:
        raise ValueError(problem)
    salt = os.urandom(SALT_BYTES)
    key = Key(_derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P))
    lock = Lock(_b64(salt), key.seal(CHECK_MARKER, CHECK_CONTEXT), SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return lock, key


def open_lock(lock: Lock, passphrase: str) -> Key:
    """The key, if `passphrase` is the one the lock was made with; else WrongPassphrase."""
    if not isinstance(passphrase, str):
        raise WrongPassphrase()
    key = Key(_derive(passphrase, _unb64(lock.salt, "salt"), lock.n, lock.r, lock.p))
    try:
        marker = key.unseal(lock.check, CHECK_CONTEXT)
    except ValueError:
        raise WrongPassphrase() from None
    if marker != CHECK_MARKER:
        raise WrongPassphrase()
    return key


def is_sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def check_new_passphrase(text: str) -> str | None:
    """What is wrong with a new passphrase, in plain words; None when it will do."""
    if not isinstance(text, str) or len(text.strip()) < MIN_PASSPHRASE:
        return (f"Please use a passphrase of at least {MIN_PASSPHRASE} characters. "
                "A few words you will remember, with spaces between them, work well.")
    return None


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    """scrypt of the passphrase. The same passphrase typed on any computer (é as one or two
    characters) gives the same key, because it is put into one Unicode form first."""
    try:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
    except ImportError:
        raise ImportError(MISSING) from None
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(secret)


def _aesgcm(raw: bytes) -> AESGCM:
    try:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    except ImportError:
        raise ImportError(MISSING) from None
    return AESGCM(raw)


def _context(context: str) -> bytes:
    if not isinstance(context, str) or not context:
        raise ValueError("a locked value needs a context, such as the id of the record it belongs to")
    return context.encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _unb64(text: str, name: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), altchars=b"-_", validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise ValueError(f"its {name} is not in the form this app writes") from None


def _bad_lock(why: str) -> NoReturn:
    raise ValueError(f"The lock kept in the saved-work file cannot be used: {why}.")
