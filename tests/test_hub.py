"""The workbook and a workshop room on a real JupyterHub (deploy/jupyterhub_config.py), in real Chromium.

One hub for the module (tests/hub_harness.py): configurable-http-proxy on loopback, DummyAuthenticator,
the local process spawner with real system accounts (cofahub-a, -b, -c in the programme, -d outside
it, -f the facilitator), and one room served as two hub-managed services. The room is not open when the
hub starts: the facilitator opens it from the dashboard's start form, closes it (deleting its answers)
and opens it again. Every request each browser makes is recorded: none may go to a host other than the hub.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from cofacilitate.store import Workspace
from cofacilitate.workshop.rooms import hub_person, room_id_for
from tests.conftest import need_browser

pytestmark = pytest.mark.browser

PARTICIPANTS = ["cofahub-a", "cofahub-b", "cofahub-c"]
OUTSIDER = "cofahub-d"
FACILITATOR = "cofahub-f"
ROOM_NAME = "Ladder day"
SERVICE = "room-ladder"
ROLES = ["Public partner with lived experience", "Researcher", "Researcher"]
DESIGN_NOW = "Now, at “Design and planning”:"
RUNGS = ["3. Informing (doing for)", "4. Consultation (doing for)", "7. Co-production (doing with)"]


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, postgres) -> Iterator:
    need_browser()
    if os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("the hub test makes system accounts for its users: it must run as root")
    from tests.hub_harness import PROXY, HubServer

    if not Path(PROXY).exists():
        pytest.fail("configurable-http-proxy is missing (npm install -g configurable-http-proxy)")
    database = postgres.new_database("hubroom")  # in the room's services' environment, and nowhere else
    rooms = [{"name": ROOM_NAME, "service": SERVICE, "tools": ["ladder"], "pool": 2, "database_url": database,
              "participants": {"groups": ["programme"]}, "facilitators": {"groups": ["facilitators"]}}]
    server = HubServer(tmp_path_factory.mktemp("hub"), [*PARTICIPANTS, OUTSIDER, FACILITATOR], rooms,
                       {"programme": PARTICIPANTS, "facilitators": [FACILITATOR]})
    server.database_url = database
    yield server
    server.stop()


class HubVisit:
    """One person's browser, logged in to the hub with their own name; every request it makes is kept."""

    def __init__(self, browser, hub, user: str) -> None:
        self.hub, self.user = hub, user
        self.context = browser.new_context(viewport={"width": 1100, "height": 900})
        self.context.set_default_timeout(120_000)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("websocket", lambda socket: self.requests.append(socket.url))

    def log_in(self, next_path: str) -> None:
        """The hub's own login form, then wherever `next_path` leads (the hub's OAuth for a service)."""
        self.page.goto(f"{self.hub.base}{next_path}", wait_until="domcontentloaded")
        self.page.fill("#username_input", self.user)
        self.page.fill("#password_input", self.hub_password())
        self.page.click("#login_submit")

    @staticmethod
    def hub_password() -> str:
        from tests.hub_harness import PASSWORD

        return PASSWORD

    def hosts(self) -> set[str]:
        return {url.split("/")[2] for url in self.requests if url.startswith(("http://", "https://", "ws://", "wss://"))}

    def close(self) -> None:
        self.page.close(run_before_unload=True)
        self.context.close()


def stored(hub) -> tuple[dict[str, str], list]:
    """The room's people (id -> pseudonym) and ladder records, read from the service's own workspace."""
    store = Workspace.open(hub.data / "rooms" / room_id_for(ROOM_NAME) / "workspace", hub.database_url)
    try:
        room = room_id_for(ROOM_NAME)
        people = {person.id: person.pseudonym for person in store.room_people(room)}
        return people, list(store.room_records("ladder", room))
    finally:
        store.close()


