"""A workshop room's two real servers for the tests and the benchmarks: started as `cofacilitate workshop` starts them.

`RoomServers` makes the room in a workspace under the folder it is given (`rooms.open_room`, so
the codes are real), starts the participant server (cofacilitate.workshop.server) on a free port
and, unless asked not to, the dashboard server (tests.harness.VoilaServer on the dashboard
notebook, which is exactly `open`'s server), waits until both answer, and stops both. Nothing
here is a pytest fixture, so the benchmarks use it as plain Python. psutil is imported only where
kernels are looked at. With `database_url` the room's store is that PostgreSQL database: the servers get it in
COFACILITATE_DATABASE_URL, as `cofacilitate workshop --database-url` gives it to them, and `open_store()` reads it.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cofacilitate.cli import stop_voila, wait_until_serving
from cofacilitate.people import ROLES
from cofacilitate.sessions.plan import Session
from cofacilitate.store import Workspace
from cofacilitate.store.home import DATABASE_URL_VARIABLE
from cofacilitate.workshop import server
from cofacilitate.workshop.rooms import ROOM_TOOLS, RoomKeys, open_room, room_home, room_id_for
from tests.harness import Deadline, VoilaServer
from tests.protocol import PageSession


@contextmanager
def database_url_in_env(url: str | None) -> Iterator[None]:
    """COFACILITATE_DATABASE_URL set while servers start (they and their kernels inherit it), as `workshop` sets it."""
    saved = os.environ.get(DATABASE_URL_VARIABLE)
    if url:
        os.environ[DATABASE_URL_VARIABLE] = url
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(DATABASE_URL_VARIABLE, None)
        else:
            os.environ[DATABASE_URL_VARIABLE] = saved


def kernels_below(process: Any) -> list:
    """The ipykernel processes under a psutil.Process (ended ones are left out)."""
    import psutil

    running = []
    for child in process.children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                running.append(child)
        except psutil.Error:
            continue
    return running


class RoomServers:
    """The room `name` under `root`: its participant server (`base`, `link()`) and its dashboard (`dashboard`).

    `notebook` replaces the participant notebook (a throwaway one, for the cap and the listeners);
    `options` go to server.participant_command (pool, max_participants, fill_delay, certfile, ...).
    `database_url`: keep the room in this PostgreSQL database instead of the SQLite file in `home`.
    `session`: the plan the room follows (as `cofacilitate workshop --session` opens it).
    """

    def __init__(self, root: Path, *, name: str = "Test room", tools: Sequence[str] = ROOM_TOOLS, host: str = server.LOOPBACK,
                 dashboard: bool = True, notebook: Path | None = None, start_seconds: float = 120,
                 database_url: str | None = None, session: Session | None = None, **options: Any) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)  # on PostgreSQL, opening the store makes no folder
        self.host = host
        self.database_url = database_url
        self.home = room_home(root / "base", room_id_for(name))
        store = self.open_store()
        try:
            self.keys: RoomKeys = open_room(store, name, tools, session=session)
        finally:
            store.close()
        loopback_too = not server.is_loopback(host)
        self.port = server.free_port_on(host, *([server.LOOPBACK] if loopback_too else []))
        self.tls = bool(options.get("certfile"))
        self.base = f"{'https' if self.tls else 'http'}://{host}:{self.port}"
        self.local_base = f"http://{server.LOOPBACK}:{self.port}"  # loopback: plain HTTP for the pool's kernels
        self.log_path = root / f"participants-{self.port}.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115 (held open for the life of the server, closed in stop())
        with database_url_in_env(database_url):
            self.process = server.start_participant_server(self.home, host, self.port, output=self.log, notebook=notebook,
                                                           **options)
        self.dashboard: VoilaServer | None = None
        try:
            if not wait_until_serving(self.local_base, self.process, start_seconds):
                raise RuntimeError(f"the participant server did not start (status {self.process.poll()}); see {self.log_path}")
            if dashboard:
                extra = {DATABASE_URL_VARIABLE: database_url} if database_url else {}
                self.dashboard = VoilaServer(self.home, {**server.dashboard_env(self.home, self.link()), **extra},
                                             folder=server.room_notebooks() / server.DASHBOARD_NOTEBOOK,
                                             log_path=root / "dashboard.log", start_seconds=start_seconds)
        except BaseException:
            self.stop()
            raise

    def open_store(self) -> Workspace:
        """The room's store, as its servers' pages open it (the caller closes it)."""
        return Workspace.open(self.home, self.database_url)

    def link(self, join: str | None = None, room: str | None = None, *, base: str | None = None) -> str:
        """The participant link as the command prints it (or with another code or room, to be refused)."""
        address = (base or self.base).split("://", 1)[1].rsplit(":", 1)[0]
        return server.participant_link(address, self.port, room or self.keys.room, self.keys.join_code if join is None else join,
                                       tls=(base or self.base).startswith("https"))

    def facilitator_link(self) -> str:
        assert self.dashboard is not None
        return server.facilitator_link(self.dashboard.port, self.dashboard.token, self.keys.room, self.keys.facilitator_key)

    @property
    def ps(self):
        import psutil

        return psutil.Process(self.process.pid)

    def kernels(self) -> list:
        """The participant server's kernel processes (its pool's among them)."""
        return kernels_below(self.ps)

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def waiting_kernels(self) -> int:
        """Pooled kernels that have run their notebook up to waiting for a visitor: each holds a connection
        to the server's own port, where Voilà will tell it the visitor's address (voila.utils.wait_for_request)."""
        import psutil

        waiting = 0
        for kernel in self.kernels():
            try:
                waiting += any(c.raddr and c.raddr.port == self.port for c in kernel.net_connections(kind="tcp"))
            except psutil.Error:
                continue
        return waiting

    def wait_for_pool(self, size: int, seconds: float = 180) -> None:
        """Until `size` pooled kernels wait for their visitors (a pool just started is still importing)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end and self.process.poll() is None:
            if self.waiting_kernels() >= size:
                return
            time.sleep(0.2)
        raise RuntimeError(f"{size} pooled kernels were not ready within {seconds:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        """Both servers, as `workshop` stops them: each stops its kernels."""
        if self.dashboard is not None:
            self.dashboard.stop()
        stop_voila(self.process)
        self.log.close()


def ladder_card() -> Any:
    """The card a room's ladder page uses: the tool's first (ui.page.RoomSetting)."""
    from cofacilitate.cards import load_cards
    from cofacilitate.ladder.model import LadderVocabulary

    cards, _ = load_cards("ladder", LadderVocabulary)
    return next(iter(cards.values()))


class RoomPage(PageSession):
    """A page that also knows when the kernel has published everything it said before a request.

    A reply comes on the shell channel and a widget's new value on iopub, so a reply can overtake
    the change it follows; the kernel's "idle" for that request comes on iopub after the change."""

    def __init__(self, url: str, *, seconds: float = 90.0, cookies: Any = None) -> None:
        self.idle: set[str] = set()
        super().__init__(url, seconds=seconds, cookies=cookies)

    def receive(self, seconds: float) -> dict[str, Any] | None:
        message = super().receive(seconds)
        if message and message["header"]["msg_type"] == "status" and message["content"].get("execution_state") == "idle":
            self.idle.add(message["parent_header"].get("msg_id", ""))
        return message

    def all_said(self) -> None:
        """Until the kernel has handled everything this page sent, and the page has everything it said about it."""
        msg_id = self.send("kernel_info_request", {})
        self.wait_for(lambda: msg_id in self.replies and msg_id in self.idle, what="the kernel's idle after kernel_info")


LADDER_TITLE = "The ladder of co-production"


class RoomParticipant:
    """One person on one device, doing at the protocol level what the participant page's script and its person do.

    The device sends its own secret (as device.py's script does from the browser's storage), the person
    joins with a name and roles, chooses the ladder, answers every stage and presses Save. Widgets are
    looked for only in the page's live tree: a replaced part stays open a few seconds (ui.fields.retire).
    """

    def __init__(self, link: str, number: int, *, seconds: float = 120, cookies: Any = None) -> None:
        """`cookies`: a hub login's (tests/hub_login.py); on a hub there is no device secret, the join form comes at once."""
        self.number = number
        self.name = f"Person {number}"
        self.device = secrets.token_hex(32)
        self.roles: tuple[str, ...] = ()  # the role boxes ticked, by their words
        self.expected: dict[str, tuple[str, str, str]] = {}  # stage id -> (now, aim, climb), once answered
        self.page = RoomPage(link, seconds=seconds, cookies=cookies)

    def live(self, css: str, description: str | None = None) -> list[str]:
        """Widgets with this class (and description text) in the page's tree as shown now."""
        roots = self.page.find_all(css="cofa-room")
        shown: set[str] = set()
        waiting = list(roots)
        while waiting:
            model = waiting.pop()
            if model in shown or model not in self.page.states:
                continue
            shown.add(model)
            waiting += [child.removeprefix("IPY_MODEL_") for child in self.page.states[model].get("children", ())]
        return [model for model in self.page.find_all(css, description) if model in shown]

    def wait_live(self, css: str, count: int = 1, description: str | None = None) -> list[str]:
        return self.page.wait_for(lambda: (found := self.live(css, description)) and len(found) >= count and found,
                                  what=f"{count} .{css}")

    def arrive(self) -> None:
        """The page's script sends this device's secret; the join form follows."""
        device = next(model for model, state in self.page.states.items() if "device" in state and "kept" in state)
        self.page.update(device, device=self.device, kept=True)
        self.wait_live("cofa-join")

    def join(self, roles: Sequence[int]) -> None:
        self.page.type(self.wait_live("cofa-pseudonym")[0], self.name)
        boxes = self.live("cofa-role")
        for index in roles:
            self.page.update(boxes[index], value=True)
        self.roles = tuple(self.page.states[boxes[index]]["description"] for index in roles)
        self.page.press(self.live("cofa-join")[0])
        self.wait_live("cofa-room-greeting")

    def choose(self, exercise_title: str) -> None:
        """The exercise chooser: a drop-down list syncs its `index`."""
        [chooser] = self.wait_live("cofa-exercise")
        labels = self.page.states[chooser]["_options_labels"]
        self.page.update(chooser, index=labels.index(exercise_title))

    def answer_ladder(self, turn: int = 0) -> None:
        """Every stage's now and aim (different for each person and turn) and one climb, in words of their own.

        `expected` then holds what the store must keep: {stage id: (now, aim, climb)}."""
        card = ladder_card()
        options = [value for _, value in card.vocabulary.answer_options()]
        rungs = len(card.vocabulary.rungs)
        nows = self.wait_live("cofa-now", len(card.vocabulary.stages))
        aims = self.live("cofa-aim")
        climbs = self.live("cofa-climb")
        self.expected = {}
        for stage, (now, aim, climb) in enumerate(zip(nows, aims, climbs, strict=True)):
            asked = self.page.states[now]["description"]
            stage_id = next(known.id for known in card.vocabulary.stages if f"“{known.label}”" in asked)
            picked = (1 + (self.number + stage + turn) % rungs, 1 + (self.number * 3 + stage + turn) % rungs)
            self.page.update(now, index=picked[0])
            self.page.update(aim, index=picked[1])
            words = f"Climb words of person {self.number}, turn {turn}" if stage == 0 else ""
            if words:
                self.page.type(climb, words)
            self.expected[stage_id] = (options[picked[0]], options[picked[1]], words or self.page.value(climb) or "")

    def press_save(self) -> list[str]:
        """Press Save (the kit's button: click, the kernel's question, the page's answer) until the kernel has acted on it;
        what the page's message lines say then.

        The kernel handles a page's messages in order, so once it answers a request sent after the page's
        answer, the save has run and said what it did."""
        self.page.press(self.live("cofa-save")[0])
        self.page.all_said()
        return [str(self.page.value(model)) for model in self.live("cofa-feedback")]

    def save_line(self) -> str:
        """What the tool page's own message line says (the one beside Save; the room has a line of its own)."""
        [save] = self.live("cofa-save")
        beside = next(state for state in self.page.states.values() if f"IPY_MODEL_{save}" in state.get("children", ()))
        lines = set(self.live("cofa-feedback"))
        [line] = [child.removeprefix("IPY_MODEL_") for child in beside["children"] if child.removeprefix("IPY_MODEL_") in lines]
        return str(self.page.value(line))

    def first_ladder(self, roles: Sequence[int]) -> dict[str, tuple[str, str, str]]:
        """A whole first visit: arrive, join with these roles, choose the ladder, answer it and Save; what was saved."""
        self.arrive()
        self.join(roles)
        self.choose(LADDER_TITLE)
        self.answer_ladder(turn=0)
        self.save()
        return dict(self.expected)

    def save(self) -> float:
        """Press Save and expect it to be saved; the seconds from the click until the kernel had acted on it."""
        started = time.perf_counter()
        said = self.press_save()
        took = time.perf_counter() - started
        if not any("are saved" in words for words in said) or any("problem" in words for words in said):
            raise AssertionError(f"{self.name}: Save said {said}")
        return took

    def on_screen(self) -> dict[str, tuple[str, str, str]]:
        """What the ladder's form shows now, as `expected` holds it: {stage id: (now, aim, climb)}."""
        card = ladder_card()
        options = [value for _, value in card.vocabulary.answer_options()]
        shown = {}
        for now, aim, climb in zip(self.live("cofa-now"), self.live("cofa-aim"), self.live("cofa-climb"), strict=True):
            asked = self.page.states[now]["description"]
            stage_id = next(known.id for known in card.vocabulary.stages if f"“{known.label}”" in asked)
            shown[stage_id] = (options[self.page.states[now]["index"]], options[self.page.states[aim]["index"]],
                               self.page.value(climb) or "")
        return shown

    def close(self) -> None:
        self.page.close()


class ConnectionPeak:
    """The most connections the app held at once in one PostgreSQL database, sampled in a thread until `stop()`.

    Counts `pg_stat_activity` rows with the app's own application_name (cofacilitate.store.postgres sets it on
    every connection) for that database; the sampler's own connection has another name and is not counted."""

    def __init__(self, admin_url: str, database: str, every: float = 0.01) -> None:
        import psycopg

        self.connection = psycopg.connect(admin_url, autocommit=True, application_name="cofacilitate-sampler")
        self.database, self.every, self.peak, self.samples = database, every, 0, 0
        self.running = threading.Event()
        self.running.set()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        import psycopg

        while self.running.is_set():
            try:
                row = self.connection.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cofacilitate' "
                                              "AND datname = %s", [self.database]).fetchone()
            except psycopg.Error:  # the server went away (a restart): the count starts again when it is back
                return
            self.peak, self.samples = max(self.peak, int(row[0]) if row else 0), self.samples + 1
            time.sleep(self.every)

    def stop(self) -> int:
        self.running.clear()
        self.thread.join(timeout=10)
        self.connection.close()
        return self.peak


