"""The person's box on a shared laptop, as people use it: hand over with a return code shown once,
come back with it to your own answers, and a wrong code that says so and shows nobody's name.

Widget logic: real pages built by the kit's Shell on a real workspace, buttons clicked, boxes typed.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

import ipywidgets as widgets
import pytest

from cofacilitate.store import Owner, Workspace
from cofacilitate.store.return_codes import typed_code
from cofacilitate.ui.fields import saved_list_html
from cofacilitate.ui.person import NO_SUCH_CODE, ROLES_FOR_A_GROUP, PersonBar
from tests.conftest import html_values, shown
from tests.pages import Pages
from tests.test_foundation import CLIMB, save_ladder

UNSAVED = "Something Sam has not saved yet"
SAM, JO = "Sam Quillfeather", "Jo Brightwater"  # names no page holds by chance ("Samaritans")


def find(root: widgets.Widget, css: str) -> widgets.Widget:
    """The one widget under `root` with this CSS class."""
    found = [w for w in walk(root) if css in (*getattr(w, "_dom_classes", ()), *getattr(w, "css", ()))]
    assert len(found) == 1, (css, found)
    return found[0]


def walk(root: widgets.Widget) -> list[widgets.Widget]:
    return [root, *[w for child in getattr(root, "children", ()) for w in walk(child)]]


def page_text(page: widgets.Widget) -> str:
    """Every word on the page: its HTML and what is in its boxes and lists."""
    values = [str(getattr(w, "value", "")) for w in walk(page) if not isinstance(w, widgets.HTML)]
    return " ".join(html_values(page) + values + [str(getattr(w, "options", "")) for w in walk(page)])


def code_shown(bar: PersonBar) -> str:
    found = re.search(r'class="cofa-code">([A-Z0-9-]+)<', " ".join(html_values(bar)))
    assert found, "the return code is on screen"
    return found.group(1)


def step_away(page) -> str:
    """Press "I am someone else", read the code, and let the next person start."""
    page.person_bar.someone_new.click()
    code = code_shown(page.person_bar)
    find(page.person_bar, "cofa-hand-over").click()
    return code


def sams_page(ladder: Pages):
    shell = ladder.shell()
    sam = shell.page
    sam.person_bar.pseudonym.value = SAM
    sam.person_bar.roles["carer"].value = True
    save_ladder(sam)
    sam.why_moved.value = UNSAVED
    return shell, sam


def test_a_person_who_stepped_away_comes_back_with_their_code_to_their_own_answers(ladder: Pages) -> None:
    shell, sam = sams_page(ladder)
    sam.person_bar.someone_new.click()
    assert shell.page is sam, "nothing changes hands before the person leaving has seen their code"
    assert "shown only this once" in " ".join(shown(w) for w in walk(sam.person_bar) if isinstance(w, widgets.HTML))
    code = code_shown(sam.person_bar)
    find(sam.person_bar, "cofa-hand-over").click()

    jo = shell.page
    assert jo is not sam and SAM not in page_text(jo) and code not in page_text(jo)
    jo.person_bar.pseudonym.value = JO
    jo.person_bar.return_code.value = code.lower().replace("-", " ")  # as people type a code they wrote down
    jo.person_bar.bring_back.click()

    back = shell.page
    assert back is not jo
    assert back.person_bar.pseudonym.value == SAM and back.person_bar.roles["carer"].value is True
    assert back.why_moved.value == UNSAVED, "the words not saved yet come back too"
    assert back.stages[0].climb.value == CLIMB and "Memory clinic study" in shown(back.saved_list)
    assert "Welcome back" in shown(back.person_bar.feedback)
    assert JO not in page_text(back), "the person who was on the page is not shown to Sam"
    assert ladder().person_bar.pseudonym.value == SAM, "a reload on the laptop opens Sam's page now"


def test_a_wrong_code_says_so_plainly_and_shows_nobodys_name(ladder: Pages) -> None:
    shell, sam = sams_page(ladder)
    code = step_away(sam)
    jo = shell.page
    wrong = "ABCD-2345" if typed_code(code) != "ABCD2345" else "ABCD-2346"
    for typed in (wrong, SAM, code[:-1], "<b>" + code + "</b>", ""):
        jo.person_bar.return_code.value = typed
        jo.person_bar.bring_back.click()
        assert shell.page is jo, typed
        said = shown(jo.person_bar.feedback)
        assert (NO_SUCH_CODE in said) if typed else ("type your return code" in said), said
        assert SAM not in page_text(jo) and CLIMB not in page_text(jo), typed
        assert jo.person_bar.return_code.value == "", "a typed code does not stay on the page"


def test_stepping_away_can_wait_and_a_second_time_keeps_the_same_code(ladder: Pages) -> None:
    shell, sam = sams_page(ladder)
    sam.person_bar.someone_new.click()
    first = code_shown(sam.person_bar)
    find(sam.person_bar, "cofa-stay").click()
    assert shell.page is sam and sam.person_bar.handing_over.children == ()
    assert first not in " ".join(html_values(sam)), "the code is shown once, then leaves the page"

    sam.person_bar.someone_new.click()
    assert "already have a return code" in " ".join(html_values(sam.person_bar)), "the code from before still works"
    find(sam.person_bar, "cofa-hand-over").click()
    shell.page.person_bar.return_code.value = first
    shell.page.person_bar.bring_back.click()
    assert shell.page.person_bar.pseudonym.value == SAM


def test_a_lost_code_can_be_replaced_and_the_old_one_stops_working(ladder: Pages) -> None:
    shell, sam = sams_page(ladder)
    sam.person_bar.someone_new.click()
    old = code_shown(sam.person_bar)
    find(sam.person_bar, "cofa-stay").click()
    sam.person_bar.someone_new.click()
    find(sam.person_bar, "cofa-new-code").click()
    new = code_shown(sam.person_bar)
    assert new != old
    find(sam.person_bar, "cofa-hand-over").click()
    jo = shell.page
    jo.person_bar.return_code.value = old
    jo.person_bar.bring_back.click()
    assert shell.page is jo and "does not match" in shown(jo.person_bar.feedback)
    jo.person_bar.return_code.value = new
    jo.person_bar.bring_back.click()
    assert shell.page.person_bar.pseudonym.value == SAM


def test_the_code_is_kept_only_as_a_slow_hash_in_an_owner_only_file_and_only_for_its_room(home: Path) -> None:
    store = Workspace.open(home)
    try:
        me = store.current_person()
        code = store.give_return_code(Owner(me.id))
        in_room = store.new_person("room-a")
        room_code = store.give_return_code(Owner(in_room.id, "room-a"))
        someone = store.new_person()
        assert store.current_person() == someone
        assert store.come_back(code) == me and store.current_person() == me, "alone at a computer, they are its person again"
        assert store.come_back(code, "room-a") is None, "a code opens answers only in the room it was given in"
        assert store.come_back(room_code, "room-a") == in_room and store.come_back(room_code) is None
        assert store.come_back("") is None and store.come_back("x" * 10_000) is None
    finally:
        store.close()
    files = list(home.glob("workspace.sqlite*"))
    assert files
    for path in files:
        data = path.read_bytes()
        for form in (code, typed_code(code) or "", room_code, typed_code(room_code) or ""):
            assert form.encode() not in data, (path.name, "the code itself is nowhere in the file")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_the_box_says_why_roles_are_asked_in_the_tools_own_words(home: Path) -> None:
    store = Workspace.open(home)
    try:
        person = store.current_person()
        group = PersonBar(store, person, lambda: None)
        diary = PersonBar(store, person, lambda: None, roles_sentence="In your diary, these are only for you.")
    finally:
        store.close()
    assert ROLES_FOR_A_GROUP in " ".join(html_values(group))
    assert "only for you" in " ".join(html_values(diary)) and "a group" not in " ".join(html_values(diary))


@pytest.mark.parametrize("entries", [[], ["Saved on 1 December"]])
def test_the_saved_list_reads_naturally(entries: list[str]) -> None:
    listed = saved_list_html("My project", "answers", entries)
    if entries:
        assert "Saved answers of “My project”, oldest first:" in listed
    else:
        assert listed == "<p>Nothing saved yet for “My project”.</p>"


def test_the_agendas_page_promises_a_change_of_sharing_only_as_far_as_it_is_true(agendas: Pages) -> None:
    words = " ".join(html_values(agendas()))
    assert "change that choice at any time" not in words, "not true for someone who has handed the laptop over"
    assert "you get a return code when you hand over" in words