def test_a_users_own_server_opens_the_workbook_in_voila_with_our_template(hub, browser) -> None:
    visit = HubVisit(browser, hub, PARTICIPANTS[0])
    try:
        visit.log_in("/hub/login")
        visit.page.wait_for_url(re.compile(rf"/user/{PARTICIPANTS[0]}/voila/render/index\.ipynb"), timeout=180_000)
        visit.page.wait_for_selector(".cofa-app", state="visible", timeout=120_000)
        assert visit.page.locator("main#cofa-main").count() == 1  # only our template has this landmark
        notice = visit.page.locator(".cofa-notice[role=note]").first.inner_text()
        assert "saved on this server, in your own account" in notice and PARTICIPANTS[0] in notice, notice
        assert f"/home/{PARTICIPANTS[0]}/" in notice and "this computer only" not in notice
        visit.page.get_by_role("link", name=re.compile("ladder", re.I)).first.wait_for()
        assert not any("mathjax" in url.lower() or "font-awesome" in url.lower() for url in visit.requests)
        assert visit.hosts() == {f"127.0.0.1:{hub.port}"}, visit.hosts()
    finally:
        visit.close()


def test_the_facilitator_opens_the_room_and_the_people_waiting_join_without_a_reload(hub, browser) -> None:
    visits = [HubVisit(browser, hub, user) for user in PARTICIPANTS]
    facilitator = HubVisit(browser, hub, FACILITATOR)
    try:
        for visit in visits:  # before the room is open: a plain word that it is not, and nothing saved
            visit.log_in(f"/services/{SERVICE}/")
            waiting = visit.page.locator(".cofa-room-waiting")
            waiting.get_by_text("This room has not opened yet", exact=False).wait_for(timeout=120_000)
            assert "nothing has been saved" in waiting.inner_text()
            assert visit.page.locator(".cofa-support").count() == 1 and visit.page.locator("button.cofa-join").count() == 0
        assert stored(hub) == ({}, [])

        facilitator.log_in(f"/services/{SERVICE}-dashboard/")
        page = facilitator.page
        page.wait_for_selector(".cofa-room-start", state="visible", timeout=120_000)
        name = page.get_by_label("The room’s name", exact=False)
        assert name.input_value() == ROOM_NAME  # from the rooms file
        assert page.get_by_label("The ladder of co-production", exact=True).is_checked()
        assert not page.get_by_label("Power map", exact=True).is_checked()
        name.focus()  # the form by keyboard alone
        page.keyboard.press("End")
        page.keyboard.type(" (morning)")
        page.get_by_label("Power map", exact=True).focus()
        page.keyboard.press("Space")
        page.locator("button.cofa-open-room").focus()
        page.keyboard.press("Enter")
        page.wait_for_selector(".cofa-room-dashboard", state="visible", timeout=60_000)
        assert f"{hub.base}/services/{SERVICE}/" in page.locator(".cofa-room-qr").inner_text()
        assert page.locator(".cofa-room-qr svg").count() == 1
        assert "Only the people who run this room can open this page" in page.locator(".cofa-room-dashboard").inner_text()

        for number, visit in enumerate(visits):  # the join form came to the pages already open
            visit.page.wait_for_selector("button.cofa-join", state="visible", timeout=60_000)
            assert visit.page.locator(".cofa-room-title").inner_text() == f"{ROOM_NAME} (morning)"
            visit.page.get_by_label("A name for yourself", exact=False).fill(f"Person {number} <i>x</i>")
            visit.page.keyboard.press("Tab")
            visit.page.get_by_label(ROLES[number], exact=True).check()
            visit.page.locator("button.cofa-join").click()
            visit.page.wait_for_selector(".cofa-room-greeting", state="visible")
            chooser = visit.page.get_by_label("Which exercise would you like to do?", exact=True)
            options = [text.replace("\xa0", " ") for text in chooser.locator("option").all_inner_texts()]
            assert options == ["The ladder of co-production", "Power map"]  # the exercises the facilitator chose
            visit.page.get_by_label(DESIGN_NOW, exact=True).select_option(label=RUNGS[number])
            visit.page.locator("button.cofa-save").click()
            visit.page.wait_for_selector(".cofa-feedback .cofa-done", state="visible")
        people, records = stored(hub)
        room = room_id_for(ROOM_NAME)
        assert {hub_person(room, user): f"Person {n} <i>x</i>" for n, user in enumerate(PARTICIPANTS)} == people
        assert sorted(record.person for record in records) == sorted(hub_person(room, user) for user in PARTICIPANTS)

        again = visits[1]  # the same hub user is the same person, whatever the page or device
        again.page.reload(wait_until="domcontentloaded")
        again.page.get_by_text("Welcome back", exact=False).wait_for()

        page.locator("button.cofa-refresh").click()
        page.locator(".cofa-room-counts").get_by_text("3 people have joined the room", exact=False).wait_for()
        assert facilitator.hosts() == {f"127.0.0.1:{hub.port}"}, facilitator.hosts()
        for visit in visits:
            assert visit.hosts() == {f"127.0.0.1:{hub.port}"}, visit.hosts()
    finally:
        facilitator.close()
        for visit in visits:
            visit.close()


