"""One participant driving a Voilà page at the protocol level, as the page's own JavaScript does.

The workshop room's load test (issue 16) needs dozens of participants without dozens of
browsers, and it must load the server the way pages do, not write to the store behind it. So
`PageSession` GETs the page, reads its kernel from `jupyter-config-data`, opens the kernel's
websocket with the same subprotocol Voilà's page picks (v1.kernel.websocket.jupyter.org),
asks the widget control comm for every widget's state, and then types (`update`) and presses
(`custom` click, then the `Press` button's settle question and answer) like the page.

Every wait has a deadline; nothing sleeps. Only loopback addresses are accepted.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import websocket

CONTROL_TARGET = "jupyter.widget.control"
PROTOCOL = "v1.kernel.websocket.jupyter.org"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CONFIG = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S)

Message = dict[str, Any]
State = dict[str, Any]


def encode(channel: str, message: Message) -> bytes:
    """A v1 websocket frame: part offsets, the channel, then header, parent, metadata and content as JSON."""
    parts = [json.dumps(message[key]).encode() for key in ("header", "parent_header", "metadata", "content")]
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    for part in [channel.encode(), *parts]:
        offsets.append(offsets[-1] + len(part))
    return b"".join([len(offsets).to_bytes(8, "little"), *(o.to_bytes(8, "little") for o in offsets), channel.encode(), *parts])


def decode(frame: bytes) -> tuple[str, Message, list[bytes]]:
    """The channel, the message, and its binary buffers (widget buffers are not applied to states here)."""
    count = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1): 8 * (i + 2)], "little") for i in range(count)]
    parts = [frame[offsets[i]: offsets[i + 1]] for i in range(count - 1)]
    header, parent, metadata, content = (json.loads(part) for part in parts[1:5])
    message = {"header": header, "parent_header": parent, "metadata": metadata, "content": content}
    return parts[0].decode(), message, parts[5:]


class PageSession:
    """One page opened by one participant: the HTTP GET, the kernel websocket, and the widgets' states.

    `states` maps model id -> that widget's state (`_model_name`, `description`, `_dom_classes`,
    `value`, and for our `Press` buttons `css`), kept current from the kernel's updates.
    `counts` tallies every message type received, so a test can say something never came.
    """

    def __init__(self, url: str, *, seconds: float = 90.0, cookies: http.cookiejar.CookieJar | None = None) -> None:
        """`cookies`: a login's cookies (tests/hub_login.py: the hub's OAuth for a service), kept for the page and its socket."""
        address = urlsplit(url)
        if address.hostname not in LOOPBACK:
            raise ValueError(f"only loopback pages are driven here, not {address.hostname}")
        self.seconds = seconds
        self.session = uuid.uuid4().hex
        self.states: dict[str, State] = {}
        self.customs: dict[str, list[dict[str, Any]]] = {}
        self.counts: Counter[str] = Counter()
        self.loaded: dict[str, dict[str, Any]] = {}  # control comm id -> its update_states
        self.replies: dict[str, Message] = {}  # parent msg_id -> reply, for requests this session sent
        jar = http.cookiejar.CookieJar() if cookies is None else cookies
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(url, timeout=seconds) as answer:  # Voilà runs the notebook before it answers
            page = answer.read().decode("utf-8")
        found = CONFIG.search(page)
        if not found:
            raise RuntimeError("the page has no jupyter-config-data (is the token right?)")
        config = json.loads(found.group(1))
        self.kernel_id: str = config["kernelId"]
        token = (parse_qs(address.query).get("token") or [""])[0]
        base = "/" + str(config.get("baseUrl") or "/").strip("/") + "/"  # a service behind a hub serves under its prefix
        channels = (f"ws://{address.netloc}{base.replace('//', '/')}api/kernels/{self.kernel_id}/channels"
                    f"?session_id={self.session}&token={token}")
        self.ws = websocket.create_connection(
            channels, timeout=seconds, subprotocols=[PROTOCOL], origin=f"http://{address.netloc}",
            cookie="; ".join(f"{c.name}={c.value}" for c in jar) or None)
        try:
            self.round_trip()  # the page asks for kernel info first, too
            self.load_states()
        except BaseException:
            self.ws.close()
            raise

    # --- sending -------------------------------------------------------------------------------
    def send(self, msg_type: str, content: dict[str, Any], *, channel: str = "shell",
             metadata: dict[str, Any] | None = None) -> str:
        """Send one message as the page would; returns its msg_id."""
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": msg_type, "session": self.session, "username": "",
                  "version": "5.2", "date": datetime.now(timezone.utc).isoformat()}
        self.ws.send_binary(encode(channel, {"header": header, "parent_header": {}, "metadata": metadata or {},
                                             "content": content}))
        return msg_id

    def comm_send(self, comm_id: str, data: dict[str, Any]) -> str:
        return self.send("comm_msg", {"comm_id": comm_id, "data": data})

    # --- receiving -----------------------------------------------------------------------------
    def receive(self, seconds: float) -> Message | None:
        """Read one message (None if none came in `seconds`) and apply what it says to `states`."""
        self.ws.settimeout(max(seconds, 0.001))
        try:
            frame = self.ws.recv()
        except websocket.WebSocketTimeoutException:
            return None
        if isinstance(frame, str):
            raise RuntimeError(f"a text frame, not the v1 protocol the page uses: {frame[:200]}")
        _, message, _ = decode(frame)
        kind = message["header"]["msg_type"]
        self.counts[kind] += 1
        content = message["content"]
        if kind.endswith("_reply"):
            self.replies[message["parent_header"].get("msg_id", "")] = message
        elif kind == "comm_open" and content.get("target_name") == "jupyter.widget":  # a widget made after the page opened
            self.states[content["comm_id"]] = dict(content["data"]["state"])
        elif kind == "comm_close":
            self.states.pop(content["comm_id"], None)
        elif kind == "comm_msg":
            data, comm_id = content["data"], content["comm_id"]
            if data.get("method") in {"update", "echo_update"} and comm_id in self.states:
                self.states[comm_id].update(data["state"])
            elif data.get("method") == "custom":
                self.customs.setdefault(comm_id, []).append(data["content"])
            elif data.get("method") == "update_states":  # the control comm's answer to request_states
                self.loaded[comm_id] = data
        return message

    def wait_for(self, done: Callable[[], Any], seconds: float | None = None, what: str = "the page") -> Any:
        """Read messages until `done()` gives something truthy (returned); TimeoutError at the deadline."""
        end = time.monotonic() + (self.seconds if seconds is None else seconds)
        while not (result := done()):
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"waited {seconds or self.seconds:.0f} s for {what}")
            self.receive(left)
        return result

    def round_trip(self) -> Message:
        """A kernel_info request and its reply: the kernel has handled everything this page sent before it.

        The server forwards a page's messages in order and the kernel's shell handles them one at a
        time, so this is the barrier for "it did not happen", with no fixed wait."""
        msg_id = self.send("kernel_info_request", {})
        return self.wait_for(lambda: self.replies.get(msg_id), what="kernel_info_reply")

    def load_states(self) -> None:
        """comm_open to the widget control target (version 1.0.0, or the kernel refuses), then request_states.

        The page gives up on this after 4 s and falls back to asking model by model: a load test
        should watch for answers slower than that."""
        control = uuid.uuid4().hex
        self.send("comm_open", {"comm_id": control, "target_name": CONTROL_TARGET, "data": {}},
                  metadata={"version": "1.0.0"})
        self.comm_send(control, {"method": "request_states"})
        found = self.wait_for(lambda: self.loaded.pop(control, None), what="update_states")
        for model_id, model in found["states"].items():
            self.states[model_id] = {**model["state"], "_model_name": model["model_name"]}
        self.send("comm_close", {"comm_id": control, "data": {}})  # the page closes it once it has the states

    # --- the page's actions --------------------------------------------------------------------
    def find_all(self, css: str | None = None, description: str | None = None) -> list[str]:
        """Model ids of widgets with this css class (`_dom_classes`, or a Press's `css`) and/or description text."""
        def fits(state: State) -> bool:
            own = state.get("css", ())  # a Press's list; other anywidgets (our upload) sync a plain string
            classes = [*state.get("_dom_classes", ()), *([own] if isinstance(own, str) else own)]
            return (css is None or css in classes) and (description is None or description in str(state.get("description", "")))
        return [model_id for model_id, state in self.states.items() if fits(state)]

    def find(self, css: str | None = None, description: str | None = None) -> str:
        """The one widget that fits; an error naming the count if there is not exactly one."""
        found = self.find_all(css, description)
        if len(found) != 1:
            raise LookupError(f"{len(found)} widgets with css={css!r}, description={description!r}")
        return found[0]

    def update(self, model_id: str, **state: Any) -> None:
        """Change synced traits as the page does (a drop-down list syncs `index`, not `value`)."""
        self.comm_send(model_id, {"method": "update", "state": state, "buffer_paths": []})
        self.states[model_id].update(state)  # the page's own model changes at once, too

    def type(self, model_id: str, value: Any) -> None:
        """Type into a box (an update equal to the current value brings nothing back: vary the words)."""
        self.update(model_id, value=value)

    def click(self, model_id: str) -> int:
        """Click a `Press` button and wait for the kernel's question `{"settle": n}`; returns n."""
        asked = len(self.customs.get(model_id, []))
        self.comm_send(model_id, {"method": "custom", "content": {"event": "click"}})
        self.wait_for(lambda: len(self.customs.get(model_id, [])) > asked, what="the button's settle question")
        return int(self.customs[model_id][-1]["settle"])

    def settle(self, model_id: str, asked: int) -> None:
        """The page's answer: everything typed before the click has been sent; the kernel acts now."""
        self.comm_send(model_id, {"method": "custom", "content": {"settled": asked}})

    def press(self, model_id: str) -> None:
        """Click and answer, as a page does for one of our kit's buttons (a plain ipywidgets Button: the click alone)."""
        if self.states[model_id].get("_model_name") == "ButtonModel":
            self.comm_send(model_id, {"method": "custom", "content": {"event": "click"}})
        else:
            self.settle(model_id, self.click(model_id))

    def value(self, model_id: str) -> Any:
        return self.states[model_id].get("value")

    def wait_for_text(self, text: str, css: str = "cofa-feedback", seconds: float | None = None) -> str:
        """Wait until a widget with this css class holds `text` (a page can have several message lines)."""
        def holding() -> str:
            return next((str(v) for v in (self.value(m) for m in self.find_all(css)) if text in str(v)), "")
        return self.wait_for(holding, seconds, what=f"{text!r} in .{css}")

    def close(self) -> None:
        self.ws.close()

    def __enter__(self) -> PageSession:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
