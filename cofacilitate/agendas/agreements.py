"""What the group agrees, on the page: the shared purpose, the ground rules, and the list of words.

Each is a `ui.SharedSection`: the kit keeps the versions, drafts, "saved meanwhile" and the
prompt to look again; these classes only say how their editor reads, fills and shows a version.
An editor fills from a draft however long its words are (the box's counter says what to
shorten), and the boxes for a rule, word or meaning not yet added are kept in the draft too.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any, Protocol

import ipywidgets as widgets

from cofacilitate import ui
from cofacilitate.agendas.analysis import (
    OPEN_WORD_COLUMNS,
    WORD_COLUMNS,
    agreed_apart,
    entry_meaning,
    merged,
    starting_dictionary,
    starting_rules,
)
from cofacilitate.agendas.model import (
    MAX_MEANING,
    MAX_MEANINGS,
    MAX_PURPOSE,
    MAX_RULE,
    MAX_RULES,
    MAX_TERM,
    MAX_TERMS,
    Dictionary,
    Entry,
    Meaning,
    Purpose,
    Rules,
)
from cofacilitate.cards import SLUG, Card
from cofacilitate.store import new_id
from cofacilitate.ui.shared import SharedSection, VersionHost
from cofacilitate.words import tidy

KEEP_OR_DROP = [("Keep this rule", "keep"), ("Drop this rule", "drop")]
NOT_AGREED = -1
NOT_AGREED_WORDS = "Not agreed yet: keep every meaning"


def shorten_first(what: str, limit: int, press: str) -> str:
    """The refusal when a rule, word or meaning is too long to add: what to do, and that nothing was lost."""
    return (f"Please shorten the {what} to {limit:,} characters or fewer, then press “{press}” again. "
            "Your words are still in the box.")


def rule_drafts(value: Any) -> list[dict[str, Any]]:
    """The rules a draft or a version holds, as the editor shows them: words of any length are kept (the box's
    counter asks to shorten them), and only what holds no rule's words at all is left out."""
    rules: list[dict[str, Any]] = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            continue
        rule_id = item.get("id")
        if not (isinstance(rule_id, str) and len(rule_id) <= 60 and re.fullmatch(SLUG, rule_id)) or \
                rule_id in {rule["id"] for rule in rules}:
            rule_id = f"own-{new_id()[:10]}"
        rules.append({"id": rule_id, "text": item["text"], "keep": item.get("keep") is not False})
    return rules


class CardHost(VersionHost, Protocol):
    """The page, as these sections see it: a shared-document host that knows its card, project and person."""

    @property
    def card(self) -> Card[Any]: ...

    def project_name(self) -> str: ...

    def my_name(self) -> str: ...


class PurposeSection(SharedSection[Purpose]):
    kind, what = "purpose", "the purpose"

    def __init__(self, host: CardHost) -> None:
        self.card_host = host
        self.text = ui.text_field("Our shared purpose, in one or two sentences", limit=MAX_PURPOSE, multiline=True,
                                  placeholder="for example: We want to make leaving hospital safer. We will find out "
                                              "together what helps.", css="cofa-purpose")
        self.text.observe(lambda _: self.edited(), names="value")
        super().__init__(host, "3. Our shared purpose",
                         "With the wall in view, write what you are here to do together, in one or two sentences.",
                         ui.with_counter(self.text), "cofa-purpose-section")

    def value(self) -> str:
        return str(self.text.value)

    def fill(self, value: Any) -> None:
        self.text.value = value if isinstance(value, str) else ""

    def value_of(self, item: Purpose | None) -> str:
        return item.text if item else ""

    def body(self, value: Any, fields: dict[str, Any]) -> dict[str, Any]:
        if not tidy(str(value)):
            raise ValueError("Please write the purpose first.")
        return Purpose(card=self.card_host.card.id, project=self.card_host.project_name(), text=str(value).strip(),
                       **fields).model_dump()

    def show_html(self, item: Purpose) -> str:
        return f'<p class="cofa-purpose-text">{escape(item.text)}</p>'


