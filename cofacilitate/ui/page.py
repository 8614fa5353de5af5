"""The page every tool shares: who is on it, which room, its cards, saved list, Save and files.

`show(tool_id)` is all a workbook calls. It opens the workspace, works out the person
and the room from the page's address (else the usual person at this computer), and hands
the tool one `Context`. A tool never opens the store itself and never guesses who is on
the page; it subclasses `ToolPage` and adds its own sections.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any, Generic, TypeVar

import ipywidgets as widgets
from pydantic import BaseModel

from cofacilitate.cards import Card, CardError, load_cards
from cofacilitate.failures import log_failure
from cofacilitate.snapshots import AboutAProject, Saved, Shelf, of_project, project_name, projects, shelve
from cofacilitate.store import (
    LOG_FILE,
    ImportReport,
    Owner,
    Person,
    Record,
    Workspace,
    WorkspaceError,
    configure_log,
    default_home,
)
from cofacilitate.store.rooms import SharedPart
from cofacilitate.tools import ToolInfo, tool
from cofacilitate.ui.address import address
from cofacilitate.ui.drafts import DraftKeeper, SaveSlot, draft_key
from cofacilitate.ui.fields import (
    FULL_WIDTH,
    button,
    card_intro_html,
    choice,
    contents_html,
    html,
    over_limit,
    project_field,
    retire,
    saved_list_html,
    sections_in,
    shorten_first,
    widgets_in,
)
from cofacilitate.ui.files import DownloadFile, FilesPanel
from cofacilitate.ui.messages import Feedback, problem_note, storage_notice, support_note
from cofacilitate.ui.person import ROLES_FOR_A_GROUP, PersonBar

NAME_DRAFT = "about-you/name"
DRAFTS_SET_ASIDE = ("Some of what you were writing last time could not be put back on this page, so the page "
                    "starts from your saved answers. Nothing was deleted.")
NOT_KEPT_EITHER = ("Your answers could not be saved just now, and we could not keep a draft of them either. "
                   "They are still on screen, so please leave this page open and try Save again in a moment. "
                   "If it keeps happening, please tell the person running the session. "
                   "The computer may be full, or the place that keeps answers may have stopped.")

V = TypeVar("V", bound=BaseModel)
T = TypeVar("T", bound=AboutAProject)


@dataclass(frozen=True)
class RoomSetting:
    """A tool's page inside a workshop room: the room's own project, the tool's first card, and none
    of a person's own charts or files (a participant's kernel stays light: the room's results come
    from the dashboard), and no hand-over (on a room's server each device is its own person). The
    room's page says once, above every exercise, where answers go and where support is."""

    project: str
    groups: tuple[str, ...] = ()  # groups the facilitator asks everyone to place on the power map
    card: str = ""  # the card the room's session uses for this tool ("" : the tool's first card)


@dataclass
class Context:
    """Everything a tool's page gets from the kit, scoped to one person in one room."""

    store: Workspace
    person: Person
    room: str
    tool: ToolInfo
    feedback: Feedback
    drafts: DraftKeeper
    start_someone_new: Callable[[], None]
    greeting: str = ""  # said in the person's box as the page opens (after "start as someone new")
    come_back: Callable[[Person], None] | None = None  # the page of someone who typed their return code
    setting: RoomSetting | None = None  # set on a workshop room's pages
    card: str = ""  # a session's card for this page: used as it opens, with no choice of another

    @property
    def owner(self) -> Owner:
        return Owner(self.person.id, self.room)

    def records(self) -> list[Record]:
        """This person's own records of this tool, in this room."""
        return self.store.records(self.tool.id, self.owner)


class ToolPage(widgets.VBox, Generic[V, T]):
    """The skeleton of every tool's page. A tool sets the class words below, adds its sections,
    and says how to check a body (`check`) and how to list a saved item (`entry`)."""

    vocabulary_type: type[V]
    card_question = "Which version of this exercise would you like to use?"
    project_question = "Which project are you thinking about?"
    saved_what = "answers"
    save_words = "Save my answers"
    shows_one_project = True  # the page shows one project at a time (a diary lists every entry instead)
    roles_sentence = ROLES_FOR_A_GROUP  # why the person's box asks for roles, in this tool
    save_problem = ("Your answers could not be saved just now. They are still on screen and kept as a draft. "
                    "Please try Save again in a moment.")

    def __init__(self, ctx: Context) -> None:
        super().__init__(layout=FULL_WIDTH)
        self.ctx, self.feedback, self.drafts = ctx, ctx.feedback, ctx.drafts
        self.cards, problems = load_cards(ctx.tool.id, self.vocabulary_type)
        if not self.cards:
            raise CardError(f"No card for “{ctx.tool.title}” could be used, so this page cannot open.\n" + "\n".join(problems))
        self.vocabularies = {card_id: card.vocabulary for card_id, card in self.cards.items()}
        guard = self.feedback.guard
        self.in_room = ctx.setting is not None
        self.person_bar = PersonBar(ctx.store, ctx.person, ctx.start_someone_new, room=ctx.room, come_back=ctx.come_back,
                                    roles_sentence=self.roles_sentence, hand_over=not self.in_room)
        self.drafts.keep(NAME_DRAFT, self.person_bar.pseudonym)  # only while it is too long to keep as the name
        self.person_bar.on_saved.append(lambda fits: self.name_saved() if fits else None)
        if ctx.greeting:
            self.person_bar.feedback.say(ctx.greeting, "done")
        fixed_card = ctx.setting.card if ctx.setting else ctx.card
        fixed_card = fixed_card if fixed_card in self.cards else (next(iter(self.cards)) if ctx.setting else "")
        self.card_choice = choice(self.card_question, [(c.title, c.id) for c in self.cards.values()], css="cofa-card-choice")
        if fixed_card:  # a room or a session chose the card: no choice shown, and none kept as a draft
            self.card_choice.value = fixed_card
        else:
            self.drafts.keep("card", self.card_choice)
        self.card_view = html("", "cofa-card")
        self.card_view.value = self.card_html(self.card)
        self.contents = html("", "cofa-contents-box")
        said_by_the_room = [] if self.in_room else [storage_notice(str(ctx.store.home), ctx.store.database_name),
                                                     support_note()]
        self.top = [*said_by_the_room, *[problem_note(p) for p in problems],
                    *([self.card_choice] if len(self.cards) > 1 and not fixed_card else []), self.card_view, self.contents,
                    self.person_bar]
        self.project = self.drafts.keep("project", project_field(self.project_question))
        if ctx.setting:
            self.project.value, self.project.disabled = ctx.setting.project, True
            self.add_class("cofa-in-room")
        self.saved_list = html("", "cofa-history")
        self.slot = SaveSlot()
        self.drafts.on_change.append(self.slot.changed)
        self.save_button = button(self.save_words, "cofa-save", primary=True)
        self.files = FilesPanel(ctx.store, ctx.tool.id, ctx.owner, self.check, self.other_files,
                                self.after_restore, lambda record: self.readable(record))
        self.card_choice.observe(guard(lambda _: self.card_changed()), names="value")
        self.project.observe(guard(lambda _: self.show_saved_list()), names="value")
        save = guard(self.save_if_it_fits, problem=lambda: self.save_problem if self.drafts.all_kept else NOT_KEPT_EITHER)
        self.save_button.on_click(lambda _: save())

    def name_saved(self) -> None:
        """The name is kept with the person now: its draft is not needed."""
        self.drafts.flush()
        self.drafts.forget({NAME_DRAFT: self.person_bar.pseudonym.value})

    def refresh_contents(self) -> None:
        """The list of this page's sections at its top (the kit calls it once the page is built)."""
        self.contents.value = contents_html(sections_in(self))

    def personal(self, *parts: widgets.Widget) -> list[widgets.Widget]:
        """Parts a page shows only outside a room (a person's own charts and files); in a room, none."""
        return [] if self.in_room else list(parts)

    def owned_widgets(self) -> list[widgets.Widget]:
        """Everything the page keeps, shown or kept aside (a question not asked yet), for `ui.retire`."""
        return widgets_in(self)

    # -- what each tool says ---------------------------------------------------
    def check(self, body: dict[str, Any]) -> T:
        """Validate a stored or uploaded body against the card it names (the tool's model)."""
        raise NotImplementedError

    def entry(self, saved: Saved[T]) -> str:
        """One line of the saved list."""
        raise NotImplementedError

    def save(self) -> None:
        raise NotImplementedError

    def card_html(self, card: Card[V]) -> str:
        return card_intro_html(card)

    def card_changed(self) -> None:
        """Another card was chosen: the tool redraws what depends on it."""
        self.card_view.value = self.card_html(self.card)

    def readable(self, record: Record) -> Record:
        """A record as the person's files should hold it (a locked tool opens it here)."""
        return record

    def restored(self) -> None:
        """A file was restored: show what it brought (a tool redraws more than the saved list)."""
        self.show_saved_list()

    def after_restore(self, report: ImportReport) -> str:
        """Show what a restore brought back: its project, if the page showed another. Says where, in words."""
        about = [name for name in report.projects if name]
        moved = ""
        if self.shows_one_project and about and self.project_name() not in about:
            self.project.value = about[-1]
            moved = f"The page now shows “{about[-1]}”."
            if len(about) > 1:
                moved += " Choose another project in “" + self.project_question + "” to see the rest."
        self.restored()
        return moved

    def other_files(self) -> list[DownloadFile]:
        """The tool's files beside the response card (a spreadsheet, a picture)."""
        return []

    # -- what the kit does for every tool --------------------------------------
    def save_if_it_fits(self) -> None:
        """Save, unless a box holds more than it can keep: then say which, and keep every word."""
        too_long = over_limit(self)
        if too_long:
            self.feedback.say(f"{shorten_first(too_long[0])} Everything you wrote is still on screen and kept as a draft.",
                              "problem")
            return
        self.save()

    @property
    def card(self) -> Card[V]:
        return self.cards[self.card_choice.value]

    def project_name(self) -> str:
        return project_name(self.project.value)

    def shelf(self) -> Shelf[T]:
        return shelve(self.ctx.records(), self.check)

    def of_project(self, card: str | None = None) -> list[Saved[T]]:
        return of_project(self.shelf().items, self.project_name(), card)

    def show_saved_list(self) -> None:
        shelf = self.shelf()
        self.project.options = projects(shelf.items)
        entries = [self.entry(saved) for saved in of_project(shelf.items, self.project_name())]
        self.saved_list.value = saved_list_html(self.project_name(), self.saved_what, entries, shelf.unreadable)

    def greet(self) -> None:
        if self.words_brought_back():
            self.welcome("Welcome back. We brought back what you were writing last time.")

    def project_key(self, *parts: str) -> str:
        """A draft's key: the project and card it belongs to, then its own parts (a question, a field)."""
        return draft_key(self.project_name(), self.card.id, *parts)

    def welcome(self, text: str) -> None:
        """What the page says as it opens, near its top in the person's box (not far down by Save)."""
        self.person_bar.feedback.say(text)

    def words_brought_back(self) -> bool:
        """Whether the page put back words the person was writing (not only which card, project or name)."""
        return bool(self.drafts.brought_back - {"card", "project", NAME_DRAFT})

    def store_body(self, body: dict[str, Any], record_id: str) -> Record:
        """Store a body as this person's record, under the name and roles in their box (saved first)."""
        self.person_bar.save()
        person = self.person_bar.person()
        return self.ctx.store.save_record(self.ctx.tool.id, body, owner=self.ctx.owner, record_id=record_id,
                                          participant=person.pseudonym, roles=person.roles,
                                          shared=self.shared_part(body, person.pseudonym))

    def shared_part(self, body: dict[str, Any], pseudonym: str) -> SharedPart | None:
        """What of a body the group may read (kept beside it); None for a tool whose answers are only the person's."""
        return None

    def keep_record(self, body: dict[str, Any], drafts_saved: Mapping[str, Any]) -> Record:
        """Save the form as this person's record (one record per form, however often Save is pressed),
        then drop only the drafts that hold what was saved."""
        self.drafts.flush()
        record = self.store_body(body, self.slot.take())
        self.drafts.forget(drafts_saved)
        self.show_saved_list()
        return record


class Shell(widgets.VBox):
    """Holds one tool's page for one person; "start as someone new" swaps in an empty page."""

    def __init__(self, store: Workspace, info: ToolInfo, person: Person, room: str = "",
                 setting: RoomSetting | None = None, card: str = "") -> None:
        """`card`: a session's card for this tool, used with no choice of another."""
        super().__init__(layout=FULL_WIDTH)
        self.store, self.info, self.person, self.room, self.setting, self.card = store, info, person, room, setting, card
        self.page_class = page_class(info)
        self.drafts: DraftKeeper | None = None
        self.shown: widgets.Widget | None = None
        self.open_page()

    @property
    def page(self) -> widgets.Widget:
        return self.children[0]

    def open_page(self, greeting: str = "") -> None:
        """The person's page with their drafts; if a draft stops it from opening, the page without them."""
        try:
            page = self.build_page(greeting, bring_back=True)
        except (CardError, WorkspaceError):
            raise
        except Exception as err:  # a draft the page cannot use: it stays in the store, and the page opens
            log_failure(f"opening {self.info.id} with its drafts", err)
            page = self.build_page(greeting or DRAFTS_SET_ASIDE, bring_back=False)
        if isinstance(page, ToolPage):
            page.refresh_contents()
        replaced, self.shown = self.shown, page
        self.children = [self.shown]
        if replaced is not None:
            retire(replaced)  # the last person's page and words leave the kernel and the browser

    def build_page(self, greeting: str, *, bring_back: bool) -> widgets.Widget:
        feedback = Feedback()
        self.drafts = DraftKeeper(self.store, self.info.id, Owner(self.person.id, self.room), feedback, bring_back=bring_back)
        ctx = Context(self.store, self.person, self.room, self.info, feedback, self.drafts, self.start_someone_new, greeting,
                      self.come_back, self.setting, self.card)
        return self.page_class(ctx)

    def start_someone_new(self) -> None:
        if self.drafts:
            self.drafts.flush()  # the last person's words are kept, for them
        self.person = self.store.new_person(self.room)
        self.open_page("You are starting as someone new. The last person's answers are saved and kept apart from yours.")

    def come_back(self, person: Person) -> None:
        """Someone typed their return code: their own page again (the store has made them the usual person)."""
        if self.drafts:
            self.drafts.flush()  # whoever was on the page keeps their words too
        self.person = person
        self.open_page("Welcome back. These are your own answers.")


def open_workspace(home: str | None = None) -> Workspace:
    """The log first, so a workspace that is refused is written down too (when its folder can hold a log)."""
    folder = Path(home) if home else default_home()
    with suppress(OSError, WorkspaceError):
        configure_log(_LogPlace(folder / LOG_FILE))
    return Workspace.open(folder)


@dataclass(frozen=True)
class _LogPlace:
    log_path: Path


def launch(build: Callable[[Workspace], widgets.Widget], home: str | None = None) -> widgets.Widget:
    """Open the workspace and build a page; if either fails, show why in plain words instead."""
    try:
        app = build(open_workspace(home))
    except (WorkspaceError, CardError) as err:
        app = problem_note(str(err))
    app.add_class("cofa-app")
    return app


def page_class(info: ToolInfo) -> Callable[[Context], widgets.Widget]:
    module, name = info.page.split(":")
    found: Callable[[Context], widgets.Widget] = getattr(import_module(module), name)
    return found


def for_visitor(store: Workspace, info: ToolInfo, card: str = "") -> Shell:
    """The page for whoever the address names, else for the usual person at this computer."""
    person_id, room = address()
    person = store.person_with_id(person_id, room) if person_id else store.current_person()
    return Shell(store, info, person, room, card=card)


def show(tool_id: str, home: str | None = None, card: str = "") -> widgets.Widget:
    """What a workbook calls: the tool's whole page for the person at it, or a plain message if it cannot open.

    `card`: a session workbook's card for this tool (the page then offers no other)."""
    info = tool(tool_id)
    return launch(lambda store: for_visitor(store, info, card), home)
