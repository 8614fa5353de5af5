"""Exercise cards: YAML files that hold an exercise's words, scales and prompts.

Facilitators edit cards, not code, so a bad card must say which file, which line and
which field is wrong, in plain words. The checks themselves are pydantic models: each
tool declares the shape of its own vocabulary and this module supplies the rest.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cofacilitate.problems import clause
from cofacilitate.problems import plain_problem as plain_problem  # where every tool has always found it
from cofacilitate.problems import problem_sentence as problem_sentence

PACKAGE_DIR = Path(__file__).resolve().parent
SLUG = r"^[a-z0-9][a-z0-9-]*$"


class CardError(ValueError):
    """A card that cannot be used, with a message a facilitator can act on."""


class Strict(BaseModel):
    """Base for every card part: unknown keys are typos, so they are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Term(Strict):
    """One named thing in a card's vocabulary: an id for the data, words for people."""

    id: str = Field(pattern=SLUG, max_length=60)
    label: str = Field(min_length=1, max_length=120)
    meaning: str = Field(default="", max_length=600)


V = TypeVar("V", bound=BaseModel)
TermT = TypeVar("TermT", bound=Term)


class Card(Strict, Generic[V]):
    """The parts every card shares; `vocabulary` is the tool's own."""

    id: str = Field(pattern=SLUG, max_length=60)
    tool: str = Field(pattern=SLUG, max_length=40)
    title: str = Field(min_length=1, max_length=120)
    purpose: str = Field(min_length=1, max_length=1000)
    duration_minutes: int = Field(ge=1, le=600)
    source: str = Field(min_length=1, max_length=1000)
    adapted: bool = False
    instructions: str = Field(min_length=1, max_length=4000)
    vocabulary: V


def default_cards_dir() -> Path:
    """The shipped cards: inside the installed package, else the repository's folder."""
    override = os.environ.get("COFACILITATE_CARDS")
    if override:
        return Path(override)
    installed = PACKAGE_DIR / "exercises"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / "exercises"


