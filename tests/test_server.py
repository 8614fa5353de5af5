"""Only the person's own browser can use the server, and its front door leads to the workbook.

A real Voilà server, started exactly as `cofacilitate open` starts it, asked over plain HTTP
(http.client, so every header is ours to choose) the way another local account, or a web page
using DNS rebinding (a foreign Host header), would ask: no token, a foreign Host with the token,
and the kernel websocket both ways. Then the root address, in HTTP and in real Chromium.
"""

from __future__ import annotations

import http.client
import re
import secrets
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import VoilaServer

FOREIGN = "evil.example"
WEBSOCKET = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
             "Sec-WebSocket-Version": "13"}
LANDING_TEXT = "Working together, honestly"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """A server of this module's own, so the kernels it runs are the ones these requests started."""
    running = VoilaServer(tmp_path_factory.mktemp("server") / "workspace")
    yield running
    running.stop()


def ask(server: VoilaServer, path: str, headers: dict[str, str] | None = None, method: str = "GET",
        body: str | None = None) -> tuple[int, dict, str]:
    """(status, headers, body) for one request; a websocket upgrade (101) is closed at once."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=90)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        body = "" if answer.status == 101 else answer.read().decode(errors="replace")
        return answer.status, dict(answer.getheaders()), body
    finally:
        connection.close()


def with_token(server: VoilaServer, path: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}token={server.token}"


def hosts_named(html: str) -> set[str]:
    """Every host the page names in an address (scheme://host...).

    XML namespace names and RDF metadata in Voilà's inline spinner SVG (w3.org, purl.org,
    creativecommons.org) are identifiers a browser never requests, so they are left out.
    """
    html = re.sub(r"<metadata>.*?</metadata>", "", html, flags=re.DOTALL)
    html = re.sub(r"""\sxmlns(?::\w+)?=(["'])[^"']*\1""", "", html)
    return {urllib.parse.urlsplit(url).netloc for url in re.findall(r"""(?:https?|wss?)://[^\s"'<>)]+""", html)}


def refused(status: int, headers: dict, body: str) -> bool:
    """403, or a redirect to the login page, with none of the page in it."""
    to_login = status in (301, 302) and urllib.parse.urlsplit(headers.get("Location", "")).path.endswith("/login")
    return (status == 403 or to_login) and LANDING_TEXT not in body and "kernelId" not in body


def kernel_id(html: str) -> str:
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', html)
    assert found, "the rendered page names its kernel"
    return found.group(1)


def test_without_the_token_nothing_is_served_and_no_kernel_starts(server):
    before = {p.pid for p in server.kernels()}
    for path in ("/voila/render/index.ipynb", "/voila/render/ladder.ipynb", "/", "/voila/tree",
                 "/voila/render/index.ipynb?token=not-the-token"):
        answer = ask(server, path)
        assert refused(*answer), (path, answer[0], answer[1].get("Location"))
    assert {p.pid for p in server.kernels()} == before
    assert "Kernel started" not in server.log_path.read_text(encoding="utf-8", errors="replace")


NO_KEY_TITLE = "<title>cofacilitate: this address needs its key</title>"
NO_KEY_WORDS = "Start the workbook again with <code>cofacilitate open</code> and use the address it prints."


def follow(server: VoilaServer, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, list[str]]:
    """(status, body, every address passed through) after following the server's own redirects, as a browser does."""
    passed = [path]
    for _ in range(5):
        status, answer_headers, body = ask(server, path, headers)
        if status not in (301, 302, 303, 307):
            return status, body, passed
        path = answer_headers["Location"]
        assert urllib.parse.urlsplit(path).netloc in ("", f"127.0.0.1:{server.port}"), "a redirect stays on this server"
        passed.append(path)
    raise AssertionError(f"too many redirects: {passed}")


@pytest.mark.parametrize("path", ["/voila/render/index.ipynb", "/voila/render/ladder.ipynb?person=0123", "/",
                                  "/voila/tree", "/voila/render/index.ipynb?token=not-the-token", "/login"])
def test_an_address_without_the_key_lands_on_our_own_page_saying_what_to_do(server, path):
    status, body, passed = follow(server, path)
    assert status == 200 and NO_KEY_TITLE in body and '<html lang="en">' in body, (passed, body[:300])
    assert NO_KEY_WORDS in body and '<main id="cofa-main">' in body
    for stock in ("Jupyter Server", "Password", "password", "jupyter server list", "<form", "Token authentication"):
        assert stock not in body, stock
    assert hosts_named(body) == set(), "names no other host, and loads nothing"
    assert LANDING_TEXT not in body and "kernelId" not in body
    # Our page is a page, not a way in: every page and the kernel API still want the key.
    assert refused(*ask(server, "/voila/render/index.ipynb"))
    assert ask(server, "/api/kernels/0f0e0d0c-0b0a-4908-8706-050403020100")[0] == 403


def test_no_logout_page_and_no_password_can_be_set_at_the_door(server):
    assert ask(server, "/logout")[0] == 404
    xsrf = secrets.token_hex(16)
    status, _, body = ask(server, "/login?next=%2Fvoila%2Frender%2Findex.ipynb", {
        "Cookie": f"_xsrf={xsrf}", "Content-Type": "application/x-www-form-urlencoded",
    }, method="POST", body=urllib.parse.urlencode({"_xsrf": xsrf, "password": "not-the-key", "new_password": "mine"}))
    assert status == 401 and NO_KEY_TITLE in body, "a wrong key sent to the door gets the same page"
    assert not list(Path.cwd().glob("jupyter_server_config.json"))


def test_a_foreign_host_is_refused_even_with_the_token(server):
    before = {p.pid for p in server.kernels()}
    foreign = f"{FOREIGN}:{server.port}"
    for headers, path in [
        ({"Host": foreign}, with_token(server, "/voila/render/index.ipynb")),
        ({"Host": foreign, "Authorization": f"token {server.token}"}, "/voila/render/index.ipynb"),
        ({"Host": foreign, "Origin": f"http://{foreign}"}, with_token(server, "/voila/render/ladder.ipynb")),
        ({"Host": foreign}, with_token(server, "/")),
    ]:
        status, _, body = ask(server, path, headers)
        assert status == 403 and LANDING_TEXT not in body, (headers, status)
        assert hosts_named(body) <= {f"127.0.0.1:{server.port}"}, "even a refusal names no other host"
    assert {p.pid for p in server.kernels()} == before


def test_the_kernel_websocket_needs_the_token_and_a_local_host(server):
    status, _, html = ask(server, with_token(server, "/voila/render/index.ipynb"))
    assert status == 200 and LANDING_TEXT in html
    channels = f"/api/kernels/{kernel_id(html)}/channels"
    foreign = f"{FOREIGN}:{server.port}"
    assert ask(server, channels, WEBSOCKET)[0] == 403
    assert ask(server, channels + "?token=not-the-token", WEBSOCKET)[0] == 403
    assert ask(server, with_token(server, channels), {**WEBSOCKET, "Host": foreign})[0] == 403
    assert ask(server, with_token(server, channels), {**WEBSOCKET, "Host": foreign, "Origin": f"http://{foreign}"})[0] == 403
    assert ask(server, channels, {**WEBSOCKET, "Host": foreign, "Authorization": f"token {server.token}"})[0] == 403
    assert ask(server, f"/api/kernels/{kernel_id(html)}")[0] == 403
    # The control: the same socket with the token from a local name opens, so the refusals above are the checks'.
    assert ask(server, with_token(server, channels), WEBSOCKET)[0] == 101
    by_name = {**WEBSOCKET, "Host": f"localhost:{server.port}", "Authorization": f"token {server.token}"}
    assert ask(server, channels, by_name)[0] == 101


@pytest.mark.parametrize("path", ["/", "/voila/tree", "/voila/tree/?classic-tree=true"])
def test_the_front_door_leads_to_the_landing_page_and_names_no_other_host(server, path):
    status, _, door = ask(server, with_token(server, path))
    assert status == 200
    assert "voila-notebooks" not in door and "list-header" not in door, "no file list"
    assert hosts_named(door) <= {f"127.0.0.1:{server.port}"}, hosts_named(door)
    refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)"', door)
    assert refresh and f'<a href="{refresh.group(1)}">' in door, "a refresh, and a plain link for when it is not followed"
    status, _, landing = ask(server, with_token(server, refresh.group(1)))
    assert status == 200 and LANDING_TEXT in landing
    assert hosts_named(landing) <= {f"127.0.0.1:{server.port}"}, hosts_named(landing)


def test_error_pages_name_no_other_host(server):
    status, _, body = ask(server, with_token(server, "/voila/render/no-such-page.ipynb"))
    assert status == 404 and hosts_named(body) <= {f"127.0.0.1:{server.port}"}, hosts_named(body)
    assert '<html lang="en">' in body


@pytest.mark.browser
def test_in_chromium_the_root_address_ends_on_the_landing_page_with_no_other_host(server, browser, tmp_path: Path):
    from tests.conftest import Visit

    visit = Visit(browser, tmp_path)
    try:
        visit.open(with_token(server, server.base + "/"))
        assert visit.page.url.split("?")[0] == server.base + "/voila/render/index.ipynb"
        assert LANDING_TEXT in visit.page.inner_text("main")
        assert visit.hosts() == {f"127.0.0.1:{server.port}"}, visit.hosts()
        # The browser now holds the login cookie: the landing page opens again without the token in the address.
        visit.open(server.base + "/voila/render/index.ipynb")
    finally:
        visit.close()


@pytest.mark.browser
def test_in_chromium_a_bookmark_without_the_key_shows_our_page_and_asks_no_other_host(server, browser, tmp_path: Path):
    from tests.conftest import Visit

    visit = Visit(browser, tmp_path)  # a browser with no login cookie, as after a restart
    try:
        visit.open(server.base + "/voila/render/ladder.ipynb", ready=".cofa-no-key")
        assert visit.page.title() == "cofacilitate: this address needs its key"
        assert visit.page.get_attribute("html", "lang") == "en"
        assert "use the address it prints" in visit.page.inner_text("main")
        assert visit.page.locator("form, input").count() == 0
        assert visit.hosts() == {f"127.0.0.1:{server.port}"}, visit.hosts()
    finally:
        visit.close()
