"""The kit, tried as someone who writes a lot, or tries to break it: long answers are never
lost, the log never holds what a person typed, and CSV files are safe in any spreadsheet."""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from cofacilitate import ui
from cofacilitate.frames import csv_bytes
from cofacilitate.ladder.model import MAX_TEXT, Assessment
from cofacilitate.snapshots import MAX_PROJECT
from cofacilitate.ui.fields import counter_words
from tests.conftest import shown
from tests.pages import Pages

SECRET = "My private words about the ward"


# -- long answers are never lost ------------------------------------------------------------


def test_the_counter_is_quiet_well_below_the_limit_then_friendly_then_clear() -> None:
    assert counter_words(100, 4000) == ""
    assert counter_words(3300, 4000) == "3,300 of 4,000 characters used."
    over = counter_words(4210, 4000)
    assert "210 characters longer than the 4,000" in over and "Your words are kept" in over


def test_every_text_box_on_every_page_has_its_models_limit(ladder: Pages, powermap: Pages) -> None:
    from cofacilitate.ui.fields import _LIMITS

    for page in (ladder(), powermap()):
        boxes = [w for w in walk(page) if type(w).__name__ in {"Text", "Textarea", "Combobox"}]
        assert boxes and all(box in _LIMITS for box in boxes), [b.description for b in boxes if b not in _LIMITS]


def walk(widget) -> Iterator:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


@pytest.mark.parametrize("too_long", ["project", "climb", "why"])
def test_an_over_long_answer_is_kept_said_plainly_and_saves_once_shortened(ladder: Pages, too_long: str) -> None:
    page = ladder()
    fields = {"project": (page.project, MAX_PROJECT), "climb": (page.stages[0].climb, MAX_TEXT),
              "why": (page.why_moved, MAX_TEXT)}
    box, limit = fields[too_long]
    words = ("Pay people for their time. " * 400)[: limit + 50]
    box.value = words
    page.stages[0].now.value = "informing"

    page.save_button.click()

    message = shown(page.feedback)
    assert message.startswith("Problem: ") and box.description in message and "still on screen" in message
    assert "try again in a moment" not in message
    assert box.value == words and page.ctx.records() == []
    counter = ui.with_counter(box)[1]
    assert "50 characters longer" in shown(counter)
    again = ladder()
    reloaded = {"project": again.project, "climb": again.stages[0].climb, "why": again.why_moved}[too_long]
    assert reloaded.value == words, "the whole text is kept as a draft"

    box.value = words[:limit]
    page.save_button.click()
    assert "saved" in shown(page.feedback) and len(page.ctx.records()) == 1


def test_a_power_map_with_a_long_project_name_is_not_saved_out_of_sight(powermap: Pages) -> None:
    page = powermap()
    page.project.value = "A very long project name " * 12
    page.people.name.value = "Ward managers"
    page.people.add.click()

    page.save_button.click()

    assert "holds more than it can save" in shown(page.feedback)
    assert page.ctx.records() == []
    page.project.value = page.project.value[:MAX_PROJECT]
    page.save_button.click()
    assert "is saved" in shown(page.feedback)
    assert page.project.value.strip() in shown(page.saved_list)


def test_a_long_note_on_the_power_map_is_kept_and_said_plainly(powermap: Pages) -> None:
    page = powermap()
    page.reflection.change.value = "x" * 2100

    page.save_button.click()

    assert "One change the team could make" in shown(page.feedback) and page.reflection.change.value == "x" * 2100


# -- the log never holds what a person typed -------------------------------------------------


def test_a_failure_with_typed_words_in_its_message_is_logged_without_them(home: Path, logged: Path) -> None:
    feedback = ui.Feedback()

    @feedback.guard
    def save_with_a_bad_body(_: object) -> None:
        try:
            Assessment(card="ladder", project=SECRET * 20)
        except ValueError as err:
            raise RuntimeError(f"could not save {SECRET}") from err

    save_with_a_bad_body(None)

    for handler in logging.getLogger("cofacilitate").handlers:
        handler.flush()
    text = logged.read_text(encoding="utf-8")
    assert "save_with_a_bad_body failed" in text and "Traceback" in text
    assert "ValidationError: project: string_too_long" in text, "what went wrong, and where, is kept"
    assert "RuntimeError" in text
    assert SECRET not in text


# -- CSV files are safe in any spreadsheet ------------------------------------------------------

HOSTILE = ["ok\r=cmd|' /C calc'!A0", "first line\n+SUM(1,2)", "a\r\n@A1", "=1+1", "plain, \"quoted\" words", "x\r-2"]


def test_csv_cells_cannot_start_a_formula_even_where_a_spreadsheet_ends_a_row_at_a_carriage_return() -> None:
    data = csv_bytes(pd.DataFrame({"answer": HOSTILE, "n": range(len(HOSTILE))})).decode("utf-8-sig")

    # A spreadsheet that ends a row at any line break, even inside quotes, and splits cells at commas.
    for line in re.split(r"\r\n|\r|\n", data):
        for cell in line.split(","):
            assert not cell.lstrip('"').startswith(("=", "+", "-", "@")), (line, cell)


def test_csv_read_properly_keeps_every_answer_exactly_but_for_the_apostrophes() -> None:
    data = csv_bytes(pd.DataFrame({"answer": HOSTILE})).decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(data, newline="")))

    assert [row[0] for row in rows[1:]] == [
        "ok\r'=cmd|' /C calc'!A0", "first line\n'+SUM(1,2)", "a\r\n'@A1", "'=1+1", "plain, \"quoted\" words", "x\r'-2",
    ]
    assert data.startswith('"answer"\n"ok\r'), "every cell is quoted"


def test_a_draft_that_no_longer_fits_is_logged_without_the_project_name_in_its_key(home: Path, logged: Path) -> None:
    from cofacilitate.store import Owner, Workspace

    store = Workspace.open(home)
    owner = Owner(store.current_person().id)
    store.save_draft("agendas", owner, "project", SECRET)
    from cofacilitate.ui import draft_key

    key = draft_key(SECRET, "agendas", "worries", "share")  # the project, card, question and field it belongs to
    store.save_draft("agendas", owner, key, "a choice the card never offered")
    store.close()
    from tests.pages import Pages

    opened = Pages(home, "agendas")
    try:
        page = opened()
        assert page.project_name() == SECRET
    finally:
        opened.close()
    for handler in logging.getLogger("cofacilitate").handlers:
        handler.flush()
    text = logged.read_text(encoding="utf-8")
    assert "no longer fits its field" in text
    assert SECRET not in text