class RuleRow(widgets.VBox):
    """Rule n: its words and whether to keep it. A row is filled again for another project's rules, never rebuilt,
    so words typed as the project changes stay in the box on screen."""

    def __init__(self, rule: dict[str, Any], number: int, section: RulesSection) -> None:
        self.text = ui.text_field(f"Rule {number}", limit=MAX_RULE, multiline=True, css="cofa-rule-text")
        self.keep = ui.choice(f"Keep or drop rule {number}?", KEEP_OR_DROP, css="cofa-rule-keep")
        self.show(rule)
        for field in (self.text, self.keep):
            field.observe(section.feedback.guard(lambda _: section.edited()), names="value")
        super().__init__([*ui.with_counter(self.text), self.keep], layout=ui.FULL_WIDTH)
        self.add_class("cofa-rule")

    def show(self, rule: dict[str, Any]) -> None:
        self.rule_id = str(rule["id"])
        self.text.value, self.keep.value = str(rule["text"]), "keep" if rule["keep"] else "drop"

    def value(self) -> dict[str, Any]:
        return {"id": self.rule_id, "text": self.text.value, "keep": self.keep.value == "keep"}


class RulesSection(SharedSection[Rules]):
    kind, what, reviewable = "rules", "the ground rules", True

    def __init__(self, host: CardHost) -> None:
        self.card_host = host
        self.rows = widgets.VBox(layout=ui.FULL_WIDTH)
        self.new_rule = ui.text_field("A rule of our own", limit=MAX_RULE, css="cofa-new-rule",
                                      placeholder="for example: We start and end on time.")
        self.add_button = ui.button("Add this rule", "cofa-add-rule")
        self.add_button.on_click(lambda _: self.feedback.guard(self.add_rule)())
        super().__init__(host, "4. Our ground rules",
                         "Start from these ideas. Change the words, drop a rule, or add your own. Set a date to look at "
                         "them again, and look again when someone new joins.",
                         [self.rows, *ui.with_counter(self.new_rule), self.add_button], "cofa-rules-section",
                         typing={"new_rule": self.new_rule})

    def value(self) -> list[dict[str, Any]]:
        return [row.value() for row in self.rows.children if isinstance(row, RuleRow)]

    def fill(self, value: Any) -> None:
        """Show these rules in the rows there are (more rows if need be; rows left over are retired)."""
        rules, rows = rule_drafts(value), [row for row in self.rows.children if isinstance(row, RuleRow)]
        was_filling, self._filling = self._filling, True
        try:
            for row, rule in zip(rows, rules, strict=False):
                row.show(rule)
        finally:
            self._filling = was_filling
        self.rows.children = rows[:len(rules)] + [RuleRow(rule, number, self) for number, rule in enumerate(rules, start=1)
                                                  if number > len(rows)]
        ui.retire(*rows[len(rules):])

    def value_of(self, item: Rules | None) -> list[dict[str, Any]]:
        rules = item.rules if item else starting_rules(self.card_host.card.vocabulary)
        return [rule.model_dump() for rule in rules]

    def add_rule(self) -> None:
        text = tidy(self.new_rule.value)
        if not text:
            self.feedback.say("Please write the rule in the box first.")
            return
        if len(text) > MAX_RULE:
            self.feedback.say(shorten_first("rule", MAX_RULE, "Add this rule"), "problem")
            return
        if len(self.value()) >= MAX_RULES:
            self.feedback.say(f"There are {MAX_RULES} rules already. Please drop some, or change one to say what you "
                              "wanted, before you add another.", "problem")
            return
        rules = [*self.value(), {"id": f"own-{new_id()[:10]}", "text": text, "keep": True}]
        self.fill(rules)
        self.new_rule.value = ""
        self.edited()
        self.feedback.say(f"The rule is added as rule {len(rules)}. Press Save when the group agrees.", "done")

    def body(self, value: Any, fields: dict[str, Any]) -> dict[str, Any]:
        rules = [{**rule, "text": tidy(rule["text"])} for rule in value if tidy(rule["text"])]
        return Rules(card=self.card_host.card.id, project=self.card_host.project_name(), rules=rules, **fields).model_dump()

    def show_html(self, item: Rules) -> str:
        kept = "".join(f"<li>{escape(rule.text)}</li>" for rule in item.kept)
        dropped = [rule.text for rule in item.rules if not rule.keep]
        listed = f"<ol>{kept}</ol>" if kept else "<p>No rules are kept in this version.</p>"
        if dropped:
            listed += "<p>Dropped in this version: " + escape("; ".join(dropped)) + "</p>"
        return listed


