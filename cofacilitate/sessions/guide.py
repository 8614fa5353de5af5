"""The facilitator's guide, made from a session plan: a web page that prints, and the same guide as Markdown.

It is built as one `Document` (cofacilitate/documents.py writes it out, escaping every word), because the plan's
words are typed by a facilitator and may hold anything. A step's own `opening`, `closing` and `watch_for` come
first; the words in guide_words.py fill in the rest, so a short plan still makes a whole guide. This module is
imported when the command line is read, so it imports no widgets (the pages' support words are read only when
a guide is made).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cofacilitate.cards import Card, Catalogue, catalogue
from cofacilitate.cli import say
from cofacilitate.documents import Document, Section, to_html, to_markdown
from cofacilitate.sessions import guide_words as words
from cofacilitate.sessions.plan import Part, Session, sessions_dir
from cofacilitate.tools import TOOLS
from cofacilitate.words import join_words, tidy


def clock(minutes: int) -> str:
    """Minutes from the start as hours and minutes ("0:10", "1:30"), as the dashboard's plan shows them."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def place(part: Part) -> str:
    """Where a part happens, as the timetable says it."""
    if part.kind == "break":
        return words.BREAK
    if part.kind == "talk":
        return words.TOGETHER
    if part.in_room:
        return words.IN_THE_ROOM
    private = any(info.id == part.tool and not info.in_rooms for info in TOOLS)
    return words.TAKEN_HOME if private else words.ON_PAPER


def part_words(part: Part) -> words.PartWords:
    if part.kind != "exercise":
        return words.KIND_WORDS[part.kind]
    return words.TOOL_WORDS.get(part.tool, words.ANY_EXERCISE)


def part_section(part: Part, card: Card[Any] | None, room: bool) -> Section:
    """One part: how long, where, what it is for, what to say to open and close it, and what to watch for.

    `room`: whether the session runs a room, which the facilitator moves on to each part in turn."""
    said = part_words(part)
    where = place(part)
    lines = [f"{part.minutes} minutes ({where}).", tidy(card.purpose) if card else said.purpose or part.title]
    if card and card.duration_minutes != part.minutes:
        lines.append(f"The card suggests about {card.duration_minutes} minutes. This plan gives it {part.minutes}, "
                     "so keep an eye on the time.")
    if room:
        lines.append(words.ROOM_MOVES if part.starts_at else words.ROOM_STARTS)
    lines += {words.IN_THE_ROOM: [words.IN_ROOM_SAYS], words.ON_PAPER: [words.ON_PAPER_SAYS],
              words.TAKEN_HOME: [words.TAKEN_HOME_SAYS]}.get(where, [])
    lines.append(f"{words.OPEN_LEAD} {tidy(part.opening or said.opening)}")
    lines.append(f"{words.CLOSE_LEAD} {tidy(part.closing or said.closing)}")
    watch = [*said.watch_for, *(tidy(item) for item in part.watch_for)]
    lines.append(words.PART_WATCH_LEAD if watch else words.PART_WATCH_ONLY)
    return Section(f"{clock(part.starts_at)} {part.title}", lines, watch)


def support_section(session: Session, cards: Catalogue) -> Section:
    """The not-a-service line, the pages' own support words, and every card's contacts once (the session's cards first)."""
    from cofacilitate.ui.messages import SUPPORT  # the pages' words; read here, so the command line loads no widgets

    used = {part.card for part in session.exercises}
    contacts: list[str] = []
    files: list[str] = []
    for card in sorted(cards.cards.values(), key=lambda found: found.id not in used):
        found = getattr(getattr(card.vocabulary, "support", None), "contacts", None) or []
        for contact in found:
            line = f"{tidy(contact.label)}: {tidy(contact.meaning)}" if contact.meaning else tidy(contact.label)
            if line.casefold() not in {known.casefold() for known in contacts}:
                contacts.append(line)
        if found:
            files.append(cards.paths[card.id].name)
    lines = [words.NOT_A_SERVICE, words.PAGES_SAY, SUPPORT]
    if contacts:
        lines.append(f"The exercise cards show people these support contacts. They come from the card "
                     f"{'file' if len(files) == 1 else 'files'} {join_words(files)}, where you can change them:")
    return Section(words.SUPPORT_HEADING, lines if contacts else [*lines, words.NO_CONTACTS], contacts)


def session_name(session: Session) -> str:
    """How a facilitator names the session on the command line: a shipped one by its id, any other by its file."""
    shipped = session.source and Path(session.source).resolve().parent == sessions_dir().resolve()
    return session.id if shipped or not session.source else session.source


def before_section(session: Session) -> Section:
    name = session_name(session)
    lines = [words.WORKSHEETS_SAY, f"cofacilitate session worksheets {name}"]
    if session.room_tools:
        lines += [words.ROOM_SAY, f"cofacilitate workshop --session {name}"]
    return Section("Before the session", lines, words.BEFORE)


def session_guide(session: Session, cards: Catalogue | None = None) -> Document:
    """The whole guide for one session, in the order a facilitator reads it before and during the session."""
    found = cards or catalogue()
    total = sum(part.minutes for part in session.parts)
    rows = [(clock(part.starts_at), str(part.minutes), part.title, place(part)) for part in session.parts]
    timetable = Section("Timetable", [words.TIMES_SAY], columns=words.TIMETABLE_COLUMNS,
                        rows=[*rows, (clock(total), str(total), words.IN_ALL, "")])
    after = [*(words.AFTER_ROOM if session.room_tools else words.AFTER_NO_ROOM), *words.AFTER_ALWAYS]
    return Document(
        f"Facilitator’s guide: {session.title}",
        [words.INTRO, f"The session takes {total} minutes, in {len(session.parts)} parts."],
        [
            Section("The welcome", [words.WELCOME_LEAD, tidy(session.welcome)]),
            timetable,
            before_section(session),
            Section("What to watch for", [words.WATCH_LEAD], words.WATCH_ALWAYS),
            support_section(session, found),
            *(part_section(part, found.card(part.card) if part.card else None, bool(session.room_tools))
              for part in session.parts),
            Section(words.AFTER_HEADING, [], after),
        ],
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default=".", help="the folder to write the guide in (default: this folder)")


def run(session: Session, args: argparse.Namespace) -> int:
    """Write <id>-guide.html and <id>-guide.md, and say where they are."""
    folder = Path(args.out).expanduser()
    guide = session_guide(session)
    written = {folder / f"{session.id}-guide.html": to_html(guide), folder / f"{session.id}-guide.md": to_markdown(guide)}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, text in written.items():
            path.write_text(text, encoding="utf-8")
    except OSError as err:
        say(f"The guide could not be written in {folder}: {err.strerror or err}.", error=True)
        return 1
    html_path, markdown_path = written
    say(f"The facilitator’s guide for “{session.title}” is written:",
        f"  {html_path} (a web page: open it in a browser to read or print it)",
        f"  {markdown_path} (the same guide as Markdown text)")
    return 0
