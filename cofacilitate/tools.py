"""The tool registry: one line per tool feeds the landing page, the benchmarks and the tests.

Adding a tool means a card, a folder with the four layers (model, analysis, charts, app),
a workbook, and one line here. Nothing here imports a tool, so the landing page stays light.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ToolInfo:
    id: str  # the records' `tool` and the cards' `tool:`
    title: str
    sentence: str  # what a person does with it, for the landing page
    workbook: str  # the notebook in workbooks/ that shows it
    page: str  # "module:Class" of its page, imported only when the page opens
    vocabulary: str  # "module:Class" of its cards' vocabulary (a model module: no widgets), for checking any card
    in_rooms: bool = True  # whether a workshop room may switch it on (a private tool never enters a room)


@dataclass(frozen=True)
class RoomPageInfo:
    """A page of a workshop room (not of one tool): served by the room's own servers, never by `open`."""

    id: str
    title: str
    notebook: str  # in workbooks/room/
    who: str  # "participant" (the room's network) or "facilitator" (this computer only)


TOOLS: tuple[ToolInfo, ...] = (
    ToolInfo("ladder", "The ladder of co-production",
             "Look at each stage of a project: how much say do people with lived experience have now, and how much "
             "should they have? See the gap, and how it changes over time.",
             "ladder.ipynb", "cofacilitate.ladder.app:LadderPage",
             "cofacilitate.ladder.model:LadderVocabulary"),
    ToolInfo("powermap", "Power map",
             "Who has a say over which decisions, who is in the room, and who is missing, and why? Draw the map, "
             "then redraw it later to see power shift.",
             "power-map.ipynb", "cofacilitate.powermap.app:PowerMapPage",
             "cofacilitate.powermap.model:PowerMapVocabulary"),
    ToolInfo("agendas", "Naming our agendas",
             "Why is each of us here? Share what you choose, see what you have in common, then agree a purpose, "
             "ground rules and the words you use.",
             "agendas.ipynb", "cofacilitate.agendas.app:AgendasPage",
             "cofacilitate.agendas.model:AgendasVocabulary"),
    ToolInfo("diary", "My reflective diary",
             "A private place to think back on a meeting or a moment. Check in on how it was for you, and see "
             "what your notes are about over time. Only you can see it.",
             "diary.ipynb", "cofacilitate.diary.app:DiaryPage",
             "cofacilitate.diary.model:DiaryVocabulary", in_rooms=False),
)

# A tool's personal page is its workbook above; in a room, each switched-on tool's page is shown inside the
# participant page, and its results inside the dashboard.
ROOM_PAGES: tuple[RoomPageInfo, ...] = (
    RoomPageInfo("room-participant", "Joining a workshop room", "participant.ipynb", "participant"),
    RoomPageInfo("room-dashboard", "The facilitator's view of a room", "dashboard.ipynb", "facilitator"),
)


def tool(tool_id: str) -> ToolInfo:
    """The registered tool with this id; a KeyError names the ones there are."""
    for info in TOOLS:
        if info.id == tool_id:
            return info
    raise KeyError(f"no tool '{tool_id}'; the tools are {', '.join(t.id for t in TOOLS)}")
