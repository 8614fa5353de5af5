"""The naming agendas page without a browser: type what a person types, click, read what they see and what is stored."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from cofacilitate.agendas.app import AgendasPage
from cofacilitate.agendas.model import MAX_ANSWER, Rule, Rules
from cofacilitate.store import Record, Workspace, new_id
from tests.conftest import data_links, html_values, shown
from tests.pages import Pages

TOOL = "agendas"
HOSTILE = "<script>alert(1)</script><b>bold</b>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;"
MARKDOWN_ESCAPED = r"\<script\>alert(1)\</script\>\<b\>bold\</b\>"
BREAKS = "We take breaks, and anyone can ask for one."
LISTEN = "We listen to each other and do not talk over anyone."


# -- helpers -------------------------------------------------------------------------


def answer(page: AgendasPage, prompt_id: str, text: str = "", share: str = "private", chosen: tuple[str, ...] = ()) -> None:
    """Type an answer to one question, tick its choices and say who may see it."""
    question = next(q for q in page.questions if q.prompt_id == prompt_id)
    question.text.value = text
    for choice_id in chosen:
        question.boxes[choice_id].value = True
    question.share.value = share


def name(page: AgendasPage, pseudonym: str) -> None:
    """What a person types in the "About you" box."""
    page.person_bar.pseudonym.value = pseudonym


def store_of(page: AgendasPage) -> Workspace:
    return page.ctx.store


def room(page: AgendasPage, kind: str) -> list[Record]:
    """Everyone's stored records of one kind in this room, oldest first."""
    return [r for r in store_of(page).room_records(TOOL, page.ctx.room) if r.body.get("kind") == kind]


def all_markup(*pages: AgendasPage) -> list[str]:
    return [value for page in pages for value in html_values(page)]


def documents(page: AgendasPage) -> tuple[str, str]:
    """Make the ways of working document, as a person does; return (web page, Markdown) as text."""
    page.takeaway.button.click()
    links = data_links(page.takeaway.links.value)
    return links["text/html"].decode("utf-8"), links["text/markdown"].decode("utf-8")


def card_from(page: Any) -> bytes:
    """The response card a person downloads from a page's files panel."""
    page.files.button.click()
    return data_links(page.files.links.value)["application/json"]


def rule_rows(page: AgendasPage) -> list[Any]:
    return list(page.shared[1].rows.children)


# -- a person's own agenda ---------------------------------------------------------------


def test_saving_an_empty_agenda_says_so_in_plain_words_and_stores_nothing(agendas: Pages) -> None:
    page = agendas()

    page.save_button.click()

    assert shown(page.feedback).startswith("There is nothing to save yet: every question is empty.")
    assert "Problem" not in shown(page.feedback)
    assert page.ctx.records() == []


def test_an_answer_too_long_to_keep_is_refused_and_every_word_stays(agendas: Pages) -> None:
    page = agendas()
    long = "w" * (MAX_ANSWER + 1)
    question = page.questions[0]

    question.text.value = long

    counter = question.children[list(question.children).index(question.text) + 1]
    assert "longer than the 2,000 this box can save" in shown(counter)
    page.save_button.click()
    message = shown(page.feedback)
    assert message.startswith("Problem: “Why am I here?” holds more than it can save.")
    assert "still on screen" in message
    assert page.ctx.records() == []
    assert question.text.value == long
    assert agendas().questions[0].text.value == long, "the words are kept as a draft too"


def test_a_double_save_of_an_agenda_stores_one_record(agendas: Pages) -> None:
    page = agendas()
    answer(page, "why-here", "My mum was on the ward")

    page.save_button.click()
    page.save_button.click()

    [record] = page.ctx.records()
    assert record.body["answers"][0]["text"] == "My mum was on the ward"
    assert "is saved" in shown(page.feedback)


# -- the wall: only what people chose to share ---------------------------------------------

ASHA_WHY = "I want to learn how research is done on the stroke ward"
ASHA_PRIVATE = "I worry my manager Quentin will read this"
BEN_WHY = "To learn new skills and meet others"
CY_PRIVATE = "My own diagnosis of zebrafinch syndrome"


