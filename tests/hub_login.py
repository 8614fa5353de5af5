"""A hub user logging in without a browser, as a browser does: the hub's login form, then the hub's OAuth for a service.

`hub_login` GETs /hub/login (its `_xsrf` field and cookie), POSTs the name and password, then asks for
the service's page and follows the redirects by hand (the service to the hub's authorize, the hub back
to the service's `oauth_callback`), keeping every cookie, and stops once the callback has set the
service's own cookie: the page itself is not fetched, so no kernel of the service's pool is taken.
tests/protocol.PageSession then opens the page and its kernel websocket with those cookies.
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

XSRF_FIELD = re.compile(r'name="_xsrf"\s+value="([^"]+)"')
MOST_REDIRECTS = 10


class _Stay(urllib.request.HTTPRedirectHandler):
    """Redirects come back as they are, so each hop can be looked at."""

    def redirect_request(self, *_: object, **__: object) -> None:
        return None


class HubLoginFailed(RuntimeError):
    pass


def hub_login(base: str, user: str, password: str, service_path: str, seconds: float = 60) -> http.cookiejar.CookieJar:
    """Cookies of `user` logged in to the hub at `base` and to the service at `service_path` (e.g. /services/room/)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _Stay)
    with opener.open(f"{base}/hub/login", timeout=seconds) as answer:
        found = XSRF_FIELD.search(answer.read().decode("utf-8"))
    if not found:
        raise HubLoginFailed("the hub's login page has no _xsrf field")
    form = urllib.parse.urlencode({"username": user, "password": password, "_xsrf": found.group(1)}).encode()
    status, _ = _ask(opener, f"{base}/hub/login", seconds, form)
    if status != 302 or not any(cookie.name.startswith("jupyterhub-session") for cookie in jar):
        raise HubLoginFailed(f"the hub did not let {user} in (status {status})")
    url = base + service_path
    for _ in range(MOST_REDIRECTS):
        status, location = _ask(opener, url, seconds)
        if status not in (301, 302, 303, 307):
            raise HubLoginFailed(f"{url} answered {status} before the service's login was done")
        if urllib.parse.urlsplit(url).path.endswith("/oauth_callback"):
            return jar  # the service's cookie is set; its redirect is to the page itself
        url = urllib.parse.urljoin(url, location)
    raise HubLoginFailed(f"more than {MOST_REDIRECTS} redirects logging in to {service_path}")


def _ask(opener: urllib.request.OpenerDirector, url: str, seconds: float, data: bytes | None = None) -> tuple[int, str]:
    """The status and Location of one request (redirects are not followed)."""
    try:
        with opener.open(url, data=data, timeout=seconds) as answer:
            return answer.status, answer.headers.get("Location", "")
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("Location", "")
