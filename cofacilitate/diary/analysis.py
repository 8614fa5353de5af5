"""Looking back over a diary: the entries as they stand, filters, suggested tags, patterns and exports.

Pure Python (no pandas): a list of 10,000 entries must filter and summarise quickly. Tags
are suggested in a way a person can check: a tag's word starts a word they wrote, and the
page says which words matched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cofacilitate.diary.model import DiaryEntry, DiaryVocabulary
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


LOAD_COLUMNS = ["Date", "How much it took out of me", "How safe I felt to speak"]


def load_rows(entries: Sequence[Standing], vocabulary: DiaryVocabulary) -> list[tuple[str, str, str]]:
    """Each check-in in date order, in the card's words ("" where a question was passed)."""
    steps_out, steps_safe = vocabulary.check_in.took_out.steps, vocabulary.check_in.safe.steps
    rows = []
    for found in sorted(entries, key=lambda s: (s.item.on, s.latest.saved_at)):
        item = found.item
        if item.took_out is None and item.safe is None:
            continue
        rows.append((item.on, steps_out[item.took_out - 1] if item.took_out else "",
                     steps_safe[item.safe - 1] if item.safe else ""))
    return rows


def load_sentence(entries: Sequence[Standing], vocabulary: DiaryVocabulary) -> str:
    checked = [s.item for s in entries if s.item.took_out is not None or s.item.safe is not None]
    if not checked:
        return "No check-ins yet, so there is nothing to show over time."
    heavy = sum(1 for item in checked if is_heavy(item.took_out, item.safe, vocabulary))
    latest = max(checked, key=lambda item: item.on)
    scales = ((vocabulary.check_in.took_out, latest.took_out), (vocabulary.check_in.safe, latest.safe))
    said = [f"“{scale.steps[step - 1]}”" for scale, step in scales if step]
    return (f"You checked in {len(checked)} {'time' if len(checked) == 1 else 'times'}. "
            f"{heavy} of them took a lot out of you, or did not feel safe. "
            f"The latest ({long_date(latest.on)}): {' and '.join(said)}.")



def as_document(entries: Sequence[Standing], vocabulary: DiaryVocabulary, title: str) -> Document:
    """Entries as a document to print or keep (Markdown or a web page); every answer, every word as written."""
    sections = []
    for found in sorted(entries, key=lambda s: (s.item.on, s.latest.saved_at)):
        item = found.item
        chosen = vocabulary.prompt_set(item.prompt_set)
        occasion = next((o.label for o in vocabulary.occasions if o.id == item.occasion), item.occasion)
        lines = [f"{occasion}. Written as: {chosen.label if chosen else item.prompt_set}. Project: {item.project}."]
        for prompt in chosen.prompts if chosen else []:
            if item.text_of(prompt.id):
                lines += [f"{prompt.label}", item.text_of(prompt.id)]
        steps = vocabulary.check_in
        if item.took_out:
            lines.append(f"{steps.took_out.label} {steps.took_out.steps[item.took_out - 1]}.")
        if item.safe:
            lines.append(f"{steps.safe.label} {steps.safe.steps[item.safe - 1]}.")
        if item.feelings:
            lines.append(item.feelings)
        tags = [tag.label for tag in vocabulary.tags if tag.id in item.tags]
        sections.append(Section(long_date(item.on), lines, [f"Tag: {label}" for label in tags]))
    return Document(title, ["Private reflections. Only share them if and where you choose."], sections)


def load_points(entries: Sequence[Standing]) -> list[tuple[str, int | None, int | None]]:
    """Each check-in as (date, took out, safe), in date order, for the chart."""
    return [(s.item.on, s.item.took_out, s.item.safe) for s in sorted(entries, key=lambda s: (s.item.on, s.latest.saved_at))
            if s.item.took_out is not None or s.item.safe is not None]
