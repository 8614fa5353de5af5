"""The wall of agendas, its common threads, and the "ways of working" document, as plain data.

Only what people chose to share ever reaches the wall: `shared_answers` is the one gate.
Threads are found in a way anyone can check (the card's choices and themes, then words two
or more people used), and the grouping lives here, not in a page, so a workshop room can
show the same wall. No pandas here: the wall must be quick with hundreds of agendas.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from cofacilitate.agendas.model import (
    MAX_MEANINGS,
    MAX_TERMS,
    Agenda,
    AgendasVocabulary,
    Answer,
    Dictionary,
    Entry,
    Meaning,
    Purpose,
    Rule,
    Rules,
)
from cofacilitate.documents import Document, Section
from cofacilitate.snapshots import Saved
from cofacilitate.versions import agreed_words
from cofacilitate.words import day_words, found_at_word_starts, long_date, tidy

HOW_THREADS = ("How we find common threads: a thread is a choice, a theme from the card, or a word. Two or more people "
               "must use it in their answers to the same question. Words from the questions themselves do not count. "
               "We only look at what people chose to share.")
ANONYMOUS = "Someone"
EVERY_ONE_COUNTS = {"recognition", "needs"}  # kinds of question where one person's need or wish is worth planning for
MOST_WORDS = 5  # shared words shown per question
ENDINGS = ("ies", "ied", "ying", "ing", "ed", "es", "s", "y", "e")  # "worry", "worries" and "worried" are one word here
_WORD = re.compile(r"[^\W\d_]+")
STOPWORDS = frozenset([
    "able", "about", "after", "again", "also", "always", "another", "because", "been", "before", "being", "both",
    "could", "does", "doing", "done", "down", "each", "even", "every", "feel", "felt", "from", "have", "having",
    "here", "into", "just", "know", "like", "made", "make", "many", "mine", "more", "most", "much", "must",
    "need", "needs", "only", "other", "ours", "over", "people", "really", "same", "should", "some", "still",
    "such", "than", "that", "their", "them", "then", "there", "these", "they", "thing", "things", "think",
    "this", "those", "through", "very", "want", "wants", "well", "what", "when", "where", "which", "while",
    "will", "with", "would", "your", "yours",
])


@dataclass(frozen=True)
class WallAnswer:
    """One shared answer as the wall shows it: a name, or no name."""

    prompt: str
    who: str
    text: str
    chosen: tuple[str, ...]  # the choices' labels


@dataclass(frozen=True)
class Thread:
    """Something two or more people said in answer to one question (one person, for needs and thanks)."""

    prompt: str  # the question's id: a thread stays with the question it came from
    question: str  # the question, as the card asks it
    label: str
    how: str  # "choice", "theme" or "word"
    people: int

    @property
    def heading(self) -> str:
        """The thread with its question, for a list or a chart that holds every question's threads."""
        ends = "" if self.question.endswith(("?", ".", ":", "!")) else ":"
        return f"{self.question}{ends} {self.label}"


@dataclass(frozen=True)
class Wall:
    answers: dict[str, list[WallAnswer]]  # prompt id -> shared answers, in an order that hides who wrote what
    threads: list[Thread]  # shared by two or more (any number for needs and thanks), most shared first
    one_offs: list[Thread]  # mentioned by one person: differences worth hearing
    sharing: int  # people who shared at least one answer
    agendas: int  # people with an agenda for this project


def latest_per_person(saved: Iterable[Saved[Agenda]]) -> list[Saved[Agenda]]:
    """Each person's newest agenda (shelves are oldest first, so later ones win)."""
    newest: dict[str, Saved[Agenda]] = {}
    for item in saved:
        newest[item.person or item.record_id] = item
    return sorted(newest.values(), key=lambda item: item.saved_at)


def shared_answers(agenda: Agenda) -> list[Answer]:
    """The one gate to the wall: answers their writer chose to share, and said something in."""
    return [answer for answer in agenda.answers if answer.share != "private" and answer.said]


