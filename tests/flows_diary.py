"""The reflective diary's benchmark flows: a first entry, and a returning writer with 100 to 10,000 entries.

Registered in tests/flows.py (FLOWS["diary"] and RETURNING["diary-N"]); see there for how a flow is called.
The kept entries are made the same way every run (DIARY_SEED), and every FILTER_EVERY-th one holds
FILTER_WORD, so the look-back list filtered by it has a count known beforehand.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.harness import Deadline, rss_mb

REPO = Path(__file__).resolve().parent.parent
DIARY_CARD = REPO / "exercises" / "diary.yaml"
DIARY_SEED = 20261123
DIARY_SIZES = (100, 1000, 10_000)
BENCH_PROJECT = "Benchmark project"
WHAT_HAPPENED = "What happened?"
TOOK_OUT = "How much did this take out of me?"
SAFE = "How safe did I feel to speak?"
POWER_TAG = "Sharing power (principle)"
WORDS_FILTER = "Only entries with these words"
COUNT = ".cofa-entry-count"
COVERAGE_CHART = ".cofa-coverage-chart svg"
COVERAGE_SENTENCE = ".cofa-coverage-chart .cofa-chart-sentence"
PATTERNS_SELECTOR = "button.cofa-show-patterns, .cofa-show-patterns button"
SAVE_SELECTOR = "button.cofa-save, .cofa-save button"
MOST_LISTED = 200  # cofacilitate.diary.sections.MOST_LISTED: the look-back list shows at most this many
FILTER_WORD = "kestrel"  # in every FILTER_EVERY-th kept entry, and in no other
FILTER_EVERY = 10
# Words drawn into kept entries: some start the card's tag words (power, decide, team, pay, ...), some are plain.
DIARY_WORDS = ["power", "decide", "team", "pay", "listen", "agenda", "jargon", "support", "change", "together",
               "tired", "coffee", "minutes", "ward", "family", "rain", "train", "papers", "late", "laughed"]


def count_words(found: int, total: int) -> str:
    """The look-back list's count sentence (cofacilitate/diary/analysis.py count_sentence, pure Python)."""
    from cofacilitate.diary.analysis import count_sentence

    return count_sentence(found, total, MOST_LISTED)


def filtered_count(size: int) -> int:
    return len(range(0, size, FILTER_EVERY))


def diary_card():
    from cofacilitate.cards import load_card
    from cofacilitate.diary.model import DiaryVocabulary

    return load_card(DIARY_CARD, DiaryVocabulary)


def diary_entries(card, size: int, seed: int = DIARY_SEED) -> list:
    """`size` entries over three years: a random way of writing, a few answers, a check-in or none, a few tags."""
    import random
    from datetime import date, timedelta

    from cofacilitate.diary.model import Answer, DiaryEntry

    vocabulary, rng = card.vocabulary, random.Random(seed)
    first_day, tags = date(2023, 1, 1), [tag.id for tag in vocabulary.tags]
    entries = []
    for number in range(size):
        chosen = rng.choice(vocabulary.prompt_sets)
        prompts = rng.sample(chosen.prompts, rng.randint(1, len(chosen.prompts)))
        answers = [Answer(prompt=prompt.id, text=" ".join(rng.choices(DIARY_WORDS, k=rng.randint(4, 30))).capitalize() + ".")
                   for prompt in prompts]
        if number % FILTER_EVERY == 0:
            answers[0] = Answer(prompt=answers[0].prompt, text=f"{answers[0].text} A {FILTER_WORD} flew over.")
        entries.append(DiaryEntry(
            card=card.id, project=BENCH_PROJECT, entry=f"{rng.getrandbits(128):032x}",
            on=(first_day + timedelta(days=rng.randrange(3 * 365))).isoformat(),
            occasion=rng.choice(vocabulary.occasions).id, prompt_set=chosen.id, answers=answers,
            took_out=rng.choice([None, 1, 2, 3, 4, 5]), safe=rng.choice([None, 1, 2, 3, 4, 5]),
            feelings=rng.choice(["", "", "Glad I went.", "Still thinking about it."]),
            tags=rng.sample(tags, rng.randint(0, 3)),
        ))
    return entries


