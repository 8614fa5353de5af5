"""The agendas page opens with whatever a person's drafts hold, refuses in plain words, and leaks no widgets.

Widget logic without a browser: fill every box as a hostile person would (too long, emoji,
right-to-left text, markup), let the drafts be kept, then build the page again from the
same store, as a reload does.
"""

from __future__ import annotations

import re
import warnings

import ipywidgets as widgets

from cofacilitate.agendas.app import AgendasPage
from cofacilitate.agendas.model import MAX_ANSWER, MAX_MEANING, MAX_PURPOSE, MAX_RULE, MAX_TERM
from cofacilitate.snapshots import MAX_PROJECT
from cofacilitate.versions import MAX_NAME, MAX_NAMES
from tests.conftest import html_values, shown
from tests.pages import Pages
from tests.test_agendas_app import answer, room

# Arabic (right to left), an override that turns text around, emoji built of several code points, and markup.
HOSTILE = "مرحبا بكم 👩🏽‍🦯🏳️‍🌈 \u202eevil\u202c <script>alert(1)</script> "
LIBRARY_WORDS = re.compile(r"String should|List should|validation error|Value error|type=|pydantic", re.IGNORECASE)


def longer_than(limit: int) -> str:
    """Hostile text a little longer than a box can save."""
    return (HOSTILE * (limit // len(HOSTILE) + 2))[:limit + 17]


def too_long_words(page: AgendasPage) -> dict[str, str]:
    """Type too much into every box of the page a person can type in, as a hostile person would."""
    typed = {}
    for question in page.questions:
        typed[question.prompt_id] = question.text.value = longer_than(MAX_ANSWER)
        question.share.value = "anonymous"
        for box in question.boxes.values():
            box.value = True
    purpose, rules, words = page.shared
    typed["purpose"] = purpose.text.value = longer_than(MAX_PURPOSE)
    for row in rules.rows.children:
        row.text.value = longer_than(MAX_RULE) + row.rule_id  # each rule its own words
    typed["rule 1"] = rules.rows.children[0].text.value
    typed["new rule"] = rules.new_rule.value = longer_than(MAX_RULE)
    typed["new word"] = words.new_word.value = longer_than(MAX_TERM)
    typed["new meaning"] = words.new_meaning.value = longer_than(MAX_MEANING)
    for section in page.shared:
        typed[f"agreed {section.kind}"] = section.agreed.value = ", ".join([longer_than(MAX_NAME)] * 3)
    return typed


def test_a_page_full_of_words_too_long_to_save_opens_again_with_every_word(agendas: Pages) -> None:
    page = agendas()
    typed = too_long_words(page)
    page.drafts.flush()

    again = agendas()  # a reload: the same store, a new page

    purpose, rules, words = again.shared
    assert {q.prompt_id: q.text.value for q in again.questions} == {q.prompt_id: typed[q.prompt_id] for q in again.questions}
    assert all(box.value for q in again.questions for box in q.boxes.values())
    assert purpose.text.value == typed["purpose"]
    assert rules.rows.children[0].text.value == typed["rule 1"], "the rule too long to save stays in its box"
    assert len(rules.rows.children) == 8 and all(len(row.text.value) > MAX_RULE for row in rules.rows.children)
    assert rules.new_rule.value == typed["new rule"], "a rule being written, not yet added, comes back too"
    assert words.new_word.value == typed["new word"] and words.new_meaning.value == typed["new meaning"]
    for section in again.shared:
        assert section.agreed.value == typed[f"agreed {section.kind}"], section.kind
    counters = [value for value in html_values(rules.rows) if "this box can save" in value]
    assert len(counters) == 8 and all("longer than the 300 this box can save" in value for value in counters)
    assert "Welcome back" in shown(again.person_bar.feedback)
    markup = html_values(again)
    assert not [value for value in markup if "<script" in value], "typed markup stays text"


def test_every_save_of_too_long_words_is_refused_in_words_a_person_can_act_on(agendas: Pages) -> None:
    page = agendas()
    too_long_words(page)
    purpose, rules, words = page.shared

    rules.add_button.click()
    assert shown(rules.feedback) == ("Problem: Please shorten the rule to 300 characters or fewer, then press “Add this "
                                     "rule” again. Your words are still in the box.")
    words.add_word_button.click()
    assert "Please shorten the word to 80 characters or fewer" in shown(words.feedback)
    words.add_meaning_button.click()
    assert "Please shorten the meaning to 500 characters or fewer" in shown(words.feedback)
    for section, box in ((purpose, "Our shared purpose, in one or two sentences"), (rules, "Rule 1")):
        section.save_button.click()
        assert shown(section.feedback) == (f"Problem: “{box}” holds more than it can save. Please shorten it, then press "
                                           "Save again. Nothing was saved, and your words are still here.")
    words.save_button.click()
    assert shown(words.feedback) == ("Problem: Please keep each name to 200 characters or fewer. Nothing was saved, and "
                                     "your words are still here.")
    words.agreed.value = ", ".join(f"Person {n}" for n in range(MAX_NAMES + 1))
    words.save_button.click()
    assert shown(words.feedback) == ("Problem: Please name at most 60 people as agreeing one version. Nothing was saved, "
                                     "and your words are still here.")
    page.save_button.click()
    assert "holds more than it can save" in shown(page.feedback)
    for feedback in (page.feedback, purpose.feedback, rules.feedback, words.feedback):
        assert not LIBRARY_WORDS.search(shown(feedback)), shown(feedback)
    assert page.ctx.store.room_records("agendas", "") == [], "nothing was saved"
    assert len(rules.rows.children) == 8 and rules.new_rule.value, "nothing was added, and the words are still there"


def test_a_project_name_too_long_to_save_never_stops_the_page_and_each_save_says_what_to_shorten(agendas: Pages) -> None:
    page = agendas()
    page.project.value = longer_than(MAX_PROJECT)
    page.shared[0].text.value = "We will make leaving hospital safer."
    page.drafts.flush()

    again = agendas()

    assert again.project.value == page.project.value
    assert again.shared[0].text.value == "We will make leaving hospital safer."
    assert len(again.shared[1].rows.children) == 8 and again.shared[2].entries, "the card's rules and words are there"
    for section in again.shared:
        section.save_button.click()
        assert shown(section.feedback) == ("Problem: “Which project are you thinking about?” holds more than it can save. "
                                           "Please shorten it, then press Save again. Nothing was saved, and your words "
                                           "are still here."), section.kind
    assert again.ctx.store.room_records("agendas", "") == []


def test_a_draft_that_holds_no_rule_or_word_at_all_is_left_out_and_the_page_says_so(agendas: Pages) -> None:
    page = agendas()
    store, owner = page.ctx.store, page.ctx.owner
    store.save_draft("agendas", owner, "rules/agendas/My project", {
        "value": [{"id": "listen", "text": "We listen."}, {"id": "<b>", "text": "An odd id, kept.", "keep": "yes"},
                  {"id": "listen", "text": "The same id twice, kept."}, "not a rule", {"text": 42}],
        "agreed": 7, "look_again": "never", "based_on": None, "typing": "not a box"})
    store.save_draft("agendas", owner, "dictionary/agendas/My project", {
        "value": [{"id": "own-1", "term": "Cohort", "meanings": [{"text": "People followed over time."}]},
                  {"id": "own-2", "term": "Broken", "meanings": [], "agreed": 3}]})

    again = agendas()

    _, rules, words = again.shared
    assert [row.text.value for row in rules.rows.children] == ["We listen.", "An odd id, kept.", "The same id twice, kept."]
    assert len({row.rule_id for row in rules.rows.children}) == 3
    assert rules.agreed.value == "7"
    assert [entry.term for entry in words.entries] == ["Cohort"]
    assert shown(words.feedback) == ("Problem: 1 of the words kept in your draft could not be shown here, so they are "
                                     "left out: Broken. Please add them again.")
    rules.save_button.click()
    assert "Saved." in shown(rules.feedback)
    assert [rule["text"] for rule in room(again, "rules")[-1].body["rules"]] == [
        "We listen.", "An odd id, kept.", "The same id twice, kept."]


def test_changing_project_again_and_again_leaves_no_widget_behind(agendas: Pages) -> None:
    page = agendas()
    answer(page, "why-here", "The ward was cold", "named")
    page.save_button.click()
    page.shared[1].new_rule.value = "We start on time."
    page.shared[1].add_button.click()

    page.project.value = "Warm-up"
    page.project.value = "My project"
    before = live()
    counts = []
    for change in range(10):
        page.project.value = f"Project {change % 3}"
        page.shared[1].new_rule.value = f"Rule for {change}"
        page.shared[1].add_button.click()  # the rules' rows are built again too
        page.project.value = "My project"
        counts.append(live())

    assert counts == [before] * 10, f"widgets left alive: {before} at first, then {counts}"
    assert page.questions[0].text.value == "The ward was cold"


def test_starting_as_someone_new_again_and_again_leaves_no_widget_behind(agendas: Pages) -> None:
    shell = agendas.shell()
    counts = []
    reasons = ["Apples", "Bicycles", "Canals", "Dahlias", "Elephants", "Fiddles", "Gardens", "Harbours"]  # no threads
    for reason in reasons:
        page = shell.page
        answer(page, "why-here", reason, "named")
        page.save_button.click()
        page.shared[1].new_rule.value = f"A rule about {reason}"
        page.shared[1].add_button.click()
        page.wall_section.button.click()
        shell.start_someone_new()
        counts.append(live())

    assert counts[1:] == [counts[0]] * 7, f"widgets left alive after each hand-over: {counts}"
    page = shell.page
    assert page.questions[0].text.value == "" and "Harbours" not in page.shared[1].new_rule.value


def live() -> int:
    """How many widget models the kernel holds (each one the browser holds too)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # ipywidgets 8 keeps its registry under this name
        return len(widgets.Widget.widgets)