def test_a_forged_header_does_not_make_someone_else(hub, browser) -> None:
    """The name the service hands its kernel is the one the hub checked, whatever header the browser sends."""
    from cofacilitate.workshop.rooms import HUB_USER_HEADER

    visit = HubVisit(browser, hub, OUTSIDER)
    visit.context.set_extra_http_headers({HUB_USER_HEADER: PARTICIPANTS[0]})
    hub.api("/groups/programme/users", "POST", {"users": [OUTSIDER]})
    try:
        visit.log_in(f"/services/{SERVICE}/")
        visit.page.wait_for_selector("button.cofa-join", state="visible", timeout=120_000)  # a newcomer, not cofahub-a
        assert not visit.page.get_by_text("Welcome back", exact=False).count()
    finally:
        hub.api("/groups/programme/users", "DELETE", {"users": [OUTSIDER]})
        visit.close()


def test_who_is_not_allowed_is_refused(hub, browser) -> None:
    outsider = HubVisit(browser, hub, OUTSIDER)
    participant = HubVisit(browser, hub, PARTICIPANTS[2])
    try:
        outsider.log_in(f"/services/{SERVICE}/")
        outsider.page.wait_for_load_state("load")
        assert outsider.page.locator(".cofa-room").count() == 0
        assert "403" in outsider.page.content() or "not allowed" in outsider.page.content().lower()
        participant.log_in(f"/services/{SERVICE}-dashboard/")
        participant.page.wait_for_load_state("load")
        assert participant.page.locator(".cofa-room-dashboard").count() == 0
        assert "403" in participant.page.content() or "not allowed" in participant.page.content().lower()
        for visit in (outsider, participant):
            assert visit.hosts() == {f"127.0.0.1:{hub.port}"}, visit.hosts()
    finally:
        outsider.close()
        participant.close()


PROBE = """
import glob, json, os, pwd
room, other, pids, secret, port, database = {room!r}, {other!r}, {pids!r}, {secret!r}, {port!r}, {database!r}
logins = {logins!r}
def attempt(action):
    try:
        action()
        return "opened"
    except Exception as err:
        return type(err).__name__
def connect_without_the_password():
    import psycopg
    for user in (*logins, pwd.getpwuid(os.getuid()).pw_name):
        try:
            psycopg.connect(host="127.0.0.1", port=port, dbname=database, user=user, connect_timeout=5).close()
            return "opened as " + user
        except psycopg.OperationalError:
            continue
    raise PermissionError("every login was refused")
seen = []
for path in glob.glob("/proc/[0-9]*/cmdline"):
    try:
        seen.append(open(path, "rb").read())
    except OSError:
        pass
print(json.dumps({{
    "account": pwd.getpwuid(os.getuid()).pw_name,
    "env": sorted(k for k, v in os.environ.items() if "DATABASE" in k or "postgres" in v.lower() or k.startswith("COFACILITATE")),
    "room_folder": attempt(lambda: os.listdir(room)),
    "room_database": attempt(lambda: open(os.path.join(room, "workspace", "workspace.sqlite"), "rb").read(16)),
    "other_home": attempt(lambda: os.listdir(other)),
    "other_workspace": attempt(lambda: open(os.path.join(other, ".local/share/cofacilitate/workspace.sqlite"), "rb").read(16)),
    "service_environment": {{name: attempt(lambda: open(f"/proc/{{pid}}/environ", "rb").read()) for name, pid in pids.items()}},
    "secret_on_a_command_line": any(secret.encode() in line for line in seen),
    "database": attempt(connect_without_the_password),
}}))
"""


