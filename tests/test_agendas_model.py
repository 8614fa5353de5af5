"""Naming agendas as data: the card's questions, themes, rules and words, and the rules on what people save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from cofacilitate.agendas.model import (
    MAX_ANSWER,
    Agenda,
    AgendasVocabulary,
    Answer,
    Dictionary,
    Entry,
    Meaning,
    Purpose,
    Rule,
    Rules,
    check_body,
)
from cofacilitate.bodies import NotReadableHere
from cofacilitate.cards import CardError, default_cards_dir, load_card, load_cards

AGENDAS = load_card(default_cards_dir() / "agendas.yaml", AgendasVocabulary).vocabulary
VOCABULARIES = {"agendas": AGENDAS}
PROJECT = "Hospital discharge study"


def agenda(*answers: Answer) -> Agenda:
    return Agenda(card="agendas", project=PROJECT, answers=list(answers))


def body(kind: str = "agenda", **changes: Any) -> dict[str, Any]:
    """A stored body as the store keeps it (plain JSON), with some fields changed."""
    bodies: dict[str, dict[str, Any]] = {
        "agenda": {"answers": [{"prompt": "why-here", "text": "My dad was in hospital.", "share": "named"},
                               {"prompt": "recognition", "chosen": ["payment", "training"], "share": "anonymous"}]},
        "purpose": {"text": "To make leaving hospital safer for older people.", "agreed_by": ["Ann", "Bob"]},
        "rules": {"rules": [{"id": "listen", "text": "We listen."}, {"id": "own-1", "text": "Phones away.", "keep": False}],
                  "review_on": "2027-03-01"},
        "dictionary": {"entries": [{"id": "ppi", "term": "PPI", "meanings": [{"text": "Patient and public involvement."}],
                                    "agreed": 0}]},
    }
    return {"kind": kind, "version": 1, "card": "agendas", "project": PROJECT, **bodies[kind], **changes}


def entry(term: str, *meanings: str, entry_id: str = "", agreed: int | None = None) -> Entry:
    return Entry(id=entry_id or term.lower().replace(" ", "-"), term=term,
                 meanings=[Meaning(text=text) for text in meanings], agreed=agreed)


# -- the card ----------------------------------------------------------------------


def test_the_shipped_card_loads_with_its_questions_themes_rules_and_words() -> None:
    cards, problems = load_cards("agendas", AgendasVocabulary)

    assert problems == []
    assert list(cards) == ["agendas"]
    card = cards["agendas"]
    assert card.tool == "agendas" and card.title == "Naming our agendas"
    vocabulary = card.vocabulary
    assert [prompt.id for prompt in vocabulary.prompts] == ["why-here", "hopes", "worries", "brings", "recognition", "needs"]
    assert {prompt.kind for prompt in vocabulary.prompts} == {"hopes", "worries", "brings", "recognition", "needs"}
    assert all(prompt.help and prompt.example for prompt in vocabulary.prompts), "every question needs help and an example"
    recognition = vocabulary.prompt("recognition")
    assert recognition is not None
    assert [choice.id for choice in recognition.choices] == ["payment", "authorship", "training", "reference", "thanks", "other"]
    assert vocabulary.prompt("no-such-question") is None
    assert len(vocabulary.themes) == 8 and all(theme.words for theme in vocabulary.themes)
    assert all(word == word.lower() for theme in vocabulary.themes for word in theme.words)
    assert len(vocabulary.ground_rules) == 8
    assert len(vocabulary.terms) == 7 and all(term.meaning for term in vocabulary.terms), "every word needs a plain meaning"
    assert "INVOLVE" in card.source


def broken_card(tmp_path: Path, old: str, new: str) -> tuple[str, str]:
    """The shipped card with one change, written into tmp_path; returns (its text, the CardError message)."""
    text = (default_cards_dir() / "agendas.yaml").read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path = tmp_path / "agendas.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CardError) as caught:
        load_card(path, AgendasVocabulary)
    message = str(caught.value)
    assert str(path) in message, "the message must name the file"
    assert "Traceback" not in message
    return text, message


def line_of(text: str, fragment: str) -> int:
    """The 1-based number of the first line holding `fragment`."""
    return next(number for number, line in enumerate(text.splitlines(), start=1) if fragment in line)


def test_a_card_with_a_repeated_question_id_is_refused_naming_the_line(tmp_path: Path) -> None:
    text, message = broken_card(tmp_path, "    - id: hopes\n", "    - id: why-here\n")

    assert "repeats the id 'why-here'" in message
    assert f"- line {line_of(text, '- id: why-here')}, field 'vocabulary > prompts'" in message


def test_a_card_with_an_unknown_key_is_refused_naming_the_line(tmp_path: Path) -> None:
    text, message = broken_card(tmp_path, "      kind: worries\n", "      kind: worries\n      colour: blue\n")

    assert f"- line {line_of(text, 'colour: blue')}, field 'vocabulary > prompts > 2 > colour'" in message
    assert "this field is not one the card understands (check the spelling)" in message


def test_a_card_with_an_unknown_kind_of_question_is_refused(tmp_path: Path) -> None:
    text, message = broken_card(tmp_path, "      kind: worries\n", "      kind: fears\n")

    assert f"- line {line_of(text, 'kind: fears')}, field 'vocabulary > prompts > 2 > kind'" in message
    assert "'fears'" in message


# -- an agenda ---------------------------------------------------------------------


def test_an_answer_is_private_unless_its_writer_says() -> None:
    answer = Answer(prompt="worries", text="Being talked over.")

    assert answer.share == "private"
    assert answer.said


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (Answer(prompt="worries"), False),
        (Answer(prompt="worries", text="   \n  "), False),
        (Answer(prompt="worries", text="Time."), True),
        (Answer(prompt="recognition", chosen=["payment"]), True),
    ],
    ids=["nothing", "only-spaces", "words", "a-choice"],
)
def test_an_answer_has_said_something_when_it_has_words_or_a_choice(answer: Answer, said: bool) -> None:
    assert answer.said is said


def test_an_agenda_keeps_an_answer_of_the_longest_length_and_refuses_a_longer_one() -> None:
    assert len(Answer(prompt="hopes", text="x" * MAX_ANSWER).text) == MAX_ANSWER
    with pytest.raises(ValidationError):
        Answer(prompt="hopes", text="x" * (MAX_ANSWER + 1))
    with pytest.raises(ValidationError):
        Agenda.model_validate({"card": "agendas", "project": PROJECT,
                               "answers": [{"prompt": "hopes", "text": "x" * (MAX_ANSWER + 1)}]})


def test_an_agenda_refuses_a_second_answer_to_the_same_question() -> None:
    with pytest.raises(ValidationError) as caught:
        agenda(Answer(prompt="hopes", text="To learn."), Answer(prompt="hopes", text="To help."))

    assert "each question may be answered only once" in str(caught.value)


@pytest.mark.parametrize("share", ["public", "everyone", "", "Private"])
def test_an_answer_refuses_a_way_of_sharing_it_does_not_know(share: str) -> None:
    with pytest.raises(ValidationError):
        Answer.model_validate({"prompt": "hopes", "text": "To learn.", "share": share})


def test_an_agenda_finds_each_answer_or_an_empty_one() -> None:
    mine = agenda(Answer(prompt="hopes", text="To learn.", share="named"))

    assert mine.answer_for("hopes").text == "To learn."
    assert mine.answer_for("worries") == Answer(prompt="worries")
    assert mine.said_anything
    assert not agenda(Answer(prompt="hopes", text="  ")).said_anything


# -- stored bodies -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["agenda", "purpose", "rules", "dictionary"])
def test_check_body_reads_each_kind_of_body(kind: str) -> None:
    item = check_body(body(kind), VOCABULARIES)

    assert item.kind == kind and item.card == "agendas" and item.project == PROJECT


def test_check_body_reads_an_agenda_with_its_answers_and_choices() -> None:
    item = check_body(body(), VOCABULARIES)

    assert isinstance(item, Agenda)
    assert item.answer_for("why-here").share == "named"
    assert item.answer_for("recognition").chosen == ["payment", "training"]


def test_check_body_refuses_a_body_of_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="it is not an agenda, a purpose, ground rules or a list of words") as caught:
        check_body(body(kind="agenda") | {"kind": "essay"}, VOCABULARIES)

    assert not isinstance(caught.value, NotReadableHere), "a wrong body is wrong, not from a newer app"


def test_check_body_refuses_a_question_not_on_the_card() -> None:
    with pytest.raises(ValueError, match="the question 'favourite-colour' is not on the card 'agendas'") as caught:
        check_body(body(answers=[{"prompt": "favourite-colour", "text": "Blue"}]), VOCABULARIES)

    assert not isinstance(caught.value, NotReadableHere)


@pytest.mark.parametrize(
    ("prompt", "chosen", "refused"),
    [("recognition", ["payment", "cake"], "cake"), ("hopes", ["payment"], "payment")],
    ids=["not-offered", "question-without-choices"],
)
def test_check_body_refuses_a_choice_not_offered(prompt: str, chosen: list[str], refused: str) -> None:
    with pytest.raises(ValueError, match=f"'{refused}' is not a choice for the question '{prompt}'"):
        check_body(body(answers=[{"prompt": prompt, "chosen": chosen}]), VOCABULARIES)


@pytest.mark.parametrize("kind", ["agenda", "purpose", "rules", "dictionary"])
def test_a_body_from_a_newer_app_is_not_readable_here(kind: str) -> None:
    with pytest.raises(NotReadableHere, match="newer version of the app"):
        check_body(body(kind, version=2), VOCABULARIES)


@pytest.mark.parametrize("kind", ["agenda", "purpose", "rules", "dictionary"])
def test_a_body_made_with_a_card_this_copy_lacks_is_not_readable_here(kind: str) -> None:
    with pytest.raises(NotReadableHere, match="'team-agendas'"):
        check_body(body(kind, card="team-agendas"), VOCABULARIES)


@pytest.mark.parametrize("version", [0, "1", None, True])
def test_a_body_with_a_version_this_app_does_not_understand_is_wrong(version: Any) -> None:
    with pytest.raises(ValueError) as caught:
        check_body(body(version=version), VOCABULARIES)

    assert not isinstance(caught.value, NotReadableHere)


# -- the group's documents -----------------------------------------------------------


@pytest.mark.parametrize("text", [None, "", "   "], ids=["missing", "empty", "only-spaces"])
def test_a_purpose_needs_words(text: str | None) -> None:
    fields: dict[str, Any] = {"card": "agendas", "project": PROJECT}
    if text is not None:
        fields["text"] = text
    with pytest.raises(ValidationError):
        Purpose.model_validate(fields)


def test_a_purpose_is_a_version_with_who_agreed_and_when_to_look_again() -> None:
    purpose = Purpose(card="agendas", project=PROJECT, text="  To make leaving hospital safer. ",
                      agreed_by=[" Ann ", "", "Bob"], review_on="2027-03-01", based_on="record-1")

    assert purpose.text == "To make leaving hospital safer."
    assert purpose.agreed_by == ["Ann", "Bob"]
    with pytest.raises(ValidationError):
        Purpose(card="agendas", project=PROJECT, text="To help.", review_on="soon")


def test_rules_refuse_the_same_rule_twice_and_list_the_kept_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        Rules(card="agendas", project=PROJECT, rules=[Rule(id="listen", text="We listen."), Rule(id="listen", text="Again.")])
    assert "each rule may be listed only once" in str(caught.value)

    rules = Rules(card="agendas", project=PROJECT,
                  rules=[Rule(id="listen", text="We listen."), Rule(id="breaks", text="Breaks.", keep=False)])
    assert [rule.id for rule in rules.kept] == ["listen"]


def test_a_rule_needs_words() -> None:
    with pytest.raises(ValidationError):
        Rule(id="listen", text="   ")


@pytest.mark.parametrize(
    ("first", "second"),
    [("PPI", "ppi"), ("Co production", "  co   PRODUCTION "), ("Outcome measure", "outcome\tmeasure")],
    ids=["case", "spaces", "tab"],
)
def test_a_dictionary_refuses_the_same_word_twice(first: str, second: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Dictionary(card="agendas", project=PROJECT,
                   entries=[entry(first, "One meaning.", entry_id="first"), entry(second, "Another.", entry_id="second")])

    assert "each word may be listed only once" in str(caught.value)


def test_a_dictionary_refuses_the_same_id_twice() -> None:
    with pytest.raises(ValidationError, match="each word may be listed only once"):
        Dictionary(card="agendas", project=PROJECT, entries=[entry("PPI", entry_id="ppi"), entry("PPIE", entry_id="ppi")])


@pytest.mark.parametrize("agreed", [1, 5, -1])
def test_an_agreed_meaning_must_be_one_of_the_meanings(agreed: int) -> None:
    with pytest.raises(ValidationError, match="the agreed meaning of 'PPI' is not one of its meanings"):
        Dictionary.model_validate({"card": "agendas", "project": PROJECT, "entries": [
            {"id": "ppi", "term": "PPI", "meanings": [{"text": "Patient and public involvement."}], "agreed": agreed}]})


def test_a_word_with_no_meanings_cannot_have_an_agreed_one() -> None:
    with pytest.raises(ValidationError):
        entry("PPI", agreed=0)
    assert entry("PPI").agreed is None
    assert entry("PPI", "One.", "Two.", agreed=1).agreed == 1
