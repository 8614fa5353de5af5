"""The ladder self-assessment page: the kit's page plus the ladder's own sections. Only wiring here.

pandas and altair are imported inside the callbacks that draw charts, so the form
appears as fast as a page with one button.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as widgets

from cofacilitate import ui
from cofacilitate.cards import Card
from cofacilitate.ladder.model import MAX_TEXT, Assessment, LadderVocabulary, StageAnswer, check_body
from cofacilitate.snapshots import Saved
from cofacilitate.words import when_words


def ladder_html(card: Card[LadderVocabulary]) -> str:
    """The chosen ladder, top rung first, each rung with its band in words."""
    vocabulary = card.vocabulary
    items = []
    for height, rung in reversed(list(enumerate(vocabulary.rungs, start=1))):
        band = vocabulary.band(rung.band)
        items.append(
            f'<li value="{height}"><strong>{escape(rung.label)}</strong> '
            f"<em>({escape(band.label.lower() if band else rung.band)})</em>: {escape(rung.meaning)}</li>"
        )
    return (
        ui.card_intro_html(card)
        + f'<p>The ladder has {len(vocabulary.rungs)} rungs. Rung 1 is the bottom; higher rungs mean power is '
        f'shared more.</p><ol reversed class="cofa-ladder-list">{"".join(items)}</ol>'
    )


def rung_meaning_html(vocabulary: LadderVocabulary, answer: str) -> str:
    """What the chosen rung means, in the card's words; nothing for an answer that is not a rung."""
    rung = vocabulary.rung(answer)
    if rung is None or not rung.meaning:
        return ""
    return f'<p aria-live="polite"><strong>{escape(vocabulary.answer_label(answer))}</strong>: {escape(rung.meaning)}</p>'


