"""The workspace through its interface: people, owners, records, drafts, response cards.

Every test here takes `make_workspace` (tests/conftest.py), which builds a Workspace on each backend in
BACKENDS, SQLite and PostgreSQL, so each backend meets the same contract. File-level matters
(modes, refusals of foreign files, WAL, migrations of a real file) are in test_store_sqlite.py.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

from cofacilitate.cards import load_cards
from cofacilitate.ladder.model import LadderVocabulary, check_body
from cofacilitate.store import MAX_CARD_BYTES, ImportRefused, NotYours, Owner, Workspace, new_id
from cofacilitate.store.records import RECORD_VERSION
from cofacilitate.store.response_cards import CARD_VERSION
from cofacilitate.store.rooms import SharedPart
from tests.conftest import files_holding

VOCABULARIES = {card_id: card.vocabulary for card_id, card in load_cards("ladder", LadderVocabulary)[0].items()}


def ladder_body(project: str = "Memory clinic study", **answers: str) -> dict:
    """A valid ladder assessment body; keyword arguments give 'now' per stage."""
    return {
        "kind": "ladder-assessment", "version": 1, "card": "ladder", "project": project,
        "answers": [{"stage": stage, "now": now, "aim": "co-production", "climb": ""} for stage, now in answers.items()],
        "why_moved": "",
    }


def check(body: dict) -> object:
    return check_body(body, VOCABULARIES)


@pytest.fixture
def workspace(make_workspace: Callable[..., Workspace]) -> Workspace:
    return make_workspace()


@pytest.fixture
def me(workspace: Workspace) -> Owner:
    return Owner(workspace.current_person().id)


def save(workspace: Workspace, owner: Owner, body: dict | None = None, record_id: str | None = None, **fields: object):
    return workspace.save_record("ladder", body or ladder_body(idea="informing"), owner=owner, record_id=record_id or new_id(),
                                 **fields)


# -- people ------------------------------------------------------------------------


def test_the_usual_person_stays_the_same_until_someone_new_starts(workspace: Workspace) -> None:
    first = workspace.current_person()
    assert workspace.current_person() == first

    someone_new = workspace.new_person()

    assert someone_new.id != first.id
    assert workspace.current_person() == someone_new
    assert workspace.person(first.id) == first, "the last person is kept, only no longer the usual one"


def test_pages_opening_at_once_all_find_the_same_usual_person(make_workspace: Callable[..., Workspace]) -> None:
    """choose-then-write is one step on every backend: eight pages at once never make eight usual people."""
    make_workspace().close()
    pages = [make_workspace() for _ in range(8)]
    start = threading.Barrier(len(pages))
    found: list[str] = []

    def open_page(page: Workspace) -> None:
        start.wait()
        found.append(page.current_person().id)

    threads = [threading.Thread(target=open_page, args=(page,)) for page in pages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 8 and len(set(found)) == 1
    assert len(pages[0].backend.read("SELECT id FROM cofacilitate_people")) == 1


def test_two_people_with_the_same_name_are_two_people(workspace: Workspace) -> None:
    sam = workspace.update_person(workspace.current_person().id, "Sam", ["carer"])
    other_sam = workspace.update_person(workspace.new_person().id, "Sam", [])

    assert sam.id != other_sam.id
    assert workspace.person(sam.id).roles == ("carer",) and workspace.person(other_sam.id).roles == ()


def test_a_person_named_by_an_address_is_found_or_made(workspace: Workspace) -> None:
    person_id = new_id()
    made = workspace.person_with_id(person_id, room="workshop-1")
    workspace.update_person(person_id, "Jo", [])

    assert made.id == person_id
    assert workspace.person_with_id(person_id).pseudonym == "Jo"


# -- records -------------------------------------------------------------------------


def test_records_round_trip_and_belong_to_their_owner(make_workspace) -> None:
    workspace = make_workspace()
    me, someone = Owner(workspace.current_person().id, "r1"), Owner(workspace.new_person().id, "r1")
    saved = save(workspace, me, ladder_body(idea="consultation"), participant="Sam", roles=["carer", "researcher"])
    theirs = save(workspace, someone, participant="Jo")
    workspace.close()

    again = make_workspace()
    got = again.get(saved.id)
    assert got == saved
    assert got.body == ladder_body(idea="consultation")
    assert (got.participant, got.roles, got.room, got.person) == ("Sam", ("carer", "researcher"), "r1", me.person)
    assert [r.id for r in again.records("ladder", me)] == [saved.id]
    assert [r.id for r in again.records("ladder", someone)] == [theirs.id]
    assert again.records("ladder", Owner(me.person, "elsewhere")) == []
    assert again.records("powermap", me) == []
    assert {r.id for r in again.records("ladder", None)} == {saved.id, theirs.id}
    assert again.get("no-such-id") is None


def test_saving_with_the_same_id_updates_one_record(workspace: Workspace, me: Owner) -> None:
    """A double click, or a Save sent twice, stores one record."""
    record_id = new_id()
    save(workspace, me, ladder_body(idea="informing"), record_id)
    save(workspace, me, ladder_body(idea="co-design"), record_id, participant="Sam")

    [only] = workspace.records("ladder", me)
    assert only.id == record_id
    assert only.body["answers"][0]["now"] == "co-design"
    assert only.participant == "Sam"


def test_nobody_can_save_over_another_persons_record(workspace: Workspace, me: Owner) -> None:
    mine = save(workspace, me, ladder_body(idea="informing"), participant="Sam")
    someone = Owner(workspace.new_person().id)

    with pytest.raises(NotYours):
        save(workspace, someone, ladder_body(idea="coercion"), mine.id, participant="Mallory")
    with pytest.raises(NotYours):
        save(workspace, Owner(me.person, "another-room"), ladder_body(idea="coercion"), mine.id)

    assert workspace.get(mine.id) == mine
    assert workspace.records("ladder", someone) == []


# -- drafts ----------------------------------------------------------------------------


def test_drafts_belong_to_one_person_in_one_room(workspace: Workspace, me: Owner) -> None:
    someone = Owner(workspace.new_person().id)
    workspace.save_draft("ladder", me, "project", "First words")
    workspace.save_draft("ladder", me, "role/carer", True)
    workspace.save_draft("ladder", someone, "project", "Not mine")
    workspace.save_draft("ladder", Owner(me.person, "room-2"), "project", "Another room")
    workspace.save_draft("ladder", me, "project", "Second words")

    assert workspace.drafts("ladder", me) == {"project": "Second words", "role/carer": True}
    assert workspace.drafts("ladder", someone) == {"project": "Not mine"}
    assert workspace.drafts("powermap", me) == {}


def test_a_draft_key_too_long_for_the_column_is_refused_alike_on_every_backend(workspace: Workspace, me: Owner) -> None:
    workspace.save_draft("ladder", me, "k" * 200, "fits")
    with pytest.raises(ValueError, match="longer than 200"):
        workspace.save_draft("ladder", me, "k" * 201, "does not fit")
    assert workspace.drafts("ladder", me) == {"k" * 200: "fits"}


def test_a_deleted_record_leaves_no_word_in_any_file_of_either_backend(make_workspace: Callable[..., Workspace]) -> None:
    """Its shared part goes with it, and the words leave the database's files (SQLite: secure_delete and the
    WAL emptied; PostgreSQL: VACUUM FULL, since a plain VACUUM leaves a dead row's bytes in the page)."""
    workspace = make_workspace()
    me, someone = Owner(workspace.current_person().id, "room"), Owner(workspace.new_person().id, "room")
    mine = workspace.save_record("agendas", {"words": "DELETE-ME-4417"}, owner=me, record_id=new_id(),
                                 shared=SharedPart({"words": "DELETE-ME-4417"}, ""))
    kept = workspace.save_record("agendas", {"words": "KEEP-ME-0031"}, owner=someone, record_id=new_id())
    assert workspace.delete_records("agendas", someone, [mine.id]) == 0  # not theirs to delete
    assert workspace.delete_records("agendas", me, [mine.id, kept.id]) == 1
    assert workspace.get(mine.id) is None and workspace.get(kept.id) is not None
    assert workspace.shared_records("agendas", "room") == []
    assert files_holding(workspace, make_workspace.cluster, b"DELETE-ME-4417") == []  # type: ignore[attr-defined]


