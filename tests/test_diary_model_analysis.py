"""The reflective diary as data and as patterns: the card, one entry, entries as they stand,
filters, suggested tags, check-ins, the documents a person keeps, and the two charts."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from cofacilitate.bodies import NotReadableHere
from cofacilitate.cards import CardError, default_cards_dir, load_card, load_cards
from cofacilitate.chartkit import SMALLEST
from cofacilitate.diary import analysis, charts
from cofacilitate.diary.model import MAX_ANSWER, Answer, DiaryEntry, DiaryVocabulary, check_body
from cofacilitate.documents import to_html, to_markdown
from cofacilitate.snapshots import Saved
from cofacilitate.words import long_date
from tests.conftest import assert_chart_text_at_least, dataset_values, walk

DIARY = load_card(default_cards_dir() / "diary.yaml", DiaryVocabulary).vocabulary
VOCABULARIES = {"diary": DIARY}
PROJECT = "Stroke ward study"
FIRST, SECOND, THIRD = "a" * 32, "b" * 32, "c" * 32
HOSTILE = "<script>alert(1)</script>"
GREETING = "שלום 👋🏽"  # right-to-left words and an emoji with a skin tone


def entry(entry_id: str = FIRST, on: str = "2026-03-01", text: str = "We met on the ward.", *,
          prompt_set: str = "gibbs", prompt: str = "description", **changes: Any) -> DiaryEntry:
    """One version of one entry, with one answer unless `answers` is given."""
    fields: dict[str, Any] = {"card": "diary", "project": PROJECT, "entry": entry_id, "on": on, "occasion": "meeting",
                              "prompt_set": prompt_set, "answers": [Answer(prompt=prompt, text=text)] if text else []}
    return DiaryEntry(**(fields | changes))


def body(**changes: Any) -> dict[str, Any]:
    """A stored entry as the store keeps it (plain JSON), with some fields changed."""
    return entry().model_dump() | changes


def when(day: int, hour: int = 9) -> str:
    return f"2026-01-{day:02d}T{hour:02d}:00:00+00:00"


def saved(item: DiaryEntry, at: str) -> Saved[DiaryEntry]:
    return Saved(f"record-{item.entry[:4]}-{at}", at, "", (), item)


def stood(*items: tuple[DiaryEntry, str]) -> list[analysis.Standing]:
    return analysis.standing([saved(item, at) for item, at in items])


# -- the card ---------------------------------------------------------------------------


def test_the_shipped_card_loads_with_its_ways_of_writing_check_in_support_and_tags() -> None:
    cards, problems = load_cards("diary", DiaryVocabulary)

    assert problems == []
    assert list(cards) == ["diary"]
    card = cards["diary"]
    assert card.tool == "diary" and card.title == "My reflective diary"
    vocabulary = card.vocabulary
    assert [s.id for s in vocabulary.prompt_sets] == ["gibbs", "what-so-what", "coproduction", "free"]
    assert all(prompt.meaning for s in vocabulary.prompt_sets for prompt in s.prompts), "every question has its help"
    assert [o.id for o in vocabulary.occasions] == ["meeting", "workshop", "conversation", "other"]
    assert len(vocabulary.check_in.took_out.steps) == len(vocabulary.check_in.safe.steps) == 5
    assert (vocabulary.high_load_from, vocabulary.low_safety_to) == (4, 2)
    assert "not a health or crisis service" in vocabulary.support.intro
    assert [c.id for c in vocabulary.support.contacts] == ["facilitator", "samaritans", "shout", "emergency"]
    assert len(vocabulary.tags) == 11 and {tag.group for tag in vocabulary.tags} == {"principle", "standard"}
    assert all(tag.words and all(word == word.lower() for word in tag.words) for tag in vocabulary.tags)
    assert vocabulary.prompt_set("free") is not None and vocabulary.prompt_set("poems") is None
    assert vocabulary.tag("power") is not None and vocabulary.tag("no-such-tag") is None
    assert "INVOLVE" in card.source


def test_tag_words_are_kept_in_lower_case_without_spaces_around_them() -> None:
    changed = DiaryVocabulary.model_validate(
        DIARY.model_dump() | {"tags": [{"id": "power", "label": "Power", "group": "principle",
                                        "words": ["  Power ", "Lived Experience", "   "]}]})

    assert changed.tags[0].words == ["power", "lived experience"]


def broken_card(tmp_path: Path, old: str, new: str) -> tuple[str, str]:
    """The shipped card with one change, written into tmp_path; returns (its text, the CardError message)."""
    text = (default_cards_dir() / "diary.yaml").read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path = tmp_path / "diary.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CardError) as caught:
        load_card(path, DiaryVocabulary)
    message = str(caught.value)
    assert str(path) in message, "the message must name the file"
    assert "Traceback" not in message
    return text, message


def line_of(text: str, fragment: str, after: str = "") -> int:
    """The 1-based number of the first line holding `fragment` (after the first line holding `after`)."""
    lines = text.splitlines()
    start = next(n + 1 for n, line in enumerate(lines) if after in line) if after else 0
    return next(n for n, line in enumerate(lines[start:], start=start + 1) if fragment in line)


def test_a_card_with_a_repeated_tag_id_is_refused_naming_the_line(tmp_path: Path) -> None:
    text, message = broken_card(tmp_path, "    - id: inclusion\n      label: Including",
                                "    - id: power\n      label: Including")

    assert "repeats the id 'power'" in message
    assert f"- line {line_of(text, '- id: power', after='  tags:')}, field 'vocabulary > tags'" in message


def test_a_card_with_a_repeated_question_id_is_refused_naming_the_line(tmp_path: Path) -> None:
    text, message = broken_card(tmp_path, "        - id: so-what\n", "        - id: what\n")

    assert "Prompt number 2 repeats the id 'what'" in message
    line = line_of(text, "- id: what", after="- id: what-so-what")
    assert f"- line {line}, field 'vocabulary > prompt_sets > 1 > prompts'" in message


def test_a_card_with_a_check_in_of_four_steps_is_refused_naming_the_line(tmp_path: Path) -> None:
    text, message = broken_card(tmp_path, "      steps: [Very little, A little, Some, A lot, Very much]",
                                "      steps: [Very little, A little, A lot, Very much]")

    assert f"- line {line_of(text, 'steps: [Very little')}, field 'vocabulary > check_in > took_out > steps'" in message
    assert "at least 5 items" in message


def test_a_card_with_an_unknown_kind_of_tag_is_refused_naming_the_line(tmp_path: Path) -> None:
    text, message = broken_card(tmp_path, "      group: standard\n      words: [impact",
                                "      group: rule\n      words: [impact")

    assert f"- line {line_of(text, 'group: rule')}, field 'vocabulary > tags > 10 > group'" in message
    assert "(found 'rule')" in message


def test_a_card_with_a_threshold_beyond_the_scale_is_refused_naming_the_line(tmp_path: Path) -> None:
    text, message = broken_card(tmp_path, "  high_load_from: 4", "  high_load_from: 6")

    assert f"- line {line_of(text, 'high_load_from: 6')}, field 'vocabulary > high_load_from'" in message
    assert "(found 6)" in message


def test_a_card_with_a_misspelt_field_is_refused_naming_the_line(tmp_path: Path) -> None:
    text, message = broken_card(tmp_path, "  low_safety_to: 2\n", "  low_safety_to: 2\n  colour: blue\n")

    assert f"- line {line_of(text, 'colour: blue')}, field 'vocabulary > colour'" in message
    assert "this field is not one the card understands (check the spelling)" in message


def test_a_broken_card_is_listed_as_a_problem_and_the_good_one_still_loads(tmp_path: Path) -> None:
    text = (default_cards_dir() / "diary.yaml").read_text(encoding="utf-8")
    (tmp_path / "diary.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text(text.replace("id: diary\n", "id: broken-diary\n", 1)
                                          .replace("  high_load_from: 4", "  high_load_from: 0"), encoding="utf-8")

    cards, problems = load_cards("diary", DiaryVocabulary, tmp_path)

    assert list(cards) == ["diary"]
    [problem] = problems
    assert "broken.yaml" in problem and "vocabulary > high_load_from" in problem


# -- one entry ----------------------------------------------------------------------------


def test_an_entry_keeps_the_longest_answer_whole_with_emoji_and_right_to_left_words() -> None:
    words = (GREETING + " " + HOSTILE + " ") * 400
    words = words[:MAX_ANSWER - 1] + "!"

    kept = entry(text=words)

    assert len(kept.text_of("description")) == MAX_ANSWER
    assert kept.text_of("description") == words
    assert kept.text_of("feelings") == ""


def test_an_entry_refuses_an_answer_one_character_too_long() -> None:
    with pytest.raises(ValidationError):
        entry(text="👋" * (MAX_ANSWER + 1))
    with pytest.raises(ValidationError):
        DiaryEntry.model_validate(body(answers=[{"prompt": "description", "text": "x" * (MAX_ANSWER + 1)}]))


@pytest.mark.parametrize(("day", "said"), [
    ("2026-13-45", "the month in the date is not one this app knows"),
    ("2026-02-30", "February 2026 has no day 30"),
    ("yesterday", "the date is not one this app can read"),
    ("", "the date is not one this app can read"),
])
def test_an_entry_refuses_a_date_it_cannot_read(day: str, said: str) -> None:
    with pytest.raises(ValidationError) as caught:
        entry(on=day)

    assert said in str(caught.value)


def test_an_entry_reads_a_date_written_day_first() -> None:
    assert entry(on="23/11/2026").on == "2026-11-23"


def test_an_entry_refuses_a_second_answer_to_the_same_question() -> None:
    with pytest.raises(ValidationError) as caught:
        entry(answers=[Answer(prompt="description", text="One."), Answer(prompt="description", text="Two.")])

    assert "each question may be answered only once" in str(caught.value)


@pytest.mark.parametrize("field", ["took_out", "safe"])
@pytest.mark.parametrize("step", [0, 6, -1])
def test_a_check_in_outside_one_to_five_is_refused(field: str, step: int) -> None:
    with pytest.raises(ValidationError):
        entry(**{field: step})


@pytest.mark.parametrize("step", [1, 5, None])
def test_a_check_in_of_one_to_five_or_passed_is_kept(step: int | None) -> None:
    kept = entry(took_out=step, safe=step)

    assert kept.took_out == kept.safe == step


def test_an_entrys_words_are_every_answer_and_the_feelings() -> None:
    kept = entry(answers=[Answer(prompt="description", text="We met."), Answer(prompt="action", text="Ask first.")],
                 feelings="Tired but glad.")

    assert kept.words == "We met.\nAsk first.\nTired but glad."


# -- stored bodies -------------------------------------------------------------------------


def test_check_body_reads_a_stored_entry() -> None:
    item = check_body(body(tags=["power"], took_out=4, safe=2), VOCABULARIES)

    assert isinstance(item, DiaryEntry)
    assert item.entry == FIRST and item.text_of("description") == "We met on the ward."
    assert (item.took_out, item.safe, item.tags) == (4, 2, ["power"])


@pytest.mark.parametrize(("changes", "said"), [
    ({"prompt_set": "poems"}, "the way of writing 'poems' is not on the card 'diary'"),
    ({"answers": [{"prompt": "so-what", "text": "It matters."}]}, "the question 'so-what' is not part of 'gibbs'"),
    ({"occasion": "party"}, "'party' is not a kind of occasion on the card 'diary'"),
    ({"tags": ["power", "sparkle"]}, "the tag 'sparkle' is not on the card 'diary'"),
], ids=["way-of-writing", "question", "occasion", "tag"])
def test_check_body_refuses_what_the_card_does_not_have(changes: dict[str, Any], said: str) -> None:
    with pytest.raises(ValueError, match=said) as caught:
        check_body(body(**changes), VOCABULARIES)

    assert not isinstance(caught.value, NotReadableHere), "a wrong body is wrong, not from a newer app"


def test_check_body_says_a_newer_version_is_not_readable_here() -> None:
    with pytest.raises(NotReadableHere, match="saved by a newer version of the app"):
        check_body(body(version=2), VOCABULARIES)


def test_check_body_says_an_entry_from_a_card_this_copy_lacks_is_not_readable_here() -> None:
    with pytest.raises(NotReadableHere, match="a diary card \\('my-own-diary'\\) that this copy of the app does not have"):
        check_body(body(card="my-own-diary"), VOCABULARIES)


@pytest.mark.parametrize("version", [0, None, "1", True])
def test_check_body_refuses_a_body_without_a_version_it_understands(version: Any) -> None:
    with pytest.raises(ValueError, match="no version number this app understands") as caught:
        check_body(body(version=version), VOCABULARIES)

    assert not isinstance(caught.value, NotReadableHere)


# -- entries as they stand ------------------------------------------------------------------


def test_each_entry_stands_as_its_latest_version_with_its_earlier_ones_kept() -> None:
    first_draft = entry(FIRST, "2026-03-01", "First words.")
    second = entry(SECOND, "2026-04-01", "Another meeting.")
    first_edit = entry(FIRST, "2026-03-01", "First words, changed.")
    first_again = entry(FIRST, "2026-03-01", "First words, changed again.")
    items = [saved(first_draft, when(1)), saved(second, when(2)), saved(first_edit, when(3)), saved(first_again, when(4))]
    random.Random(7).shuffle(items)

    found = analysis.standing(items)

    assert [s.item.entry for s in found] == [SECOND, FIRST], "newest date first"
    first = found[1]
    assert first.item.text_of("description") == "First words, changed again."
    assert first.latest.saved_at == when(4)
    assert [v.item.text_of("description") for v in first.earlier] == ["First words.", "First words, changed."]
    assert found[0].earlier == ()


def test_entries_of_the_same_day_stand_newest_saved_first() -> None:
    found = stood((entry(FIRST, "2026-03-01"), when(5)), (entry(SECOND, "2026-03-01"), when(2)),
                  (entry(THIRD, "2026-02-01"), when(9)))

    assert [s.item.entry for s in found] == [FIRST, SECOND, THIRD]


def test_no_entries_stand_as_no_entries() -> None:
    assert analysis.standing([]) == []


# -- looking back -------------------------------------------------------------------------------


def three_entries() -> list[analysis.Standing]:
    return stood(
        (entry(FIRST, "2026-03-01", "We talked about POWER and pay.", tags=["power", "reciprocity"]), when(1)),
        (entry(SECOND, "2026-04-01", "It felt good.", prompt_set="what-so-what", prompt="what", feelings="Tired, Relieved"),
         when(2)),
        (entry(THIRD, "2026-05-01", "Nobody listened.", prompt_set="free", prompt="free", tags=["knowledge"]), when(3)),
    )


def listed(found: list[analysis.Standing]) -> list[str]:
    return [s.item.entry for s in found]


def test_no_filters_keep_every_entry() -> None:
    every = three_entries()

    assert listed(analysis.filtered(every)) == [THIRD, SECOND, FIRST]
    assert listed(analysis.filtered(every, text="   ")) == [THIRD, SECOND, FIRST], "only spaces is no filter"


def test_entries_are_filtered_by_tag() -> None:
    every = three_entries()

    assert listed(analysis.filtered(every, tag="power")) == [FIRST]
    assert listed(analysis.filtered(every, tag="knowledge")) == [THIRD]
    assert analysis.filtered(every, tag="impact") == []


def test_entries_are_filtered_by_way_of_writing() -> None:
    every = three_entries()

    assert listed(analysis.filtered(every, prompt_set="what-so-what")) == [SECOND]
    assert analysis.filtered(every, prompt_set="coproduction") == []


@pytest.mark.parametrize(("words", "found"), [
    ("power", [FIRST]), ("Power AND", [FIRST]), ("  pay. ", [FIRST]), ("relieved", [SECOND]), ("LISTENED", [THIRD]),
    ("zebra", []),
], ids=["lower", "mixed-case", "spaces-around", "in-the-feelings", "upper", "nowhere"])
def test_entries_are_filtered_by_words_whatever_their_case(words: str, found: list[str]) -> None:
    assert listed(analysis.filtered(three_entries(), text=words)) == found


def test_filters_together_keep_only_entries_that_pass_them_all() -> None:
    every = three_entries()

    assert listed(analysis.filtered(every, tag="power", prompt_set="gibbs", text="pay")) == [FIRST]
    assert analysis.filtered(every, tag="power", prompt_set="free") == []
    assert analysis.filtered(every, tag="power", text="listened") == []


# -- suggested tags ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "found"), [
    ("Who had the power to decide?", {"power": ["power", "decide"]}),
    ("Powerful people DECIDED for us.", {"power": ["power", "decide"]}),
    ("Her lived experience was valued.", {"knowledge": ["lived experience", "valued"]}),
    ("I felt left out of the co-production.", {"inclusion": ["left out"], "working-together": ["co-produc"]}),
    ("The team was helpful; we were paid.", {"reciprocity": ["paid"], "relationships": ["team"], "support-learning": ["help"]}),
    ("(Trust) and “respect”, in the minutes.", {"relationships": ["trust", "respect"], "governance": ["minutes"]}),
    ("", {}),
], ids=["words", "word-starts-any-case", "phrase", "phrase-and-hyphen", "several-tags", "after-punctuation", "empty"])
def test_a_tag_is_suggested_when_one_of_its_words_starts_a_word_written(text: str, found: dict[str, list[str]]) -> None:
    assert analysis.suggested_tags(text, DIARY) == found


@pytest.mark.parametrize("text", [
    "It was empowering.", "A superpower.", "We got a repayment.", "It was unhelpful.", "Nobody was distrustful.",
    "My lived\nexperience.", "Livedexperience",
], ids=["empower", "superpower", "repay", "unhelpful", "distrust", "phrase-across-lines", "phrase-run-together"])
def test_a_tag_word_inside_a_word_is_not_a_match(text: str) -> None:
    assert analysis.suggested_tags(text, DIARY) == {}


def test_suggested_tags_come_in_the_cards_order() -> None:
    found = analysis.suggested_tags("The impact of email on trust, and who had power.", DIARY)

    assert list(found) == ["power", "relationships", "communications", "impact"]


def test_the_suggestion_sentence_says_what_was_ticked_and_which_words_matched() -> None:
    found = analysis.suggested_tags("Lived experience matters. Who had the power to decide?", DIARY)

    assert analysis.suggestion_sentence(found, DIARY) == (
        "We ticked: Sharing power (you wrote “power and decide”); Valuing everyone's knowledge "
        "(you wrote “lived experience”). Untick any that do not fit.")


def test_the_suggestion_sentence_says_plainly_when_nothing_matched() -> None:
    assert analysis.suggestion_sentence({}, DIARY) == (
        "We found no tag words in what you wrote. You can tick any tags yourself.")


# -- a heavy check-in ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("took_out", "safe", "heavy"), [
    (None, None, False), (1, 5, False), (3, 3, False), (3, None, False), (None, 3, False),
    (4, None, True), (5, 5, True), (None, 2, True), (3, 1, True), (4, 2, True),
])
def test_a_check_in_is_heavy_from_the_cards_thresholds(took_out: int | None, safe: int | None, heavy: bool) -> None:
    assert analysis.is_heavy(took_out, safe, DIARY) is heavy


def test_a_card_with_other_thresholds_is_heavy_at_its_own() -> None:
    calmer = DiaryVocabulary.model_validate(DIARY.model_dump() | {"high_load_from": 5, "low_safety_to": 1})

    assert not analysis.is_heavy(4, 2, calmer)
    assert analysis.is_heavy(5, None, calmer) and analysis.is_heavy(None, 1, calmer)


# -- patterns -------------------------------------------------------------------------------------------


def test_coverage_counts_each_tag_in_the_cards_order_untouched_ones_too() -> None:
    rows = analysis.coverage(three_entries(), DIARY)

    assert [row[0] for row in rows] == [tag.label for tag in DIARY.tags]
    assert rows[:3] == [("Sharing power", "Principle", 1), ("Including all views and skills", "Principle", 0),
                        ("Valuing everyone's knowledge", "Principle", 1)]
    assert rows[-1] == ("Impact", "Standard", 0)
    assert sum(row[2] for row in rows) == 3
    assert analysis.COVERAGE_COLUMNS == ["Tag", "Kind", "Entries"]


def test_coverage_counts_each_entry_as_it_stands_once() -> None:
    found = stood((entry(FIRST, tags=["power"]), when(1)), (entry(FIRST, tags=["power", "impact"]), when(2)),
                  (entry(SECOND, tags=["power"]), when(3)))

    rows = dict((label, count) for label, _, count in analysis.coverage(found, DIARY))

    assert rows["Sharing power"] == 2 and rows["Impact"] == 1


def test_the_coverage_sentence_names_the_most_used_tag_and_gently_the_ones_never_touched() -> None:
    rows = analysis.coverage(three_entries(), DIARY)

    sentence = analysis.coverage_sentence(rows, 3)

    assert sentence.startswith("Your 3 entries touch 3 of the 11 tags. The most used is “Sharing power” (1).")
    assert ("You have not written about “Including all views and skills”, “Building good relationships”, "
            "“Fair chances to take part”") in sentence
    assert "“Communications” and “Impact” yet." in sentence
    assert "“Valuing everyone's knowledge”" not in sentence and "“Everyone gets something back”" not in sentence
    assert sentence.endswith("That is fine. If one of them matters to your project, it could be worth a thought next time.")


def test_the_coverage_sentence_for_one_entry_and_for_every_tag_touched() -> None:
    rows = [("Sharing power", "Principle", 1), ("Impact", "Standard", 2)]

    assert analysis.coverage_sentence(rows, 1) == (
        "Your 1 entry touches 2 of the 2 tags. The most used is “Impact” (2).")


def test_the_coverage_sentence_with_no_entries_says_there_is_nothing_yet() -> None:
    rows = analysis.coverage([], DIARY)

    assert all(count == 0 for _, _, count in rows)
    assert analysis.coverage_sentence(rows, 0) == "There are no entries yet, so there are no patterns to show."


def check_ins() -> list[analysis.Standing]:
    return stood(
        (entry(FIRST, "2026-04-01", took_out=2, safe=5), when(1)),
        (entry(SECOND, "2026-03-01", took_out=5, safe=None), when(2)),
        (entry(THIRD, "2026-05-01", took_out=None, safe=None), when(3)),
        (entry("d" * 32, "2026-06-01", took_out=3, safe=1), when(4)),
    )


def test_load_rows_are_each_check_in_in_date_order_as_the_form_says_them_and_the_headings_say_which_way_is_which() -> None:
    assert analysis.load_rows(check_ins(), DIARY) == [
        ("1 March 2026", "5. Very much", ""),
        ("1 April 2026", "2. A little", "5. Very safe"),
        ("1 June 2026", "3. Some", "1. Not safe at all"),
    ]
    assert analysis.load_columns(DIARY) == [
        "Day", "How much did this take out of me? (1 is very little, 5 is very much)",
        "How safe did I feel to speak? (1 is not safe at all, 5 is very safe)"]


def test_load_points_are_each_check_in_in_date_order() -> None:
    assert analysis.load_points(check_ins()) == [("2026-03-01", 5, None), ("2026-04-01", 2, 5), ("2026-06-01", 3, 1)]
    assert analysis.load_points([]) == []


WHICH_WAY = ("For “How much did this take out of me?” 5 is “Very much”. "
             "For “How safe did I feel to speak?” 5 is “Very safe”.")


def test_the_load_sentence_counts_check_ins_the_heavy_ones_names_the_latest_and_says_which_way_is_which() -> None:
    assert analysis.load_sentence(check_ins(), DIARY) == (
        "You checked in 3 times. 2 of them took a lot out of you, or did not feel safe. "
        "The latest (1 June 2026): How much did this take out of me? “Some”. How safe did I feel to speak? "
        f"“Not safe at all”. {WHICH_WAY}")


def test_a_check_in_that_only_says_how_safe_it_felt_is_counted_and_one_check_in_is_said_as_once() -> None:
    only_safe = stood((entry(FIRST, "2026-04-01", safe=1), when(1)))

    assert analysis.load_sentence(only_safe, DIARY) == (
        "You checked in once. It took a lot out of you, or did not feel safe. "
        f"The latest (1 April 2026): How safe did I feel to speak? “Not safe at all”. {WHICH_WAY}")


def test_the_load_sentence_for_one_light_check_in_for_light_ones_and_for_none() -> None:
    one = stood((entry(FIRST, "2026-04-01", took_out=1), when(1)), (entry(SECOND, "2026-05-01"), when(2)))
    two = stood((entry(FIRST, "2026-04-01", took_out=1), when(1)), (entry(SECOND, "2026-05-01", safe=4), when(2)))

    assert analysis.load_sentence(one, DIARY) == (
        f"You checked in once. The latest (1 April 2026): How much did this take out of me? “Very little”. {WHICH_WAY}")
    assert analysis.load_sentence(two, DIARY).startswith(
        "You checked in 2 times. None of them took a lot out of you, or did not feel safe.")
    assert analysis.load_sentence([], DIARY) == "No check-ins yet, so there is nothing to show over time."
    assert analysis.load_rows([], DIARY) == []


@pytest.mark.parametrize(("iso", "said"), [("2026-03-01", "1 March 2026"), ("2026-11-23", "23 November 2026")])
def test_a_day_is_said_in_words(iso: str, said: str) -> None:
    assert long_date(iso) == said


# -- documents to keep ----------------------------------------------------------------------------------


def document_entries() -> list[analysis.Standing]:
    return stood(
        (entry(FIRST, "2026-05-01", f"{GREETING} {HOSTILE}", tags=["power", "impact"], took_out=4, safe=2,
               feelings=f"Tired {HOSTILE}"), when(1)),
        (entry(SECOND, "2026-03-01", "An earlier meeting.", prompt_set="what-so-what", prompt="what"), when(2)),
    )


def test_the_document_holds_every_entry_oldest_first_with_its_questions_check_in_and_tags() -> None:
    doc = analysis.as_document(document_entries(), DIARY, "My reflective diary")

    assert doc.title == "My reflective diary"
    assert doc.intro == ["Private reflections. Only share them if and where you choose."]
    assert [section.heading for section in doc.sections] == ["1 March 2026", "1 May 2026"]
    earlier, later = doc.sections
    assert earlier.paragraphs[:3] == [
        f"A meeting. Written as: What? So what? Now what? Project: {PROJECT}.", "What happened?", "An earlier meeting."]
    assert later.paragraphs == [
        f"A meeting. Written as: Step by step (Gibbs' cycle). Project: {PROJECT}.",
        "What happened?", f"{GREETING} {HOSTILE}",
        "How much did this take out of me? A lot.", "How safe did I feel to speak? Not very safe.",
        f"Tired {HOSTILE}",
    ]
    assert later.bullets == ["Tag: Sharing power", "Tag: Impact"]


def test_the_document_keeps_the_longest_answer_whole() -> None:
    words = ("Rolfe " * 2000)[:MAX_ANSWER]
    doc = analysis.as_document(stood((entry(text=words), when(1))), DIARY, "Mine")

    assert words in doc.sections[0].paragraphs


def test_the_web_page_escapes_typed_markup_and_keeps_emoji_and_right_to_left_words() -> None:
    written = to_html(analysis.as_document(document_entries(), DIARY, "My reflective diary"))

    assert "<script" not in written.lower()
    assert written.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2
    assert f"{GREETING} &lt;script&gt;" in written
    assert "👋🏽" in written and "שלום" in written


def test_the_markdown_escapes_typed_markup_and_keeps_emoji_and_right_to_left_words() -> None:
    written = to_markdown(analysis.as_document(document_entries(), DIARY, "My reflective diary"))

    assert not re.search(r"(?<!\\)<", written), "every < typed is escaped, so Markdown shows it and runs nothing"
    assert written.count(r"\<script\>alert(1)\</script\>") == 2
    assert f"{GREETING} \\<script\\>" in written
    assert "## 1 March 2026" in written and "- Tag: Sharing power" in written


def test_an_empty_document_still_has_its_title_and_its_private_note() -> None:
    doc = analysis.as_document([], DIARY, "My reflective diary")

    assert doc.sections == [] and "Private reflections" in to_html(doc)


# -- the charts -----------------------------------------------------------------------------------------------


def coverage_spec(entries: list[analysis.Standing]) -> tuple[dict[str, Any], str]:
    rows = analysis.coverage(entries, DIARY)
    sentence = analysis.coverage_sentence(rows, len(entries))
    return charts.coverage_chart(rows, sentence).to_dict(), sentence


def test_the_coverage_chart_carries_its_sentence_as_its_description() -> None:
    spec, sentence = coverage_spec(three_entries())

    assert spec["description"] == sentence
    assert spec["title"]


def test_the_coverage_chart_has_one_row_per_tag_untouched_ones_too_named_with_their_kind() -> None:
    spec, _ = coverage_spec(three_entries())

    [rows] = spec["datasets"].values()
    assert [row["Tag"] for row in rows] == [f"{'Principle' if t.group == 'principle' else 'Standard'}: {t.label}"
                                            for t in DIARY.tags]
    assert {row["Tag"]: row["Entries"] for row in rows}["Standard: Impact"] == 0
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Principle", "Standard"]
    assert "url" not in {key for key, _ in walk(spec)}, "the data is inline; nothing is fetched"


def test_the_coverage_chart_draws_with_no_entries() -> None:
    spec, sentence = coverage_spec([])

    assert spec["description"] == sentence == "There are no entries yet, so there are no patterns to show."
    assert all(value == 0 for value in dataset_values(spec) if isinstance(value, int))


def test_the_coverage_chart_keeps_its_text_readable() -> None:
    spec, _ = coverage_spec(three_entries())

    assert_chart_text_at_least(spec, SMALLEST)
    assert SMALLEST >= 12


def load_spec(entries: list[analysis.Standing]) -> tuple[dict[str, Any], str]:
    sentence = analysis.load_sentence(entries, DIARY)
    return charts.load_chart(analysis.load_points(entries), DIARY, sentence).to_dict(), sentence


def panels(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The load chart's small charts, with the rows each one draws."""
    found = spec["vconcat"]
    for panel in found:
        panel["rows"] = spec["datasets"][panel["data"]["name"]]
    return found


