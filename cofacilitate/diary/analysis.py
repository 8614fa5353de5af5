"""Looking back over a diary: the entries as they stand, filters, suggested tags, patterns and exports.

Pure Python (no pandas): a list of 10,000 entries must filter and summarise quickly. Tags
are suggested in a way a person can check: a tag's word starts a word they wrote, and the
page says which words matched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from cofacilitate.diary.model import STEPS, DiaryEntry, DiaryVocabulary
from cofacilitate.documents import Document, Section
from cofacilitate.snapshots import Saved
from cofacilitate.words import found_at_word_starts, join_words, long_date


@dataclass(frozen=True)
class Standing:
    """An entry as it stands now (its newest version), and how many earlier versions it has."""

    latest: Saved[DiaryEntry]
    earlier: tuple[Saved[DiaryEntry], ...]

    @property
    def item(self) -> DiaryEntry:
        return self.latest.item


def standing(saved: Iterable[Saved[DiaryEntry]]) -> list[Standing]:
    """Each entry's newest version with its earlier ones, newest entry (by its date, then save) first."""
    versions: dict[str, list[Saved[DiaryEntry]]] = {}
    for item in sorted(saved, key=lambda s: s.saved_at):
        versions.setdefault(item.item.entry, []).append(item)
    found = [Standing(found[-1], tuple(found[:-1])) for found in versions.values()]
    return sorted(found, key=lambda s: (s.item.on, s.latest.saved_at), reverse=True)


WHAT_IT_IS = {"answers": "an answer", "feelings": "its words about how it felt", "project": "a project name",
              "on": "a date", "tags": "a list of tags"}


def entry_problem(err: ValueError, whose: str = "one of its entries") -> str:
    """What is wrong with an entry, in our words: never a library's ("String should have at most ...")."""
    if not isinstance(err, ValidationError):
        return str(err)
    first = err.errors(include_url=False, include_input=False)[0]
    if first["type"] == "value_error":
        return str(first["msg"]).removeprefix("Value error, ")
    what = WHAT_IT_IS.get(str(first["loc"][0]) if first["loc"] else "", "a part")
    most = (first.get("ctx") or {}).get("max_length")
    if first["type"] in {"string_too_long", "too_long"} and most:
        return f"{whose} has {what} longer than this diary can keep ({most:,} characters)"
    return f"{whose} has {what} in a shape this diary cannot read"


def saved_sentence(entry: DiaryEntry) -> str:
    """What a Save just kept, so a person can see at once that it holds what they wrote (or that it holds no words)."""
    answers = len(entry.answers)
    kept = [f"{answers} {'answer' if answers == 1 else 'answers'}"] if answers else []
    kept += [words for words, there in (("how it felt", entry.feelings), ("your check-in", entry.took_out or entry.safe),
                                        (f"{len(entry.tags)} {'tag' if len(entry.tags) == 1 else 'tags'}", entry.tags)) if there]
    said = f"Your entry about {long_date(entry.on)} is saved, with {join_words(kept)}."
    return said if answers or entry.feelings else f"{said} It has no written words."


def count_sentence(found: int, total: int, most: int) -> str:
    """How many entries the look-back list shows, of how many (`most` at once)."""
    if not total:
        return "You have no entries yet."
    if found > most:
        return f"Showing the newest {most} of {found}. Use the choices above to find older ones."
    if found == total:
        return "Your 1 entry." if total == 1 else f"All {total} of your entries."
    if not found:
        return ("Your 1 entry does not match these choices." if total == 1
                else f"None of your {total} entries match these choices.")
    return f"{found} of your {total} entries match these choices."


def matches(entry: DiaryEntry, tag: str = "", prompt_set: str = "", text: str = "") -> bool:
    """Whether an entry passes the look-back filters (empty filters pass everything)."""
    if tag and tag not in entry.tags:
        return False
    if prompt_set and entry.prompt_set != prompt_set:
        return False
    return not text.strip() or text.strip().lower() in entry.words.lower()


def filtered(entries: Sequence[Standing], tag: str = "", prompt_set: str = "", text: str = "") -> list[Standing]:
    return [s for s in entries if matches(s.item, tag, prompt_set, text)]



def suggested_tags(text: str, vocabulary: DiaryVocabulary) -> dict[str, list[str]]:
    """Tag id -> the tag's words found at the start of a word in the text (tags with none are left out)."""
    found: dict[str, list[str]] = {}
    for tag in vocabulary.tags:
        hits = found_at_word_starts(tag.words, text)
        if hits:
            found[tag.id] = hits
    return found


def suggestion_sentence(found: dict[str, list[str]], vocabulary: DiaryVocabulary) -> str:
    """What was ticked and why, so a person can check it and change it."""
    if not found:
        return "We found no tag words in what you wrote. You can tick any tags yourself."
    parts = [f"{tag.label} (you wrote “{join_words(found[tag.id])}”)" for tag in vocabulary.tags if tag.id in found]
    return f"We ticked: {'; '.join(parts)}. Untick any that do not fit."


def is_heavy(entry_took_out: int | None, entry_safe: int | None, vocabulary: DiaryVocabulary) -> bool:
    """A check-in that asks for the support contacts: a lot taken out, or not safe to speak."""
    return ((entry_took_out or 0) >= vocabulary.high_load_from
            or (entry_safe is not None and entry_safe <= vocabulary.low_safety_to))


COVERAGE_COLUMNS = ["Tag", "Kind", "Entries"]