def test_clearing_drafts_drops_only_what_was_saved(workspace: Workspace, me: Owner) -> None:
    """A Save clears its own drafts; newer words (another page's) stay."""
    workspace.save_draft("ladder", me, "climb", "Words the Save stored")
    workspace.save_draft("ladder", me, "why", "Newer words from another page")
    workspace.save_draft("ladder", me, "map", {"b": [1, 2], "a": None})

    saved_words = {"climb": "Words the Save stored", "why": "Older words", "map": {"a": None, "b": [1, 2]}}
    workspace.clear_drafts("ladder", me, saved_words)

    assert workspace.drafts("ladder", me) == {"why": "Newer words from another page"}


# -- response cards ----------------------------------------------------------------------


def card_bytes(records: list[dict], **top: object) -> bytes:
    """A response card built by hand, for cards that the app would never write."""
    card = {
        "format": "cofacilitate-response-card", "schema_version": CARD_VERSION, "app_version": "0.1.0",
        "tool": "ladder", "exported_at": "2024-05-01T10:00:00+00:00", "records": records,
    }
    return json.dumps({**card, **top}).encode("utf-8")


def card_record(body: dict | None = None, **fields: object) -> dict:
    record = {
        "id": "a" * 32, "tool": "ladder", "schema_version": RECORD_VERSION, "room": "", "participant": "Sam",
        "roles": ["carer"], "created_at": "2024-05-01T10:00:00+00:00", "updated_at": "2024-05-01T10:00:00+00:00",
        "body": body if body is not None else ladder_body(idea="informing"),
    }
    return {**record, **fields}


