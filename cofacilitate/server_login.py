"""The server's door: an address without the key (a bookmark, an old address) gets our own page.

Jupyter Server's own login page ("Password or token", titled "Jupyter Server", no language set,
a form to set a password, links to its documentation) is not for the people using the workbook.
`cofacilitate open` makes Voilà use `WorkbookKey` (`Voila.identity_provider_class`), whose /login
answers with our template's no-key.html in our words: start the workbook again and use the
address it prints. The key is checked exactly as before (the token, then the login cookie); no
password can be set through the page, and there is no /logout page (nothing to log out of).

The key stays new on every start: the port changes too, so a fixed key alone would not keep a
bookmark working, and an address copied into a browser's history would open the workbook forever.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.auth.login import LoginFormHandler

NO_KEY_PAGE = "no-key.html"


class NoKeyPage(LoginFormHandler):
    """/login: our page for an address without the key (GET), or a wrong key sent to it (POST)."""

    def _render(self, message: Any = None) -> None:
        # Voilà's own template environment holds our template (Jupyter Server's holds its stock pages).
        template = self.settings["voila_jinja2_env"].get_template(NO_KEY_PAGE)
        self.write(template.render(base_url=self.base_url))


class WorkbookKey(PasswordIdentityProvider):
    """Jupyter Server's token check, with our page at the door and nothing to change the key."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Voilà passes its own login page as an argument, which would win over any default here.
        self.login_handler_class = NoKeyPage
        self.allow_password_change = False

    @property
    def logout_available(self) -> bool:
        return False
