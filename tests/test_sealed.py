"""Words locked with a passphrase (cofacilitate/store/sealed.py), and the workspace's rewrite and delete.

Someone who copies the workspace file must read nothing of what was locked or deleted, so these
tests read the file's bytes, and its -wal file's, directly. A rewrite killed halfway is tried on
a real process, killed with SIGKILL while its transaction is open.
"""

from __future__ import annotations

import base64
import copy
import json
import pickle
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from cofacilitate.store import DB_NAME, NotYours, Owner, Workspace, new_id
from cofacilitate.store.sealed import (
    CHECK_MARKER,
    MIN_PASSPHRASE,
    PREFIX,
    Key,
    Lock,
    WrongPassphrase,
    check_new_passphrase,
    is_sealed,
    new_lock,
    open_lock,
)

TOOL = "diary"
PASSPHRASE = "tea at the allotment on tuesdays"
SECRET = "Mum forgot my name at the memory clinic today"
VALUES = {
    "text": SECRET,
    "answer-set": {"kind": "diary-entry", "version": 1, "text": SECRET, "mood": 3, "shared": False, "tags": ["clinic", None]},
    "emoji": "Felt 😢 then 🙂 after the walk 🌳👩🏽‍🦳",
    "right-to-left": "اليوم كان صعبا، لكن الممرضة كانت لطيفة. שלום",
    "ten-thousand-characters": ("A long day. " * 1000)[:10_000],
    "nothing": None,
}


@pytest.fixture(scope="module")
def locked() -> tuple[Lock, Key]:
    """One lock for the module: each scrypt derivation takes a noticeable moment on purpose."""
    return new_lock(PASSPHRASE)


@pytest.fixture
def key(locked: tuple[Lock, Key]) -> Key:
    return locked[1]


def file_bytes(db_path: Path) -> bytes:
    """Everything someone who copied the workspace would have: the file and its -wal, if there is one."""
    found = b""
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        if path.exists():
            with open(path, "rb") as handle:
                found += handle.read()
    return found


def forms(words: str) -> list[bytes]:
    """How words can sit in the file: as UTF-8 (drafts), and JSON-escaped (record bodies)."""
    return [words.encode("utf-8"), json.dumps(words)[1:-1].encode("ascii")]


def readable_in(db_path: Path, words: str) -> bool:
    data = file_bytes(db_path)
    return any(form in data for form in forms(words))


def every_row(db_path: Path) -> list[tuple]:
    """Every record and draft exactly as the file holds them, read beside the workspace."""
    db = sqlite3.connect(db_path)
    try:
        return (db.execute("SELECT * FROM cofacilitate_records ORDER BY id").fetchall()
                + db.execute("SELECT * FROM cofacilitate_drafts ORDER BY tool, person, room, field").fetchall())
    finally:
        db.close()


def sealed_body(key: Key, record_id: str, text: str) -> dict:
    return {"kind": "diary-entry", "version": 1, "text": key.seal(text, record_id)}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def workspace(home: Path) -> Iterator[Workspace]:
    opened = Workspace.open(home)
    yield opened
    opened.close()


# -- sealing -------------------------------------------------------------------------


@pytest.mark.parametrize("value", list(VALUES.values()), ids=list(VALUES))
def test_a_sealed_value_comes_back_exactly(key: Key, value: object) -> None:
    token = key.seal(value, "record-1")

    assert is_sealed(token) and token.startswith(PREFIX)
    assert token[len(PREFIX):].isascii()
    assert key.unseal(token, "record-1") == value


def test_the_right_passphrase_opens_and_a_wrong_one_says_so_without_repeating_anything(locked: tuple[Lock, Key]) -> None:
    lock, key = locked
    token = key.seal(SECRET, "record-1")
    wrong = "tea at the allotment on wednesdays"

    assert open_lock(lock, PASSPHRASE).unseal(token, "record-1") == SECRET
    for attempt in (wrong, PASSPHRASE.upper(), "", PASSPHRASE + " "):
        with pytest.raises(WrongPassphrase) as caught:
            open_lock(lock, attempt)
        message = str(caught.value)
        assert "passphrase does not open" in message
        for hidden in (wrong, PASSPHRASE, SECRET, CHECK_MARKER, "allotment"):
            assert hidden not in message
        assert isinstance(caught.value, ValueError)