class DictionarySection(SharedSection[Dictionary]):
    kind, what = "dictionary", "the list of words"

    def __init__(self, host: CardHost) -> None:
        self.card_host = host
        self.entries: list[Entry] = []
        self.word = ui.choice("Which word?", [("No words yet", "")], css="cofa-word")
        self.meanings = ui.html("", "cofa-meanings")
        self.agree = ui.choice("Which meaning does the group agree on?", [(NOT_AGREED_WORDS, NOT_AGREED)], css="cofa-agree")
        self.new_meaning = ui.text_field("Another plain meaning for this word", limit=MAX_MEANING, css="cofa-new-meaning")
        self.add_meaning_button = ui.button("Add this meaning", "cofa-add-meaning")
        self.new_word = ui.text_field("A new word the project uses", limit=MAX_TERM, css="cofa-new-word")
        self.add_word_button = ui.button("Add this word", "cofa-add-word")
        super().__init__(host, "5. Our words",
                         "Words the project uses, each with a plain meaning. Anyone can add a word or another meaning. "
                         "Where you do not agree, every meaning is kept and shown.",
                         [self.word, self.meanings, self.agree, *ui.with_counter(self.new_meaning), self.add_meaning_button,
                          *ui.with_counter(self.new_word), self.add_word_button], "cofa-dictionary-section",
                         typing={"new_meaning": self.new_meaning, "new_word": self.new_word})
        self.word.observe(self.feedback.guard(lambda _: self.show_word()), names="value")
        self.agree.observe(self.feedback.guard(lambda _: self.agreed_on()), names="value")
        self.add_meaning_button.on_click(lambda _: self.feedback.guard(self.add_meaning)())
        self.add_word_button.on_click(lambda _: self.feedback.guard(self.add_word)())

    def value(self) -> list[dict[str, Any]]:
        return [entry.model_dump() for entry in self.entries]

    def fill(self, value: Any) -> None:
        self.entries, left_out = [], []
        for raw in value if isinstance(value, list) else []:
            try:
                self.entries.append(Entry.model_validate(raw))
            except ValueError:  # pydantic's ValidationError is one; it never reaches the page
                left_out.append(str(raw.get("term", "")) if isinstance(raw, dict) else "")
        if left_out:
            self.feedback.say(f"{len(left_out)} of the words kept in your draft could not be shown here, so they are "
                              f"left out: {'; '.join(term[:MAX_TERM] for term in left_out if term) or 'words with no name'}. "
                              "Please add them again.", "problem")
        chosen = self.word.value
        self.word.options = [(entry.term, entry.id) for entry in self.entries] or [("No words yet", "")]
        if chosen in [entry.id for entry in self.entries]:
            self.word.value = chosen
        self.show_word()

    def value_of(self, item: Dictionary | None) -> list[dict[str, Any]]:
        entries = item.entries if item else starting_dictionary(self.card_host.card.vocabulary)
        return [entry.model_dump() for entry in entries]

    def chosen_at(self) -> int | None:
        return next((at for at, entry in enumerate(self.entries) if entry.id == self.word.value), None)

    def show_word(self) -> None:
        at = self.chosen_at()
        if at is None:
            self.meanings.value = "<p>There are no words yet. Add one below.</p>"
            return
        entry = self.entries[at]
        items = "".join(f"<li>{escape(m.text)}{' (agreed)' if n == entry.agreed else ''}"
                        f"{escape(f' Suggested by {m.by}.') if m.by else ''}</li>" for n, m in enumerate(entry.meanings))
        self.meanings.value = (f'<p aria-live="polite"><strong>{escape(entry.term)}</strong>: '
                               f"{escape(entry_meaning(entry))}</p>" + (f"<ol>{items}</ol>" if items else ""))
        was_filling, self._filling = self._filling, True
        try:
            self.agree.options = [(NOT_AGREED_WORDS, NOT_AGREED)] + [
                (f"Meaning {n} in the list above", n - 1) for n in range(1, len(entry.meanings) + 1)]  # short: phones cut options
            self.agree.value = NOT_AGREED if entry.agreed is None else entry.agreed
        finally:
            self._filling = was_filling

    def agreed_on(self) -> None:
        at = self.chosen_at()
        if self._filling or at is None:
            return
        agreed = None if self.agree.value == NOT_AGREED else int(self.agree.value)
        self.entries[at] = self.entries[at].model_copy(update={"agreed": agreed})
        self.show_word()
        self.edited()

    def add_meaning(self) -> None:
        at, text = self.chosen_at(), tidy(self.new_meaning.value)
        if at is None or not text:
            self.feedback.say("Please choose a word and write its meaning in the box first.")
            return
        if len(text) > MAX_MEANING:
            self.feedback.say(shorten_first("meaning", MAX_MEANING, "Add this meaning"), "problem")
            return
        entry = self.entries[at]
        if text.lower() in {tidy(m.text).lower() for m in entry.meanings}:
            self.feedback.say(f"That meaning of “{entry.term}” is already in the list.")
            return
        if len(entry.meanings) >= MAX_MEANINGS:
            self.feedback.say(f"“{entry.term}” already has {MAX_MEANINGS} meanings. Please agree on some before you add more.")
            return
        self.entries[at] = entry.model_copy(update={"meanings": [*entry.meanings,
                                                                  Meaning(text=text, by=self.card_host.my_name())]})
        self.new_meaning.value = ""
        self.show_word()
        self.edited()
        self.feedback.say(f"Your meaning of “{entry.term}” is added beside the others. Press Save to keep it.", "done")

    def add_word(self) -> None:
        term = tidy(self.new_word.value)
        if not term:
            self.feedback.say("Please write the word in the box first.")
            return
        if len(term) > MAX_TERM:
            self.feedback.say(shorten_first("word", MAX_TERM, "Add this word"), "problem")
            return
        if len(self.entries) >= MAX_TERMS:
            self.feedback.say(f"The list already holds {MAX_TERMS} words. Please save it, and agree which words you "
                              "still need, before you add more.", "problem")
            return
        if term.lower() in {tidy(entry.term).lower() for entry in self.entries}:
            self.feedback.say(f"“{term}” is already in the list. Choose it above to add a meaning.")
            return
        entry = Entry(id=f"own-{new_id()[:10]}", term=term)
        self.entries.append(entry)
        self.new_word.value = ""
        self.fill(self.value())
        self.word.value = entry.id
        self.edited()
        self.feedback.say(f"“{term}” is added. Now add a plain meaning for it.", "done")

    def body(self, value: Any, fields: dict[str, Any]) -> dict[str, Any]:
        return Dictionary(card=self.card_host.card.id, project=self.card_host.project_name(), entries=value,
                          **fields).model_dump()

    def combine(self, body: dict[str, Any], meanwhile: list[Any]) -> tuple[dict[str, Any], str]:
        if not meanwhile:
            return body, ""
        mine, left_out = Dictionary.model_validate(body), list[str]()
        both = merged(mine, [saved.item for saved in meanwhile], left_out)
        said = "We added the words and meanings from it to yours, so nothing is lost." if both != mine else ""
        if left_out:
            said = (f"{len(left_out)} of its words or meanings did not fit beside yours, so they are only in that "
                    f"version: {'; '.join(left_out)}. Please agree on some meanings, then add them again.")
        return both.model_dump(), said

    def show_html(self, item: Dictionary) -> str:
        """The agreed meanings, then the words not agreed yet, apart, so neither list hides the other."""
        agreed, open_words = agreed_apart(item.entries)
        if not agreed and not open_words:
            return "<p>There are no words in this version.</p>"
        shown = words_table("Agreed meanings", WORD_COLUMNS, agreed) if agreed else \
            "<p>Agreed meanings: the group has not agreed the meaning of any word yet.</p>"
        return shown + (words_table("Not agreed yet", OPEN_WORD_COLUMNS, open_words) if open_words else "")


def words_table(caption: str, columns: tuple[str, str], rows: list[list[str]]) -> str:
    """A table of words and meanings, each word a row heading; every typed word escaped."""
    body = "".join(f'<tr><th scope="row">{escape(word)}</th><td>{escape(meaning)}</td></tr>' for word, meaning in rows)
    head = "".join(f'<th scope="col">{escape(column)}</th>' for column in columns)
    return (f'<div class="cofa-table-scroll"><table class="cofa-table"><caption>{escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")