def words_of(text: str) -> dict[str, str]:
    """Plain words worth comparing, each under a simple stem (a plural "s" dropped), with the word as typed.

    Lower case, four letters or more, not a common little word. "wards" and "ward" meet;
    "stress", "focus" and "crisis" keep their last letter.
    """
    found: dict[str, str] = {}
    for word in _WORD.findall(text.lower()):
        if len(word) >= 4 and word not in STOPWORDS:
            plural = len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is"))
            found.setdefault(word[:-1] if plural else word, word)
    return found


def themes_in(text: str, vocabulary: AgendasVocabulary) -> list[str]:
    """The card's themes an answer touches: one of a theme's words starts one of the answer's words."""
    return [theme.label for theme in vocabulary.themes if found_at_word_starts(theme.words, text)]


def root(word: str) -> str:
    """A word with a common ending taken off, only to tell whether an answer is repeating a question's word."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[:-len(ending)]
    return word


def question_words(vocabulary: AgendasVocabulary) -> dict[str, set[str]]:
    """For each question, the words an answer to it may repeat from the card: the question's own label, help,
    example and choices, and every question's label. They say what was asked, so they are not a thread."""
    asked = " ".join(prompt.label for prompt in vocabulary.prompts)
    return {prompt.id: {root(word) for word in words_of(" ".join(
        [asked, prompt.help, prompt.example, *(choice.label for choice in prompt.choices)])).values()}
        for prompt in vocabulary.prompts}


def wall(vocabulary: AgendasVocabulary, agendas: Sequence[Saved[Agenda]]) -> Wall:
    """Everyone's shared answers side by side, and the threads running through each question's answers."""
    answers: dict[str, list[WallAnswer]] = {prompt.id: [] for prompt in vocabulary.prompts}
    found: dict[tuple[str, str, str], set[str]] = defaultdict(set)  # (prompt, how, label) -> people
    theme_starts = [start for theme in vocabulary.themes for start in theme.words]
    asked = question_words(vocabulary)
    typed: dict[str, str] = {}  # a word's stem -> the word as someone first typed it
    sharing = 0
    for saved in latest_per_person(agendas):
        person = saved.person or saved.record_id
        shown = shared_answers(saved.item)
        sharing += bool(shown)
        for answer in shown:
            prompt = vocabulary.prompt(answer.prompt)
            if prompt is None or answer.prompt not in answers:
                continue
            labels = tuple(choice.label for choice in prompt.choices if choice.id in answer.chosen)
            who = saved.pseudonym if answer.share == "named" and saved.pseudonym else ANONYMOUS
            answers[answer.prompt].append(WallAnswer(answer.prompt, who, tidy(answer.text), labels))
            for label in labels:
                found[(prompt.id, "choice", label)].add(person)
            for label in themes_in(answer.text, vocabulary):
                found[(prompt.id, "theme", label)].add(person)
            for stem, word in words_of(answer.text).items():
                if root(word) not in asked[prompt.id] and not any(stem.startswith(start) for start in theme_starts):
                    typed.setdefault(stem, word)
                    found[(prompt.id, "word", stem)].add(person)
    for listed in answers.values():
        listed.sort(key=lambda item: (item.text.lower(), item.chosen, item.who))  # never in the order people saved
    threads, one_offs = _split(vocabulary, {(prompt, how, f"the word “{typed[label]}”" if how == "word" else label): people
                                            for (prompt, how, label), people in found.items()})
    return Wall(answers, threads, one_offs, sharing, len(latest_per_person(agendas)))