def test_the_wall_shows_only_what_each_person_chose_to_share(agendas: Pages) -> None:
    asha_page = agendas()
    store = store_of(asha_page)
    ben_page, cy_page = agendas(person=store.new_person()), agendas(person=store.new_person())
    name(asha_page, "Asha")
    answer(asha_page, "why-here", ASHA_WHY, "named")
    answer(asha_page, "worries", ASHA_PRIVATE, "private")
    asha_page.save_button.click()
    name(ben_page, "Ben")
    answer(ben_page, "why-here", BEN_WHY, "anonymous")
    answer(ben_page, "recognition", share="anonymous", chosen=("payment",))
    ben_page.save_button.click()
    name(cy_page, "Cy")
    answer(cy_page, "why-here", CY_PRIVATE, "private")
    answer(cy_page, "needs", "Papers a week before, for my zebrafinch appointments", "private")
    cy_page.save_button.click()
    assert "You shared 2 answers with the group" in shown(ben_page.feedback)
    assert "You shared no answers with the group" in shown(cy_page.feedback)

    pages = [asha_page, ben_page, cy_page]
    for page in pages:
        page.wall_section.button.click()

    for page in pages:
        wall = shown(page.wall_section.view)
        assert f"Asha: {ASHA_WHY}" in wall
        assert f"Someone: {BEN_WHY}" in wall and "Someone: (Payment for my time)" in wall
        assert "Ben" not in page.wall_section.view.value and "Cy" not in page.wall_section.view.value
        assert wall.startswith("3 people have saved an agenda for this project. 2 shared at least one answer.")
        assert "Common threads in these answersLearning and new skills (2 people)" in wall
        assert "Payment for my time (1 person)" in wall
        said = shown(page.wall_section.feedback)
        assert said.startswith("Done: The wall is up to date. 2 people have shared answers. The threads most shared are:")
        assert "Learning and new skills (2 people, in answers to “Why am I here?”)" in said
    for value in all_markup(*pages):
        for private in (ASHA_PRIVATE, CY_PRIVATE, "Quentin", "zebrafinch"):
            assert private not in value and private not in unescape(value)


# -- what the group writes together --------------------------------------------------------


def test_typed_markup_is_shown_as_text_on_the_page_and_in_the_documents(agendas: Pages) -> None:
    page = agendas()
    purpose, rules, words = page.shared
    name(page, HOSTILE)
    answer(page, "why-here", HOSTILE, "named")
    page.save_button.click()
    page.wall_section.button.click()
    purpose.text.value = HOSTILE
    purpose.agreed.value = HOSTILE
    purpose.save_button.click()
    rules.new_rule.value = HOSTILE
    rules.add_button.click()
    rules.save_button.click()
    words.new_word.value = HOSTILE
    words.add_word_button.click()
    words.new_meaning.value = HOSTILE
    words.add_meaning_button.click()
    words.save_button.click()
    assert [len(room(page, kind)) for kind in ("agenda", "purpose", "rules", "dictionary")] == [1, 1, 1, 1]
    page.files.button.click()

    html_doc, markdown = documents(page)

    markup = html_values(page)
    assert not [value for value in markup if "<script" in value.lower() or "<b>" in value.lower()]
    for where in (page.wall_section.view, page.person_bar.whose, purpose.standing, rules.standing, words.standing,
                  words.meanings):
        assert ESCAPED in where.value, where.value
    assert HOSTILE in shown(page.wall_section.view) and f"Suggested by {HOSTILE}." in shown(words.meanings)
    assert "<script" not in html_doc.lower() and "<b>" not in html_doc.lower()
    assert html_doc.count(ESCAPED) >= 4, "the purpose, the rule, the word, its meaning and who agreed"
    assert not re.search(r"(?<!\\)<", markdown), "every < typed is escaped, so Markdown shows it and runs nothing"
    assert markdown.count(MARKDOWN_ESCAPED) >= 4


