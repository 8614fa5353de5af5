"""The room's power map: where the room places each group on the two scales (how much say, how involved), and,
for each key decision, who the room says has a say, and where the room sees it most differently.

Each person counts once for each group: when someone placed several people of one group (two ward
managers, say), their own middle place for that group is what counts. A figure for a role group is
shown only when `threshold` or more of its people placed that group, or answered that decision.

How differently the room sees a decision: the share of its answers (one per person for each group of
stakeholders) that differ from the answer given most often for that group. It needs no numbers put on
the levels of say (is “asked first” halfway to “decides”?), and it reads in plain words: “about 4 in
every 10 answers differ”. 0 means everyone gave the same answers.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from cofacilitate.powermap.model import OWN_GROUP, PowerMap, PowerMapVocabulary, Stakeholder, own_group_key
from cofacilitate.words import tidy
from cofacilitate.workshop.groups import Group, RoleSplit
from cofacilitate.workshop.results import SafeCount, Spread, count_words, safe_count, spread_of, step_words

MOST_DISAGREED = 3  # decisions named as the ones the room sees most differently


@dataclass(frozen=True)
class PlaceFigure:
    """Where one role group places one group of stakeholders on both scales (steps from 1, lowest first)."""

    stakeholder: str  # a card group's id, or own_group_key(name) for a name the facilitator added
    group: str  # the role group's id
    placed: SafeCount
    influence: Spread | None  # None when too few placed it
    involvement: Spread | None


@dataclass(frozen=True)
class SayFigure:
    """How much say one role group thinks one group of stakeholders has in one decision."""

    decision: str
    stakeholder: str
    group: str
    answered: SafeCount
    common: tuple[str, ...]  # the say level(s) given most often (two or more when tied); () when too few answered
    agreement: str  # how many gave it, in words with no number: "all", "most", "more than half", ...


@dataclass(frozen=True)
class Disagreement:
    """A decision the room sees differently. `share` is the share of answers (over every group of stakeholders)
    that differ from the answer given most often for the same group: 0 when everyone agrees."""

    decision: str
    share: float
    sentence: str


@dataclass(frozen=True)
class PowerMapResults:
    stakeholders: tuple[tuple[str, str], ...]  # (key, words): the card's groups, then the facilitator's
    influence: tuple[str, ...]  # scale words, lowest first
    involvement: tuple[str, ...]
    decisions: tuple[tuple[str, str], ...]
    say_levels: tuple[tuple[str, str], ...]  # most say first, as the card lists them
    groups: tuple[Group, ...]
    places: tuple[PlaceFigure, ...]
    says: tuple[SayFigure, ...]
    who_decides: tuple[str, ...]  # a sentence for each decision the room answered
    disagreements: tuple[Disagreement, ...]
    answered: SafeCount
    sentence: str
    threshold: int

    def place(self, stakeholder: str, group: str) -> PlaceFigure | None:
        return next((p for p in self.places if (p.stakeholder, p.group) == (stakeholder, group)), None)

    def say(self, decision: str, stakeholder: str, group: str) -> SayFigure | None:
        return next((s for s in self.says if (s.decision, s.stakeholder, s.group) == (decision, stakeholder, group)), None)

    def words(self, part: str, key: str) -> str:
        return dict(getattr(self, part)).get(key, key)


def stakeholder_groups(vocabulary: PowerMapVocabulary, extra: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(key, words) of every group the room's map shows: the card's, then names the facilitator added (each once)."""
    groups = [(group.id, group.label) for group in vocabulary.groups]
    taken = {label.casefold() for _, label in groups}
    for name in extra:
        words = tidy(name)
        if words and words.casefold() not in taken:
            groups.append((own_group_key(words), words))
            taken.add(words.casefold())
    return groups


def _key_of(stakeholder: Stakeholder, extra_keys: set[str]) -> list[str]:
    """The room's groups a person on someone's map counts for: their group, and a facilitator's name they match
    (a group the map's maker named themselves, or the person's own name, letters' case and spaces aside)."""
    keys = [own_group_key(stakeholder.own_group) if stakeholder.group == OWN_GROUP else stakeholder.group]
    by_name = own_group_key(stakeholder.label)
    if by_name in extra_keys and by_name not in keys:
        keys.append(by_name)
    return keys


def agreement_words(share: float) -> str:
    if share >= 1:
        return "all"
    if share >= 2 / 3:
        return "most"
    if share > 0.5:
        return "more than half"
    return "half" if share == 0.5 else "the largest part"


