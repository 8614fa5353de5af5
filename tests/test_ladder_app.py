"""The ladder page without a browser: set what a person sets, click, read the store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cofacilitate.ladder.app import LadderPage
from cofacilitate.store import MAX_CARD_BYTES, Owner, Workspace, new_id
from cofacilitate.store.sqlite import SqliteBackend
from tests.conftest import copy_cards, data_links, html_values, shown
from tests.pages import Pages, pages

PROJECT = "Memory clinic study"
CLIMB = "Pay people for their time, and ask before the grant is written"
WHY = "We have a new involvement lead"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def open_app(home: Path) -> Iterator[Pages]:
    """Build the ladder page on the workspace folder, as a page (re)load does."""
    yield from pages(home, "ladder")


def fill(app: LadderPage, project: str = PROJECT) -> None:
    """What a person types and chooses before pressing Save."""
    app.person_bar.pseudonym.value = "Sam"
    app.person_bar.roles["carer"].value = True
    app.project.value = project
    app.stages[0].now.value = "consultation"
    app.stages[0].aim.value = "co-production"
    app.stages[0].climb.value = CLIMB
    app.stages[2].now.value = "pass"
    app.why_moved.value = WHY


def expected_answers(app: LadderPage) -> list[dict]:
    answers = [{"stage": stage.stage_id, "now": "", "aim": "", "climb": ""} for stage in app.stages]
    answers[0].update(now="consultation", aim="co-production", climb=CLIMB)
    answers[2].update(now="pass")
    return answers


def stored(app: LadderPage) -> list:
    return app.ctx.records()


# -- saving ----------------------------------------------------------------------


def test_save_stores_what_was_typed(open_app) -> None:
    app = open_app()
    fill(app)

    app.save_button.click()

    [record] = stored(app)
    assert record.participant == "Sam"
    assert record.roles == ("carer",)
    assert record.body == {
        "kind": "ladder-assessment", "version": 1, "card": "ladder", "project": PROJECT,
        "answers": expected_answers(app), "why_moved": WHY,
    }
    assert "are saved" in shown(app.feedback)
    assert "Having the idea" in shown(app.gap_view.sentence)
    assert PROJECT in shown(app.saved_list)


def test_what_it_would_take_is_part_of_the_result_under_the_chart(open_app) -> None:
    app = open_app()
    fill(app)

    app.save_button.click()

    table = shown(app.gap_view.table)
    assert "What it would take, in your words" in table and CLIMB in table
    assert shown(app.gap_view.sentence).endswith("Your words are in the table below.")


def test_an_empty_project_name_is_saved_under_the_default(open_app) -> None:
    app = open_app()
    app.project.value = "   "

    app.save_button.click()

    [record] = stored(app)
    assert record.body["project"] == "My project"
    assert record.participant == "" and record.roles == ()


def test_passing_every_kind_of_way_saves_fine(open_app) -> None:
    app = open_app()
    app.stages[0].now.value, app.stages[0].aim.value = "pass", "dont-know"
    app.stages[1].now.value = "not-reached"
    app.stages[2].aim.value = "pass"

    app.save_button.click()

    [record] = stored(app)
    first_three = [(a["now"], a["aim"]) for a in record.body["answers"][:3]]
    assert first_three == [("pass", "dont-know"), ("not-reached", ""), ("", "pass")]
    assert "are saved" in shown(app.feedback)
    assert "No stage has a rung chosen for now yet" in shown(app.gap_view.sentence)


def test_another_ladder_brings_its_own_rungs(open_app) -> None:
    app = open_app()

    app.card_choice.value = "arnstein"

    assert len(app.stages) == 7
    rungs = [key for _, key in app.stages[0].now.options]
    assert "citizen-control" in rungs and "co-production" not in rungs
    assert "Arnstein" in shown(app.card_view)
    app.stages[0].now.value = "placation"
    app.save_button.click()
    [record] = stored(app)
    assert record.body["card"] == "arnstein"
    assert record.body["answers"][0]["now"] == "placation"


# -- what each rung means, where it is chosen ----------------------------------------


def test_the_chosen_rung_is_explained_right_under_its_list_and_follows_the_choice(open_app) -> None:
    app = open_app()
    stage = app.stages[0]
    assert stage.now_meaning.value == "" and stage.aim_meaning.value == "", "nothing while “Choose an answer” is shown"

    stage.now.value = "consultation"
    stage.aim.value = "co-production"

    assert shown(stage.now_meaning) == ("Consultation (doing for): People are asked what they think, "
                                        "with no promise that it changes anything.")
    assert shown(stage.aim_meaning).startswith("Co-production (doing with): People work as equal partners")
    children = list(stage.children)
    assert children.index(stage.now_meaning) == children.index(stage.now) + 1
    assert children.index(stage.aim_meaning) == children.index(stage.aim) + 1
    stage.now.value = "coercion"
    assert shown(stage.now_meaning).startswith("Coercion (doing to): People are there, but they have no say.")
    for not_a_rung in ("pass", "dont-know", "not-reached", ""):
        stage.now.value = not_a_rung
        assert stage.now_meaning.value == "", not_a_rung


def test_arnsteins_therapy_rung_says_what_she_meant_and_that_the_word_is_hers(open_app) -> None:
    app = open_app()
    app.card_choice.value = "arnstein"

    app.stages[0].aim.value = "therapy"

    meaning = shown(app.stages[0].aim_meaning)
    assert meaning.startswith("Therapy (not taking part): The aim is to change people, not to hear them.")
    assert "“Therapy” is Arnstein's word, from 1969." in meaning and "It is her word, not ours." in meaning
    assert "mental illness" in meaning and "the care or support people choose for themselves" in meaning
    assert "It is her word, not ours." in shown(app.card_view), "the ladder on the card explains it in the same words"


def test_a_meaning_comes_back_with_the_answer_after_a_reload(open_app) -> None:
    first = open_app()
    first.stages[1].now.value = "engagement"

    again = open_app()

    assert shown(again.stages[1].now_meaning).startswith("Engagement (doing for): People are asked for their views")


def test_a_rung_meaning_is_shown_as_text(open_app, tmp_path: Path, monkeypatch) -> None:
    cards = copy_cards(tmp_path)
    card = cards / "ladder.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace(
        "meaning: People are told what is happening and why.", f"meaning: Told {HOSTILE} why."), encoding="utf-8")
    monkeypatch.setenv("COFACILITATE_CARDS", str(cards))
    app = open_app()

    app.stages[0].now.value = "informing"

    assert "&lt;script&gt;" in app.stages[0].now_meaning.value and "<script" not in app.stages[0].now_meaning.value
    assert shown(app.stages[0].now_meaning) == f"Informing (doing for): Told {HOSTILE} why."


# -- nothing typed is lost ---------------------------------------------------------


def test_typed_words_come_back_after_a_reload(open_app) -> None:
    first = open_app()
    fill(first)

    again = open_app()

    assert again.person_bar.pseudonym.value == "Sam"
    assert again.person_bar.roles["carer"].value is True and again.person_bar.roles["researcher"].value is False
    assert again.project.value == PROJECT
    stage_one = again.stages[0]
    assert (stage_one.now.value, stage_one.aim.value, stage_one.climb.value) == ("consultation", "co-production", CLIMB)
    assert again.stages[2].now.value == "pass"
    assert again.why_moved.value == WHY
    assert "Welcome back" in shown(again.person_bar.feedback)
    assert stored(again) == []


def test_the_chosen_ladder_comes_back_after_a_reload(open_app) -> None:
    first = open_app()
    first.card_choice.value = "arnstein"
    first.stages[0].now.value = "partnership"

    again = open_app()

    assert again.card_choice.value == "arnstein"
    assert again.stages[0].now.value == "partnership"


def test_after_saving_a_reload_starts_from_the_last_assessment(open_app) -> None:
    first = open_app()
    fill(first)
    first.save_button.click()

    again = open_app()

    assert again.project.value == PROJECT
    stage_one = again.stages[0]
    assert (stage_one.now.value, stage_one.aim.value, stage_one.climb.value) == ("consultation", "co-production", CLIMB)
    assert again.stages[2].now.value == "pass"
    assert again.why_moved.value == "", "why things moved is about next time, so it starts empty"
    assert "start from your last assessment" in shown(again.person_bar.feedback)


def test_a_failed_save_says_so_keeps_the_words_and_logs_the_detail(open_app, home: Path, logged: Path) -> None:
    app = open_app()
    fill(app)
    app.ctx.store.backend.close()

    app.save_button.click()

    message = shown(app.feedback)
    assert "could not be saved" in message and "still on screen" in message
    assert "Traceback" not in app.feedback.value and "sqlite" not in app.feedback.value.lower()
    assert app.stages[0].climb.value == CLIMB and app.why_moved.value == WHY and app.project.value == PROJECT
    assert "Traceback" in logged.read_text(encoding="utf-8")

    # The page keeps working: once the workspace is back, the same click saves the same words.
    app.ctx.store.backend = SqliteBackend(app.ctx.store.db_path)
    app.save_button.click()
    [record] = stored(app)
    assert record.body["answers"] == expected_answers(app) and record.body["why_moved"] == WHY
    assert "are saved" in shown(app.feedback)


def test_a_draft_that_could_not_be_kept_says_so_and_is_kept_later(open_app, home: Path, logged: Path) -> None:
    app = open_app()
    app.ctx.store.backend.close()

    app.stages[0].climb.value = CLIMB

    assert "could not keep a draft" in shown(app.feedback)
    assert "Traceback" in logged.read_text(encoding="utf-8")
    app.ctx.store.backend = SqliteBackend(app.ctx.store.db_path)
    app.why_moved.value = WHY  # the next change saves the one that failed too
    again = open_app()
    assert again.stages[0].climb.value == CLIMB and again.why_moved.value == WHY


# -- files -------------------------------------------------------------------------


def test_files_give_a_response_card_and_a_spreadsheet(open_app) -> None:
    app = open_app()
    fill(app)
    app.save_button.click()

    app.files.button.click()

    links = data_links(app.files.links.value)
    assert set(links) == {"application/json", "text/csv"}
    card = json.loads(links["application/json"])
    [record] = stored(app)
    assert card["tool"] == "ladder"
    assert card["records"] == [record.as_json()]
    assert CLIMB in links["text/csv"].decode("utf-8")
    assert "files are ready" in shown(app.files.feedback)


def test_files_before_anything_is_saved_says_what_to_do(open_app) -> None:
    app = open_app()

    app.files.button.click()

    assert app.files.links.value == ""
    assert "Press Save first" in shown(app.files.feedback)


def exported_card(folder: Path, project: str = PROJECT, pseudonym: str = "Sam") -> bytes:
    """A real response card, saved and exported from someone else's workspace."""
    other = Workspace.open(folder)
    body = {"kind": "ladder-assessment", "version": 1, "card": "ladder", "project": project,
            "answers": [{"stage": "idea", "now": "informing", "aim": "co-design", "climb": ""}], "why_moved": ""}
    owner = Owner(other.current_person().id)
    other.save_record("ladder", body, owner=owner, record_id=new_id(), participant=pseudonym)
    data = other.export_card("ladder", other.records("ladder", owner))
    other.close()
    return data


