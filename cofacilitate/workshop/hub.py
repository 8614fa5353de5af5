"""A workshop room on a JupyterHub: its two servers run as hub-managed services, and the hub says who is who.

A hub user can run any code in their own server (JupyterLab is one address away), so no user's
server may hold what reaches a room's answers. The room's servers are therefore services the hub
starts itself (`c.JupyterHub.services`, behind its proxy at /services/<name>/): the same standalone,
single-notebook Voilà as a room on a laptop (server.RoomVoila: the pool, the cap, no files, a page's
websocket that can drive widgets but never run code), with the room's workspace (its folder or its
database address) in the service's own environment only. The room's services serve one room, but
the room is a session: it is closed until its facilitator opens it from the dashboard (with new codes
each time), and closing it there deletes everything in it (workshop/start.py).

Who someone is comes from the hub's OAuth, through JupyterHub's own identity provider for Jupyter
servers (`JupyterHubIdentityProvider`: HubOAuth, its state cookie, its callback, and the check that
the person holds `access:services!service=<name>`). The page handler then writes the name it checked
into a request header of its own (any copy the browser sent is thrown away first), and Voilà hands
that header to the page's kernel (`VoilaConfiguration.http_header_envs`): in the kernel's environment
for a cold start, and through Voilà's /voila/query/<kernel> socket to a kernel from the pool. Voilà's
`prelaunch_hook` would be the other server-side path, but Voilà refuses it together with a pool.

Run by the hub as `python -m cofacilitate.workshop.hub participant` (or `dashboard`); `room_services`
builds the services and roles for jupyterhub_config.py (deploy/jupyterhub_config.py).
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jupyterhub.services.auth import HubOAuth  # type: ignore[import-untyped]
from jupyterhub.singleuser.extension import JupyterHubIdentityProvider  # type: ignore[import-untyped]
from traitlets import default

from cofacilitate.workshop import server
from cofacilitate.workshop.rooms import HUB_NAME_VARIABLE as NAME_VARIABLE
from cofacilitate.workshop.rooms import HUB_ROOM_VARIABLE, HUB_USER_HEADER, LINK_VARIABLE, ROOM_TOOLS, room_id_for
from cofacilitate.workshop.rooms import HUB_SMALLEST_GROUP_VARIABLE as SMALLEST_GROUP_VARIABLE
from cofacilitate.workshop.rooms import HUB_TOOLS_VARIABLE as TOOLS_VARIABLE

KINDS = ("participant", "dashboard")
POOL_VARIABLE = "COFACILITATE_HUB_POOL"
MAX_VARIABLE = "COFACILITATE_HUB_MAX_PARTICIPANTS"
DASHBOARD_PAGES = 4  # the facilitator's pages open at once (a laptop, a projector, a phone and one more)
LOCK_FILE = "room.lock"
SERVICE_START_SECONDS = 120


class HubIdentity(JupyterHubIdentityProvider):
    """JupyterHub's identity provider for Jupyter servers, given to a service's Voilà: the hub's login for every
    page, and only people with access to this service get past it (the others are told 403)."""

    api_token = ""  # the service's hub token, taken out of the environment before any kernel could inherit it

    def __init__(self, **kwargs: Any) -> None:
        # Voilà passes a token (none: the hub's OAuth is the door) and its own login page (the hub has the login).
        kwargs.pop("token", None)
        kwargs.pop("login_handler_class", None)
        super().__init__(**kwargs)

    @default("hub_auth")
    def _default_hub_auth(self) -> HubOAuth:
        return HubOAuth(parent=self, api_token=self.api_token or os.environ.get("JUPYTERHUB_API_TOKEN", ""))


class HubRoomPageHandler(server.RoomPageHandler):
    """The room's page: the hub user the identity provider checked goes to the kernel in our own header."""

    async def get(self, path: str | None = None) -> None:
        self.request.headers.pop(HUB_USER_HEADER, None)  # whatever the browser sent under that name is never passed on
        user = self.current_user  # checked by HubIdentity before any handler runs (JupyterHandler.prepare)
        if user is not None:
            self.request.headers[HUB_USER_HEADER] = user.username
        shown = super().get(path)  # tornado's @authenticated: the hub's login first for anyone not logged in
        if shown is not None:
            await shown


class HubRoomVoila(server.RoomVoila):
    """The room's Voilà behind the hub: its page handler, and the hub's OAuth callback under the service's prefix."""

    def init_handlers(self) -> list:
        from jupyter_server.utils import url_path_join

        # Voilà adds the identity provider's routes (/oauth_callback, /logout) without its prefix.
        own = {pattern for pattern, *_ in self.identity_provider.get_handlers()}
        rules = []
        for rule in super().init_handlers():
            if rule[1] is server.RoomPageHandler:
                rule = (rule[0], HubRoomPageHandler, *rule[2:])
            elif rule[0] in own:
                rule = (url_path_join(self.server_url, rule[0]), *rule[1:])
            rules.append(rule)
        return rules


# --- the service's start ---------------------------------------------------------------------------