class StageQuestions(widgets.VBox):
    """The three questions for one stage; every one can be left or passed. Under each list,
    what the chosen rung means, so no one has to guess what "placation" is."""

    def __init__(self, card: Card[LadderVocabulary], stage_index: int,
                 guard: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
        self.vocabulary = card.vocabulary
        stage = self.vocabulary.stages[stage_index]
        self.stage_id = stage.id
        options = self.vocabulary.answer_options()
        self.now = ui.choice(f"Now, at “{stage.label}”:", options, css="cofa-now")
        self.aim = ui.choice(f"What we aim for, at “{stage.label}”:", options, css="cofa-aim")
        self.now_meaning, self.aim_meaning = ui.html("", "cofa-rung-meaning"), ui.html("", "cofa-rung-meaning")
        for box, meaning in ((self.now, self.now_meaning), (self.aim, self.aim_meaning)):
            box.observe(guard(lambda change, meaning=meaning: self.explain(meaning, change["new"])), names="value")
        self.climb = ui.text_field(f"What would it take to climb one rung at “{stage.label}”? (optional)",
                                   limit=MAX_TEXT, multiline=True, css="cofa-climb")
        self.fields: dict[str, widgets.ValueWidget] = {"now": self.now, "aim": self.aim, "climb": self.climb}
        super().__init__([ui.heading(stage.label, 3), ui.paragraph(stage.meaning), self.now, self.now_meaning,
                          self.aim, self.aim_meaning, *ui.with_counter(self.climb)])
        self.add_class("cofa-stage")

    def explain(self, meaning: widgets.HTML, answer: str) -> None:
        meaning.value = rung_meaning_html(self.vocabulary, answer)

    def answer(self) -> StageAnswer:
        return StageAnswer(stage=self.stage_id, now=self.now.value, aim=self.aim.value, climb=self.climb.value)

    def keep_drafts(self, drafts: ui.DraftKeeper, key: Callable[[str, str], str]) -> None:
        """Each field's draft belongs to the project chosen when it is typed, so two projects never mix."""
        for name, field in self.fields.items():
            drafts.keep(functools.partial(key, self.stage_id, name), field)

    def refill(self, drafts: ui.DraftKeeper, key: Callable[[str, str], str], answer: StageAnswer) -> None:
        """The project's last saved answer for this stage, with its newer drafts on top."""
        for name, field in self.fields.items():
            drafts.refill(key(self.stage_id, name), field, getattr(answer, name))


class LadderPage(ui.ToolPage[LadderVocabulary, Assessment]):
    """Where is involvement now, stage by stage, and where do we aim?"""

    vocabulary_type = LadderVocabulary
    card_question = "Which ladder would you like to use?"
    saved_what = "assessments"

    def __init__(self, ctx: ui.Context) -> None:
        super().__init__(ctx)
        guard = self.feedback.guard
        self.stage_area = widgets.VBox(layout=ui.FULL_WIDTH)
        self.stages: list[StageQuestions] = []
        self.why_moved = self.drafts.keep(
            lambda: self.project_key("why"),
            ui.text_field("If you have done this before: why did anything move since last time? (optional)",
                          limit=MAX_TEXT, multiline=True, css="cofa-why")
        )
        self.gap_view = ui.ChartView("cofa-gap-chart")
        self.history_button = ui.button("Show how things moved over time", "cofa-show-history")
        self.history_view = ui.ChartView("cofa-history-chart")
        self.history_button.on_click(lambda _: guard(self.show_history)())
        self.children = [
            *self.top,
            ui.heading("Your project"), *ui.with_counter(self.project), self.saved_list,
            ui.heading("Stage by stage"), self.stage_area, *ui.with_counter(self.why_moved),
            ui.paragraph("Your words are kept as you type, even if the page is closed. Press Save when you are ready."),
            self.save_button, self.feedback,
            *self.personal(self.gap_view, ui.heading("Over time"), self.history_button, self.history_view, self.files),
        ]
        latest = self.show_stages()
        self.show_saved_list()
        self.project.observe(guard(lambda _: self.fill_stages()), names="value")
        if latest and self.words_brought_back():
            self.welcome(f"Welcome back. The answers start from your last assessment ({when_words(latest.saved_at)}), "
                              "and we brought back what you were writing since then. Change whatever has moved.")
        elif latest:
            self.welcome(f"The answers below start from your last assessment ({when_words(latest.saved_at)}). "
                              "Change whatever has moved.")
        else:
            self.greet()

    def check(self, body: dict[str, Any]) -> Assessment:
        return check_body(body, self.vocabularies)

    def entry(self, saved: Saved[Assessment]) -> str:
        card = self.cards.get(saved.item.card)
        return f"{when_words(saved.saved_at)}: {card.title if card else saved.item.card}" + (
            f", saved as {saved.pseudonym}" if saved.pseudonym else "")

    def card_html(self, card: Card[LadderVocabulary]) -> str:
        return ladder_html(card)

    def card_changed(self) -> None:
        super().card_changed()
        self.show_stages()


    def show_stages(self) -> Saved[Assessment] | None:
        """Lay out the chosen ladder's stages (closing the last ladder's), filled for the project."""
        ui.retire(*self.stages)
        self.stages = [StageQuestions(self.card, index, self.feedback.guard)
                       for index in range(len(self.card.vocabulary.stages))]
        latest = self.fill_stages()
        for stage in self.stages:
            stage.keep_drafts(self.drafts, self.project_key)
        self.stage_area.children = self.stages
        return latest

    def fill_stages(self) -> Saved[Assessment] | None:
        """The project's last saved answers, with its newer drafts on top (another project shows its own)."""
        mine = self.of_project(self.card.id)
        latest = mine[-1] if mine else None
        for stage in self.stages:
            answer = latest.item.answer_for(stage.stage_id) if latest else StageAnswer(stage=stage.stage_id)
            stage.refill(self.drafts, self.project_key, answer)
        self.drafts.refill(self.project_key("why"), self.why_moved, "")
        return latest

    def save(self) -> None:
        assessment = Assessment(
            card=self.card.id, project=self.project_name(), answers=[stage.answer() for stage in self.stages],
            why_moved=self.why_moved.value.strip(),
        )
        on_screen = {self.project_key(stage.stage_id, name): field.value for stage in self.stages
                     for name, field in stage.fields.items()}
        self.keep_record(assessment.model_dump(), {**on_screen, self.project_key("why"): self.why_moved.value})
        if self.in_room:
            self.feedback.say("Your answers are saved. You can change them and Save again at any time.", "done")
            return
        self.feedback.say(f"Your answers about “{assessment.project}” are saved. Drawing your chart…", "done")
        self.draw_gap(assessment)
        self.feedback.say(f"Your answers about “{assessment.project}” are saved. The chart is below.", "done")

    def draw_gap(self, assessment: Assessment) -> None:
        from cofacilitate.ladder import analysis, charts

        frame = analysis.gap_frame(self.card.vocabulary, assessment)
        sentence = analysis.gap_sentence(frame)
        self.gap_view.show(
            charts.gap_chart(frame, self.card.vocabulary, sentence), sentence,
            f"Now and aim for “{assessment.project}”", analysis.GAP_COLUMNS, analysis.gap_rows(frame),
        )

    def show_history(self) -> None:
        from cofacilitate.ladder import analysis, charts

        mine = self.of_project(self.card.id)
        if not mine:
            self.feedback.say("There is nothing saved for this project with this ladder yet, so there is no change to show.")
            return
        frame = analysis.history_frame(self.card.vocabulary, mine)
        sentence = f"{analysis.history_sentence(frame)} {analysis.why_moved_sentence(mine)}".strip()
        columns, rows = analysis.history_table(frame)
        self.history_view.show(
            charts.history_chart(frame, self.card.vocabulary, sentence), sentence,
            f"Where involvement was at each assessment of “{self.project_name()}”", columns, rows,
        )

    def other_files(self) -> list[ui.DownloadFile]:
        from cofacilitate.frames import csv_bytes
        from cofacilitate.ladder import analysis

        items = self.shelf().items
        if not items:
            return []
        table = csv_bytes(analysis.export_frame(self.vocabularies, items))
        return [ui.DownloadFile("Download a spreadsheet (CSV)", "ladder-answers.csv", table, "text/csv", "cofa-download-csv")]
