"""What was wrong with a value, in our words: never a library's ("String should have at most 1000 characters").

pydantic checks every body, card and response card; its findings name fields by their
code names and say what a programmer would. These turn the first finding into a phrase
(for "... could not be used: <phrase>.") or a sentence that says what the person can do.
Our own checks (ValueError) already speak plainly: a message of theirs that starts with
"it" is about the field, so the field's words take its place.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

ANSWER = "the answer"
# A field's code name -> what a person calls it.
FIELD_WORDS: dict[str, str] = {
    "project": "the project's name", "participant": "the name", "pseudonym": "the name", "label": "the name",
    "own_group": "the group's name", "term": "the word", "created_at": "the time it was saved",
    "updated_at": "the time it was last changed", "exported_at": "the time it was downloaded", "on": "the date",
    "review_on": "the date to look again", "schema_version": "its version number", "version": "its version number",
    "id": "its id", "tool": "the exercise it belongs to", "card": "the name of its exercise card",
    "kind": "the kind of answers it holds", "body": "its set of answers", "roles": "the list of roles",
    "records": "the list of saved answers",
    "agreed_by": "the list of who agreed", "answers": "the list of answers", "rules": "the list of rules",
    "entries": "the list of words", "meanings": "the list of meanings", "stakeholders": "the map",
    "missing": "the list of who is missing", "decisions": "the list of decisions", "tags": "the list of tags",
    "format": "its kind", "took_out": "how much it took out of you", "safe": "how safe it felt", "occasion": "the occasion",
    "prompt_set": "the way of writing", "prompt": "the question", "stage": "the stage", "now": "the answer",
    "aim": "the answer", "group": "the group", "influence": "the place on the map", "involvement": "the place on the map",
    "entry": "the entry's id", "share": "who may see it", "based_on": "the version it started from",
    **dict.fromkeys(("text", "climb", "why_moved", "feelings", "step", "own_reason", "power_note", "space_note",
                     "change"), ANSWER),
}
# (list, field) -> words, where a field's name means something else inside that list.
IN_LIST_WORDS: dict[tuple[str, str], str] = {
    ("rules", "text"): "the rule", ("meanings", "text"): "the meaning", ("decisions", "label"): "the decision's name",
}
# A list's code name -> what one item of it is called.
ITEM_WORDS = {"roles": "a role", "agreed_by": "a name", "tags": "a tag", "chosen": "a choice", "answers": "an answer",
              "records": "a set of answers"}
SOMETHING = "one of its parts"
KIND_WORDS = {"string": "text", "int": "a whole number", "float": "a number", "bool": "yes or no", "list": "a list",
              "dict": "in the form this app writes", "model": "in the form this app writes"}
# What the person can do, after a sentence about a value of this kind.
ADVICE = {"string_too_long": "Please shorten it.", "too_long": "Please take some out.", "missing": "Please fill it in.",
          "string_too_short": "Please fill it in."}


def subject(location: tuple[int | str, ...]) -> str:
    """What a person calls the value at `location` ('the answer', 'a role', 'the project's name')."""
    names = [part for part in location if isinstance(part, str) and part != "function-after"]
    if not names:
        return SOMETHING
    if location and isinstance(location[-1], int):
        return ITEM_WORDS.get(names[-1], SOMETHING)
    if len(names) > 1 and (names[-2], names[-1]) in IN_LIST_WORDS:
        return IN_LIST_WORDS[(names[-2], names[-1])]
    return FIELD_WORDS.get(names[-1], SOMETHING)


def clause(problem: ErrorDetails, about: str) -> str:
    """What is wrong with one value, as a clause about it (`about` is 'the answer', say, or 'it')."""
    kind, limits = problem["type"], _limits(problem)
    if kind == "value_error":
        message = str(problem["msg"]).removeprefix("Value error, ")
        return about + message[2:] if message.startswith("it ") else message
    if kind == "string_too_long":
        return f"{about} is longer than the {limits['max_length']:,} characters it can hold"
    if kind == "string_too_short":
        least = limits.get("min_length", 1)
        return f"{about} is empty" if least <= 1 else f"{about} is shorter than the {least:,} characters it needs"
    if kind == "too_long":
        return f"{about} has more than the {limits['max_length']:,} items it can hold"
    if kind == "too_short":
        return f"{about} needs at least {limits['min_length']:,} items"
    if kind == "missing":
        return f"{about} is missing"
    if kind == "extra_forbidden":
        return f"{about} is not something this app knows (check the spelling)"
    if kind == "string_pattern_mismatch":
        return f"{about} is not written in a form this app can use"
    if kind in {"literal_error", "enum"}:
        return f"{about} is not one of the choices this app knows"
    bounds = {"less_than_equal": ("le", "more than {}, the most it can be"), "less_than": ("lt", "not less than {}"),
              "greater_than_equal": ("ge", "less than {}, the least it can be"), "greater_than": ("gt", "not more than {}")}
    if kind in bounds and bounds[kind][0] in limits:
        key, words = bounds[kind]
        return f"{about} is " + words.format(limits[key])
    if kind.endswith(("_type", "_parsing")) or kind == "int_from_float":
        return f"{about} is not {KIND_WORDS.get(kind.split('_')[0], 'the kind of value this app keeps there')}"
    return f"{about} is not something this app can use"


def _limits(problem: ErrorDetails) -> dict[str, Any]:
    return dict(problem.get("ctx") or {})


def _first(err: ValidationError) -> ErrorDetails:
    return err.errors(include_url=False)[0]


def _where(location: tuple[int | str, ...]) -> str:
    """Which set of answers in a response card, when the problem is inside one."""
    if len(location) > 2 and location[0] == "records" and isinstance(location[1], int):
        return f"in set of answers number {location[1] + 1}, "
    return ""


def plain_problem(err: Exception) -> str:
    """The first thing wrong, as one plain phrase, for messages such as "... could not be used: <phrase>."."""
    if isinstance(err, ValidationError):
        first = _first(err)
        return _where(first["loc"]) + clause(first, subject(first["loc"]))
    return str(err).removeprefix("Value error, ")


def problem_sentence(err: Exception) -> str:
    """The first problem as a sentence for the person at the form, with what they can do about it."""
    if isinstance(err, ValidationError):
        first = _first(err)
        said, advice = clause(first, subject(first["loc"])), ADVICE.get(first["type"], "")
    else:
        said, advice = str(err).removeprefix("Value error, "), ""
    sentence = said[:1].upper() + said[1:] + ("" if said.endswith(".") else ".")
    return f"{sentence} {advice}".strip()