def test_export_then_import_restores_the_same_records(make_workspace) -> None:
    source = make_workspace("mine")
    mine = Owner(source.current_person().id)
    saved = [save(source, mine, ladder_body(idea="consultation"), participant="Sam", roles=["carer"]),
             save(source, mine, ladder_body("Another project", design="pass"), participant="Sam")]
    data = source.export_card("ladder", source.records("ladder", mine))
    assert mine.person not in data.decode("utf-8"), "a person's id is their key: it never goes into a file"

    target = make_workspace("facilitator")
    owner = Owner(target.current_person().id, "room-1")
    report = target.import_card(data, "ladder", check, owner)

    assert (report.added, report.already_here) == (2, 0)
    assert report.sentence() == "2 saved sets of answers were brought back."
    restored = target.records("ladder", owner)
    assert [r.body for r in restored] == [r.body for r in saved]
    assert {(r.person, r.room) for r in restored} == {(owner.person, "room-1")}, "who and where come from the page"


def test_importing_the_same_card_twice_adds_nothing(workspace: Workspace, me: Owner) -> None:
    data = card_bytes([card_record()])
    workspace.import_card(data, "ladder", check, me)

    report = workspace.import_card(data, "ladder", check, me)

    assert (report.added, report.already_here) == (0, 1)
    assert report.sentence() == "Nothing new was added. 1 set was already here, so it was left as it was."
    assert len(workspace.records("ladder", me)) == 1


def test_a_card_holding_someone_elses_record_ids_becomes_the_importers_own(workspace: Workspace, me: Owner) -> None:
    """Two people on one workspace restore the same file: each gets their own copy, once."""
    data = card_bytes([card_record()])
    workspace.import_card(data, "ladder", check, me)
    someone = Owner(workspace.new_person().id)

    first = workspace.import_card(data, "ladder", check, someone)
    second = workspace.import_card(data, "ladder", check, someone)

    assert (first.added, second.added, second.already_here) == (1, 0, 1)
    [mine], [theirs] = workspace.records("ladder", me), workspace.records("ladder", someone)
    assert mine.id != theirs.id and mine.body == theirs.body


def test_script_in_a_project_name_is_kept_as_plain_text(workspace: Workspace, me: Owner) -> None:
    hostile = "<script>alert(1)</script>"
    card = card_bytes([card_record(ladder_body(hostile, idea="informing"), participant=hostile)])
    workspace.import_card(card, "ladder", check, me)

    [stored] = workspace.records("ladder", me)
    assert stored.body["project"] == hostile
    assert stored.participant == hostile


