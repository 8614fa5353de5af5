"""Whose answers are on the page: the person's chosen name and roles, a way to hand over, and back.

On a shared laptop (a team round one screen, a workshop laptop passed round) the person leaving
presses one button, is shown a return code once, and lets the next person start with an empty
page; the last person's words stay saved, apart, and are never shown to them. Typing the code
into "Coming back?" later brings back their own page, without a list of anyone's names.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as widgets

from cofacilitate.people import MAX_PSEUDONYM, ROLES, clean_pseudonym
from cofacilitate.store import Owner, Person, Workspace
from cofacilitate.ui.events import Debounced
from cofacilitate.ui.fields import FULL_WIDTH, button, heading, html, paragraph, retire, text_field, tick_boxes, with_counter
from cofacilitate.ui.messages import Feedback

# Why a page asks for roles; a tool whose answers stay with the person says its own sentence.
ROLES_FOR_A_GROUP = "Your role helps a group see how differently people see the same project."
COME_BACK_LABEL = "Coming back? Type your return code"
NO_SUCH_CODE = ("That return code does not match any answers on this computer. Please check it and try again. "
                "A return code has 8 letters and numbers, such as ABCD-2345.")


class PersonBar(widgets.VBox):
    """The person's name and roles (both optional, kept as they type), "start as someone new" with a
    return code shown once, and "Coming back?" for a code shown before.

    `come_back(person)` swaps in the page of whoever the typed code belongs to (the page's Shell);
    without it the box offers no way back.
    """

    def __init__(self, store: Workspace, person: Person, start_someone_new: Callable[[], None], *, room: str = "",
                 come_back: Callable[[Person], None] | None = None, roles_sentence: str = ROLES_FOR_A_GROUP,
                 hand_over: bool = True) -> None:
        self.store, self.person_id, self.room = store, person.id, room
        self.start_someone_new, self.come_back = start_someone_new, come_back
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
        self.handing_over = widgets.VBox(layout=FULL_WIDTH)  # the return code and the last step, once pressed
        self.return_code = text_field(COME_BACK_LABEL, limit=40, css="cofa-return-code")
        self.bring_back = button("Bring back my answers", "cofa-come-back")
        self._save = Debounced(feedback.guard(self.save), 0.6)
        self.stored_name = person.pseudonym
        self.on_saved: list[Callable[[bool], None]] = []  # told whether the name on screen fitted
        for field in [self.pseudonym, *self.roles.values()]:
            field.observe(feedback.guard(lambda _: self.changed()), names="value")
        self.someone_new.on_click(feedback.guard(lambda _: self.offer_code()))
        self.bring_back.on_click(feedback.guard(lambda _: self.come_back_with_code()))
        self.show_whose()
        way_back = [*with_counter(self.return_code), self.bring_back] if come_back else []
        sharing = [paragraph("Sharing this computer? Press the button below before the next person starts. "
                             "Your answers stay saved, and the next person will not see them. "
                             "You get a return code, so you can come back to them later."),
                   self.someone_new, self.handing_over, *way_back] if hand_over else []
        super().__init__([
            heading("About you"), self.whose,
            paragraph(f"Both of these are optional. {roles_sentence}"),
            *with_counter(self.pseudonym),
            paragraph("Your role or roles in this project (tick any that fit, or none):"), *self.roles.values(),
            *sharing, self.feedback,
        ], layout=FULL_WIDTH)
        self.add_class("cofa-person")

    # -- handing over, and coming back -------------------------------------------
    def offer_code(self, new_code: bool = False) -> None:
        """The person is leaving: show their return code, once, before the next person can start."""
        owner = Owner(self.person_id, self.room)
        if new_code or not self.store.has_return_code(owner):
            code = escape(self.store.give_return_code(owner))
            words = [html(f'<p>Your return code is <strong class="cofa-code">{code}</strong></p>'),
                     paragraph("Write it down or take a photo of it now: it is shown only this once. To come back to "
                               f"your answers on this computer, type it in the box “{COME_BACK_LABEL}”.")]
            choices = [("I have my code: let the next person start", "cofa-hand-over", True, self.start_someone_new)]
        else:
            words = [paragraph("You already have a return code from before, and it still works. "
                               "Use it to come back to your answers.")]
            choices = [("Let the next person start", "cofa-hand-over", True, self.start_someone_new),
                       ("I have lost it: give me a new code", "cofa-new-code", False, lambda: self.offer_code(new_code=True))]
        buttons = []
        for label, css, primary, action in [*choices, ("Not yet: stay on my answers", "cofa-stay", False, self.stay)]:
            made = button(label, css, primary=primary)
            made.on_click(self.feedback.guard(lambda _, act=action: act()))
            buttons.append(made)
        self.show_handing_over([*words, *buttons])

    def stay(self) -> None:
        self.show_handing_over([])
        self.feedback.say("You are still on your own answers.", "done")

    def show_handing_over(self, parts: list[widgets.Widget]) -> None:
        """Put these in the hand-over box, closing what was there (an earlier code leaves the kernel and the browser)."""
        replaced = list(self.handing_over.children)
        self.handing_over.children = parts
        retire(*replaced)

    def come_back_with_code(self) -> None:
        typed, self.return_code.value = self.return_code.value, ""  # the code never stays on the page
        if not typed.strip():
            self.feedback.say("Please type your return code in the box first.", "problem")
            return
        person = self.store.come_back(typed, self.room)
        if person is None or self.come_back is None:
            self.feedback.say(NO_SUCH_CODE, "problem")
            return
        self.come_back(person)

    def person(self) -> Person:
        """Who is on the page, as they are on screen now."""
        roles = tuple(k for k, box in self.roles.items() if box.value)
        return Person(self.person_id, clean_pseudonym(self.pseudonym.value), roles)

    def changed(self) -> None:
        self.show_whose()
        self._save.poke()

    def save(self) -> None:
        """Keep the name and roles; a name longer than it can be stays on screen (and as a draft), never cut."""
        self._save.cancel()
        person = self.person()
        fits = len(self.pseudonym.value.strip()) <= MAX_PSEUDONYM
        self.stored_name = person.pseudonym if fits else self.stored_name
        self.store.update_person(person.id, self.stored_name, person.roles)
        for listener in self.on_saved:
            listener(fits)

    def show_whose(self) -> None:
        name = self.person().pseudonym
        if name:
            words = f"You are working as “{escape(name)}”. Only your own answers are on this page."
        else:
            words = "You have not given a name. Only your own answers are on this page."
        self.whose.value = f'<p role="status">{words}</p>'