def test_a_card_picked_in_the_upload_box_is_restored(open_app, tmp_path: Path) -> None:
    app = open_app()
    data = exported_card(tmp_path / "someone-else")

    app.files.upload._received(app.files.upload, {"kind": "file", "name": "ladder-response-card.json", "size": len(data)},
                               [memoryview(data)])

    [record] = stored(app)
    assert record.body["project"] == PROJECT
    assert "From ladder-response-card.json: 1 saved set of answers was brought back" in shown(app.files.feedback)


def test_a_file_too_big_is_refused_before_it_is_read(open_app) -> None:
    app = open_app()
    app.files.upload._received(app.files.upload, {"kind": "too-big", "name": "huge.json", "size": MAX_CARD_BYTES + 1}, [])

    message = shown(app.files.feedback)
    assert "too big" in message and "2 MB" in message and "Nothing was changed" in message
    assert stored(app) == []


HOSTILE_CARDS = {
    "not-json": (b"<html><script>alert(1)</script></html>", "not the kind of text file (JSON)"),
    "other-tool": (json.dumps({"format": "cofacilitate-response-card", "tool": "<b>powermap</b>"}).encode(),
                   "belongs to another exercise"),
    "oversized": (b"{" + b" " * (MAX_CARD_BYTES + 10) + b"}", "2 MB"),
    "wrong-types": (json.dumps({"format": "cofacilitate-response-card", "schema_version": 1, "app_version": "0.1.0",
                                "tool": "ladder", "exported_at": "", "records": [{"id": 5}]}).encode(), "could not be used"),
}