def test_a_record_this_copy_cannot_read_is_kept_and_exported_untouched(make_workspace) -> None:
    """A newer body version, or a ladder this copy lacks: restored as it is, and in the next download."""
    newer = ladder_body(idea="informing") | {"version": 99, "something_new": {"kept": True}}
    retired = ladder_body(idea="informing") | {"card": "a-retired-ladder"}
    data = card_bytes([card_record(newer), card_record(retired, id="b" * 32), card_record(id="c" * 32)])
    workspace = make_workspace()
    owner = Owner(workspace.current_person().id)

    assert workspace.import_card(data, "ladder", check, owner).added == 3

    again = workspace.export_card("ladder", workspace.records("ladder", owner))
    bodies = [record["body"] for record in json.loads(again)["records"]]
    assert newer in bodies and retired in bodies
    elsewhere = make_workspace("elsewhere")
    assert elsewhere.import_card(again, "ladder", check, Owner(elsewhere.current_person().id)).added == 3


GOOD = card_record()
REFUSED_CARDS = {
    "not-json": (b"this is not json \xff", "not the kind of text file (JSON)"),
    "wrong-format": (json.dumps({"format": "a-spreadsheet", "rows": []}).encode(), "not a cofacilitate response card"),
    "json-list": (b"[1, 2, 3]", "not a cofacilitate response card"),
    "other-tool": (card_bytes([card_record(tool="powermap")], tool="powermap"), "belongs to another exercise ('powermap')"),
    "other-tool-inside": (card_bytes([GOOD, card_record(id="b" * 32, tool="powermap")]), "is from another exercise"),
    "oversized": (card_bytes([GOOD]) + b" " * MAX_CARD_BYTES, "2 MB"),
    "newer-card": (card_bytes([GOOD], schema_version=CARD_VERSION + 1), "newer version of cofacilitate"),
    "newer-record": (card_bytes([card_record(schema_version=RECORD_VERSION + 1)]), "newer version of cofacilitate"),
    "participant-not-text": (card_bytes([card_record(participant=42)]), "in set of answers number 1, the name is not text"),
    "roles-not-a-list": (card_bytes([card_record(roles="carer")]), "the list of roles is not a list"),
    "body-not-a-dict": (card_bytes([card_record(body=["x"])]), "its set of answers is not in the form this app writes"),
    "unknown-field": (card_bytes([card_record(secret="x")]), "one of its parts is not something this app knows"),
    "bad-id": (card_bytes([card_record(id="../../etc")]), "its id is not written in a form this app can use"),
    "no-body-version": (card_bytes([card_record(ladder_body() | {"version": "one"})]), "no version number"),
    "unknown-rung": (card_bytes([card_record(ladder_body(idea="the-top"))]), "'the-top' is not a rung"),
    "duplicate-stage": (card_bytes([card_record(ladder_body(idea="informing") | {
        "answers": [{"stage": "idea", "now": "informing"}, {"stage": "idea", "now": "coercion"}]})]), "only once"),
    "very-long-text": (card_bytes([card_record(ladder_body() | {"why_moved": "x" * 30_000})]), "longer than"),
    "too-deep": (card_bytes([card_record(ladder_body() | {"extra": [[[[[[[[[["deep"]]]]]]]]]]})]), "nested"),
    # values the app could not use later (issue 8, point 1)
    "created-not-a-date": (card_bytes([card_record(created_at="last Tuesday")]),
                           "the time it was saved is not a date and time this app can read"),
    "created-without-a-zone": (card_bytes([card_record(created_at="2024-05-01T10:00:00")]),
                               "the time it was saved does not say which time zone it is in"),
    "updated-not-a-date": (card_bytes([card_record(updated_at="2024-13-45T99:00:00+00:00")]), "the time it was last changed"),
    "created-not-text": (card_bytes([card_record(created_at=20240501)]), "the time it was saved is not text"),
    "a-role-far-too-long": (card_bytes([card_record(roles=["x" * 500])]), "a role is longer than the 200 characters"),
    # times nothing could have been saved at, which some time zones cannot even show (issue 15, point 4)
    "created-in-year-9999": (card_bytes([card_record(created_at="9999-12-31T23:59:59+00:00")]),
                             "the time it was saved falls on 31 December 9999, when nothing could have been saved"),
    "created-in-year-1": (card_bytes([card_record(created_at="0001-01-01T00:00:00+00:00")]), "falls on 1 January 1,"),
    "updated-in-year-9999": (card_bytes([card_record(updated_at="9999-12-31T23:59:59+00:00")]),
                             "the time it was last changed falls on 31 December 9999"),
    "updated-beyond-the-calendar-in-utc": (card_bytes([card_record(updated_at="9999-12-31T23:59:59-05:00")]),
                                           "the time it was last changed is too far from today"),
    "created-before-2000": (card_bytes([card_record(created_at="1999-12-31T12:00:00+00:00")]),
                            "between 1 January 2000 and today"),
    "created-next-week": (card_bytes([card_record(created_at=(datetime.now(timezone.utc) + timedelta(days=7)).isoformat())]),
                          "between 1 January 2000 and today"),
    # hostile JSON (issue 8, point 9)
    "nested-very-deep": (b"[" * 100_000, "nested more deeply than any answer set can be"),
    "thousands-of-digits": (b'{"records": [1' + b"1" * 5000 + b"]}", "a number with more than 30 digits"),
    "nan-in-a-body": (card_bytes([card_record(ladder_body() | {"score": float("nan")})]), "'NaN'"),
    "infinity-in-a-body": (card_bytes([card_record(ladder_body() | {"score": float("-inf")})]), "'-Infinity'"),
    "number-too-big": (card_bytes([card_record(ladder_body() | {"score": 1.5})]).replace(b"1.5", b"1e999"), "too big"),
}


