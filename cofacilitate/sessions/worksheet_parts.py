"""The questions of each tool on paper: the same questions its page asks, from the same card, with room to write.

A page's drop-down becomes a list of tick boxes (empty squares a pen can fill), a text box becomes
ruled lines, and every question says it can be left empty, as every question on a page can be passed.
Each question is one block that a printer keeps on one page. Every word from a card is escaped here.
The card's own words come from the pages' own makers, so this module loads the page kit: worksheets.py
imports it only when it makes sheets, never when the command line is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import Any

from cofacilitate.agendas.model import SHARE_OPTIONS
from cofacilitate.cards import Card
from cofacilitate.ladder.app import ladder_html
from cofacilitate.ladder.model import NOT_ANSWERED
from cofacilitate.people import ROLES
from cofacilitate.ui import SUPPORT, card_intro_html
from cofacilitate.words import join_words

MAY_SKIP = "You can leave this empty."
TICK_ANY = "Tick any that fit."
TICK_ONE = "Tick one."
PASS = "I'd rather not say"
PEOPLE_ON_PAPER = 7  # blank rows for people and groups on a power map sheet
MISSING_ON_PAPER = 2
BOX = '<span class="box" aria-hidden="true"></span>'  # an empty square a pen can fill (not a form control)
MORE_ROOM = "If you need more room, write on the back of the sheet."


def ticks(labels: Iterable[str], layout: str = "") -> str:
    """Empty squares to tick, each with its words (`layout`: "two" for two columns, "across" for one line)."""
    items = "".join(f"<li>{BOX}<span>{escape(label)}</span></li>" for label in labels)
    return f'<ul class="ticks {layout}">{items}</ul>'


def side_by_side(*questions: str) -> str:
    """Questions next to each other where the paper is wide enough (one under another where not)."""
    return '<div class="side-by-side">' + "".join(questions) + "</div>"


def lines(count: int) -> str:
    """Ruled lines to write on."""
    return '<div class="lines">' + '<div class="line"></div>' * count + "</div>"


def question(label: str, *parts: str, help_text: str = "", level: int = 3) -> str:
    """One question, kept on one printed page, with its answer space and "You can leave this empty"."""
    helping = f"<p>{escape(help_text)}</p>" if help_text else ""
    return (f'<section class="question"><h{level}>{escape(label)}</h{level}>{helping}{"".join(parts)}'
            f'<p class="may-skip">{MAY_SKIP}</p></section>')


def heading(words: str, intro: str = "") -> str:
    return f"<h2>{escape(words)}</h2>" + (f"<p>{escape(intro)}</p>" if intro else "")


def about_you() -> str:
    """Who filled the sheet in: a name and roles, both optional, as in every page's "About you"."""
    return heading("About you", "Both of these are optional.") + side_by_side(
        question("A name for yourself (any name you like; it need not be your real name)", lines(1)),
        question("Your role or roles in this project (tick any that fit, or none):", ticks(ROLES.values())))


# -- the ladder ---------------------------------------------------------------------------------------------


def ladder(card: Card[Any]) -> str:
    """Each stage: where involvement is now and what we aim for (every rung, then the answers that are not a rung),
    and what it would take to climb one rung; then why anything moved. The rungs' meanings are in the card's key above."""
    vocabulary = card.vocabulary
    answers = [label for label, key in vocabulary.answer_options() if key != NOT_ANSWERED]
    parts = [heading("Stage by stage", "For each stage, tick one box for now and one box for what you aim for.")]
    for stage in vocabulary.stages:
        rows = "".join(f'<tr><td>{escape(answer)}</td><td class="tick">{BOX}</td><td class="tick">{BOX}</td></tr>'
                       for answer in answers)
        table = (f'<table class="choose"><thead><tr><th scope="col">Answer</th><th scope="col" class="tick">Now</th>'
                 f'<th scope="col" class="tick">What we aim for</th></tr></thead><tbody>{rows}</tbody></table>')
        parts.append('<div class="stage together">'
                     + side_by_side(question(stage.label, table, help_text=stage.meaning),
                                    question(f"What would it take to climb one rung at “{stage.label}”? (optional)",
                                             lines(5), level=4))
                     + "</div>")
    parts.append(question("If you have done this before: why did anything move since last time? (optional)", lines(4)))
    return "".join(parts)