@pytest.mark.parametrize(("data", "expected"), list(HOSTILE_CARDS.values()), ids=list(HOSTILE_CARDS))
def test_a_hostile_card_is_refused_in_plain_words(open_app, data: bytes, expected: str) -> None:
    app = open_app()
    fill(app)
    app.save_button.click()

    app.files.restore(data, "answers.json")

    message = shown(app.files.feedback)
    assert message.startswith("Problem: ")
    assert expected in message and "Nothing was changed" in message
    assert 'role="alert"' in app.files.feedback.value
    assert "<b>" not in app.files.feedback.value and "<script>" not in app.files.feedback.value
    assert len(stored(app)) == 1


def test_script_in_a_restored_card_is_shown_as_text(open_app, tmp_path: Path) -> None:
    app = open_app()
    data = exported_card(tmp_path / "someone-else", project=HOSTILE, pseudonym=HOSTILE)

    app.files.restore(data, f"{HOSTILE}.json")
    app.project.value = HOSTILE

    [record] = stored(app)
    assert record.body["project"] == HOSTILE and record.participant == HOSTILE
    assert f"From {HOSTILE}.json: 1 saved set of answers was brought back" in shown(app.files.feedback)
    assert f"saved as {HOSTILE}" in shown(app.saved_list)
    assert HOSTILE in app.project.options


def test_participant_text_is_escaped_everywhere_on_the_page(open_app) -> None:
    app = open_app()
    app.person_bar.pseudonym.value = HOSTILE
    app.project.value = HOSTILE
    app.stages[0].now.value, app.stages[0].aim.value = "informing", "co-design"
    app.stages[0].climb.value = HOSTILE
    app.why_moved.value = HOSTILE

    app.save_button.click()
    app.history_button.click()
    app.files.button.click()

    markup = html_values(app)
    assert any("&lt;script&gt;" in value for value in markup)
    assert not [value for value in markup if "<script" in value.lower()]
    assert HOSTILE in shown(app.history_view.sentence), "why things moved is shown under the history chart"
    assert f"“{HOSTILE}”" in shown(app.gap_view.table)