def test_the_ways_of_working_document_holds_what_was_agreed_and_no_ones_answers(agendas: Pages) -> None:
    page = agendas()
    ben_page = agendas(person=store_of(page).new_person())
    name(page, "Asha")
    answer(page, "why-here", ASHA_WHY, "named")
    answer(page, "worries", ASHA_PRIVATE, "private")
    page.save_button.click()
    answer(ben_page, "why-here", BEN_WHY, "anonymous")
    ben_page.save_button.click()
    purpose, rules, words = page.shared
    purpose.text.value = "We will make leaving hospital safer, together."
    purpose.save_button.click()
    rule_rows(page)[5].keep.value = "drop"
    rules.save_button.click()
    words.new_word.value = "Discharge"
    words.add_word_button.click()
    words.new_meaning.value = "Leaving hospital to go home."
    words.add_meaning_button.click()
    words.save_button.click()

    html_doc, markdown = documents(page)

    text = unescape(html_doc)
    assert "We will make leaving hospital safer, together." in text
    assert LISTEN in text and "We can disagree. We talk about the idea, not the person." in text
    assert BREAKS not in text and BREAKS not in markdown, "a dropped rule is not one of our rules"
    assert "<tr><td>Discharge</td><td>Leaving hospital to go home.</td></tr>" in text.split("Our words: not agreed yet")[1]
    assert "Co-production" in text, "the card's words are there too"
    assert "Learning and new skills (2 people)" in text, "the threads are there"
    for answer_text in (ASHA_WHY, ASHA_PRIVATE, BEN_WHY, "Quentin"):
        assert answer_text not in text and answer_text not in markdown
    assert "Your document is ready" in shown(page.takeaway.feedback)


def test_no_one_is_recorded_as_agreeing_unless_the_group_writes_their_name(agendas: Pages) -> None:
    first = agendas()
    for who, page in (("Priya", first), ("Sam", agendas(person=store_of(first).new_person()))):
        name(page, who)
        answer(page, "why-here", f"{who} wants safer wards", "named")
        page.save_button.click()
    tom = agendas(person=store_of(first).new_person())
    name(tom, "Tom")
    purpose, _, words = tom.shared

    for section in tom.shared:
        assert section.agreed.value == "", f"{section.kind}: nobody is filled in as agreeing"
        assert "Names given on this project: Priya, Sam and Tom." in shown(section.suggested), section.kind
    purpose.text.value = "We will make leaving hospital safer."
    for section in tom.shared:
        section.save_button.click()
        assert "Saved." in shown(section.feedback), section.kind
        assert room(tom, section.kind)[-1].body["agreed_by"] == [], section.kind
        assert "Not agreed yet: no one is named as agreeing it." in shown(section.standing), section.kind
        assert "Agreed by" not in shown(section.standing), section.kind

    html_doc, markdown = documents(tom)
    for written in (unescape(html_doc), markdown):
        assert "Agreed by" not in written
        assert written.count("Not agreed yet: no one is named as agreeing it.") == 3
        assert "We have not agreed the meaning of any word yet." in written
        assert "Suggested, not agreed yet" not in written, "the words not agreed are in a list of their own"
    assert unescape(html_doc).split("Our words: not agreed yet")[1].count("<tr><td>") == 7, "the card's 7 words"

    words.agree.value = 0  # the group agrees the card's meaning of the first word (PPI), and says who agreed
    words.agreed.value = "Priya, Sam"
    words.save_button.click()
    assert room(tom, "dictionary")[-1].body["agreed_by"] == ["Priya", "Sam"]
    standing = shown(words.standing)
    agreed_part, open_part = standing.split("Not agreed yet", 1)[0], standing.split("Agreed by Priya and Sam.")[1]
    assert "Agreed meanings" in agreed_part and "PPI" in agreed_part.split("Agreed meanings")[1]
    assert "PPI" not in open_part.split("Not agreed yet")[1], "an agreed word is not also listed as not agreed"
    html_doc, markdown = documents(tom)
    agreed_words, open_words = unescape(html_doc).split("Our words: agreed meanings")[1].split("Our words: not agreed yet")
    assert "Agreed by Priya and Sam." in agreed_words and "<td>PPI</td>" in agreed_words
    assert "<td>PPI</td>" not in open_words and open_words.split("Common threads")[0].count("<tr><td>") == 6
    assert "| PPI | Patient and public involvement" in markdown.split("## Our words: agreed meanings")[1]


def test_the_purpose_is_kept_as_versions(agendas: Pages) -> None:
    page = agendas()
    purpose = page.shared[0]
    purpose.text.value = "We want safer discharge."
    purpose.save_button.click()
    purpose.text.value = "We want safer discharge, and to find out what helps."
    purpose.save_button.click()

    assert "We want safer discharge, and to find out what helps." in shown(purpose.standing)
    assert "We want safer discharge." not in shown(purpose.standing)
    older = shown(purpose.older)
    assert "Earlier versions (1)" in older and "We want safer discharge." in older
    assert shown(purpose.feedback).startswith("Done: Saved. This is now what stands for the purpose")
    assert [r.body["text"] for r in room(page, "purpose")] == [
        "We want safer discharge.", "We want safer discharge, and to find out what helps."]