def test_a_passphrase_typed_in_either_unicode_form_opens_the_same_lock() -> None:
    """é typed as one character on one computer and as e + accent on another is the same passphrase."""
    composed = "café au lait every morning"
    lock, _ = new_lock(composed)

    key = open_lock(lock, unicodedata.normalize("NFD", composed))

    assert key.unseal(lock.check, "lock-check") == CHECK_MARKER


def test_a_value_sealed_for_one_record_does_not_open_in_another(key: Key) -> None:
    token = key.seal(SECRET, "a")

    with pytest.raises(ValueError, match="could not be opened") as caught:
        key.unseal(token, "b")
    assert SECRET not in str(caught.value) and "Mum" not in str(caught.value)
    assert key.unseal(token, "a") == SECRET


def flip(token: str, position: int) -> str:
    raw = bytearray(base64.urlsafe_b64decode(token[len(PREFIX):]))
    raw[position] ^= 0x01
    return PREFIX + base64.urlsafe_b64encode(bytes(raw)).decode("ascii")


@pytest.mark.parametrize("position", [0, 11, 12, 20, -17, -1], ids=["nonce-first", "nonce-last", "first-word", "a-word",
                                                                     "last-word", "check-last"])
def test_one_changed_byte_anywhere_is_noticed(key: Key, position: int) -> None:
    token = key.seal(SECRET, "record-1")

    with pytest.raises(ValueError, match="could not be opened") as caught:
        key.unseal(flip(token, position), "record-1")
    assert SECRET not in str(caught.value)