def _split(vocabulary: AgendasVocabulary, found: dict[tuple[str, str, str], set[str]]) -> tuple[list[Thread], list[Thread]]:
    prompts = {prompt.id: prompt for prompt in vocabulary.prompts}
    order = list(prompts)
    every = sorted((Thread(prompt, prompts[prompt].label, label, how, len(people))
                    for (prompt, how, label), people in found.items()),
                   key=lambda t: (order.index(t.prompt), -t.people, t.how != "choice", t.how == "word", t.label))
    threads: list[Thread] = []
    one_offs: list[Thread] = []
    words: dict[str, int] = defaultdict(int)
    for thread in every:
        if thread.people >= 2 or (prompts[thread.prompt].kind in EVERY_ONE_COUNTS and thread.how != "word"):
            if thread.how == "word":
                words[thread.prompt] += 1
                if words[thread.prompt] > MOST_WORDS:
                    continue
            threads.append(thread)
        elif thread.how != "word":
            one_offs.append(thread)
    return threads, one_offs


def wall_sentence(result: Wall) -> str:
    """What the wall shows, in one or two sentences (the chart's text alternative starts here)."""
    if not result.sharing:
        return "No one has shared an answer for this project yet."
    people = "1 person has" if result.sharing == 1 else f"{result.sharing} people have"
    common = [t for t in result.threads if t.people >= 2]
    if not common:
        return f"{people} shared answers. There are no threads that two or more people share yet."
    top = ", ".join(f"{t.label} ({t.people} people, in answers to “{t.question}”)" for t in common[:3])
    return f"{people} shared answers. The threads most shared are: {top}."


THREAD_COLUMNS = ["Question", "Thread", "Found by", "People"]
HOW_WORDS = {"choice": "a choice", "theme": "a theme", "word": "a shared word"}


def thread_rows(threads: Iterable[Thread]) -> list[list[str]]:
    return [[t.question, t.label, HOW_WORDS[t.how], str(t.people)] for t in threads]


# -- the group's documents ------------------------------------------------------------------------
def starting_rules(vocabulary: AgendasVocabulary) -> list[Rule]:
    """The card's suggested rules, all kept, as a group's first draft (whatever the project is called)."""
    return [Rule(id=rule.id, text=rule.label) for rule in vocabulary.ground_rules]


def starting_dictionary(vocabulary: AgendasVocabulary) -> list[Entry]:
    """The card's words, each with the card's meaning as a suggestion the group has not agreed yet."""
    return [Entry(id=term.id, term=term.label, meanings=[Meaning(text=term.meaning)] if term.meaning else [])
            for term in vocabulary.terms]


def merged(mine: Dictionary, others: Iterable[Dictionary], left_out: list[str] | None = None) -> Dictionary:
    """My list of words, plus every word and meaning others saved meanwhile: meanings are added, never overwritten.

    What cannot fit (a word holds MAX_MEANINGS meanings, a list MAX_TERMS words) is named in `left_out`,
    so the page can say so; it stays in the version it came from.
    """
    entries, missed = list(mine.entries), left_out if left_out is not None else []
    for other in others:
        for theirs in other.entries:
            at = next((i for i, e in enumerate(entries) if tidy(e.term).lower() == tidy(theirs.term).lower()), None)
            if at is None:
                if len(entries) >= MAX_TERMS:
                    missed.append(theirs.term)
                    continue
                clash = any(e.id == theirs.id for e in entries)  # a word id someone else also made gets one of its own
                entries.append(theirs.model_copy(update={"id": f"own-{uuid.uuid4().hex[:10]}"}) if clash else theirs)
                continue
            known = {tidy(m.text).lower() for m in entries[at].meanings}
            extra = [m for m in theirs.meanings if tidy(m.text).lower() not in known]
            room = MAX_MEANINGS - len(entries[at].meanings)
            missed += [f"{theirs.term}: {m.text}" for m in extra[max(room, 0):]]
            if extra and room > 0:
                entries[at] = entries[at].model_copy(update={"meanings": [*entries[at].meanings, *extra[:room]]})
    return mine.model_copy(update={"entries": entries})


