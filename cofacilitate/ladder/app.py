"""The ladder self-assessment page: card + workspace in, widgets out. Only wiring here.

pandas and altair are imported inside the callbacks that draw charts, so the form
appears as fast as a page with one button.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import ipywidgets as widgets

from cofacilitate import ui
from cofacilitate.cards import Card, CardError, load_cards
from cofacilitate.ladder.model import (
    TOOL,
    Assessment,
    LadderVocabulary,
    StageAnswer,
    check_body,
)
from cofacilitate.people import ROLES, clean_pseudonym
from cofacilitate.snapshots import (
    Saved,
    of_project,
    project_name,
    projects,
    saved_items,
)
from cofacilitate.store import Workspace
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


class StageQuestions(widgets.VBox):
    """The three questions for one stage; every one can be left or passed."""

    def __init__(self, card: Card[LadderVocabulary], stage_index: int, drafts: ui.DraftKeeper) -> None:
        stage = card.vocabulary.stages[stage_index]
        self.stage_id = stage.id
        options = card.vocabulary.answer_options()
        key = f"{card.id}/{stage.id}"
        self.now = drafts.keep(f"{key}/now", ui.choice(f"Now, at “{stage.label}”:", options, css="cofa-now"))
        self.aim = drafts.keep(f"{key}/aim", ui.choice(f"What we aim for, at “{stage.label}”:", options, css="cofa-aim"))
        self.climb = drafts.keep(
            f"{key}/climb",
            ui.text_field(f"What would it take to climb one rung at “{stage.label}”? (optional)", multiline=True, css="cofa-climb"),
        )
        self.draft_keys = [f"{key}/now", f"{key}/aim", f"{key}/climb"]
        super().__init__([ui.heading(stage.label, 3), ui.paragraph(stage.meaning), self.now, self.aim, self.climb])
        self.add_class("cofa-stage")

    def answer(self) -> StageAnswer:
        return StageAnswer(stage=self.stage_id, now=self.now.value, aim=self.aim.value, climb=self.climb.value)

    def fill(self, answer: StageAnswer) -> None:
        self.now.value, self.aim.value, self.climb.value = answer.now, answer.aim, answer.climb


class LadderApp(widgets.VBox):
    """Where is involvement now, stage by stage, and where do we aim?"""

    def __init__(self, workspace: Workspace, cards_folder: Path | None = None, owner: str = "") -> None:
        super().__init__(layout=ui.FULL_WIDTH)
        self.workspace = workspace
        self.cards, card_problems = load_cards(TOOL, LadderVocabulary, cards_folder)
        if not self.cards:
            raise CardError("No ladder card could be used, so this page cannot open.\n" + "\n".join(card_problems))
        self.vocabularies = {card_id: card.vocabulary for card_id, card in self.cards.items()}
        self.feedback = ui.Feedback()
        self.drafts = ui.DraftKeeper(workspace, TOOL, owner, self.feedback)
        guard = self.feedback.guard

        self.card_choice = self.drafts.keep(
            "card", ui.choice("Which ladder would you like to use?", [(c.title, c.id) for c in self.cards.values()], css="cofa-card-choice")
        )
        self.ladder_view = ui.html("", "cofa-ladder")
        self.pseudonym = self.drafts.keep(
            "pseudonym", ui.text_field("A name for yourself (any name you like; it need not be your real name)", css="cofa-pseudonym")
        )
        self.roles = ui.tick_boxes([(label, key) for key, label in ROLES.items()], css="cofa-role")
        for key, box in self.roles.items():
            self.drafts.keep(f"role/{key}", box)
        self.project = self.drafts.keep("project", ui.project_field("Which project are you thinking about?"))
        self.stage_area = widgets.VBox(layout=ui.FULL_WIDTH)
        self.stages: list[StageQuestions] = []
        self.why_moved = self.drafts.keep(
            "why", ui.text_field("If you have done this before: why did anything move since last time? (optional)", multiline=True, css="cofa-why")
        )
        self.save_button = ui.button("Save my answers", "cofa-save", primary=True)
        self.gap_view = ui.ChartView("cofa-gap-chart")
        self.history_list = ui.html("", "cofa-history")
        self.history_button = ui.button("Show how things moved over time", "cofa-show-history")
        self.history_view = ui.ChartView("cofa-history-chart")
        self.files = ui.FilesPanel(self.feedback, workspace, TOOL, lambda body: check_body(body, self.vocabularies),
                                    self.files_to_download, self.show_history_list)

        self.card_choice.observe(guard(lambda _: self.show_card()), names="value")
        self.project.observe(guard(lambda _: self.show_history_list()), names="value")
        save = guard(self.save, problem="Your answers could not be saved just now. They are still on screen "
                     "and kept as a draft. Please try Save again in a moment.")
        self.save_button.on_click(lambda _: ui.after_input_settles(save))
        self.history_button.on_click(lambda _: ui.after_input_settles(guard(self.show_history)))

        problems = [ui.problem_note(problem) for problem in card_problems]
        self.children = [
            ui.storage_notice(workspace), *problems, self.card_choice, self.ladder_view,
            ui.heading("About you"),
            ui.paragraph("Both of these are optional. Your role helps a group see how differently people see the same project."),
            self.pseudonym, ui.paragraph("Your role or roles in this project (tick any that fit, or none):"), *self.roles.values(),
            ui.heading("Your project"), self.project, self.history_list,
            ui.heading("Stage by stage"), self.stage_area, self.why_moved,
            ui.paragraph("Your words are kept as you type, even if the page is closed. Press Save when you are ready."),
            self.save_button, self.feedback, self.gap_view,
            ui.heading("Over time"), self.history_button, self.history_view,
            self.files,
        ]
        self.show_card(restored=bool(self.drafts.saved))
        self.show_history_list()

    # -- reading the page -----------------------------------------------------
    @property
    def card(self) -> Card[LadderVocabulary]:
        return self.cards[self.card_choice.value]

    def project_name(self) -> str:
        return project_name(self.project.value)

    def saved(self) -> list[Saved[Assessment]]:
        """Every saved assessment in this workspace that still fits its card."""
        return saved_items(self.workspace.records(TOOL), lambda body: check_body(body, self.vocabularies))

    # -- actions ---------------------------------------------------------------
    def show_card(self, restored: bool = False) -> None:
        """Lay out the chosen ladder and its stages; start from drafts, else from last time."""
        self.ladder_view.value = ladder_html(self.card)
        for old in self.stages:
            old.close()
        self.stages = [StageQuestions(self.card, index, self.drafts) for index in range(len(self.card.vocabulary.stages))]
        self.stage_area.children = self.stages
        stage_drafts = any(key in self.drafts.saved for stage in self.stages for key in stage.draft_keys)
        latest = self.latest_for_project()
        if restored and (stage_drafts or self.why_moved.value):
            self.feedback.say("Welcome back. We brought back what you were writing last time.")
        elif latest and not stage_drafts:
            for stage in self.stages:
                stage.fill(latest.item.answer_for(stage.stage_id))
            self.feedback.say(
                f"The answers below start from your last assessment ({when_words(latest.saved_at)}). Change whatever has moved."
            )

    def latest_for_project(self) -> Saved[Assessment] | None:
        mine = of_project(self.saved(), self.project_name(), self.card.id)
        return mine[-1] if mine else None

    def show_history_list(self) -> None:
        saved = self.saved()
        self.project.options = projects(saved)
        entries = [
            f"{when_words(s.saved_at)}: {self.cards[s.item.card].title}" + (f", saved as {s.pseudonym}" if s.pseudonym else "")
            for s in of_project(saved, self.project_name())
        ]
        self.history_list.value = ui.saved_list_html(self.project_name(), "assessments", entries)

    def save(self) -> None:
        self.drafts.flush()
        assessment = Assessment(
            card=self.card.id, project=self.project_name(), answers=[stage.answer() for stage in self.stages],
            why_moved=self.why_moved.value.strip(),
        )
        roles = [key for key, box in self.roles.items() if box.value]
        self.workspace.save_record(TOOL, assessment.model_dump(), participant=clean_pseudonym(self.pseudonym.value), roles=roles)
        self.drafts.forget([key for stage in self.stages for key in stage.draft_keys] + ["why"])
        self.show_history_list()
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

        mine = of_project(self.saved(), self.project_name(), self.card.id)
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

    def files_to_download(self) -> list[ui.DownloadFile]:
        from cofacilitate.frames import csv_bytes
        from cofacilitate.ladder import analysis

        records = self.workspace.records(TOOL)
        if not records:
            return []
        table = csv_bytes(analysis.export_frame(self.vocabularies, self.saved()))
        return [
            ui.DownloadFile("Download my response card (for this app)", "ladder-response-card.json",
                            self.workspace.export_card(TOOL, records), "application/json", "cofa-download-card"),
            ui.DownloadFile("Download a spreadsheet (CSV)", "ladder-answers.csv", table, "text/csv", "cofa-download-csv"),
        ]


def show(home: str | None = None) -> widgets.Widget:
    """What the workbook calls: the whole ladder page, or a plain message if it cannot open."""
    return ui.launch(LadderApp, home)