def coverage(entries: Sequence[Standing], vocabulary: DiaryVocabulary) -> list[tuple[str, str, int]]:
    """(tag, principle or standard, how many entries carry it), in the card's order, untouched ones too."""
    counts = {tag.id: 0 for tag in vocabulary.tags}
    for found in entries:
        for tag in found.item.tags:
            if tag in counts:
                counts[tag] += 1
    kinds = {"principle": "Principle", "standard": "Standard"}
    return [(tag.label, kinds[tag.group], counts[tag.id]) for tag in vocabulary.tags]


def coverage_sentence(rows: Sequence[tuple[str, str, int]], entries: int) -> str:
    """What the entries touch, and a gentle word about what they never do."""
    if not entries:
        return "There are no entries yet, so there are no patterns to show."
    touched = sorted((row for row in rows if row[2]), key=lambda row: -row[2])
    never = [row[0] for row in rows if not row[2]]
    said = f"Your {entries} {'entry touches' if entries == 1 else 'entries touch'} {len(touched)} of the {len(rows)} tags."
    if touched:
        said += f" The most used is “{touched[0][0]}” ({touched[0][2]})."
    if never:
        said += (f" You have not written about {join_words([f'“{name}”' for name in never])} yet. "
                 "That is fine. If one of them matters to your project, it could be worth a thought next time.")
    return said


def load_columns(vocabulary: DiaryVocabulary) -> list[str]:
    """The check-in table's headings: each question with which way its steps run, in the card's words."""
    return ["Day", *(f"{scale.label} (1 is {scale.steps[0].lower()}, {STEPS} is {scale.steps[-1].lower()})"
                     for scale in (vocabulary.check_in.took_out, vocabulary.check_in.safe))]


def load_rows(entries: Sequence[Standing], vocabulary: DiaryVocabulary) -> list[tuple[str, str, str]]:
    """Each check-in in date order, its steps as the form shows them ("4. A lot"; "" where a question was passed)."""
    steps_out, steps_safe = vocabulary.check_in.took_out.steps, vocabulary.check_in.safe.steps
    return [(long_date(on), f"{took}. {steps_out[took - 1]}" if took else "", f"{safe}. {steps_safe[safe - 1]}" if safe else "")
            for on, took, safe in load_points(entries)]


def load_sentence(entries: Sequence[Standing], vocabulary: DiaryVocabulary) -> str:
    """How often, how many were heavy, the latest, and which way each question's steps run."""
    checked = [s.item for s in entries if s.item.took_out is not None or s.item.safe is not None]
    if not checked:
        return "No check-ins yet, so there is nothing to show over time."
    heavy = sum(1 for item in checked if is_heavy(item.took_out, item.safe, vocabulary))
    if len(checked) == 1:
        said = ["You checked in once.", *(["It took a lot out of you, or did not feel safe."] if heavy else [])]
    else:
        many = f"{heavy} of them" if heavy else "None of them"
        said = [f"You checked in {len(checked)} times.", f"{many} took a lot out of you, or did not feel safe."]
    latest = max(checked, key=lambda item: item.on)
    scales = ((vocabulary.check_in.took_out, latest.took_out), (vocabulary.check_in.safe, latest.safe))
    said.append(f"The latest ({long_date(latest.on)}): "
                + " ".join(f"{scale.label} “{scale.steps[step - 1]}”." for scale, step in scales if step))
    said.append(" ".join(f"For “{scale.label}” {STEPS} is “{scale.steps[-1]}”." for scale, _ in scales))
    return " ".join(said)


def ended(text: str) -> str:
    """A sentence with one full stop at its end, not a second after a question mark or a typed one."""
    return text if text.rstrip("”’\"')»").endswith((".", "?", "!", "…")) else f"{text}."


def as_document(entries: Sequence[Standing], vocabulary: DiaryVocabulary, title: str) -> Document:
    """Entries as a document to print or keep (Markdown or a web page); every answer, every word as written."""
    sections = []
    for found in sorted(entries, key=lambda s: (s.item.on, s.latest.saved_at)):
        item = found.item
        chosen = vocabulary.prompt_set(item.prompt_set)
        occasion = next((o.label for o in vocabulary.occasions if o.id == item.occasion), item.occasion)
        lines = [" ".join(ended(part) for part in (occasion, f"Written as: {chosen.label if chosen else item.prompt_set}",
                                                   f"Project: {item.project}"))]
        for prompt in chosen.prompts if chosen else []:
            if item.text_of(prompt.id):
                lines += [f"{prompt.label}", item.text_of(prompt.id)]
        steps = vocabulary.check_in
        if item.took_out:
            lines.append(ended(f"{steps.took_out.label} {steps.took_out.steps[item.took_out - 1]}"))
        if item.safe:
            lines.append(ended(f"{steps.safe.label} {steps.safe.steps[item.safe - 1]}"))
        if item.feelings:
            lines.append(item.feelings)
        tags = [tag.label for tag in vocabulary.tags if tag.id in item.tags]
        sections.append(Section(long_date(item.on), lines, [f"Tag: {label}" for label in tags]))
    return Document(title, ["Private reflections. Only share them if and where you choose."], sections)


def load_points(entries: Sequence[Standing]) -> list[tuple[str, int | None, int | None]]:
    """Each check-in as (date, took out, safe), in date order, for the chart."""
    return [(s.item.on, s.item.took_out, s.item.safe) for s in sorted(entries, key=lambda s: (s.item.on, s.latest.saved_at))
            if s.item.took_out is not None or s.item.safe is not None]
