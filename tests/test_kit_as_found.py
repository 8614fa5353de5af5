"""The kit as newcomers and attackers found it (issue 15): drafts that belong to what they are about,
words typed into a box being replaced, widgets closed, and saves that say what really happened."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ipywidgets as widgets
import pytest

from cofacilitate import ui
from cofacilitate.ui.drafts import MOST_IN_A_KEY_PART, DraftKeeper, draft_key
from tests.pages import Pages, pages


@pytest.fixture
def ladder(home: Path) -> Iterator[Pages]:
    yield from pages(home, "ladder")


# -- point 5: two tabs of one person keep each other's words ----------------------------------------


def test_two_tabs_on_two_projects_keep_their_own_words(ladder) -> None:
    tab_a, tab_b = ladder(), ladder()
    tab_a.project.value = "Study A"
    tab_b.project.value = "Study B"
    tab_a.stages[0].climb.value = "Words for study A"
    tab_b.stages[0].climb.value = "Words for study B"
    tab_a.drafts.flush()
    tab_b.drafts.flush()
    tab_a.save_button.click()

    again = ladder()  # tab B reloads
    again.project.value = "Study B"
    assert again.stages[0].climb.value == "Words for study B"
    again.project.value = "Study A"
    assert again.stages[0].climb.value == "Words for study A"  # A's saved answer, not B's draft
    assert [r.body["answers"][0]["climb"] for r in again.ctx.records()] == ["Words for study A"]


def test_a_new_project_starts_from_its_own_answers_not_the_last_projects(ladder) -> None:
    page = ladder()
    page.project.value = "Study A"
    page.stages[1].now.value = "consultation"
    page.why_moved.value = "A new lead"
    page.project.value = "Study B"
    assert page.stages[1].now.value == "" and page.why_moved.value == ""
    page.project.value = "Study A"
    assert page.stages[1].now.value == "consultation" and page.why_moved.value == "A new lead"


def test_draft_keys_stay_small_whatever_a_project_is_called() -> None:
    long_name = "פרויקט 🌱 " * 40 + "/../" + "x" * 300
    key = draft_key(long_name, "ladder", "stage", "climb")
    assert len(key) < 4 * (MOST_IN_A_KEY_PART + 2)
    assert long_name not in key and "/../" not in key
    assert key != draft_key(long_name + "!", "ladder", "stage", "climb")
    assert draft_key("Study A", "ladder") == "Study A/ladder"


def test_a_ladder_project_name_over_its_limit_keeps_a_small_draft_key(ladder) -> None:
    page = ladder()
    page.project.value = "P" * 5000
    page.stages[0].climb.value = "still mine"
    page.drafts.flush()
    keys = page.ctx.store.drafts("ladder", page.ctx.owner)
    assert max(len(key) for key in keys) < 300
    again = ladder()  # a page opens whatever was kept, and shows it
    assert again.project.value == "P" * 5000 and again.stages[0].climb.value == "still mine"


# -- point 1: words typed into a box as it is replaced carry over ------------------------------------


class Store:
    """The smallest store a DraftKeeper needs, to watch what it writes."""

    def __init__(self) -> None:
        self.kept: dict[str, object] = {}

    def drafts(self, tool: str, owner: object) -> dict[str, object]:
        return dict(self.kept)

    def save_draft(self, tool: str, owner: object, key: str, value: object) -> None:
        self.kept[key] = value


def test_words_typed_into_a_replaced_box_reach_the_box_in_its_place() -> None:
    keeper = DraftKeeper(Store(), "diary", None, ui.Feedback())  # type: ignore[arg-type]
    old = keeper.keep("set/what", widgets.Textarea())
    new = keeper.keep("set/what", widgets.Textarea())  # the form was rebuilt
    old.value = "typed while the new box was on its way"  # the keystrokes arrive late, for the old box
    assert new.value == "typed while the new box was on its way"
    assert keeper.store.kept["set/what"] == "typed while the new box was on its way"


def test_a_value_the_page_shows_is_not_a_draft() -> None:
    keeper = DraftKeeper(Store(), "ladder", None, ui.Feedback())  # type: ignore[arg-type]
    box = keeper.keep(lambda: "A/climb", widgets.Textarea())
    keeper.refill("A/climb", box, "saved answer")
    assert box.value == "saved answer" and keeper.store.kept == {}
    box.value = "typed"
    assert keeper.store.kept == {"A/climb": "typed"}


# -- point 7: the widgets a page replaces are closed ---------------------------------------------


def test_starting_as_someone_new_closes_the_last_persons_page(ladder) -> None:
    shell = ladder.shell()
    shell.page.stages[0].climb.value = "the last person's words"
    counts = []
    for _ in range(6):
        shell.start_someone_new()  # what the person's box does once they choose to hand over
        counts.append(len(ui.live_widgets()))
    assert len(set(counts[1:])) == 1, counts
    assert not any(getattr(w, "value", None) == "the last person's words" for w in ui.live_widgets())


def test_changing_ladder_and_project_keeps_the_number_of_widgets_flat(ladder) -> None:
    page = ladder()
    cards = [option[1] for option in page.card_choice.options]
    counts = []
    for turn in range(8):
        page.card_choice.value = cards[turn % len(cards)]
        page.project.value = f"Project {turn % 3}"
        counts.append(len(ui.live_widgets()))
    assert len(set(counts[2:])) == 1, counts


# -- point 2: Save acts on what was typed before it, never on a fixed wait ------------------------------


def test_a_click_from_the_page_acts_only_once_the_page_has_answered() -> None:
    from cofacilitate.ui.fields import button

    pressed: list[str] = []
    save = button("Save my answers", "cofa-save", primary=True)
    sent: list[dict] = []
    save.send = lambda content, buffers=None: sent.append(content)  # what goes to the page
    save.on_click(lambda _: pressed.append("saved"))

    save._from_page(None, {"event": "click"}, [])  # the person pressed it
    assert pressed == [] and sent == [{"settle": 1}]  # first the page sends what it held back, then answers
    save._from_page(None, {"settled": 1}, [])
    assert pressed == ["saved"]
    assert "cofa-save" in save.css and "cofa-save" not in save._dom_classes  # tests and styles find the <button>


def full_disk(*_: object, **__: object) -> None:
    raise OSError(28, "No space left on device")


def test_a_failed_save_says_the_words_are_a_draft_only_when_the_draft_was_written(ladder, monkeypatch) -> None:
    from cofacilitate.ui.page import NOT_KEPT_EITHER
    from tests.conftest import shown

    page = ladder()
    page.stages[0].climb.value = "kept as a draft before the disk filled"
    monkeypatch.setattr(page.ctx.store, "save_record", full_disk)
    page.save_button.click()
    assert shown(page.feedback) == "Problem: " + page.save_problem  # true: the draft is in the store
    assert page.ctx.store.drafts("ladder", page.ctx.owner)

    monkeypatch.setattr(page.ctx.store, "save_draft", full_disk)
    page.stages[0].climb.value = "typed once the disk was full"
    page.save_button.click()
    assert shown(page.feedback) == "Problem: " + NOT_KEPT_EITHER  # never "kept as a draft" when it is not
    assert page.stages[0].climb.value == "typed once the disk was full"


# -- point 3: a person's own drafts can never stop their page from opening ----------------------------

HOSTILE = "<script>alert('x')</script> שלום עולם 🌱🌱 " + "\u202e" + "right to left "


NOT_WORDS = {"cofa-return-code", "cofa-filter-words"}  # a code typed to come back, and a search: not words to keep


def text_boxes(root: widgets.Widget) -> list[widgets.Widget]:
    found = [root] if isinstance(root, widgets.Text | widgets.Textarea | widgets.Combobox | widgets.Password) else []
    for child in getattr(root, "children", ()):
        found += text_boxes(child)
    return found


@pytest.mark.parametrize("tool_id", ["ladder", "powermap", "agendas", "diary"])
def test_every_box_filled_as_a_hostile_person_would_still_opens_after_a_reload(home: Path, tool_id: str) -> None:
    from cofacilitate.ui.page import DRAFTS_SET_ASIDE
    from tests.conftest import shown

    opened = Pages(home, tool_id)
    try:
        page = opened()
        boxes = [box for box in text_boxes(page) if not isinstance(box, widgets.Password)
                 and not NOT_WORDS.intersection(box._dom_classes)]
        assert len(boxes) >= 3
        typed = {}
        for number, box in enumerate(boxes):
            words = f"{number} {HOSTILE}" * 400  # longer than any box can save: 20,000 characters and more
            box.value = words
            typed[number] = words
        page.drafts.flush()

        again = opened()
        assert DRAFTS_SET_ASIDE not in shown(again.person_bar.feedback)
        kept = {box.value.strip() for box in text_boxes(again)}  # a space at the very end may be tidied away
        lost = [box.description for number, box in enumerate(boxes) if typed[number].strip() not in kept]
        assert lost == [], "every word came back, every character"
    finally:
        opened.close()


def test_a_draft_the_page_cannot_use_is_set_aside_and_the_page_opens(ladder, monkeypatch) -> None:
    from cofacilitate.ladder.app import LadderPage
    from cofacilitate.ui.page import DRAFTS_SET_ASIDE
    from tests.conftest import shown

    page = ladder()
    page.stages[0].climb.value = "a draft some later version cannot use"
    page.drafts.flush()
    real = LadderPage.fill_stages

    def breaks_on_drafts(self: LadderPage) -> object:
        if self.drafts.newest:
            raise ValueError("a draft this page cannot use")
        return real(self)

    monkeypatch.setattr(LadderPage, "fill_stages", breaks_on_drafts)
    again = ladder()
    assert shown(again.person_bar.feedback) == "Done: " + DRAFTS_SET_ASIDE
    assert again.stages[0].climb.value == ""
    assert again.ctx.store.drafts("ladder", again.ctx.owner), "the draft is still kept"


# -- point 12: a restore shows what it brought back ------------------------------------------------------


def test_a_restore_shows_the_project_it_brought_back(home: Path, ladder) -> None:
    from tests.conftest import shown

    first = ladder()
    first.project.value = "Study far away"
    first.stages[0].climb.value = "Brought back from another computer"
    first.save_button.click()
    card = first.files.files()[0].data

    elsewhere = ladder(home.parent / "elsewhere")
    elsewhere.project.value = "Something else"
    elsewhere.files.restore(card, "ladder-response-card.json")

    assert elsewhere.project.value == "Study far away"
    assert elsewhere.stages[0].climb.value == "Brought back from another computer"
    assert "Study far away" in shown(elsewhere.saved_list)
    said = shown(elsewhere.files.feedback)
    assert "1 saved set of answers was brought back" in said and "The page now shows “Study far away”." in said


def test_a_draft_the_page_refuses_to_write_stays_pending_without_a_wrong_message() -> None:
    from cofacilitate.ui.drafts import DRAFT_PROBLEM, DraftRefused
    from tests.conftest import shown

    def refuse(value: object) -> object:
        raise DraftRefused()  # a diary locked in another window: the page says so itself

    keeper = DraftKeeper(Store(), "diary", None, ui.Feedback())  # type: ignore[arg-type]
    keeper.sealing(refuse, None)
    box = keeper.keep("what", widgets.Textarea())
    box.value = "words that must not reach the file in plain text"
    assert keeper.store.kept == {} and not keeper.all_kept
    assert DRAFT_PROBLEM not in shown(keeper.feedback)


def test_two_tabs_on_two_power_maps_keep_their_own_half_typed_words(home: Path) -> None:
    opened = Pages(home, "powermap")
    try:
        tab_a, tab_b = opened(), opened()
        tab_a.project.value, tab_b.project.value = "Map A", "Map B"
        tab_a.people.name.value = "Half-typed in A"
        tab_b.people.name.value = "Half-typed in B"
        tab_a.reflection.power_note.value = "A's note about power"
        tab_b.reflection.power_note.value = "B's note about power"
        for tab in (tab_a, tab_b):
            tab.drafts.flush()
        again = opened()
        again.project.value = "Map A"
        assert (again.people.name.value, again.reflection.power_note.value) == ("Half-typed in A", "A's note about power")
        again.project.value = "Map B"
        assert (again.people.name.value, again.reflection.power_note.value) == ("Half-typed in B", "B's note about power")
    finally:
        opened.close()


def test_two_diary_windows_one_changing_an_entry_one_writing_a_new_one_keep_their_own_words(home: Path) -> None:
    opened = Pages(home, "diary")
    try:
        first = opened()
        first.form.answers["description"].value = "The entry written first."
        first.save_button.click()
        changing, writing = opened(), opened()
        changing.listed.value = changing.listed.options[0][1]
        changing.open_button.click()
        changing.form.answers["description"].value = "The entry written first, changed in one window."
        writing.form.answers["description"].value = "A new entry written in another window."
        for window in (changing, writing):
            window.drafts.flush()

        writing.save_button.click()
        texts = sorted(r.body["answers"][0]["text"] for r in writing.ctx.records())
        assert texts == ["A new entry written in another window.", "The entry written first."]
        again = opened()  # the changing window reloads, opens its entry again: its unsaved words come back
        again.listed.value = next(value for label, value in again.listed.options if "written first" in label)
        again.open_button.click()
        assert again.form.answers["description"].value == "The entry written first, changed in one window."
    finally:
        opened.close()