def newcomers(agendas: Iterable[Saved[Agenda]], since: str) -> int:
    """People whose first agenda for the project came after `since` (when a version was saved)."""
    first: dict[str, str] = {}
    for saved in agendas:
        key = saved.person or saved.record_id
        first[key] = min(first.get(key, saved.saved_at), saved.saved_at)
    return sum(1 for when in first.values() if when > since)


def entry_meaning(entry: Entry) -> str:
    """A word's meaning as the group stands: the agreed one, or every meaning side by side."""
    if entry.agreed is not None:
        return entry.meanings[entry.agreed].text
    if len(entry.meanings) == 1:
        return f"Suggested, not agreed yet: {entry.meanings[0].text}"
    if len(entry.meanings) > 1:
        return f"We have not agreed yet. The meanings suggested are: {suggested_meanings(entry)}"
    return suggested_meanings(entry)


def suggested_meanings(entry: Entry) -> str:
    """Every meaning suggested for a word, side by side, for a list that already says they are not agreed."""
    if not entry.meanings:
        return "No meaning yet."
    if len(entry.meanings) == 1:
        return entry.meanings[0].text
    return " / ".join(f"({n}) {m.text}" for n, m in enumerate(entry.meanings, start=1))


def agreed_apart(entries: Sequence[Entry]) -> tuple[list[list[str]], list[list[str]]]:
    """The words whose meaning the group agreed, and the words it has not agreed yet, as (word, meaning) rows."""
    agreed = [[entry.term, entry.meanings[entry.agreed].text] for entry in entries if entry.agreed is not None]
    open_words = [[entry.term, suggested_meanings(entry)] for entry in entries if entry.agreed is None]
    return agreed, open_words


WORD_COLUMNS = ("Word", "What we mean by it")
OPEN_WORD_COLUMNS = ("Word", "Meanings suggested")


def ways_of_working(project: str, purpose: Saved[Purpose] | None, rules: Saved[Rules] | None,
                    dictionary: Saved[Dictionary] | None, result: Wall, made_on: datetime) -> Document:
    """The group's "ways of working": what was agreed, and the threads, with no one's own answers."""
    sections = [Section("Our shared purpose", _version_lines(purpose, [purpose.item.text] if purpose else [],
                                                           "We have not written our purpose yet."))]
    kept = [rule.text for rule in rules.item.kept] if rules else []
    rule_lines = _version_lines(rules, [], "We have not agreed our ground rules yet.")
    if rules and rules.item.review_on:
        rule_lines.append(f"We will look at them again on {long_date(rules.item.review_on)}, or sooner when someone new joins.")
    sections.append(Section("Our ground rules", rule_lines, kept))
    agreed, open_words = agreed_apart(dictionary.item.entries if dictionary else [])
    word_lines = _version_lines(dictionary, [], "We have not made our list of words yet.")
    if dictionary and not agreed:
        word_lines.append("We have not agreed the meaning of any word yet.")
    sections.append(Section("Our words: agreed meanings", word_lines, columns=[*WORD_COLUMNS] if agreed else [],
                            rows=agreed))
    if open_words:
        sections.append(Section("Our words: not agreed yet", ["Each word keeps all its meanings until we agree on one."],
                                columns=[*OPEN_WORD_COLUMNS], rows=open_words))
    shared = [f"{t.heading} ({t.people} {'person' if t.people == 1 else 'people'})" for t in result.threads]
    sections.append(Section("Common threads in our agendas",
                            [HOW_THREADS, wall_sentence(result)] if shared else [wall_sentence(result)], shared))
    return Document(
        f"Our ways of working: {project}",
        [f"Made on {long_date(made_on.date().isoformat())}. It holds what the group agreed, and the threads in what people "
         "chose to share. It holds no one's own answers."],
        sections,
    )


def _version_lines(saved: Saved[Purpose] | Saved[Rules] | Saved[Dictionary] | None, lines: list[str],
                   nothing: str) -> list[str]:
    if saved is None:
        return [nothing]
    return [*lines, f"Saved on {day_words(saved.saved_at)}. {agreed_words(saved.item.agreed_by)}"]