def test_an_empty_purpose_is_not_saved_and_the_page_says_why(agendas: Pages) -> None:
    page = agendas()
    purpose = page.shared[0]
    purpose.text.value = "   "

    purpose.save_button.click()

    assert shown(purpose.feedback) == ("Problem: Please write the purpose first. Nothing was saved, and your words are "
                                       "still here.")
    assert room(page, "purpose") == []
    assert "Nothing is saved yet" in shown(purpose.standing)


def test_two_people_saving_the_purpose_at_once_both_keep_their_words(agendas: Pages) -> None:
    first = agendas()
    second = agendas(person=store_of(first).new_person())
    name(first, "Asha")
    name(second, "Ben")
    first.shared[0].text.value = "Asha's purpose: safer discharge."
    second.shared[0].text.value = "Ben's purpose: carers are heard."

    first.shared[0].save_button.click()
    second.shared[0].save_button.click()

    assert [r.body["text"] for r in room(first, "purpose")] == [
        "Asha's purpose: safer discharge.", "Ben's purpose: carers are heard."]
    said = shown(second.shared[0].feedback)
    assert "While you were writing, another version was saved" in said and "by Asha" in said
    assert "It is kept too, under “Earlier versions”." in said
    assert "another version" not in shown(first.shared[0].feedback)
    assert "Ben's purpose: carers are heard." in shown(second.shared[0].standing)
    assert "Asha's purpose: safer discharge." in shown(second.shared[0].older)


def test_two_people_adding_meanings_to_one_word_at_once_are_merged(agendas: Pages) -> None:
    first = agendas()
    second = agendas(person=store_of(first).new_person())
    for page, meaning in ((first, "Involving patients from the start."), (second, "People with lived experience helping.")):
        words = page.shared[2]
        words.word.value = "ppi"
        words.new_meaning.value = meaning
        words.add_meaning_button.click()
        assert "is added beside the others" in shown(words.feedback)

    first.shared[2].save_button.click()
    second.shared[2].save_button.click()

    versions = room(first, "dictionary")
    assert len(versions) == 2
    [ppi] = [entry for entry in versions[-1].body["entries"] if entry["id"] == "ppi"]
    meanings = [m["text"] for m in ppi["meanings"]]
    assert "Involving patients from the start." in meanings and "People with lived experience helping." in meanings
    assert meanings[0].startswith("Patient and public involvement."), "the card's meaning stays too"
    said = shown(second.shared[2].feedback)
    assert "another version was saved" in said
    assert "We added the words and meanings from it to yours, so nothing is lost." in said
    standing = shown(second.shared[2].standing)
    assert "Involving patients from the start." in standing and "People with lived experience helping." in standing


def test_meanings_that_do_not_fit_when_merging_are_named_not_lost(agendas: Pages) -> None:
    first = agendas()
    second = agendas(person=store_of(first).new_person())
    words = first.shared[2]
    words.word.value = "ppi"
    for number in range(1, 12):  # the card's meaning and 11 more: a word's 12
        words.new_meaning.value = f"First page meaning {number}"
        words.add_meaning_button.click()
    second.shared[2].word.value = "ppi"
    second.shared[2].new_meaning.value = "Second page meaning"
    second.shared[2].add_meaning_button.click()

    first.shared[2].save_button.click()
    second.shared[2].save_button.click()

    said = shown(second.shared[2].feedback)
    assert "did not fit beside yours" in said and "First page meaning 11" in said
    assert "nothing is lost" not in said
    assert "First page meaning 11" in shown(second.shared[2].older), "it stays in the version it came from"


@pytest.mark.parametrize("at", [0, 1, 2], ids=["purpose", "rules", "dictionary"])
def test_a_double_save_of_a_shared_document_stores_one_version(agendas: Pages, at: int) -> None:
    page = agendas()
    section = page.shared[at]
    if at == 0:
        section.text.value = "We want safer discharge."

    section.save_button.click()
    section.save_button.click()

    assert len(room(page, section.kind)) == 1
    assert shown(section.feedback).startswith("Done: Saved.")
    section.agreed.value = "Asha, Ben"  # a change after a Save: the next Save is a new version
    section.save_button.click()
    assert len(room(page, section.kind)) == 2
    assert room(page, section.kind)[-1].body["agreed_by"] == ["Asha", "Ben"]


