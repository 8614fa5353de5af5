"""Whose answers are on the page: the person's chosen name and roles, and a way to hand over.

On a shared laptop (a team round one screen, a workshop laptop passed round) the next
person presses one button and starts with an empty page; the last person's words stay
saved, apart, and are never shown to them.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as widgets

from cofacilitate.people import MAX_PSEUDONYM, ROLES, clean_pseudonym
from cofacilitate.store import Person, Workspace
from cofacilitate.ui.events import Debounced
from cofacilitate.ui.fields import FULL_WIDTH, button, heading, html, paragraph, text_field, tick_boxes, with_counter
from cofacilitate.ui.messages import Feedback


class PersonBar(widgets.VBox):
    """The person's name and roles (both optional, kept as they type), and "start as someone new"."""

    def __init__(self, store: Workspace, person: Person, start_someone_new: Callable[[], None]) -> None:
        self.store, self.person_id = store, person.id
        self.feedback = feedback = Feedback()  # said here, where the person pressed the button
        feedback.remove_class("cofa-feedback")  # the page's own message line stays the first of its kind
        feedback.add_class("cofa-person-feedback")
        self.pseudonym = text_field("A name for yourself (any name you like; it need not be your real name)",
                                    limit=MAX_PSEUDONYM, css="cofa-pseudonym")
        self.pseudonym.value = person.pseudonym
        self.roles = tick_boxes([(label, key) for key, label in ROLES.items()], css="cofa-role")
        for key, box in self.roles.items():
            box.value = key in person.roles
        self.whose = html("", "cofa-whose")
        self.someone_new = button("I am someone else: start as someone new", "cofa-someone-new")
        self._save = Debounced(feedback.guard(self.save), 0.6)
        for field in [self.pseudonym, *self.roles.values()]:
            field.observe(feedback.guard(lambda _: self.changed()), names="value")
        self.someone_new.on_click(feedback.guard(lambda _: start_someone_new()))
        self.show_whose()
        super().__init__([
            heading("About you"), self.whose,
            paragraph("Both of these are optional. Your role helps a group see how differently people see the same project."),
            *with_counter(self.pseudonym),
            paragraph("Your role or roles in this project (tick any that fit, or none):"), *self.roles.values(),
            paragraph("Sharing this computer? Press the button below before the next person starts. "
                      "Your answers stay saved, and the next person will not see them."),
            self.someone_new, self.feedback,
        ], layout=FULL_WIDTH)
        self.add_class("cofa-person")

    def person(self) -> Person:
        """Who is on the page, as they are on screen now."""
        roles = tuple(k for k, box in self.roles.items() if box.value)
        return Person(self.person_id, clean_pseudonym(self.pseudonym.value), roles)

    def changed(self) -> None:
        self.show_whose()
        self._save.poke()

    def save(self) -> None:
        self._save.cancel()
        person = self.person()
        self.store.update_person(person.id, person.pseudonym, person.roles)

    def show_whose(self) -> None:
        name = self.person().pseudonym
        if name:
            words = f"You are working as “{escape(name)}”. Only your own answers are on this page."
        else:
            words = "You have not given a name. Only your own answers are on this page."
        self.whose.value = f'<p role="status">{words}</p>'