def prepare_workspace(home: Path) -> None:
    """Make the service's workspace (or check it), once, whichever of the room's two services starts first.

    The room itself is not made here: its facilitator opens it from the dashboard (workshop/start.py) and
    closes it there. Both services start together, so a lock file keeps the first open of a new workspace
    to one process (two first opens of one SQLite file at once can fail)."""
    from cofacilitate.store import Workspace
    from cofacilitate.store.home import private_folder

    private_folder(home)
    with open(os.open(home / LOCK_FILE, os.O_CREAT | os.O_WRONLY, 0o600), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        Workspace.open(home).close()


def voila_arguments(kind: str, environ: dict[str, str]) -> list[str]:
    """The room's Voilà for this service, as server.participant_command runs it, behind the hub."""
    service = urlsplit(environ["JUPYTERHUB_SERVICE_URL"])
    host, port = service.hostname or server.LOOPBACK, service.port or 80
    if kind == "participant":
        options: dict[str, Any] = {"pool": int(environ.get(POOL_VARIABLE, server.DEFAULT_POOL)),
                                   "max_participants": int(environ.get(MAX_VARIABLE, server.DEFAULT_MAX_PARTICIPANTS))}
    else:
        options = {"pool": 0, "max_participants": DASHBOARD_PAGES,
                   "notebook": server.room_notebooks() / server.DASHBOARD_NOTEBOOK}
    command = server.participant_command(host, port, **options)
    assert command[1:3] == ["-m", "cofacilitate.workshop.server"]
    return [*command[3:], f"--Voila.base_url={environ['JUPYTERHUB_SERVICE_PREFIX']}",
            "--Voila.identity_provider_class=cofacilitate.workshop.hub.HubIdentity",
            f"--VoilaConfiguration.http_header_envs={[HUB_USER_HEADER]!r}"]


def main(argv: Sequence[str] | None = None) -> int:
    """What the hub runs for a room's service: its workspace made once, then its Voilà in this process."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] not in ([kind] for kind in KINDS):
        print(f"usage: python -m cofacilitate.workshop.hub {{{','.join(KINDS)}}}", file=sys.stderr)
        return 2
    from cofacilitate.store import default_home

    prepare_workspace(default_home())
    os.environ[HUB_ROOM_VARIABLE] = room_id_for(os.environ[NAME_VARIABLE])  # the one room this service serves, when open
    os.environ.update(server.participant_env(default_home()))  # our template on Jupyter's path, no token
    HubIdentity.api_token = os.environ.pop("JUPYTERHUB_API_TOKEN", "")  # the kernels start from this environment
    HubRoomVoila.launch_instance(voila_arguments(argv[0], dict(os.environ)))
    return 0


# --- for jupyterhub_config.py --------------------------------------------------------------------

def room_services(room: dict[str, Any], data: Path, public_url: str, python: str = sys.executable) -> tuple[list, list]:
    """The two services and two roles of one room, for `c.JupyterHub.services` and `c.JupyterHub.load_roles`.

    `room` holds "name", and optionally "service" (the participants' service name), "tools", "smallest_group",
    "pool", "max_participants", "participant_port", "dashboard_port", "database_url" (else SQLite in the
    room's folder under `data`), "participants" and "facilitators" ({"users": [...], "groups": [...]}).
    The database address goes into the services' environment alone: no user's server ever holds it."""
    room_id = room_id_for(room["name"])
    name = room.get("service") or f"room-{room_id}"
    dashboard = f"{name}-dashboard"
    folder = data / room_id  # the services' own home (Jupyter's runtime files), the workspace inside it
    environment = {"HOME": str(folder), "COFACILITATE_HOME": str(folder / "workspace"), NAME_VARIABLE: room["name"],
                   TOOLS_VARIABLE: ",".join(room.get("tools") or ROOM_TOOLS),
                   SMALLEST_GROUP_VARIABLE: str(room.get("smallest_group", 3)),
                   POOL_VARIABLE: str(room.get("pool", server.DEFAULT_POOL)),
                   MAX_VARIABLE: str(room.get("max_participants", server.DEFAULT_MAX_PARTICIPANTS)),
                   LINK_VARIABLE: public_url.rstrip("/") + f"/services/{name}/"}
    if room.get("database_url"):
        environment["COFACILITATE_DATABASE_URL"] = room["database_url"]
    ports = {kind: room.get(f"{kind}_port") or server.free_port_on(server.LOOPBACK) for kind in KINDS}
    # A service's Voilà takes a while to import (longer on a busy machine): the hub gives up on it after `timeout` s.
    services = [{"name": service, "url": f"http://{server.LOOPBACK}:{ports[kind]}", "oauth_no_confirm": True,
                 "timeout": SERVICE_START_SECONDS,
                 "command": [python, "-m", "cofacilitate.workshop.hub", kind], "environment": environment,
                 "display": kind == "participant"}
                for service, kind in ((name, "participant"), (dashboard, "dashboard"))]
    # Facilitators may open the participants' page too (to see what phones see).
    access = {service: f"access:services!service={service}" for service in (name, dashboard)}
    roles = [{"name": f"{name}-participants", "scopes": [access[name]], **_members(room.get("participants"))},
             {"name": f"{name}-facilitators", "scopes": [access[dashboard], access[name]], **_members(room.get("facilitators"))}]
    return services, roles


def _members(who: dict[str, list[str]] | None) -> dict[str, list[str]]:
    return {"users": list((who or {}).get("users", [])), "groups": list((who or {}).get("groups", []))}


def load_rooms(path: str | None) -> list[dict[str, Any]]:
    """The rooms a hub serves, from a JSON file (a list of rooms as room_services reads them); none without one."""
    if not path:
        return []
    rooms = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(rooms, list) or not all(isinstance(room, dict) and room.get("name") for room in rooms):
        raise ValueError(f"{path}: a list of rooms, each with a “name”, was expected")
    return rooms


if __name__ == "__main__":
    from cofacilitate.workshop import hub  # one copy of these classes: the configuration names them by module

    sys.exit(hub.main())