def test_a_users_own_server_reaches_nothing_of_the_room_or_of_anyone_else(hub) -> None:
    user, other = PARTICIPANTS[0], PARTICIPANTS[1]
    hub.start_server(user)
    token = hub.user_token(user)
    from tests.hub_harness import run_in_server

    room_folder = hub.data / "rooms" / room_id_for(ROOM_NAME)
    address = urlsplit(hub.database_url)
    code = PROBE.format(room=str(room_folder), other=str(hub.homes[other]), pids=hub.service_pids(),
                        secret=unquote(address.password or ""), port=address.port, database=address.path.lstrip("/"),
                        logins=["postgres", unquote(address.username or "")])
    printed = run_in_server(hub, user, token, code)
    found = json.loads(printed.strip().splitlines()[-1])
    assert found["account"] == user  # the server runs as the person's own system account
    assert found["env"] == [], found["env"]
    assert found["room_folder"] == "PermissionError" and found["room_database"] == "PermissionError"
    assert found["other_home"] == "PermissionError" and found["other_workspace"] == "PermissionError"
    assert found["service_environment"] and set(found["service_environment"].values()) == {"PermissionError"}
    assert found["database"] == "PermissionError" and not found["secret_on_a_command_line"]


def room_words_in_the_database(hub) -> list[str]:
    """Every row of every table in the room's database, as text, that holds a word the room's people typed."""
    import psycopg

    with psycopg.connect(hub.database_url) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").fetchall()]
        rows = [str(row[0]) for table in tables
                for row in connection.execute(f'SELECT t::text FROM "{table}" AS t').fetchall()]
    return [row for row in rows if "Person " in row or "<i>x</i>" in row or "(morning)" in row]


def test_closing_the_room_deletes_its_words_and_it_opens_again_empty(hub, browser) -> None:
    facilitator = HubVisit(browser, hub, FACILITATOR)
    participant = HubVisit(browser, hub, PARTICIPANTS[0])
    try:
        participant.log_in(f"/services/{SERVICE}/")
        participant.page.get_by_text("Welcome back", exact=False).wait_for(timeout=120_000)
        assert room_words_in_the_database(hub)  # the check can fail: the words are there while the room is open
        facilitator.log_in(f"/services/{SERVICE}-dashboard/")
        page = facilitator.page
        page.wait_for_selector(".cofa-room-dashboard", state="visible", timeout=120_000)  # still open: its dashboard
        page.locator("button.cofa-close-room").click()
        page.locator("button.cofa-close-sure").click()
        page.wait_for_selector(".cofa-room-start", state="visible")
        assert "everything in it is deleted" in page.locator(".cofa-room-start .cofa-feedback").inner_text()

        closed = participant.page.locator(".cofa-room-waiting")
        closed.get_by_text("This room has closed", exact=False).wait_for(timeout=60_000)
        assert "nothing you typed is kept" in closed.inner_text()
        assert participant.page.locator("button.cofa-save").count() == 0
        assert stored(hub) == ({}, []) and room_words_in_the_database(hub) == []

        page.locator("button.cofa-open-room").click()  # a new session: nobody from before is in it
        page.wait_for_selector(".cofa-room-dashboard", state="visible", timeout=60_000)
        page.locator(".cofa-room-counts").get_by_text("Fewer than 3 people have joined", exact=False).wait_for()
        participant.page.wait_for_selector("button.cofa-join", state="visible", timeout=60_000)
        assert participant.page.get_by_text("Welcome back", exact=False).count() == 0
        assert participant.page.locator(".cofa-room-title").inner_text() == ROOM_NAME
    finally:
        facilitator.close()
        participant.close()