# -- ground rules ------------------------------------------------------------------------


def test_a_dropped_rule_is_listed_as_dropped_and_an_own_rule_is_kept(agendas: Pages) -> None:
    page = agendas()
    rules = page.shared[1]
    rows = rule_rows(page)
    assert rows[5].text.value == BREAKS
    rows[5].keep.value = "drop"
    rules.new_rule.value = "We share the biscuits."
    rules.add_button.click()
    assert shown(rules.feedback).startswith("Done: The rule is added as rule 9.")

    rules.save_button.click()

    kept_part, dropped_part = rules.standing.value.split("Dropped in this version", 1)
    assert LISTEN in unescape(kept_part) and "We share the biscuits." in kept_part
    assert BREAKS not in unescape(kept_part)
    assert BREAKS in unescape(dropped_part)
    [version] = room(page, "rules")
    assert {(r["text"], r["keep"]) for r in version.body["rules"]} >= {(BREAKS, False), ("We share the biscuits.", True)}


def test_a_review_date_that_has_come_asks_the_group_to_look_again(agendas: Pages) -> None:
    page = agendas()
    assert page.shared[1].prompt.value == ""
    body = Rules(card="agendas", project="My project", rules=[Rule(id="listen", text=LISTEN)],
                 review_on="2020-01-01").model_dump()
    store_of(page).save_record(TOOL, body, owner=page.ctx.owner, record_id=new_id(), participant="Asha")

    again = agendas()

    prompt = shown(again.shared[1].prompt)
    assert prompt.startswith("It is a good time to look at the ground rules together again")
    assert "1 January 2020" in prompt
    assert "Keep the date we set: 1 January 2020" in [label for label, _ in again.shared[1].look_again.options]


def test_someone_new_joining_after_the_rules_asks_the_group_to_look_again(agendas: Pages) -> None:
    page = agendas()
    answer(page, "why-here", "I am the involvement lead")
    page.save_button.click()
    page.shared[1].save_button.click()
    assert agendas().shared[1].prompt.value == "", "no one new yet, and the date to look again is a month away"

    newcomer = agendas(person=store_of(page).new_person())
    answer(newcomer, "why-here", "I have just joined as a carer")
    newcomer.save_button.click()

    prompt = shown(agendas(person=page.ctx.person).shared[1].prompt)
    assert prompt.startswith("It is a good time to look at the ground rules together again")
    assert "someone new has joined since they were agreed" in prompt


# -- nothing typed is lost ------------------------------------------------------------------


def test_an_agenda_and_a_purpose_being_written_come_back_after_a_reload(agendas: Pages) -> None:
    first = agendas()
    answer(first, "why-here", "My dad had a stroke last year")
    first.shared[0].text.value = "We want safer discharge."

    again = agendas()

    assert again.questions[0].text.value == "My dad had a stroke last year"
    assert again.shared[0].text.value == "We want safer discharge."
    assert "Welcome back" in shown(again.person_bar.feedback)
    assert again.ctx.records() == []

    again.save_button.click()
    third = agendas()

    assert third.questions[0].text.value == "My dad had a stroke last year"
    assert "Your answers start from the agenda you saved" in shown(third.feedback)
    assert "your agenda (1 answers, 0 of them shared)" in shown(third.saved_list)
    assert not [key for key in store_of(third).drafts(TOOL, third.ctx.owner) if key.endswith("why-here/text")]
    assert third.shared[0].text.value == "We want safer discharge.", "the purpose was not saved, so its draft stays"


# -- files -------------------------------------------------------------------------------


def test_a_card_from_another_tool_is_refused_and_nothing_changes(agendas: Pages, ladder: Pages) -> None:
    ladder_page = ladder()
    ladder_page.stages[0].now.value = "consultation"
    ladder_page.save_button.click()
    ladder_card = card_from(ladder_page)
    page = agendas()
    answer(page, "why-here", "My mum was on the ward")
    page.save_button.click()
    before = store_of(page).room_records(TOOL, "")

    page.files.restore(ladder_card, "ladder-response-card.json")

    message = shown(page.files.feedback)
    assert message.startswith("Problem: This response card belongs to another exercise ('ladder'), not this one.")
    assert "Nothing was changed" in message
    assert store_of(page).room_records(TOOL, "") == before
    assert page.questions[0].text.value == "My mum was on the ward"


