"""What a page says: one message line, the one error wrapper, and notices that stop a page.

Voilà shows callback errors nowhere (or as a raw traceback), so every callback goes
through `Feedback.guard`: a plain message on screen, the details in the log.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as widgets

from cofacilitate.failures import log_failure
from cofacilitate.store import on_temporary_server
from cofacilitate.ui.fields import FULL_WIDTH, HTML_STYLE, html

SOMETHING_WENT_WRONG = (
    "Something went wrong on our side. It was not your fault. What you typed is still on screen. "
    "If it happens again, please tell the person running the session."
)


class Feedback(widgets.HTML):
    """The app's one message line: what just happened, in words (never colour alone)."""

    def __init__(self) -> None:
        super().__init__(value="", layout=FULL_WIDTH, style=HTML_STYLE)
        self.add_class("cofa-feedback")

    def say(self, text: str, kind: str = "info") -> None:
        prefix = {"done": "Done: ", "problem": "Problem: ", "info": ""}[kind]
        role = "alert" if kind == "problem" else "status"
        self.value = f'<p role="{role}" class="cofa-{kind}">{escape(prefix + text)}</p>'

    def guard(self, callback: Callable[..., Any] | None = None, *,
              problem: str | Callable[[], str] = SOMETHING_WENT_WRONG) -> Callable[..., Any]:
        """Wrap a widget callback: on any error, a plain message here and the details in the log.

        `problem` can be a function, for a message that depends on what is true after the failure."""
        if callback is None:
            return functools.partial(self.guard, problem=problem)
        action = callback

        @functools.wraps(action)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return action(*args, **kwargs)
            except Exception as err:  # the page must keep working whatever went wrong
                log_failure(f"callback {getattr(action, '__qualname__', action)}", err)
                self.say(problem() if callable(problem) else problem, "problem")
                return None

        return guarded


def problem_note(text: str) -> widgets.HTML:
    """A problem that stops part of a page (a bad card, an unusable workspace), in its own words."""
    return html(f'<div class="cofa-notice cofa-temporary" role="alert"><p style="white-space: pre-line">{escape(text)}</p></div>')


SUPPORT = (
    "This workbook is not a health or crisis service. You can stop or take a break at any time. "
    "If you feel unsafe or need support, please talk to your doctor or a support service you trust. "
    "If you are in danger now, call 999 in the UK, or your local emergency number. "
    "In the UK, Samaritans will listen at any time: call 116 123 for free."
)


def support_note() -> widgets.HTML:
    """Every page says it is not a clinical service, and where support is: people arrive from links straight to a tool."""
    return html(f'<aside class="cofa-notice cofa-support" aria-label="Where to find support"><p>{escape(SUPPORT)}</p></aside>')


def storage_notice(home: str, database: str | None = None) -> widgets.HTML:
    """Say plainly where answers are kept (`database`: the shared database server's name, when they are
    kept there), and warn loudly when the server is temporary."""
    if database:
        return html(
            '<p class="cofa-notice" role="note">Your answers are kept on the server that runs this workbook, in '
            f"{escape(database)}. The people who run that server look after it. Nothing is sent anywhere else.</p>"
        )
    hub_user = os.environ.get("JUPYTERHUB_USER")  # a JupyterHub user's own server (the kernel inherits its environment)
    if hub_user:
        return html(
            '<p class="cofa-notice" role="note">Your answers are saved on this server, in your own account '
            f"(“{escape(hub_user)}”), in <code>{escape(home)}</code>. They are not kept on the computer in front of you.</p>"
        )
    if on_temporary_server():
        return html(
            '<div class="cofa-notice cofa-temporary" role="note"><strong>Please note: this copy runs on a '
            "temporary server.</strong> What you save here is deleted when you close the page or after about "
            "ten minutes without use. Before you leave, use <em>Get my answers as files</em> to keep a copy. "
            "You can bring it back later with <em>Restore from a file</em>.</div>"
        )
    return html(
        '<p class="cofa-notice" role="note">Your answers are saved on this computer only, in '
        f"<code>{escape(home)}</code>. Nothing is sent anywhere.</p>"
    )