# -- the power map ------------------------------------------------------------------------------------------


def powermap(card: Card[Any]) -> str:
    """People and groups, who is missing, who has a say in each decision, and the kinds of power at work."""
    vocabulary = card.vocabulary
    missing = [question("Who is missing?", lines(1)),
               question("Why might they be missing?", f"<p>{TICK_ANY}</p>",
                        ticks([r.label for r in vocabulary.missing_reasons], "two")),
               side_by_side(question("Another reason, in your own words (optional)", lines(2)),
                            question("One step that could bring them in (optional)", lines(2)))]
    say_heads = "".join(f'<th scope="col">{escape(level.label)}<br><small>{escape(level.meaning)}</small></th>'
                        for level in vocabulary.say_levels)
    cells = "<td></td>" * len(vocabulary.say_levels)
    rows = "".join(f'<tr><th scope="row">{escape(d.label)}</th>{cells}</tr>' for d in vocabulary.decisions)
    rows += f'<tr><th scope="row">Add a decision of your own:{lines(1)}</th>{cells}</tr>'
    grid = (f'<table class="write-in"><thead><tr><th scope="col">Decision</th>{say_heads}</tr></thead>'
            f"<tbody>{rows}</tbody></table>")
    return "".join([
        heading("1. People and groups around the project", f"Add each person or group. {MORE_ROOM}"),
        people_table(vocabulary),
        heading("2. Who is not in the room?", "Think about who should have a say but is not here, and why."),
        *(numbered(f"Missing voice {n}", missing) for n in range(1, MISSING_ON_PAPER + 1)),
        heading("3. Who has a say in each decision?"),
        question("For each decision, write which people or groups have each kind of say.", grid,
                 help_text="Leave any you are not sure of."),
        heading("4. What kinds of power are at work?",
                "Tick any you notice. None of these are about blame: they help a team talk about power."),
        question("Kinds of power", ticks(f"{t.label}: {t.meaning}" for t in vocabulary.power_types)),
        question("What did you notice about power? (optional)", lines(3)),
        question("Where are decisions made?", ticks(f"{t.label}: {t.meaning}" for t in vocabulary.spaces)),
        question("Where are the real decisions made? (optional)", lines(3)),
        question("One change the team could make (optional)", lines(3)),
    ])


def people_table(vocabulary: Any) -> str:
    """A row for each person or group: the page's five questions about them, with the scales' words in a key."""
    influence, involvement = vocabulary.influence, vocabulary.involvement
    groups = [group.label for group in vocabulary.groups]
    keys = side_by_side(*(f'<div class="key"><p><strong>{escape(words)}</strong></p><ol>'
                          + "".join(f"<li>{escape(t.label)}</li>" for t in terms) + "</ol></div>"
                          for words, terms in (("How much influence do they have over decisions?", influence),
                                               ("How involved are they day to day?", involvement))))

    def steps(terms: Sequence[Any]) -> str:
        return "".join(f'<th scope="col" class="step">{n}</th>' for n in range(1, len(terms) + 1))

    columns = (f'<colgroup><col><col><col class="room"><col class="step" span="{len(influence)}">'
               f'<col class="step" span="{len(involvement)}"></colgroup>')
    head = ('<thead><tr><th scope="col" rowspan="2">Name of the person or group</th>'
            '<th scope="col" rowspan="2">Which group are they in?</th><th scope="col" rowspan="2">In the room now?</th>'
            f'<th scope="colgroup" colspan="{len(influence)}">Influence</th>'
            f'<th scope="colgroup" colspan="{len(involvement)}">Involved</th></tr>'
            f"<tr>{steps(influence)}{steps(involvement)}</tr></thead>")
    row = "<tr><td></td><td></td>" + f'<td class="tick">{BOX}</td>' * (1 + len(influence) + len(involvement)) + "</tr>"
    table = f'<table class="people">{columns}{head}<tbody>{row * PEOPLE_ON_PAPER}</tbody></table>'
    groups_said = f"Which group are they in? For example: {join_words(groups)}. Or write a group of their own."
    how = ("Write one on each line. Tick “In the room now” if they take part where decisions are made. "
           "Then tick one number for influence and one for how involved they are.")
    return question("Who is around the project?", f"<p>{escape(groups_said)}</p>", keys, f"<p>{how}</p>", table)


