"""Session plans: both shipped sessions check; every mistake a facilitator can make in one is named with its line,
in plain words; `cofacilitate session list` and `session check` say what there is and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from cofacilitate.cli import main
from cofacilitate.sessions.plan import Session, SessionError, load_session, session_paths
from cofacilitate.sessions.sheet_codes import MISTYPED, new_sheet_code, read_sheet_code

GOOD = """id: our-session
title: Our session
duration_minutes: 45
welcome: Hello, and thank you for coming.
steps:
  - talk: Welcome
    minutes: 5
  - exercise: ladder
    minutes: 30
  - break: Tea
    minutes: 10
"""


def written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "session.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> str:
    with pytest.raises(SessionError) as refused:
        load_session(written(tmp_path, text))
    return str(refused.value)


def test_both_shipped_sessions_check_and_add_up() -> None:
    found = {path.stem: load_session(path) for path in session_paths()}
    assert set(found) == {"starting-together", "how-are-we-doing"}
    starting, team = found["starting-together"], found["how-are-we-doing"]
    assert (starting.duration_minutes, team.duration_minutes) == (90, 120)
    assert [part.tool for part in starting.exercises] == ["agendas", "ladder"]
    assert [part.tool for part in team.exercises] == ["ladder", "powermap", "diary"]
    assert team.room_tools == ("ladder", "powermap") and [p.tool for p in team.exercises if p.taken_home] == ["diary"]
    for session in found.values():
        assert sum(part.minutes for part in session.parts) == session.duration_minutes
        assert [part.starts_at for part in session.parts] == [sum(p.minutes for p in session.parts[:n])
                                                               for n in range(len(session.parts))]
        assert Session.from_json(session.to_json()) == session  # what a room keeps is the plan itself


def test_a_good_plan_loads_with_its_cards(tmp_path: Path) -> None:
    session = load_session(written(tmp_path, GOOD))
    assert [(part.kind, part.title, part.minutes) for part in session.parts] == [
        ("talk", "Welcome", 5), ("exercise", "The ladder of co-production", 30), ("break", "Tea", 10)]
    assert session.card_for("ladder") == "ladder" and session.card_for("powermap") == ""


@pytest.mark.parametrize(("change", "line", "words"), [
    (("exercise: ladder", "exercise: ladderr"), 8, "there is no exercise card with the id 'ladderr'. The cards are: "),
    (("duration_minutes: 45", "duration_minutes: 60"), 3, "the steps add up to 45 minutes, but the session is 60"),
    (("  - break: Tea\n", "  - break: Tea\n    talk: And talk\n"), 10, "each step needs exactly one of 'exercise'"),
    (("    minutes: 10\n", "    minuets: 10\n"), 10, "this field is not one the session file understands"),
    (("title: Our session\n", ""), 1, "field 'title': this field is missing"),
    (("    minutes: 30", "    minutes: half an hour"), 9, "field 'steps > 1 > minutes'"),
    (("  - exercise: ladder\n    minutes: 30\n", "  - exercise: diary\n    in_room: true\n    minutes: 30\n"), 9,
     "“My reflective diary” is private, so it cannot be used in a room"),
    (("  - break: Tea\n    minutes: 10\n", "  - exercise: arnstein\n    minutes: 10\n"), 10,
     "“The ladder of co-production” is already step 2; a session uses each exercise once"),
])
def test_each_mistake_is_named_with_its_line(tmp_path: Path, change: tuple[str, str], line: int, words: str) -> None:
    old, new = change
    assert GOOD.count(old) == 1
    said = problems(tmp_path, GOOD.replace(old, new))
    assert f"- line {line}, field '" in said and words in said, said


def test_in_room_is_only_for_an_exercise(tmp_path: Path) -> None:
    text = GOOD.replace("  - talk: Welcome\n", "  - talk: Welcome\n    in_room: false\n")
    assert "- line 6, field 'steps > 0': 'in_room' is only for an exercise" in problems(tmp_path, text)


def test_a_plan_with_no_exercise_or_no_steps_or_broken_yaml_is_refused(tmp_path: Path) -> None:
    no_exercise = GOOD.replace("  - exercise: ladder\n    minutes: 30\n", "  - talk: Chat\n    minutes: 30\n")
    assert "a session needs at least one step with an exercise" in problems(tmp_path, no_exercise)
    assert "field 'steps'" in problems(tmp_path, GOOD.split("steps:")[0] + "steps: []\n")
    said = problems(tmp_path, GOOD.replace("  - talk: Welcome", "\t- talk: Welcome"))
    assert "is not laid out as YAML can read on line 6" in said and "a tab instead of spaces" in said
    assert "should be a list of 'name: value' lines" in problems(tmp_path, "- just\n- a list\n")


def test_a_card_for_a_tool_that_does_not_exist_is_left_out_and_named(tmp_path: Path, monkeypatch) -> None:
    import shutil

    from cofacilitate.cards import default_cards_dir

    cards = tmp_path / "cards"
    shutil.copytree(default_cards_dir(), cards)
    (cards / "maze.yaml").write_text((cards / "ladder.yaml").read_text(encoding="utf-8")
                                     .replace("id: ladder\n", "id: maze\n").replace("tool: ladder\n", "tool: maze\n"),
                                     encoding="utf-8")
    monkeypatch.setenv("COFACILITATE_CARDS", str(cards))
    said = problems(tmp_path, GOOD.replace("exercise: ladder", "exercise: maze"))
    assert "there is no exercise card with the id 'maze'" in said


def test_the_commands_list_and_check_sessions_in_plain_words(tmp_path: Path, capsys) -> None:
    assert main(["session", "list"]) == 0
    listed = capsys.readouterr().out
    assert "starting-together: Starting to work together (90 minutes): Naming our agendas, The ladder of co-production" \
        in listed and "how-are-we-doing: How are we doing? (120 minutes)" in listed
    assert main(["session", "check", "how-are-we-doing"]) == 0
    said = capsys.readouterr().out
    assert "can be used" in said and "Taken home, on paper or in the person's own workbook: My reflective diary." in said
    assert main(["session", "check", str(written(tmp_path, GOOD.replace("45", "50")))]) == 1
    assert "- line 3, field 'duration_minutes'" in capsys.readouterr().err
    assert main(["session", "check", "no-such-session"]) == 1
    assert "The shipped sessions are: how-are-we-doing, starting-together." in capsys.readouterr().err


def test_sheet_codes_read_back_however_they_are_typed_and_catch_slips() -> None:
    codes = {new_sheet_code() for _ in range(200)}
    assert len(codes) == 200
    for code in list(codes)[:50]:
        assert read_sheet_code(code) == code
        assert read_sheet_code(f" {code.lower().replace('-', ' ')} ") == code
        plain = code.replace("-", "")
        swapped = plain[1] + plain[0] + plain[2:]
        if swapped != plain:
            assert read_sheet_code(swapped) is None, "two letters swapped"
    assert read_sheet_code("") is None and read_sheet_code("K7PA-3Q") is None and read_sheet_code("OOOO-OOO") is None
    assert "7 letters and numbers" in MISTYPED