def test_the_load_chart_draws_each_question_apart_with_its_own_steps_in_words_and_carries_its_sentence() -> None:
    spec, sentence = load_spec(check_ins())

    assert spec["description"] == sentence
    took, safe = panels(spec)
    for panel, scale in ((took, DIARY.check_in.took_out), (safe, DIARY.check_in.safe)):
        assert panel["title"]["text"] == [scale.label], "each small chart is titled with its own question, uncut"
        axis = panel["encoding"]["y"]["axis"]
        assert axis["values"] == [1, 2, 3, 4, 5] and axis["title"] is None
        for n, step in enumerate(scale.steps, start=1):
            assert f'"{n}. {step}"' in axis["labelExpr"], "every step is named in the card's words"
    assert "color" not in took["encoding"] and took["mark"]["color"] != safe["mark"]["color"]
    assert (took["mark"]["point"]["shape"], safe["mark"]["point"]["shape"]) == ("circle", "diamond")
    assert sorted((row["Date"], row["Step"]) for row in took["rows"]) == [("2026-03-01", 5), ("2026-04-01", 2),
                                                                          ("2026-06-01", 3)]
    assert sorted((row["Date"], row["Step"]) for row in safe["rows"]) == [("2026-04-01", 5), ("2026-06-01", 1)]
    assert {row["Answer"] for row in safe["rows"]} == {"5. Very safe", "1. Not safe at all"}