def powermap_results(answers: Sequence[tuple[str, PowerMap]], vocabulary: PowerMapVocabulary, split: RoleSplit,
                     extra_groups: Sequence[str] = ()) -> PowerMapResults:
    """The room's map from each person's latest map: (person id, map) pairs."""
    by_person = dict(answers)
    groups = stakeholder_groups(vocabulary, extra_groups)
    keys = {key for key, _ in groups}
    extra_keys = {key for key, _ in groups[len(vocabulary.groups):]}
    placed: dict[tuple[str, str], tuple[float, float]] = {}  # (person, stakeholder group) -> their middle place
    for person, power_map in by_person.items():
        spots: dict[str, list[Stakeholder]] = {}
        for stakeholder in power_map.stakeholders:
            for key in _key_of(stakeholder, extra_keys):
                spots.setdefault(key, []).append(stakeholder)
        for key, people in spots.items():
            if key in keys:
                placed[(person, key)] = (statistics.median(s.influence for s in people),
                                         statistics.median(s.involvement for s in people))
    places = []
    for key, _ in groups:
        for group in split.groups:
            values = [placed[(person, key)] for person in by_person if person in group.members and (person, key) in placed]
            enough = len(values) >= split.threshold
            places.append(PlaceFigure(key, group.id, safe_count(len(values), split.threshold),
                                      spread_of([v[0] for v in values]) if enough else None,
                                      spread_of([v[1] for v in values]) if enough else None))
    says, spreads = _says(by_person, vocabulary, groups, split)
    results = PowerMapResults(
        tuple(groups), tuple(t.label for t in vocabulary.influence), tuple(t.label for t in vocabulary.involvement),
        tuple((d.id, d.label) for d in vocabulary.decisions), tuple((t.id, t.label) for t in vocabulary.say_levels),
        split.groups, tuple(places), tuple(says), (), (),
        safe_count(sum(1 for p in by_person if p in split.everyone.members), split.threshold) if split.everyone else None, "",
        split.threshold)
    return replace(results, who_decides=tuple(_who_decides(results, split)),
                   disagreements=tuple(_disagreements(results, spreads)), sentence=powermap_sentence(results, vocabulary, split))


def _says(by_person: dict[str, PowerMap], vocabulary: PowerMapVocabulary, groups: list[tuple[str, str]],
          split: RoleSplit) -> tuple[list[SayFigure], dict[str, tuple[int, int]]]:
    """Each decision's says by role group, and for the whole room, per decision, (answers, answers off the most given)."""
    figures: list[SayFigure] = []
    off: dict[str, tuple[int, int]] = {}
    for decision in vocabulary.decisions:
        given = {person: next((d.says for d in power_map.decisions if d.decision == decision.id), {})
                 for person, power_map in by_person.items()}
        for key, _ in groups:
            for group in split.groups:
                levels = Counter(says[key] for person, says in given.items() if person in group.members and key in says)
                answered = sum(levels.values())
                if answered < split.threshold:
                    figures.append(SayFigure(decision.id, key, group.id, safe_count(answered, split.threshold), (), ""))
                    continue
                most = max(levels.values())
                order = [level.id for level in vocabulary.say_levels]
                common = tuple(sorted((level for level, n in levels.items() if n == most), key=order.index))
                words = agreement_words(most / answered) if len(common) == 1 else "the same number"
                figures.append(SayFigure(decision.id, key, group.id, answered, common, words))
                if group.kind == "everyone":
                    total, differ = off.get(decision.id, (0, 0))
                    off[decision.id] = (total + answered, differ + answered - most)
    return figures, off


def _who_decides(results: PowerMapResults, split: RoleSplit) -> list[str]:
    everyone = split.everyone
    if everyone is None:
        return []
    decides = results.say_levels[0][0]
    said = []
    for decision, words in results.decisions:
        cells = [s for s in results.says if s.decision == decision and s.group == everyone.id and s.common]
        if not cells:
            continue
        deciders = [f"“{results.words('stakeholders', s.stakeholder)}”" for s in cells if s.common == (decides,)]
        if deciders:
            who = deciders[0] if len(deciders) == 1 else ", ".join(deciders[:-1]) + " and " + deciders[-1]
            said.append(f"“{words}”: the room says {who} decide.")  # a group's name is plural: “Funders” decide
        else:
            said.append(f"“{words}”: the room does not name a group that decides it.")
    return said


def _disagreements(results: PowerMapResults, spreads: dict[str, tuple[int, int]]) -> list[Disagreement]:
    """The decisions the room sees most differently: the most answers away from the answer most given, first."""
    order = [decision for decision, _ in results.decisions]
    found = sorted(((differ / total, decision) for decision, (total, differ) in spreads.items() if differ),
                   key=lambda item: (-item[0], order.index(item[1])))
    said = []
    for share, decision in found[:MOST_DISAGREED]:
        tenths = round(share * 10)
        how = f"about {tenths} in every 10" if tenths else "fewer than 1 in every 10"
        words = results.words("decisions", decision)
        said.append(Disagreement(decision, share, f"The room sees “{words}” differently. {how.capitalize()} "
                                                  "answers about who has a say here differ from the answer most people gave."))
    return said


def powermap_sentence(results: PowerMapResults, vocabulary: PowerMapVocabulary, split: RoleSplit) -> str:
    everyone = split.everyone
    if everyone is None:
        return split.sentence
    said = [f"{count_words(results.answered, split.threshold).capitalize()} shared a power map."]
    room = [(p, results.words("stakeholders", p.stakeholder)) for p in results.places
            if p.group == everyone.id and p.influence and p.involvement]
    if room:
        top, words = max(room, key=lambda item: item[0].influence.middle if item[0].influence else 0)
        if top.influence:
            said.append(f"The room gives “{words}” the most say over decisions (the middle answer is "
                        f"“{step_words(top.influence.middle, results.influence)}”).")
        for place, words in room:
            if place.stakeholder in vocabulary.lived_experience_groups and place.influence and place.involvement:
                said.append(f"The room places “{words}” at “{step_words(place.influence.middle, results.influence)}”, "
                            f"and “{step_words(place.involvement.middle, results.involvement)}”.")
    said.append(f"A group's answer is shown only when {split.threshold} or more of its people answered.")
    return " ".join(said)