def numbered(title: str, questions: Sequence[str]) -> str:
    """Questions asked again for each missing voice a sheet has room for, kept on one page."""
    return f'<div class="group"><h3 class="group-title">{escape(title)}</h3>{"".join(questions)}</div>'


# -- naming agendas ----------------------------------------------------------------------------------------


def agendas(card: Card[Any]) -> str:
    """A person's own agenda: each question with its help, example and choices, and who may see the answer."""
    parts = [heading("1. Your agenda", "For each answer, tick who can see it. The group agrees its purpose, "
                                       "ground rules and words together, on the wall.")]
    for prompt in card.vocabulary.prompts:
        example = f'<p class="example">For example: “{escape(prompt.example)}”</p>' if prompt.example else ""
        choices = ticks([c.label for c in prompt.choices], "two") if prompt.choices else ""
        answer = question(prompt.label, example, choices, lines(4 if not choices else 2), help_text=prompt.help)
        sharing = question(f"Who can see your answer to “{prompt.label}”?",
                           ticks((label for label, _ in SHARE_OPTIONS), "across"), level=4)
        parts.append(f'<div class="together">{answer}{sharing}</div>')  # an answer and who may see it, on one page
    return "".join(parts)


# -- the diary ----------------------------------------------------------------------------------------------


def diary(card: Card[Any]) -> str:
    """An entry: when, what it was, one way of writing (each with its questions), a check-in, support, and tags."""
    vocabulary = card.vocabulary
    parts = [heading("Write an entry"),
             question("Which project was it part of?", lines(1)),
             question("The date it happened", lines(1)),
             question("What was it?", ticks([o.label for o in vocabulary.occasions], "two")),
             question("How would you like to write?", f"<p>{TICK_ONE} Then answer that way's questions below. {MORE_ROOM}</p>",
                      ticks([s.label for s in vocabulary.prompt_sets]))]
    for way in vocabulary.prompt_sets:
        rows = 3 if len(way.prompts) > 1 else 10
        parts.append(f'<h3 class="way">{escape(way.label)}</h3>')
        parts += [question(prompt.label, lines(rows), help_text=prompt.meaning, level=4) for prompt in way.prompts]
    check_in = vocabulary.check_in
    parts += [heading("How was it for me?",
                      "Only you see this. It is not a test and not a score, and you can pass either question."),
              *(question(scale.label, ticks([*(f"{n}. {step}" for n, step in enumerate(scale.steps, 1)), PASS]))
                for scale in (check_in.took_out, check_in.safe)),
              question("Anything else about how it felt? (optional)", lines(3)),
              support_contacts(vocabulary.support.contacts),
              heading("Tags", f"Tags show which ideas of good co-production an entry is about. {TICK_ANY}"),
              question("Which ideas is this entry about?",
                       ticks((f"{tag.label} ({tag.group})" for tag in vocabulary.tags), "two"), level=4)]
    return "".join(parts)


def support_contacts(contacts: Sequence[Any]) -> str:
    """The card's support contacts, always shown on paper (a page shows them after a heavy check-in)."""
    items = "".join(f"<li><strong>{escape(c.label)}</strong>: {escape(c.meaning)}</li>" for c in contacts)
    return (f'<aside class="support" aria-label="Support you can reach"><p><strong>If this took a lot out of you, '
            f"these can help:</strong></p><ul>{items}</ul></aside>")


def support_note() -> str:
    """Every sheet says it is not a clinical service, and where support is, in the pages' own words."""
    return f'<aside class="support" aria-label="Where to find support"><p>{escape(SUPPORT)}</p></aside>'


def card_words(card: Card[Any]) -> str:
    """The card's title, purpose, instructions and source as its page shows them; a ladder's with its rungs' key."""
    return ladder_html(card) if card.tool == "ladder" else card_intro_html(card)


QUESTIONS: dict[str, Callable[[Card[Any]], str]] = {
    "ladder": ladder, "powermap": powermap, "agendas": agendas, "diary": diary,
}