@pytest.mark.parametrize(("data", "expected"), list(REFUSED_CARDS.values()), ids=list(REFUSED_CARDS))
def test_a_refused_card_stores_nothing_and_says_why(workspace: Workspace, me: Owner, data: bytes, expected: str) -> None:
    save(workspace, me, ladder_body(idea="coercion"))
    before = [r.as_json() for r in workspace.records("ladder", me)]

    with pytest.raises(ImportRefused) as caught:
        workspace.import_card(data, "ladder", check, me)

    message = str(caught.value)
    assert expected in message
    assert "Nothing was changed." in message
    assert "Traceback" not in message and "Value error" not in message
    assert not re.search(r"should|Input|Extra inputs|[a-z]_[a-z]| > ", message), "our words, never a library's"
    assert [r.as_json() for r in workspace.records("ladder", me)] == before


def test_a_restored_time_is_kept_in_the_apps_own_form(workspace: Workspace, me: Owner) -> None:
    """Times are sorted as text, so one from another time zone is stored as the same moment in UTC."""
    workspace.import_card(card_bytes([card_record(created_at="2024-05-01T12:00:00+02:00")]), "ladder", check, me)

    [stored] = workspace.records("ladder", me)
    assert stored.created_at == "2024-05-01T10:00:00.000000+00:00"
    assert stored.updated_at == "2024-05-01T10:00:00.000000+00:00"


def test_one_bad_record_keeps_the_good_ones_out_too(workspace: Workspace, me: Owner) -> None:
    good = card_record(id="g" * 32)
    bad = card_record(id="b" * 32, body=ladder_body(idea="the-top"))

    with pytest.raises(ImportRefused):
        workspace.import_card(card_bytes([good, bad]), "ladder", check, me)

    assert workspace.records("ladder", me) == []


def test_a_card_of_just_under_the_limit_is_still_read(workspace: Workspace, me: Owner) -> None:
    data = card_bytes([card_record()])
    padded = data[:-1] + b" " * (MAX_CARD_BYTES - len(data)) + data[-1:]
    assert len(padded) == MAX_CARD_BYTES

    assert workspace.import_card(padded, "ladder", check, me).added == 1


def test_the_size_message_gives_the_size_in_plain_words(workspace: Workspace, me: Owner) -> None:
    with pytest.raises(ImportRefused) as caught:
        workspace.import_card(b" " * 5_000_000, "ladder", check, me)

    assert "(5.0 MB)" in str(caught.value)
    assert "at most 2 MB" in str(caught.value)
    assert workspace.records("ladder", me) == []