# libyaml's loader (in PyYAML's wheels) reads our cards about ten times faster than the pure-Python one, and
# every page reads every card as it opens; the pure-Python loader stands in where libyaml is missing.
FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def card_paths(tool: str, folder: Path | None = None) -> list[Path]:
    """Card files in `folder` written for `tool`, in file-name order."""
    found = []
    for path in sorted((folder or default_cards_dir()).glob("*.yaml")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        try:
            data = yaml.load(text, Loader=FAST_LOADER)
        except yaml.YAMLError:  # still listed, so load_card can say what is wrong with it
            data = {"tool": tool} if re.search(rf"^tool:\s*['\"]?{re.escape(tool)}['\"]?\s*(#.*)?$", text, re.M) else None
        if isinstance(data, dict) and data.get("tool") == tool:
            found.append(path)
    return found


# What YAML says when a file is laid out wrongly -> what a facilitator can do about it.
YAML_WORDS = {
    "found character that cannot start any token": "this line starts with a mark such as @ or `. Put its words in quotes",
    "could not find expected ':'": "this line is missing a colon (:) after its field's name",
    "mapping values are not allowed in this context": "this line has a second colon (:), or it is pushed in too far. "
                                                      "If the words have a colon in them, put them in quotes",
    "did not find expected key": "something on this line is out of place. It may not line up with the lines around "
                                 "it, or have words after a closing quote",
    "did not find expected '-' indicator": "this line does not line up with the list it is in",
    "found unexpected end of stream": "a quote mark starts here and is never closed",
}


def layout_problem(text: str, err: yaml.MarkedYAMLError) -> str:
    """Where and what YAML could not read, in words a facilitator can act on (YAML's own are a programmer's)."""
    mark = err.problem_mark
    if err.context_mark is not None and (err.problem == "could not find expected ':'" or "quoted scalar" in str(err.context)):
        mark = err.context_mark  # the line that lacks the colon, or opens the quote, not where YAML gave up
    if mark is None:
        return f": {err.problem}"
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    if "\t" in line[:len(line) - len(line.lstrip())]:
        words = "this line starts with a tab instead of spaces. Please use spaces"
    else:
        words = YAML_WORDS.get(str(err.problem), f"YAML says: {err.problem}. Common causes are a tab instead of spaces, "
                                                  "or a missing colon or quote")
    return f" on line {mark.line + 1}, column {mark.column + 1}: {words}"


def read_yaml(path: Path, what: str = "card") -> tuple[str, dict[str, Any]]:
    """A YAML file's text and its top level (a mapping); CardError names the file and line that cannot be read.

    `what` is what a facilitator calls the file ("card", "session file"), for the messages."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CardError(f"The {what} {path} could not be read: {err}.") from err
    try:
        data = yaml.load(text, Loader=FAST_LOADER)
    except yaml.MarkedYAMLError as err:
        raise CardError(f"The {what} {path} is not laid out as YAML can read{layout_problem(text, err)}.") from err
    if not isinstance(data, dict):
        raise CardError(f"The {what} {path} should be a list of 'name: value' lines, but it is not.")
    return text, data


M = TypeVar("M", bound=BaseModel)


def checked(path: Path, text: str, data: dict[str, Any], model: type[M], what: str = "card") -> M:
    """`data` as `model`; CardError lists every problem with its line, found by reading the text again only then."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise CardError(explain(path, yaml.compose(text, Loader=FAST_LOADER), err, what)) from err


def load_card(path: Path, vocabulary: type[V]) -> Card[V]:
    """Read and check one card; any problem raises CardError naming file, line and field."""
    text, data = read_yaml(path)
    # pydantic parametrises the generic model with a class known only at run time.
    return checked(path, text, data, Card[vocabulary])  # type: ignore[valid-type]


def explain(path: Path, tree: yaml.Node | None, err: ValidationError, what: str = "card") -> str:
    """Turn pydantic's findings into sentences that point at lines of the file."""
    lines = [f"The {what} {path} has {err.error_count()} problem(s):"]
    for problem in err.errors(include_url=False):
        location = [part for part in problem["loc"] if part != "function-after"]
        field = " > ".join(str(part) for part in location) or f"(the whole {what})"
        line = line_of(tree, location)
        message = clause(problem, "it")
        if problem["type"] == "missing":
            message = "this field is missing"
        elif problem["type"] == "extra_forbidden":
            message = f"this field is not one the {what} understands (check the spelling)"
        found = problem.get("input")
        hide = problem["type"] == "missing" or isinstance(found, (dict, list))
        if problem["type"] == "string_pattern_mismatch" and (problem.get("ctx") or {}).get("pattern") == SLUG:
            message = ("an id can have only small letters (a to z), numbers and dashes (-), with no spaces. "
                       f"For example: '{as_id(str(found))}'")
        elif problem["type"] == "string_type" and found is None:  # "title:" with nothing after it, or only a # note
            message, hide = "it is empty", True
        elif problem["type"] == "string_type" and isinstance(found, (bool, int, float)):  # label: 3, or label: No
            kind, example = ("yes or no", "Yes") if isinstance(found, bool) else ("a number", found)
            message, hide = f'it needs words, but it is read as {kind}. Please put it in quotes, like this: "{example}"', True
        shown = "" if hide else f" (found {found!r})"
        lines.append(f"- line {line}, field '{field}': {message}{shown}")
    return "\n".join(lines)


def as_id(text: str) -> str:
    """`text` as an id could be written: small letters, numbers and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "my-card"


def line_of(node: yaml.Node | None, location: list[Any]) -> int:
    """The line (1-based) of the deepest YAML node on `location` that exists."""
    line = 1 if node is None else node.start_mark.line + 1
    for part in location:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value if key.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def unique_ids(terms: list[TermT], what: str) -> list[TermT]:
    """Shared check for vocabularies: ids are how records refer to terms, so no repeats."""
    seen: set[str] = set()
    for position, term in enumerate(terms, start=1):
        if term.id in seen:
            raise ValueError(f"{what} number {position} repeats the id '{term.id}'; each id must be different")
        seen.add(term.id)
    return terms


def once_each(keys: list[str], refusal: str) -> None:
    """Shared check for saved bodies: a key listed twice would let one of its items hide the other."""
    if len(keys) != len(set(keys)):
        raise ValueError(refusal)


def first_unknown(chosen: Iterable[str], known: Iterable[str]) -> str:
    """The first chosen id (in sorted order, so the refusal is always the same) a card lacks; "" if none."""
    return min(set(chosen) - set(known), default="")


def answered_once(keys: list[str], what: str) -> None:
    """One answer per question (or stage), so no answer hides another."""
    once_each(keys, f"each {what} may be answered only once")


def load_cards(tool: str, vocabulary: type[V], folder: Path | None = None) -> tuple[dict[str, Card[V]], list[str]]:
    """Every good card for a tool, plus a plain message for each card that could not be used."""
    cards: dict[str, Card[V]] = {}
    problems: list[str] = []
    for path in card_paths(tool, folder):
        try:
            card = load_card(path, vocabulary)
        except CardError as err:
            problems.append(str(err))
            continue
        if card.id in cards:
            problems.append(f"The card {path} uses the id '{card.id}', which another card already uses; it was left out.")
            continue
        cards[card.id] = card
    # The card named after its tool is the usual one, so it comes first.
    ordered = sorted(cards.values(), key=lambda card: (card.id != tool, card.title.lower()))
    return {card.id: card for card in ordered}, problems


def vocabulary_of(tool_id: str) -> type[BaseModel]:
    """The vocabulary model a tool's cards use (from the registry; a model module, so no widgets come with it)."""
    from importlib import import_module

    from cofacilitate.tools import tool

    module, name = tool(tool_id).vocabulary.split(":")
    found: type[BaseModel] = getattr(import_module(module), name)
    return found


def check_card_file(path: Path) -> Card[Any]:
    """Any one card, whatever tool it is for: the tool it names must exist, then its vocabulary is checked."""
    from cofacilitate.tools import TOOLS

    text, data = read_yaml(path)
    tools = [info.id for info in TOOLS]
    if data.get("tool") not in tools:
        found = data.get("tool")
        line = line_of(yaml.compose(text, Loader=FAST_LOADER), ["tool"])
        said = "this field is missing" if found is None else f"there is no exercise called {found!r}"
        raise CardError(f"The card {path} has 1 problem(s):\n- line {line}, field 'tool': {said}. "
                        f"It must be one of: {', '.join(tools)}.")
    return checked(path, text, data, Card[vocabulary_of(str(data["tool"]))])  # type: ignore[misc,arg-type]


@dataclass(frozen=True)
class Catalogue:
    """Every usable card in a folder, by id, and a plain message for each file that could not be used."""

    cards: dict[str, Card[Any]]
    problems: list[str]
    paths: dict[str, Path]

    def card(self, card_id: str) -> Card[Any] | None:
        return self.cards.get(card_id)


def catalogue(folder: Path | None = None) -> Catalogue:
    """All cards of all tools in `folder` (the shipped ones by default), in file-name order; ids are unique."""
    cards: dict[str, Card[Any]] = {}
    paths: dict[str, Path] = {}
    problems: list[str] = []
    for path in sorted((folder or default_cards_dir()).glob("*.yaml")):
        try:
            card = check_card_file(path)
        except CardError as err:
            problems.append(str(err))
            continue
        if card.id in cards:
            problems.append(f"The card {path} uses the id '{card.id}', which {paths[card.id].name} already uses; "
                            "it was left out.")
            continue
        cards[card.id], paths[card.id] = card, path
    return Catalogue(cards, problems, paths)
