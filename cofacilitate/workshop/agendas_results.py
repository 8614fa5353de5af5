"""The room's wall of agendas: only the answers people chose to share, by question, and the common threads.

The wall and its threads are `cofacilitate.agendas.analysis.wall`, the same as on a person's own page;
this module only decides what reaches it: people in the room, and no answer a facilitator hid
(`answer_key`). The wall is not split by role: a named answer already says who wrote it, and an
anonymous one must never be narrowed down to a role. It is shown only once the room itself has
`threshold` people, so an answer with no name is never one of two.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from cofacilitate.agendas.analysis import Thread, Wall, shared_answers, wall
from cofacilitate.agendas.model import Agenda, AgendasVocabulary, Answer
from cofacilitate.snapshots import Saved
from cofacilitate.workshop.groups import RoleSplit
from cofacilitate.workshop.results import SafeCount, answer_key, count_words, safe_count

MOST_THREADS_SAID = 3


@dataclass(frozen=True)
class AgendaResults:
    prompts: tuple[tuple[str, str], ...]  # (id, the question as the card asks it)
    wall: Wall | None  # None until the room has `threshold` people
    sharing: SafeCount  # people who shared at least one answer
    sentence: str
    threshold: int

    @property
    def threads(self) -> list[Thread]:
        return self.wall.threads if self.wall else []


def without_hidden(agendas: Sequence[Saved[Agenda]], hidden: Collection[str]) -> list[Saved[Agenda]]:
    """Each agenda with the answers a facilitator hid taken out (the saved agenda itself is untouched)."""
    kept = []
    for saved in agendas:
        answers = [a for a in saved.item.answers if answer_key(saved.record_id, a.prompt) not in hidden]
        item = saved.item if len(answers) == len(saved.item.answers) else saved.item.model_copy(update={"answers": answers})
        kept.append(Saved(saved.record_id, saved.saved_at, saved.pseudonym, saved.roles, item, saved.person))
    return kept


def hideable_answers(agendas: Sequence[Saved[Agenda]]) -> list[tuple[str, Answer]]:
    """Every answer that would reach the wall, with its key, for the facilitator's “hide this answer”."""
    return [(answer_key(saved.record_id, answer.prompt), answer) for saved in agendas for answer in shared_answers(saved.item)]


def agendas_results(agendas: Sequence[Saved[Agenda]], vocabulary: AgendasVocabulary, split: RoleSplit,
                    hidden: Collection[str] = frozenset()) -> AgendaResults:
    """The room's wall from each person's latest agenda; answers whose `answer_key` is in `hidden` are left out."""
    prompts = tuple((prompt.id, prompt.label) for prompt in vocabulary.prompts)
    everyone = split.everyone
    if everyone is None:
        return AgendaResults(prompts, None, None, split.sentence, split.threshold)
    in_room = [saved for saved in agendas if saved.person in everyone.members]
    shown = wall(vocabulary, without_hidden(in_room, hidden))
    sharing = safe_count(shown.sharing, split.threshold)
    said = [f"{count_words(sharing, split.threshold).capitalize()} shared answers with the group."]
    common = [thread for thread in shown.threads if thread.people >= 2][:MOST_THREADS_SAID]
    if common:
        said.append("The threads most shared are: " + "; ".join(
            f"{t.label} ({count_words(safe_count(t.people, split.threshold), split.threshold)}, in answers to “{t.question}”)"
            for t in common) + ".")
    elif shown.sharing:
        said.append("There are no threads that two or more people share yet.")
    said.append("Answers are shown in an order that does not tell who wrote what. Only answers people chose to share "
                "are here; an answer shared with no name shows no name.")
    return AgendaResults(prompts, shown, sharing, " ".join(said), split.threshold)
