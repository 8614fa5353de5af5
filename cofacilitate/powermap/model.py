"""The power map as data: the card's vocabulary, and one team's map of a project.

Pure Python and pydantic only. Every rule a person can break while editing (an empty
name, the same name twice, a step off the scale) is checked here with a plain message,
so the app only shows what this module says.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from cofacilitate.bodies import Migration, ToolBody, checked_body
from cofacilitate.cards import SLUG, Strict, Term, once_each, unique_ids
from cofacilitate.words import tidy

TOOL = "powermap"
BODY_VERSION: Final = 1
MIGRATIONS: dict[int, Migration] = {}  # MIGRATIONS[n] takes a body from version n to n + 1
OWN_GROUP = "own"
OWN_DECISION = "own-"
MAX_STAKEHOLDERS = 1000
MAX_MISSING = 200
MAX_DECISIONS = 40  # the card's and the team's own
MAX_TEXT = 2000
MAX_NAME = 80  # a person's, group's or missing voice's name
MAX_DECISION = 120  # a decision the team names
STAND_IN = "-"  # a project's name while the parts of a map that do not name it are checked


class Quadrants(Strict):
    """Plain names for the four corners of the map."""

    high_influence_high_involvement: str = Field(alias="high-influence-high-involvement", min_length=1, max_length=60)
    high_influence_low_involvement: str = Field(alias="high-influence-low-involvement", min_length=1, max_length=60)
    low_influence_high_involvement: str = Field(alias="low-influence-high-involvement", min_length=1, max_length=60)
    low_influence_low_involvement: str = Field(alias="low-influence-low-involvement", min_length=1, max_length=60)


class PowerMapVocabulary(Strict):
    """What a power map card must define."""

    groups: list[Term] = Field(min_length=1, max_length=20)
    lived_experience_groups: list[str] = Field(default_factory=list)
    influence: list[Term] = Field(min_length=2, max_length=7)
    involvement: list[Term] = Field(min_length=2, max_length=7)
    quadrants: Quadrants
    missing_reasons: list[Term] = Field(min_length=1, max_length=30)
    decisions: list[Term] = Field(min_length=1, max_length=30)
    say_levels: list[Term] = Field(min_length=2, max_length=6)
    power_types: list[Term] = Field(min_length=1, max_length=12)
    spaces: list[Term] = Field(min_length=1, max_length=8)

    @field_validator("groups", "influence", "involvement", "missing_reasons", "decisions", "say_levels", "power_types", "spaces")
    @classmethod
    def _ids_unique(cls, terms: list[Term], info: ValidationInfo) -> list[Term]:
        name = info.field_name or ""  # always set for a field validator
        terms = unique_ids(terms, name.replace("_", " ").capitalize() + " entry")
        if info.field_name == "groups" and any(term.id == OWN_GROUP for term in terms):
            raise ValueError(f"the group id '{OWN_GROUP}' is kept for groups people name themselves")
        return terms

    @field_validator("lived_experience_groups")
    @classmethod
    def _known_groups(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        known = [group.id for group in info.data.get("groups", [])]
        for group_id in ids:
            if known and group_id not in known:
                raise ValueError(f"'{group_id}' is not one of the groups listed: {', '.join(known)}")
        return ids

    def term(self, part: str, term_id: str) -> Term | None:
        return next((term for term in getattr(self, part) if term.id == term_id), None)

    def words(self, part: str, term_id: str, otherwise: str = "") -> str:
        found = self.term(part, term_id)
        return found.label if found else otherwise

    def group_options(self) -> list[tuple[str, str]]:
        return [(group.label, group.id) for group in self.groups] + [("A group of their own (say which)", OWN_GROUP)]

    def quadrant(self, influence: int, involvement: int) -> str:
        """Which corner a place on the map falls in; the middle step counts as low."""
        high_influence = influence > len(self.influence) / 2 + 0.5
        high_involvement = involvement > len(self.involvement) / 2 + 0.5
        names = self.quadrants
        if high_influence:
            return names.high_influence_high_involvement if high_involvement else names.high_influence_low_involvement
        return names.low_influence_high_involvement if high_involvement else names.low_influence_low_involvement


def _fits(value: str, limit: int, what: str) -> str:
    """Words within their box's limit, or a refusal that says what to do (never a library's wording)."""
    if len(value) > limit:
        raise ValueError(f"please keep {what} to {limit:,} characters or fewer (it has {len(value):,}); your words are "
                         "still in the box")
    return value


def _short_name(value: str, what: str) -> str:
    name = tidy(value)
    if not name:
        raise ValueError(f"please give each {what} a short name (for example “Ward managers”)")
    if len(name) > MAX_NAME:
        raise ValueError(f"please keep each {what}'s name to {MAX_NAME} characters or fewer")
    return name


class Stakeholder(Strict):
    """A person or group around the project, placed on both scales (1 is the lowest step)."""

    label: str
    group: str = Field(pattern=SLUG, max_length=60)
    own_group: str = ""
    in_room: bool = True
    influence: int = Field(default=1, ge=1, le=7)
    involvement: int = Field(default=1, ge=1, le=7)

    @field_validator("label")
    @classmethod
    def _label(cls, value: str) -> str:
        return _short_name(value, "person or group")

    @field_validator("own_group")
    @classmethod
    def _own_group(cls, value: str) -> str:
        return _fits(value, MAX_NAME, "the name of their group")

    @model_validator(mode="after")
    def _own_group_named(self) -> Stakeholder:
        if self.group == OWN_GROUP and not self.own_group.strip():
            raise ValueError(f"please say which group “{self.label}” belongs to, or choose one from the list")
        return self


class MissingVoice(Strict):
    """Someone who is not in the room: why, and one step that could bring them in."""

    label: str
    reasons: list[str] = Field(default_factory=list, max_length=30)
    own_reason: str = ""
    step: str = ""

    @field_validator("label")
    @classmethod
    def _label(cls, value: str) -> str:
        return _short_name(value, "missing voice")

    @field_validator("own_reason", "step")
    @classmethod
    def _text(cls, value: str, info: ValidationInfo) -> str:
        return _fits(value, MAX_TEXT, "the reason" if info.field_name == "own_reason" else "the step")


class DecisionSay(Strict):
    """For one decision: how much say each group has (group id -> say level id)."""

    decision: str = Field(pattern=SLUG, max_length=60)
    label: str = Field(min_length=1)
    says: dict[str, str] = Field(default_factory=dict)

    @field_validator("label")
    @classmethod
    def _label(cls, value: str) -> str:
        return _fits(value, MAX_DECISION, "the decision")


class Reflection(Strict):
    power_types: list[str] = Field(default_factory=list)
    power_note: str = Field(default="", max_length=MAX_TEXT)
    spaces: list[str] = Field(default_factory=list)
    space_note: str = Field(default="", max_length=MAX_TEXT)
    change: str = Field(default="", max_length=MAX_TEXT)


class PowerMap(ToolBody):
    """One team's power map of one project at one moment, as stored in a record's body."""

    kind: Literal["power-map"] = "power-map"
    version: Literal[1] = BODY_VERSION
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    missing: list[MissingVoice] = Field(default_factory=list)
    decisions: list[DecisionSay] = Field(default_factory=list)
    reflection: Reflection = Field(default_factory=Reflection)

    @field_validator("stakeholders", "missing")
    @classmethod
    def _names_unique(cls, items: list, info: ValidationInfo) -> list:
        most, what = (MAX_STAKEHOLDERS, "people and groups") if info.field_name == "stakeholders" else (MAX_MISSING,
                                                                                                         "missing voices")
        if len(items) > most:
            raise ValueError(f"a map can hold up to {most:,} {what}; please remove one before you add another")
        seen: set[str] = set()
        for item in items:
            key = item.label.casefold()
            if key in seen:
                raise ValueError(f"“{item.label}” is on the list twice; please use a different name for each")
            seen.add(key)
        return items

    @field_validator("decisions")
    @classmethod
    def _decisions_unique(cls, decisions: list[DecisionSay]) -> list[DecisionSay]:
        if len(decisions) > MAX_DECISIONS:
            raise ValueError(f"a map can hold up to {MAX_DECISIONS} decisions; please use one already there")
        once_each([decision.decision for decision in decisions], "each decision may appear only once")
        return decisions

    def check_against(self, vocabulary: PowerMapVocabulary) -> PowerMap:
        """Refuse groups, steps, reasons and levels that the card does not have."""
        groups = {group.id for group in vocabulary.groups} | {OWN_GROUP}
        for item in self.stakeholders:
            if item.influence > len(vocabulary.influence) or item.involvement > len(vocabulary.involvement):
                raise ValueError(f"“{item.label}” is placed beyond the end of a scale on the card '{self.card}'")
        for stakeholder in self.stakeholders:
            if stakeholder.group not in groups:
                raise ValueError(f"“{stakeholder.label}” is in a group ('{stakeholder.group}') the card does not have")
        reasons = {reason.id for reason in vocabulary.missing_reasons}
        for voice in self.missing:
            if not set(voice.reasons) <= reasons:
                raise ValueError(f"a reason given for “{voice.label}” is not one the card has")
        levels = {level.id for level in vocabulary.say_levels}
        for decision in self.decisions:
            if not set(decision.says.values()) <= levels:
                raise ValueError(f"a level of say for “{decision.label}” is not one the card has")
        if not set(self.reflection.power_types) <= {term.id for term in vocabulary.power_types}:
            raise ValueError("a kind of power chosen is not one the card has")
        if not set(self.reflection.spaces) <= {term.id for term in vocabulary.spaces}:
            raise ValueError("a kind of space chosen is not one the card has")
        return self

    # -- editing: each returns a new map, its changed part checked ---------------
    @classmethod
    def started(cls, card: str, project: str) -> PowerMap:
        """An empty map of a project, whatever its name's length (Save checks that, never opening a page)."""
        return cls(card=card, project=STAND_IN).model_copy(update={"project": project})

    def _with(self, **parts: list[dict]) -> PowerMap:
        """A copy with these parts changed, each checked as a saved map checks it. The project's name and the
        notes are left to Save, so a name still too long never stops a person placing someone on the map."""
        checked = PowerMap.model_validate({"card": self.card, "project": STAND_IN, **parts})
        return self.model_copy(update={name: getattr(checked, name) for name in parts})

    def with_stakeholder(self, stakeholder: Stakeholder, replacing: int | None = None) -> PowerMap:
        people = list(self.stakeholders)
        if replacing is None:
            people.append(stakeholder)
        else:
            people[replacing] = stakeholder
        return self._with(stakeholders=[p.model_dump() for p in people])

    def without_stakeholder(self, index: int) -> PowerMap:
        return self.model_copy(update={"stakeholders": [p for i, p in enumerate(self.stakeholders) if i != index]})

    def with_missing(self, voice: MissingVoice) -> PowerMap:
        return self._with(missing=[v.model_dump() for v in self.missing] + [voice.model_dump()])

    def without_missing(self, index: int) -> PowerMap:
        return self.model_copy(update={"missing": [v for i, v in enumerate(self.missing) if i != index]})

    def with_say(self, decision_id: str, label: str, group: str, level: str) -> PowerMap:
        """Record one group's say in one decision ('' clears it)."""
        decisions = {d.decision: d for d in self.decisions}
        current = decisions.get(decision_id, DecisionSay(decision=decision_id, label=label))
        says = {**current.says, group: level} if level else {k: v for k, v in current.says.items() if k != group}
        decisions[decision_id] = current.model_copy(update={"says": says})
        return self._with(decisions=[d.model_dump() for d in decisions.values()])

    def groups_in_use(self, vocabulary: PowerMapVocabulary) -> list[tuple[str, str]]:
        """(id, words) of every group on the map, card order first, then groups people named."""
        used = {s.group for s in self.stakeholders}
        found = [(g.id, g.label) for g in vocabulary.groups if g.id in used or g.id in vocabulary.lived_experience_groups]
        own = sorted({s.own_group.strip() for s in self.stakeholders if s.group == OWN_GROUP})
        return found + [(own_group_key(name), name) for name in own]

    def missing_rows(self, vocabulary: PowerMapVocabulary) -> list[list[str]]:
        """Who is missing, why, and one step: the list beside the map."""
        rows = []
        for voice in self.missing:
            reasons = [vocabulary.words("missing_reasons", r, r) for r in voice.reasons]
            reasons += [voice.own_reason] if voice.own_reason else []
            rows.append([voice.label, "; ".join(reasons) or "No reason given", voice.step or "No step written yet"])
        return rows

    def decision_options(self, vocabulary: PowerMapVocabulary) -> list[tuple[str, str]]:
        """(words, id) of every decision to choose from: the card's, then the team's own."""
        own = [(d.label, d.decision) for d in self.decisions if d.decision.startswith(OWN_DECISION)]
        return [(d.label, d.id) for d in vocabulary.decisions] + own

    def decision_label(self, decision_id: str, vocabulary: PowerMapVocabulary) -> str:
        own = next((d.label for d in self.decisions if d.decision == decision_id), "")
        return vocabulary.words("decisions", decision_id, own or decision_id)

    def group_words(self, stakeholder: Stakeholder, vocabulary: PowerMapVocabulary) -> str:
        if stakeholder.group == OWN_GROUP:
            return stakeholder.own_group.strip()
        return vocabulary.words("groups", stakeholder.group, stakeholder.group)


