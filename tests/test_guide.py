"""The facilitator's guide: made from each shipped session with its timetable, every part, the things to watch for,
the support contacts and what to do afterwards; a step's own words used; hostile words shown as text, never run;
and `cofacilitate session guide` writes both files."""

from __future__ import annotations

import re
import subprocess
import sys
from html import escape, unescape
from pathlib import Path

import pytest

from cofacilitate.cards import catalogue
from cofacilitate.cli import main
from cofacilitate.documents import Document, markdown_text, to_html, to_markdown
from cofacilitate.sessions import guide_words as words
from cofacilitate.sessions.guide import session_guide
from cofacilitate.sessions.plan import Part, Session, load_session, session_paths
from tests.conftest import copy_cards

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = session_paths()
CONTACTS = ("Samaritans (UK): Call 116 123 for free, at any time of day or night.",
            "Shout (UK): Text SHOUT to 85258 for free, at any time.",
            "If you are in danger now: Call 999 in the UK, or your local emergency number.")


def seen_text(page: str) -> str:
    """The words of a web page as a person reads them: tags dropped, entities read, spaces squashed."""
    body = re.sub(r"<(style|title)>.*?</\1>", " ", page, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def section(doc: Document, heading: str):
    return next(found for found in doc.sections if found.heading == heading)


def written(tmp_path: Path, text: str, name: str = "session.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_there_are_two_shipped_sessions() -> None:
    assert [path.stem for path in SHIPPED] == ["how-are-we-doing", "starting-together"]


@pytest.mark.parametrize("path", SHIPPED, ids=[path.stem for path in SHIPPED])
def test_each_shipped_session_makes_a_whole_guide(path: Path) -> None:
    session = load_session(path)
    guide = session_guide(session)
    markdown, page = to_markdown(guide), seen_text(to_html(guide))
    assert guide.title == f"Facilitator’s guide: {session.title}"
    assert session.welcome in page and markdown_text(session.welcome) in markdown, "the facilitator's own welcome"
    for part in session.parts:
        start = f"{part.starts_at // 60}:{part.starts_at % 60:02d}"
        assert f"{start} {part.title}" in page and f"## {start} {markdown_text(part.title)}" in markdown
        assert f"| {start} | {part.minutes} | {markdown_text(part.title)} |" in markdown, "its row in the timetable"
    total = f"{session.duration_minutes // 60}:{session.duration_minutes % 60:02d}"
    assert f"| {total} | {session.duration_minutes} | In all, to the end |" in markdown, "the total matches the plan"
    for item in words.WATCH_ALWAYS:
        assert item in page and f"- {markdown_text(item)}" in markdown
    assert "This session is not a health or crisis service." in page and words.NOT_A_SERVICE in markdown
    for contact in CONTACTS:
        assert contact in page and f"- {markdown_text(contact)}" in markdown
    assert page.count("Samaritans (UK)") == 1, "each contact once"
    for after in ("Get the session report", "Close the room and delete its answers", "Type in each sheet’s code",
                  "Share the report with everyone who took part", "Tell people what changed", "The diary stays private"):
        assert after in page
    for part in session.exercises:
        purpose = " ".join(catalogue().cards[part.card].purpose.split())
        assert purpose in page, "an exercise's purpose is its card's"


def test_the_timetable_says_where_each_part_happens() -> None:
    together = to_markdown(session_guide(load_session(SHIPPED[1])))
    assert "| 0:00 | 10 | Welcome, and how today will go | together, out loud |" in together
    assert "| 0:10 | 35 | Naming our agendas | in the room |" in together
    assert "| 0:45 | 10 | Tea break | break |" in together
    assert "| 1:30 | 90 | In all, to the end |  |" in together
    check = to_markdown(session_guide(load_session(SHIPPED[0])))
    assert "| 1:40 | 10 | My reflective diary | taken home |" in check, "the diary is private: it never enters a room"
    assert "| 2:00 | 120 | In all, to the end |  |" in check


def test_a_steps_own_words_are_used_and_the_defaults_fill_the_rest() -> None:
    guide = session_guide(load_session(SHIPPED[1]))
    closing_round = section(guide, "1:20 A closing round")
    assert ("To open it: Ask each person for one word or one sentence about how today was for them. People can pass."
            in closing_round.paragraphs)
    assert ("To close it: Thank everyone. Say what will happen with today's answers, and when you will meet next."
            in closing_round.paragraphs)
    assert f"To close it: {words.KIND_WORDS['talk'].closing}" not in closing_round.paragraphs
    ladder = section(guide, "0:55 The ladder of co-production")
    assert f"To open it: {words.TOOL_WORDS['ladder'].opening}" in ladder.paragraphs, "no opening in the plan: ours"
    assert "The card suggests about 20 minutes. This plan gives it 25, so keep an eye on the time." in ladder.paragraphs
    assert list(ladder.bullets) == list(words.TOOL_WORDS["ladder"].watch_for)
    change = section(session_guide(load_session(SHIPPED[0])), "1:25 What we want to change")
    assert change.bullets[-1] == "Changes that only the professionals in the room can make. Ask who else could lead one."


HOSTILE = """id: hostile
title: Our <b>bold</b> & | piped session
duration_minutes: 30
welcome: Hello <img src=x onerror=alert(1)>, welcome.
steps:
  - talk: "Start <script>alert('talk')</script>"
    minutes: 5
    opening: "Say hello. <script>alert('opening')</script>"
    closing: "**Bye** [click](javascript:alert(1))"
    watch_for:
      - "<iframe src=https://example.org>"
  - exercise: ladder
    minutes: 25
    in_room: false
"""


def test_hostile_words_are_shown_as_text_in_both_and_never_run(tmp_path: Path) -> None:
    guide = session_guide(load_session(written(tmp_path, HOSTILE)))
    page, markdown = to_html(guide), to_markdown(guide)
    assert "<script" not in page.lower() and "<img" not in page and "<iframe" not in page and "<b>" not in page
    assert "Say hello. &lt;script&gt;alert(&#x27;opening&#x27;)&lt;/script&gt;" in page
    assert "Say hello. <script>alert('opening')</script>" in seen_text(page), "a person reads what was typed"
    assert escape("<iframe src=https://example.org>") in page
    assert not re.search(r"(?<!\\)<", markdown), "every < is escaped, so Markdown makes no tag of it"
    assert markdown_text("To open it: Say hello. <script>alert('opening')</script>") in markdown
    assert "\\*\\*Bye\\*\\* \\[click\\](javascript:alert(1))" in markdown, "no bold, no link: the typed text"
    row = next(line for line in markdown.splitlines() if line.startswith("| 0:00 |"))
    assert row.replace("\\|", "").count("|") == 5, "a typed | cannot add a column to the timetable"
    assert "| 0:05 | 25 | The ladder of co-production | on paper |" in markdown, "switched off in the room: on paper"


def test_a_session_without_a_room_says_so_and_offers_no_room_buttons(tmp_path: Path) -> None:
    text = HOSTILE.replace("<", "").replace(">", "")
    guide = session_guide(load_session(written(tmp_path, text)))
    page = seen_text(to_html(guide))
    assert "This session uses no room, so there is no report to get." in page
    assert "Go on to the next part" not in page and "Start the session" not in page and "Close the room" not in page
    assert "cofacilitate workshop --session" not in page, "no room to start"
    assert f"cofacilitate session worksheets {tmp_path / 'session.yaml'}" in page, "a session file outside the shipped ones"
    assert words.ON_PAPER_SAYS in page


def test_the_room_buttons_are_named_as_the_dashboard_names_them() -> None:
    page = seen_text(to_html(session_guide(load_session(SHIPPED[1]))))
    assert "cofacilitate session worksheets starting-together" in page
    assert "cofacilitate workshop --session starting-together" in page
    assert page.count("press “Start the session” on your page") == 1, "only the first part starts it"
    assert page.count("press “Go on to the next part” on your page") == 4
    dashboard = (ROOT / "cofacilitate/workshop/dashboard.py").read_text(encoding="utf-8")
    panel = (ROOT / "cofacilitate/workshop/session_panel.py").read_text(encoding="utf-8")
    for button in ("Show these results to the room", "Get the session report", "Close the room and delete its answers",
                   "Answers from outside the room"):
        assert button in page and f'"{button}' in dashboard
    for button in ("Start the session", "Go on to the next part", "End the session"):
        assert button in page and f'"{button}' in panel


def test_every_cards_contacts_are_listed_once(tmp_path: Path) -> None:
    cards = copy_cards(tmp_path)
    diary = (cards / "diary.yaml").read_text(encoding="utf-8")
    local = diary.replace("id: diary\n", "id: diary-local\n", 1).replace(
        "    contacts:\n", "    contacts:\n      - id: local-line\n        label: Our local support line\n"
                          "        meaning: Call 01234 567890, 9am to 5pm.\n", 1)
    (cards / "diary-local.yaml").write_text(local, encoding="utf-8")
    found = catalogue(cards)
    assert {"diary", "diary-local"} <= set(found.cards)
    guide = session_guide(load_session(SHIPPED[1], found), found)
    support = section(guide, words.SUPPORT_HEADING)
    assert support.bullets[0] == "Our local support line: Call 01234 567890, 9am to 5pm."
    assert len(support.bullets) == len(set(support.bullets)) == 5
    assert support.paragraphs[-1].endswith("They come from the card files diary-local.yaml and diary.yaml, where you can "
                                           "change them:")


def test_with_no_contacts_on_any_card_the_guide_asks_for_local_ones(tmp_path: Path) -> None:
    cards = copy_cards(tmp_path)
    (cards / "diary.yaml").unlink()
    found = catalogue(cards)
    session = Session("plain", "Plain", "Hello.", 20, (Part("exercise", "Ladder", 20, 0, "ladder", "ladder", True),))
    support = section(session_guide(session, found), words.SUPPORT_HEADING)
    assert support.bullets == [] and words.NO_CONTACTS in support.paragraphs
    assert words.NOT_A_SERVICE in support.paragraphs


def test_the_command_writes_both_files_and_says_where(tmp_path: Path, capsys, monkeypatch) -> None:
    out = tmp_path / "guides"
    assert main(["session", "guide", "starting-together", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    page, markdown = out / "starting-together-guide.html", out / "starting-together-guide.md"
    assert f"  {page} (a web page" in said and f"  {markdown} (the same guide as Markdown text)" in said
    guide = session_guide(load_session(SHIPPED[1]))
    assert page.read_text(encoding="utf-8") == to_html(guide)
    assert markdown.read_text(encoding="utf-8") == to_markdown(guide)
    hostile = written(tmp_path, HOSTILE)
    monkeypatch.chdir(tmp_path)
    assert main(["session", "guide", str(hostile)]) == 0, "the current folder by default"
    assert "&lt;script&gt;" in (tmp_path / "hostile-guide.html").read_text(encoding="utf-8")
    assert (tmp_path / "hostile-guide.md").exists()


def test_the_command_says_plainly_when_it_cannot_write_or_find_the_session(tmp_path: Path, capsys) -> None:
    blocked = written(tmp_path, "a file, not a folder", "blocked")
    assert main(["session", "guide", "starting-together", "--out", str(blocked)]) == 1
    assert f"The guide could not be written in {blocked}" in capsys.readouterr().err
    assert main(["session", "guide", "no-such-session"]) == 1
    assert "no shipped session with that id" in capsys.readouterr().err
    assert main(["session", "guide", str(written(tmp_path, HOSTILE.replace("30", "40", 1)))]) == 1
    assert "field 'duration_minutes'" in capsys.readouterr().err


def test_reading_the_command_line_loads_no_widgets_or_charts() -> None:
    """The session commands import this module to read the command line: it must stay light."""
    loaded = subprocess.run([sys.executable, "-c", "import sys, cofacilitate.sessions.guide; "
                             "print(sorted(m for m in sys.modules if m.split('.')[0] in {'ipywidgets', 'pandas', 'altair'}))"],
                            capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
