"""The agendas page's own parts: a person's questions, the wall, and the document to take away.

The wall shows only what `analysis.wall` lets through (what people chose to share), and
every word on it is escaped here. pandas and altair load only when a chart is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from html import escape
from typing import Any

import ipywidgets as widgets

from cofacilitate import ui
from cofacilitate.agendas.analysis import (
    HOW_THREADS,
    THREAD_COLUMNS,
    Thread,
    Wall,
    thread_rows,
    wall_sentence,
)
from cofacilitate.agendas.model import MAX_ANSWER, SHARE_OPTIONS, AgendasVocabulary, Answer, Prompt
from cofacilitate.documents import Document, to_html, to_markdown


class PromptQuestions(widgets.VBox):
    """One question: a sentence of help, an example, any choices, the answer, and who may see it (only me, at first).

    Built once per card and filled again for each project, so words typed while the project
    changes stay in the box that is on screen; each field's draft belongs to the project chosen
    when it is typed.
    """

    def __init__(self, prompt: Prompt) -> None:
        self.prompt_id = prompt.id
        self.boxes = ui.tick_boxes([(choice.label, choice.id) for choice in prompt.choices], css="cofa-agenda-choice")
        self.text = ui.text_field(prompt.label, limit=MAX_ANSWER, multiline=True, css="cofa-answer")
        self.share = ui.choice(f"Who can see your answer to “{prompt.label}”?", SHARE_OPTIONS, css="cofa-share")
        self.fields: dict[str, widgets.ValueWidget] = {"text": self.text, "share": self.share, **self.boxes}
        example = f'<p class="cofa-example">For example: “{escape(prompt.example)}”</p>' if prompt.example else ""
        words = ui.html(f"<h3>{escape(prompt.label)}</h3><p>{escape(prompt.help)}</p>{example}")  # one widget, not three
        super().__init__([words, *self.boxes.values(), *ui.with_counter(self.text), self.share], layout=ui.FULL_WIDTH)
        self.add_class("cofa-prompt")

    def keep_drafts(self, drafts: ui.DraftKeeper, key: Callable[[str, str], str]) -> None:
        for name, field in self.fields.items():
            drafts.keep(partial(key, self.prompt_id, name), field)  # the key is read at each change

    def refill(self, drafts: ui.DraftKeeper, key: Callable[[str, str], str], saved: Answer) -> None:
        """The project's last saved answer to this question, with its newer drafts on top."""
        for name, field in self.fields.items():
            shown = saved.text if name == "text" else saved.share if name == "share" else name in saved.chosen
            drafts.refill(key(self.prompt_id, name), field, shown)

    def answer(self) -> Answer:
        return Answer(prompt=self.prompt_id, text=self.text.value.strip(), share=self.share.value,
                      chosen=[choice_id for choice_id, box in self.boxes.items() if box.value])

    def on_screen(self, key: Callable[[str, str], str]) -> dict[str, Any]:
        return {key(self.prompt_id, name): field.value for name, field in self.fields.items()}


def answer_html(who: str, text: str, chosen: tuple[str, ...]) -> str:
    picked = f" <em>({escape(', '.join(chosen))})</em>" if chosen else ""
    words = f" {escape(text)}" if text else ""
    return f"<li><strong>{escape(who)}:</strong>{words}{picked}</li>"


def threads_html(threads: list[Thread], prompt: str, heading_words: str) -> str:
    mine = [t for t in threads if t.prompt == prompt]
    if not mine:
        return ""
    items = "".join(f"<li>{escape(t.label)} ({t.people} {'person' if t.people == 1 else 'people'})</li>" for t in mine)
    return f"<p><strong>{escape(heading_words)}</strong></p><ul>{items}</ul>"


def wall_html(vocabulary: AgendasVocabulary, result: Wall) -> str:
    """Each question's shared answers (named, or 'Someone'), then the threads and differences in them."""
    if not result.sharing:
        return ("<p>No one has shared an answer for this project yet. When people choose “The group” for an answer, "
                "it shows here.</p>")
    parts = [f"<p>{result.agendas} {'person has' if result.agendas == 1 else 'people have'} saved an agenda for this "
             f"project. {result.sharing} shared at least one answer. Answers that people kept to themselves are not "
             "shown, and are not counted.</p>"]
    for prompt in vocabulary.prompts:
        answers = result.answers.get(prompt.id, [])
        listed = "".join(answer_html(a.who, a.text, a.chosen) for a in answers) or "<li>No shared answers yet.</li>"
        parts.append(f'<h3>{escape(prompt.label)}</h3><ul class="cofa-wall-answers">{listed}</ul>')
        parts.append(threads_html(result.threads, prompt.id, "Common threads in these answers"))
        parts.append(threads_html(result.one_offs, prompt.id, "Said by one person: differences are useful too"))
    return '<div class="cofa-wall">' + "".join(parts) + "</div>"


class WallSection(widgets.VBox):
    """2. Everyone's shared answers side by side, with the threads that run through them."""

    def __init__(self, make_wall: Callable[[], tuple[AgendasVocabulary, Wall]]) -> None:
        self.make_wall = make_wall
        self.feedback = ui.Feedback()
        self.button = ui.button("Show the wall", "cofa-show-wall")
        self.view = ui.html("", "cofa-wall-view")
        self.chart = ui.ChartView("cofa-threads-chart")
        self.button.on_click(lambda _: self.feedback.guard(self.show)())
        super().__init__([ui.heading("2. The wall"),
                          ui.paragraph("See the agendas side by side: only the answers people chose to share, with a "
                                       "name or with no name. Different reasons are not a problem; they show what to plan for."),
                          ui.paragraph(HOW_THREADS), self.button, self.feedback, self.view, self.chart],
                         layout=ui.FULL_WIDTH)
        self.add_class("cofa-wall-section")

    def show(self) -> None:
        vocabulary, result = self.make_wall()
        self.view.value = wall_html(vocabulary, result)
        sentence = wall_sentence(result)
        if result.threads:
            from cofacilitate.agendas import charts

            self.chart.show(charts.threads_chart(charts.thread_frame(result.threads), sentence), sentence,
                            "Threads that run through our agendas", THREAD_COLUMNS, thread_rows(result.threads))
        else:
            self.chart.children = []
        self.feedback.say(f"The wall is up to date. {sentence}", "done")


class TakeAwaySection(widgets.VBox):
    """6. The "ways of working" document, as a web page that prints well and as Markdown."""

    def __init__(self, make_document: Callable[[], Document]) -> None:
        self.make_document = make_document
        self.feedback = ui.Feedback()
        self.button = ui.button("Make our ways of working document", "cofa-make-document")
        self.links = ui.html("", "cofa-document-links")
        self.button.on_click(lambda _: self.feedback.guard(self.make)())
        super().__init__([ui.heading("6. Our ways of working"),
                          ui.paragraph("One page with your purpose, your ground rules, your words and the common threads. "
                                       "It holds no one's own answers. Open the web page to print it."),
                          self.button, self.feedback, self.links], layout=ui.FULL_WIDTH)
        self.add_class("cofa-takeaway-section")

    def make(self) -> None:
        doc = self.make_document()
        stamp = datetime.now().strftime("%Y-%m-%d")
        self.links.value = (
            ui.download_link("Download the web page (to print)", f"ways-of-working-{stamp}.html", to_html(doc).encode(),
                             "text/html", "cofa-download-html")
            + ui.download_link("Download as Markdown (text)", f"ways-of-working-{stamp}.md", to_markdown(doc).encode(),
                               "text/markdown", "cofa-download-md"))
        self.feedback.say("Your document is ready. Use the links below.", "done")
