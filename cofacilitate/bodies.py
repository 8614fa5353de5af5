"""A saved record's body: its tool's own version, the way up from every earlier version,
and the difference between "wrong" and "not readable by this copy".

Pure Python and pydantic. A body from a newer app, or one made with a card this copy does
not have, is not wrong: it is kept untouched, listed as "could not be shown", and exported
again, so a person's backup always restores whole.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import Field
from typing_extensions import Self

from cofacilitate.cards import SLUG, Strict
from cofacilitate.snapshots import MAX_PROJECT

Migration = Callable[[dict[str, Any]], dict[str, Any]]


class NotReadableHere(ValueError):
    """A sound body this copy of the app cannot show; keep it, never drop it."""


class ToolBody(Strict):
    """The header every saved body starts with: what kind it is, its version, its card and project.

    Each tool's body subclasses this and narrows `kind` and `version` to its own (a Literal),
    so the stored JSON keeps the same keys in the same order as before the header was shared.
    """

    kind: str
    version: int
    card: str = Field(pattern=SLUG, max_length=60)
    project: str = Field(min_length=1, max_length=MAX_PROJECT)

    def check_against(self, vocabulary: Any) -> Self:
        """Refuse what the card does not have; a body the card does not shape has nothing to refuse."""
        return self


B = TypeVar("B", bound=ToolBody)


def upgrade(body: dict[str, Any], current: int, migrations: Mapping[int, Migration]) -> dict[str, Any]:
    """Bring a body up to `current`, one version at a time (`migrations[n]` takes n to n + 1)."""
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError("it has no version number this app understands")
    if version > current:
        raise NotReadableHere(f"it was saved by a newer version of the app (version {version} of its kind)")
    while version < current:
        body = {**migrations[version](body), "version": version + 1}
        version += 1
    return body


def checked_body(
    model: type[B], body: dict[str, Any], vocabularies: Mapping[str, Any], what: str,
    current: int, migrations: Mapping[int, Migration],
) -> B:
    """Upgrade, validate, then check a stored or uploaded body against the card it names."""
    item = model.model_validate(upgrade(body, current, migrations))
    vocabulary = vocabularies.get(item.card)
    if vocabulary is None:
        raise NotReadableHere(f"it was made with a {what} ('{item.card}') that this copy of the app does not have")
    return item.check_against(vocabulary)