BROKEN = {
    "not-sealed": "Mum forgot my name",
    "not-text": 42,
    "nothing-after-the-prefix": PREFIX,
    "too-short": PREFIX + base64.urlsafe_b64encode(b"0" * 27).decode(),
    "not-base64": PREFIX + "!!!!" * 12,
    "letters-cut-off": None,  # filled in below from a real token
    "another-version": "sealed-v2:" + "A" * 60,
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_token_that_is_not_whole_could_not_be_opened(key: Key, name: str) -> None:
    token = BROKEN[name] if name != "letters-cut-off" else key.seal(SECRET, "r")[:-3]

    with pytest.raises(ValueError, match="could not be opened"):
        key.unseal(token, "r")


def test_another_key_cannot_open_a_value(key: Key) -> None:
    _, other = new_lock("a different passphrase altogether")

    with pytest.raises(ValueError, match="could not be opened"):
        other.unseal(key.seal(SECRET, "record-1"), "record-1")


def test_two_seals_of_the_same_value_differ(key: Key) -> None:
    """A fresh random nonce each time: nobody can tell two entries hold the same words."""
    tokens = {key.seal(SECRET, "record-1") for _ in range(20)}

    assert len(tokens) == 20
    assert {key.unseal(token, "record-1") for token in tokens} == {SECRET}


def test_a_value_needs_a_context_and_json(key: Key) -> None:
    with pytest.raises(ValueError, match="needs a context"):
        key.seal(SECRET, "")
    with pytest.raises(ValueError):
        key.seal(float("nan"), "record-1")
    with pytest.raises(TypeError):
        key.seal({1, 2}, "record-1")


# -- the lock and the key ----------------------------------------------------------------


def test_a_lock_round_trips_through_the_file(locked: tuple[Lock, Key]) -> None:
    lock, key = locked
    stored = json.loads(json.dumps(lock.to_dict()))

    again = Lock.from_dict(stored)

    assert again == lock
    assert set(stored) == {"salt", "check", "n", "r", "p"}
    assert (again.n, again.r, again.p) == (2**15, 8, 1)
    assert len(base64.urlsafe_b64decode(again.salt)) == 16
    assert open_lock(again, PASSPHRASE).unseal(key.seal(SECRET, "r"), "r") == SECRET
    assert PASSPHRASE not in json.dumps(stored)


def good_lock() -> dict:
    return {"salt": base64.urlsafe_b64encode(b"s" * 16).decode(), "check": PREFIX + "A" * 60, "n": 2**15, "r": 8, "p": 1}


BAD_LOCKS = {
    "not-a-dict": ([1, 2, 3], "not a set of named settings"),
    "missing-check": ({k: v for k, v in good_lock().items() if k != "check"}, "it lacks check"),
    "an-extra-setting": (good_lock() | {"pepper": "x"}, "does not know (pepper)"),
    "salt-not-text": (good_lock() | {"salt": 16}, "salt is not text"),
    "salt-not-base64": (good_lock() | {"salt": "not base64 at all!"}, "salt is not in the form"),
    "salt-too-short": (good_lock() | {"salt": base64.urlsafe_b64encode(b"s" * 4).decode()}, "salt is not the right size"),
    "check-not-sealed": (good_lock() | {"check": "cofacilitate-lock-check"}, "check is not a locked value"),
    "n-as-text": (good_lock() | {"n": "32768"}, "n is not a whole number"),
    "n-as-true": (good_lock() | {"n": True}, "n is not a whole number"),
    "n-a-float": (good_lock() | {"n": 32768.0}, "n is not a whole number"),
    "n-not-a-power-of-two": (good_lock() | {"n": 30000}, "n is not one this app uses"),
    "n-too-small": (good_lock() | {"n": 2**4}, "n is not one this app uses"),
    "n-huge": (good_lock() | {"n": 2**40}, "n is not one this app uses"),
    "r-zero": (good_lock() | {"r": 0}, "more of the computer"),
    "memory-too-big": (good_lock() | {"n": 2**20, "r": 32}, "more of the computer"),
}


@pytest.mark.parametrize(("data", "expected"), list(BAD_LOCKS.values()), ids=list(BAD_LOCKS))
def test_a_lock_of_the_wrong_shape_is_refused_in_plain_words(data: object, expected: str) -> None:
    with pytest.raises(ValueError) as caught:
        Lock.from_dict(data)

    message = str(caught.value)
    assert message.startswith("The lock kept in the saved-work file cannot be used:")
    assert expected in message
    assert "Traceback" not in message and "Error" not in message


def test_a_key_shows_nothing_of_itself_and_is_never_copied(locked: tuple[Lock, Key]) -> None:
    lock, key = locked
    raw = Scrypt(salt=base64.urlsafe_b64decode(lock.salt), length=32, n=lock.n, r=lock.r, p=lock.p).derive(PASSPHRASE.encode())
    assert open_lock(lock, PASSPHRASE) is not None  # the raw bytes above are this lock's key

    shown = repr(key) + str(key) + f"{key!r} {key}"
    for secret in (raw.hex(), raw.hex().upper(), base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode(),
                   repr(raw), PASSPHRASE):
        assert secret not in shown
    assert repr(key) == "Key(hidden)"
    assert not hasattr(key, "__dict__")
    with pytest.raises(TypeError):
        pickle.dumps(key)
    with pytest.raises(TypeError):
        copy.copy(key)


def test_a_short_passphrase_is_refused_in_plain_words() -> None:
    message = check_new_passphrase("short")
    assert message and f"at least {MIN_PASSPHRASE} characters" in message and "short" not in message
    assert check_new_passphrase(" " * 12) == message
    assert check_new_passphrase("   abc de   ") == message  # 6 characters once the spaces at the ends go
    assert check_new_passphrase("eight ch") is None
    with pytest.raises(ValueError) as caught:
        new_lock("tiny")
    assert str(caught.value) == message


def test_is_sealed_only_for_sealed_text(key: Key) -> None:
    assert is_sealed(key.seal("x", "r"))
    assert not any(is_sealed(value) for value in ("sealed-v1", "Sealed-v1:abc", " sealed-v1:abc", b"sealed-v1:abc", None, 1))


def test_without_cryptography_the_message_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("cryptography.hazmat.primitives.kdf.scrypt", "cryptography.hazmat.primitives.ciphers.aead"):
        monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed

    with pytest.raises(ImportError) as caught:
        new_lock(PASSPHRASE)
    assert "pip install cryptography" in str(caught.value)
    with pytest.raises(ImportError, match="pip install cryptography"):
        Key(b"k" * 32)


def test_importing_the_module_does_not_load_cryptography() -> None:
    code = ("import sys; import cofacilitate.store.sealed; "
            "print(any(name.startswith('cryptography') for name in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False"


# -- sealed words in a real workspace file -----------------------------------------------------


def test_sealed_answers_leave_no_words_in_the_file(home: Path, key: Key) -> None:
    workspace = Workspace.open(home)
    me = Owner(workspace.current_person().id)
    texts = [text for text in VALUES.values() if isinstance(text, str)]
    ids = [new_id() for _ in texts]
    for record_id, text in zip(ids, texts, strict=True):
        workspace.save_record(TOOL, sealed_body(key, record_id, text), owner=me, record_id=record_id)
    workspace.save_draft(TOOL, me, "text", key.seal(SECRET, f"draft/{me.person}/text"))
    workspace.close()

    data = file_bytes(home / DB_NAME)
    for text in texts:
        for words in (text, text[:20], "memory clinic", "😢", "שלום", "A long day"):
            assert not any(form in data for form in forms(words)), words

    again = Workspace.open(home)
    try:
        opened = [key.unseal(again.get(record_id).body["text"], record_id) for record_id in ids]
        draft = key.unseal(again.drafts(TOOL, me)["text"], f"draft/{me.person}/text")
    finally:
        again.close()
    assert opened == texts and draft == SECRET


# -- rewrite: everything at once, or nothing ------------------------------------------------------


def plain_diary(workspace: Workspace, owner: Owner, *texts: str) -> list[str]:
    ids = []
    for text in texts:
        ids.append(workspace.save_record(TOOL, {"kind": "diary-entry", "version": 1, "text": text}, owner=owner,
                                         record_id=new_id()).id)
    return ids


def test_rewrite_changes_bodies_and_drafts_together_and_the_old_words_leave_the_file(workspace: Workspace, home: Path,
                                                                                      key: Key) -> None:
    me = Owner(workspace.current_person().id)
    someone = Owner(workspace.new_person().id)
    ids = plain_diary(workspace, me, "Plainly written first entry about the ward", "Plainly written second entry " * 40)
    [theirs] = plain_diary(workspace, someone, "Somebody else's own entry")
    workspace.save_draft(TOOL, me, "text", "Half typed draft words")
    workspace.save_draft(TOOL, me, "mood", 2)
    workspace.save_draft("ladder", me, "project", "A ladder draft of mine")
    workspace.save_draft(TOOL, someone, "text", "Their draft")
    assert readable_in(home / DB_NAME, "Plainly written") and readable_in(home / DB_NAME, "Half typed draft")

    bodies = {record_id: sealed_body(key, record_id, workspace.get(record_id).body["text"]) for record_id in ids}
    drafts = {"text": key.seal("Half typed draft words", "draft/text")}
    workspace.rewrite(TOOL, me, bodies, drafts)

    assert [record.body for record in workspace.records(TOOL, me)] == [bodies[record_id] for record_id in ids]
    assert workspace.drafts(TOOL, me) == drafts, "every draft of the tool is replaced, the mood too"
    assert workspace.drafts("ladder", me) == {"project": "A ladder draft of mine"}
    assert workspace.drafts(TOOL, someone) == {"text": "Their draft"}
    assert workspace.get(theirs).body["text"] == "Somebody else's own entry"
    for words in ("Plainly written", "Half typed draft", "about the ward"):
        assert not readable_in(home / DB_NAME, words), f"{words!r} is still in the file or its -wal"
    assert readable_in(home / DB_NAME, "Somebody else's own entry"), "only what was rewritten changes"


NOT_MINE = ["someone-elses", "mine-in-another-room", "not-there"]


@pytest.mark.parametrize("which", NOT_MINE)
def test_rewrite_with_a_record_that_is_not_yours_changes_nothing(workspace: Workspace, home: Path, key: Key,
                                                                 which: str) -> None:
    me = Owner(workspace.current_person().id)
    someone = Owner(workspace.new_person().id)
    [mine] = plain_diary(workspace, me, "My entry")
    [theirs] = plain_diary(workspace, someone, "Their entry")
    [elsewhere] = plain_diary(workspace, Owner(me.person, "workshop-2"), "My entry in a workshop")
    workspace.save_draft(TOOL, me, "text", "My draft")
    other = {"someone-elses": theirs, "mine-in-another-room": elsewhere, "not-there": new_id()}[which]
    before = every_row(home / DB_NAME)

    with pytest.raises(NotYours) as caught:
        workspace.rewrite(TOOL, me, {mine: sealed_body(key, mine, "x"), other: sealed_body(key, other, "x")},
                          {"text": "replaced"})

    assert "nothing was changed" in str(caught.value)
    assert every_row(home / DB_NAME) == before
    assert workspace.drafts(TOOL, me) == {"text": "My draft"}


HALFWAY = """
import json, sys, time
from collections.abc import Mapping
from cofacilitate.store import Owner, Workspace

class Stalls(Mapping):
    # Hands over its first item; when asked for the next, says so and waits to be killed.
    def __init__(self, items):
        self.held = items
    def __getitem__(self, key):
        return self.held[key]
    def __len__(self):
        return len(self.held)
    def __iter__(self):
        keys = iter(self.held)
        yield next(keys)
        print("halfway", flush=True)
        time.sleep(30)
        yield from keys

home, person, stalling = sys.argv[1:4]
bodies, drafts = json.loads(sys.argv[4]), json.loads(sys.argv[5])
workspace = Workspace.open(home)
workspace.rewrite("diary", Owner(person), Stalls(bodies) if stalling == "bodies" else bodies,
                  Stalls(drafts) if stalling == "drafts" else drafts)
print("finished", flush=True)
"""


@pytest.mark.parametrize("stalling", ["bodies", "drafts"])
def test_a_rewrite_killed_halfway_leaves_the_old_words_whole(home: Path, key: Key, stalling: str) -> None:
    """Killed after its first UPDATE (or, with every body and the drafts' DELETE done, after its first INSERT)."""
    workspace = Workspace.open(home)
    me = Owner(workspace.current_person().id)
    ids = plain_diary(workspace, me, "First entry", "Second entry", "Third entry")
    workspace.save_draft(TOOL, me, "text", "Draft words")
    workspace.save_draft(TOOL, me, "mood", 4)
    old_records, old_drafts = workspace.records(TOOL, me), workspace.drafts(TOOL, me)
    workspace.close()
    before = every_row(home / DB_NAME)
    bodies = {record_id: sealed_body(key, record_id, "new words") for record_id in ids}
    drafts = {"text": key.seal("new draft", "draft/text"), "title": key.seal("new title", "draft/title")}

    child = subprocess.Popen([sys.executable, "-c", HALFWAY, str(home), me.person, stalling, json.dumps(bodies),
                              json.dumps(drafts)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line == "halfway\n", line or child.communicate(timeout=30)[1]
    finally:
        child.kill()  # SIGKILL: no rollback, no clean-up, as when a kernel is killed or the power goes
        child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL

    again = Workspace.open(home)
    try:
        assert again.records(TOOL, me) == old_records
        assert again.drafts(TOOL, me) == old_drafts
    finally:
        again.close()
    assert every_row(home / DB_NAME) == before


# -- delete_records: gone from the file, and only one's own --------------------------------------


def test_deleted_words_leave_the_file_and_its_log_and_only_ones_own_go(workspace: Workspace, home: Path) -> None:
    me = Owner(workspace.current_person().id)
    someone = Owner(workspace.new_person().id)
    short = "Zebra crossing outside the surgery frightened me"
    long = "Tangerine kitchen conversation with the consultant. " * 200  # long enough to spill onto pages of its own
    gone = plain_diary(workspace, me, short, long)
    [kept_id] = plain_diary(workspace, me, "An entry I keep")
    [theirs] = plain_diary(workspace, someone, "Their entry stays")
    for words in ("Zebra crossing", "Tangerine kitchen"):
        assert readable_in(home / DB_NAME, words), "the test must start with the words in the file"

    count = workspace.delete_records(TOOL, me, [*gone, theirs, new_id()])

    assert count == 2
    assert [record.id for record in workspace.records(TOOL, me)] == [kept_id]
    assert workspace.get(theirs).body["text"] == "Their entry stays", "another person's record is untouched"
    assert workspace.delete_records(TOOL, Owner(me.person, "elsewhere"), [kept_id]) == 0
    assert workspace.delete_records("ladder", me, [kept_id]) == 0
    assert workspace.get(kept_id) is not None
    for words in ("Zebra crossing", "surgery frightened", "Tangerine kitchen", "with the consultant"):
        assert not readable_in(home / DB_NAME, words), f"{words!r} is still in the file or its -wal"
    workspace.close()
    for words in ("Zebra crossing", "Tangerine kitchen"):
        assert not readable_in(home / DB_NAME, words)
    assert readable_in(home / DB_NAME, "Their entry stays") and readable_in(home / DB_NAME, "An entry I keep")


def test_a_page_still_reading_delays_the_tidying_but_only_briefly(workspace: Workspace, home: Path) -> None:
    """Another page in the middle of a read keeps the old copies in the -wal; the delete still works at once,
    waits only a moment, and the next checkpoint (or the last page closing) takes the words out."""
    me = Owner(workspace.current_person().id)
    [record_id] = plain_diary(workspace, me, "Zebra crossing outside the surgery")
    reader = sqlite3.connect(home / DB_NAME)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM cofacilitate_records").fetchall()
        started = time.monotonic()
        assert workspace.delete_records(TOOL, me, [record_id]) == 1
        assert time.monotonic() - started < 10
        assert workspace.get(record_id) is None
        assert readable_in(home / DB_NAME, "Zebra crossing"), "the reader's view still needs the old copies"
        reader.execute("COMMIT")
    finally:
        reader.close()

    assert workspace.backend.checkpoint() is True
    assert not readable_in(home / DB_NAME, "Zebra crossing")