def keep_diary(workspace: Path, size: int) -> None:
    """The usual person at this computer has written `size` entries (one version each) on earlier visits."""
    from cofacilitate.diary.model import TOOL
    from cofacilitate.store import Owner, Workspace, new_id

    store = Workspace.open(workspace)
    try:
        owner = Owner(store.current_person().id)
        for entry in diary_entries(diary_card(), size):
            store.save_record(TOOL, entry.model_dump(), owner=owner, record_id=new_id())
    finally:
        store.close()


def patterns_shown(page, kernel, deadline: Deadline, result: dict[str, Any], entries: int) -> None:
    """Time Show my patterns -> the coverage chart visible; check it counts `entries`; read memory once settled."""
    from tests.flows import SETTLE_SECONDS

    show = page.locator(PATTERNS_SELECTOR).first
    show.wait_for(state="visible", timeout=deadline.ms(30))
    clicked = time.perf_counter()
    show.click(timeout=deadline.ms(30))
    page.wait_for_selector(COVERAGE_CHART, state="visible", timeout=deadline.ms(120))
    result["patterns_s"] = time.perf_counter() - clicked
    result["rss_chart_visible_mb"] = rss_mb(kernel)
    said = page.inner_text(COVERAGE_SENTENCE)
    touch = "entry touches" if entries == 1 else "entries touch"
    if f"Your {entries} {touch}" not in said:
        raise RuntimeError(f"the patterns should count {entries} entries, but say: {said!r}")
    time.sleep(SETTLE_SECONDS)
    result["rss_chart_mb"] = rss_mb(kernel)


def diary_flow(page, kernel, deadline: Deadline, result: dict[str, Any]) -> None:
    """Write an answer, check in, tick a tag, Save; then time Show my patterns -> coverage chart drawn."""
    from tests.flows import wait_for_words

    page.get_by_label(WHAT_HAPPENED, exact=True).fill("We had to decide who holds the power in the team.",
                                                      timeout=deadline.ms(30))
    page.get_by_label(TOOK_OUT, exact=True).select_option(index=3, timeout=deadline.ms(30))
    page.get_by_label(SAFE, exact=True).select_option(index=4, timeout=deadline.ms(30))
    page.get_by_label(POWER_TAG, exact=True).check(timeout=deadline.ms(30))
    page.locator(SAVE_SELECTOR).first.click(timeout=deadline.ms(30))
    wait_for_words(page, "is saved", deadline)
    patterns_shown(page, kernel, deadline, result, 1)


def wait_for_count(page, words: str, deadline: Deadline) -> None:
    """Wait until the look-back list's count sentence starts with `words`."""
    page.wait_for_function("([where, words]) => (document.querySelector(where)?.innerText || '').trim().startsWith(words)",
                           arg=[COUNT, words], timeout=deadline.ms(120))


def returning_diary_flow(page, kernel, deadline: Deadline, result: dict[str, Any], size: int) -> None:
    """The page opened with `size` entries kept: the list counts them all; time a filter by words, then the patterns."""
    wait_for_count(page, count_words(size, size), deadline)
    words = page.get_by_label(WORDS_FILTER, exact=True)
    words.wait_for(state="visible", timeout=deadline.ms(30))
    expected = count_words(filtered_count(size), size)
    typed = time.perf_counter()
    words.fill(FILTER_WORD, timeout=deadline.ms(30))
    wait_for_count(page, expected, deadline)
    result["filter_s"] = time.perf_counter() - typed
    listed = page.locator(".cofa-entries select option").count()
    if listed != min(filtered_count(size), MOST_LISTED):
        raise RuntimeError(f"the list filtered by {FILTER_WORD!r} shows {listed} entries; it says {page.inner_text(COUNT)!r}")
    patterns_shown(page, kernel, deadline, result, size)
