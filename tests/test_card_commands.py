"""`cofacilitate cards list` and `cards check`, and README's example cards: each one checks as it is, one per tool,
so the documentation can never go stale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cofacilitate.cards import check_card_file
from cofacilitate.cli import main
from cofacilitate.tools import TOOLS

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_cards() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Writing your own exercise card"):text.index("## Answers in PostgreSQL")]
    return re.findall(r"```yaml\n(.*?)```", section, flags=re.S)


def test_every_example_card_in_the_readme_can_be_used_and_each_tool_has_one(tmp_path: Path) -> None:
    tools = []
    for number, text in enumerate(readme_cards()):
        path = tmp_path / f"example-{number}.yaml"
        path.write_text(text, encoding="utf-8")
        tools.append(check_card_file(path).tool)
    assert sorted(tools) == sorted(info.id for info in TOOLS)


def test_cards_list_names_every_shipped_card_and_what_it_is_for(capsys) -> None:
    assert main(["cards", "list"]) == 0
    listed = capsys.readouterr().out
    for card in ("agendas", "arnstein", "diary", "ladder", "powermap"):
        assert f"\n{card}: " in "\n" + listed
    assert "arnstein: Arnstein's ladder of citizen participation (for “The ladder of co-production”" in listed


def card(tmp_path: Path, change: tuple[str, str] = ("", "")) -> Path:
    text = readme_cards()[0].replace("id: my-ladder", "id: our-ladder")
    if change[0]:
        assert text.count(change[0]) == 1
        text = text.replace(*change)
    path = tmp_path / "our-card.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "words"), [
    (("tool: ladder", "tool: ladders"), "line 2, field 'tool': there is no exercise called 'ladders'. It must be one of"),
    (("title: Our own ladder", "titel: Our own ladder"), "field 'titel': this field is not one the card understands"),
    (("duration_minutes: 20", "duration_minutes: twenty"), "field 'duration_minutes'"),
    (("id: our-ladder", "id: Our Ladder"), "line 1, field 'id'"),
    (("vocabulary:\n  bands:", "vocabulary:\n\tbands:"), "a tab instead of spaces"),
])
def test_cards_check_names_each_mistake_with_its_line_in_plain_words(tmp_path: Path, capsys, change, words) -> None:
    assert main(["cards", "check", str(card(tmp_path, change))]) == 1
    said = capsys.readouterr().err
    assert words in said, said
    assert "Traceback" not in said


def test_cards_check_says_a_good_card_can_be_used_and_an_id_already_taken(tmp_path: Path, capsys) -> None:
    assert main(["cards", "check", str(card(tmp_path))]) == 0
    assert "can be used: “Our own ladder”, for “The ladder of co-production”" in capsys.readouterr().out
    assert main(["cards", "check", str(card(tmp_path, ("id: our-ladder", "id: arnstein")))]) == 1
    assert "uses the id 'arnstein', which" in capsys.readouterr().err