def own_group_key(name: str) -> str:
    """A decision-map key for a group people named themselves."""
    return "own:" + tidy(name).casefold()


def own_decision_id(taken: list[str]) -> str:
    """An id for a decision a team adds, unique among those already there."""
    number = 1
    while f"{OWN_DECISION}{number}" in taken:
        number += 1
    return f"{OWN_DECISION}{number}"


def check_body(body: dict, vocabularies: dict[str, PowerMapVocabulary]) -> PowerMap:
    """Validate a stored or uploaded body against the power map card it names."""
    return checked_body(PowerMap, body, vocabularies, "power map card", BODY_VERSION, MIGRATIONS)


def kept_map(body: dict, vocabularies: dict[str, PowerMapVocabulary]) -> PowerMap:
    """A working map kept as a draft, with its project's name and notes as typed, however long (a draft keeps
    every word, and must never stop the page opening; Save checks their length). The rest is checked as
    a saved map is, and a map that fails that check is refused (ValueError)."""
    project, notes = body.get("project"), body.get("reflection")
    if not isinstance(project, str) or not project.strip():
        raise ValueError("it names no project")
    checked = check_body({**body, "project": STAND_IN, "reflection": {}}, vocabularies)
    return checked.model_copy(update={"project": project.strip(),
                                      "reflection": typed_reflection(notes, vocabularies[checked.card])})


def typed_reflection(notes: object, vocabulary: PowerMapVocabulary) -> Reflection:
    """Notes as they were typed, of any length (Save checks it); kinds of power or space the card lacks are left out."""
    kept = notes if isinstance(notes, dict) else {}

    def words(name: str) -> str:
        value = kept.get(name)
        return value if isinstance(value, str) else ""

    def ticked(name: str, terms: list[Term]) -> list[str]:
        value = kept.get(name)
        return [term.id for term in terms if term.id in value] if isinstance(value, list) else []

    return Reflection.model_construct(
        power_types=ticked("power_types", vocabulary.power_types), power_note=words("power_note"),
        spaces=ticked("spaces", vocabulary.spaces), space_note=words("space_note"), change=words("change"))