def test_a_persons_own_card_brings_their_agenda_back_in_another_workspace(agendas: Pages, tmp_path: Path) -> None:
    page = agendas()
    answer(page, "why-here", "My mum was on the ward", "named")
    page.save_button.click()
    card = card_from(page)
    elsewhere = tmp_path / "elsewhere"
    fresh = agendas(folder=elsewhere)

    fresh.files.restore(card, "agendas-response-card.json")

    assert shown(fresh.files.feedback) == ("Done: From agendas-response-card.json: 1 saved set of answers was "
                                           "brought back.")
    assert "your agenda (1 answers, 1 of them shared)" in shown(fresh.saved_list)
    [record] = fresh.ctx.records()
    assert record.body["answers"][0]["text"] == "My mum was on the ward"
    assert fresh.questions[0].text.value == "My mum was on the ward", "restored answers show at once, not after a reload"
    again = agendas(folder=elsewhere)
    assert again.questions[0].text.value == "My mum was on the ward" and again.questions[0].share.value == "named"


def test_a_restored_purpose_shows_at_once(agendas: Pages, tmp_path: Path) -> None:
    page = agendas()
    page.shared[0].text.value = "We are here to make discharge safer."
    page.shared[0].save_button.click()
    fresh = agendas(folder=tmp_path / "elsewhere")

    fresh.files.restore(card_from(page), "agendas-response-card.json")

    assert "We are here to make discharge safer." in shown(fresh.shared[0].standing)


def test_the_longest_name_a_person_can_give_still_lets_the_group_save(agendas: Pages) -> None:
    page = agendas()
    long_name = "Sam " + "x" * 196  # the "About you" box keeps 200 characters
    name(page, long_name)
    answer(page, "worries", "Not enough time", "named")
    page.save_button.click()
    words = page.shared[2]
    words.new_meaning.value = "Involving patients from the start."
    words.add_meaning_button.click()
    assert "is added beside the others" in shown(words.feedback)
    again = agendas()

    again.shared[0].text.value = "We are here to make discharge safer."
    for section in again.shared:
        assert long_name in shown(section.suggested), "people who shared with their name are offered, never filled in"
        section.agreed.value = long_name
        section.save_button.click()
        assert "Saved." in shown(section.feedback), section.kind


def test_a_persons_files_hold_only_their_own_records(agendas: Pages) -> None:
    page = agendas()
    other = agendas(person=store_of(page).new_person())
    answer(page, "why-here", "Asha's own reason", "named")
    page.save_button.click()
    answer(other, "why-here", "Ben's own secret reason", "private")
    other.save_button.click()
    other.shared[0].text.value = "Ben's purpose for the group."
    other.shared[0].save_button.click()

    card = json.loads(card_from(page))

    assert [r["body"]["answers"][0]["text"] for r in card["records"]] == ["Asha's own reason"]
    text = json.dumps(card)
    assert "Ben's own secret reason" not in text and "Ben's purpose" not in text
    assert "Your files are ready" in shown(page.files.feedback)


# -- projects -----------------------------------------------------------------------------


def test_another_project_starts_empty_and_the_first_comes_back(agendas: Pages) -> None:
    page = agendas()
    answer(page, "why-here", "My mum was on the ward", "named")
    page.save_button.click()
    page.shared[0].text.value = "We want safer discharge."
    page.shared[0].save_button.click()

    page.project.value = "Other"

    assert [q.text.value for q in page.questions] == [""] * len(page.questions)
    assert page.shared[0].text.value == ""
    for section in page.shared:
        assert "Nothing is saved yet" in shown(section.standing), section.kind
    page.wall_section.button.click()
    assert "No one has shared an answer for this project yet" in shown(page.wall_section.view)
    page.shared[0].text.value = "A purpose for the other project."

    page.project.value = "My project"

    assert page.questions[0].text.value == "My mum was on the ward"
    assert page.shared[0].text.value == "We want safer discharge."
    assert "We want safer discharge." in shown(page.shared[0].standing)
    page.project.value = "Other"
    assert page.shared[0].text.value == "A purpose for the other project.", "the other project's draft is kept"
