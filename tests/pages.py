"""Build tool pages in plain Python, as a page (re)load does, for widget-logic tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cofacilitate.store import Person, Workspace
from cofacilitate.tools import tool
from cofacilitate.ui.page import Shell


class Pages:
    """Opens pages of one tool on workspace folders, and closes every workspace afterwards."""

    def __init__(self, home: Path, tool_id: str) -> None:
        self.home, self.tool_id = home, tool_id
        self.opened: list[Workspace] = []

    def shell(self, folder: Path | None = None, person: Person | None = None, room: str = "") -> Shell:
        store = Workspace.open(folder or self.home)
        self.opened.append(store)
        return Shell(store, tool(self.tool_id), person or store.current_person(), room)

    def __call__(self, folder: Path | None = None, person: Person | None = None, room: str = "") -> Any:
        """A fresh page for the usual person (or the person given), as a reload shows it."""
        return self.shell(folder, person, room).page

    def close(self) -> None:
        for store in self.opened:
            store.close()


def pages(home: Path, tool_id: str) -> Iterator[Pages]:
    opened = Pages(home, tool_id)
    yield opened
    opened.close()