# --- a crowd ----------------------------------------------------------------------------------

def role_keys(person: RoomParticipant) -> tuple[str, ...]:
    return tuple(key for key, label in ROLES.items() if label in person.roles)


def in_threads(people: list[RoomParticipant | None], step: Callable[[int], None], deadline: Deadline) -> None:
    """Run `step(n)` for every participant at once; fail naming each one that failed or did not finish."""
    failed: dict[int, str] = {}

    def run(number: int) -> None:
        try:
            step(number)
        except BaseException as err:
            failed[number] = f"{type(err).__name__}: {err}"

    threads = [threading.Thread(target=run, args=(number,), daemon=True) for number in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.1, deadline.end - time.monotonic()))
    unfinished = [number for number, thread in enumerate(threads) if thread.is_alive()]
    assert not unfinished and not failed, f"unfinished: {unfinished}; failed: {failed}"


def assert_every_answer_counted_once(room: RoomServers, people: list[RoomParticipant],
                                     saved: dict[str, list[dict[str, tuple[str, str, str]]]]) -> None:
    """One person per device, and per person one ladder record for each Save of a changed form (ui.drafts.SaveSlot:
    Save pressed again on the same answers keeps one record), oldest first, each holding exactly what was chosen."""
    store = room.open_store()
    try:
        joined = store.room_people(room.keys.room)
        records = store.room_records("ladder", room.keys.room)
    finally:
        store.close()
    assert sorted(p.pseudonym for p in joined) == sorted(person.name for person in people), "one person per device"
    expected = sum(len(versions) for versions in saved.values())
    assert len(records) == expected, f"{len(records)} ladder records where {expected} were saved: none lost, none twice"
    for person in people:
        own = [record for record in records if record.participant == person.name]
        assert len({record.person for record in own}) == 1, person.name
        assert all(tuple(record.roles) == role_keys(person) for record in own), person.name
        stored = [{a["stage"]: (a["now"], a["aim"], a["climb"]) for a in record.body["answers"]} for record in own]
        assert stored == saved[person.name], person.name