def test_several_check_ins_on_one_day_give_that_day_one_tick_and_many_days_are_spaced_by_vega() -> None:
    same_day = stood(*((entry(letter * 32, "2026-11-25", took_out=n, safe=6 - n), when(n))
                       for n, letter in enumerate("abcd", start=1)), (entry("e" * 32, "2026-11-26", took_out=1), when(5)))
    spec, _ = load_spec(same_day)

    midnight_utc = 1795564800000  # 2026-11-25T00:00:00Z, as Vega reads a date written 2026-11-25
    for panel in panels(spec):
        x = panel["encoding"]["x"]
        assert x["type"] == "temporal" and x["scale"]["type"] == "utc" and x["title"] is None
        assert x["axis"]["values"] == [midnight_utc, midnight_utc + 86_400_000], "one tick per day, never one per hour"
        assert x["axis"]["format"] == "%-d %b %Y"
    many = stood(*((entry(f"{n:032x}", f"2026-{n:02d}-01", took_out=2), when(n)) for n in range(1, 13)))
    x = panels(load_spec(many)[0])[0]["encoding"]["x"]
    assert "values" not in x["axis"] and "tickCount" in x["axis"], "a year of days: Vega spaces the ticks, a month or more apart"


def test_the_load_chart_draws_with_no_check_ins_and_keeps_its_text_readable() -> None:
    empty, sentence = load_spec([])
    spec, _ = load_spec(check_ins())

    assert empty["description"] == sentence == "No check-ins yet, so there is nothing to show over time."
    assert dataset_values(empty) == []
    assert_chart_text_at_least(spec, SMALLEST)
    assert_chart_text_at_least(empty, SMALLEST)


def test_a_question_never_answered_draws_an_empty_chart_that_claims_no_picture_role() -> None:
    only_took_out = stood((entry(FIRST, "2026-04-01", took_out=2), when(1)))

    took, safe = panels(load_spec(only_took_out)[0])

    assert took["mark"]["aria"] and took["mark"]["point"]["aria"]
    assert safe["rows"] == [] and not safe["mark"]["aria"] and not safe["mark"]["point"]["aria"], "axe: svg-img-alt"
