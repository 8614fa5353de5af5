"""Who and where a page is for, from its address: `?person=&room=` for a person's own pages, `?room=&join=`
for a room's. Read one way for every page, so a kernel from Voilà's preheated pool (which runs before its
visitor comes) waits for the visitor instead of reading an empty address.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

from cofacilitate.store import PERSON_ID, ROOM_ID

VISITOR_WAIT_SECONDS = 24 * 3600  # a pooled kernel waits as long as the room is open for someone to come


def visitor_query() -> dict[str, list[str]]:
    """The page's address, parsed. Voilà gives a kernel its visitor's address in the environment, except a
    kernel from its preheated pool, which runs before anyone comes: that one asks Voilà's own
    /voila/query/<kernel> socket and waits for the visitor, as `voila.utils.get_query_string` does, but
    without importing voila.utils (it brings the whole Jupyter Server into the kernel: 2 s and 40 MB)."""
    env = os.environ
    if env.get("VOILA_PREHEAT") == "True" and env.get("VOILA_KERNEL_ID"):
        import json

        from websockets.sync.client import connect

        base = env.get("VOILA_WS_BASE_URL") or env.get("VOILA_SERVER_URL") or "/"
        address = (f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}:"
                   f"{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/{env['VOILA_KERNEL_ID']}")
        with connect(address, open_timeout=30, close_timeout=1) as socket:
            request = json.loads(socket.recv(timeout=VISITOR_WAIT_SECONDS))
        env.update({key: str(value) for key, value in request.items()})
    return parse_qs(env.get("QUERY_STRING", ""))


def address() -> tuple[str | None, str]:
    """The person and room named in the page's address (`?room=...&person=...`); unknown shapes are ignored."""
    query = visitor_query()
    person = (query.get("person") or [""])[0]
    room = (query.get("room") or [""])[0]
    return (person if PERSON_ID.fullmatch(person) else None), (room if ROOM_ID.fullmatch(room) else "")
