"""The session report: one web page that holds the whole session and prints well, and its figures as one CSV table.

The page holds its own styles and charts (inline SVG), no script and no address of anything outside it, so
it opens and prints the same anywhere, with no internet. It holds what the room's views hold, and no more:
small groups withheld, hidden answers left out (they never reach the results this is made from), and the
group's agreed purpose and ground rules as their newest versions say.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime, time
from html import escape
from typing import TypeVar

from cofacilitate.agendas.analysis import Wall, ways_of_working
from cofacilitate.agendas.model import Dictionary, Purpose, Rules
from cofacilitate.documents import PRINT_STYLE, Section
from cofacilitate.snapshots import Saved
from cofacilitate.words import long_date
from cofacilitate.workshop import render
from cofacilitate.workshop.agendas_results import AgendaResults
from cofacilitate.workshop.groups import RoleSplit
from cofacilitate.workshop.ladder_results import MEASURES, LadderResults
from cofacilitate.workshop.powermap_results import PowerMapResults
from cofacilitate.workshop.results import RoomCounts, SafeCount, range_words, room_counts, safe_count, step_words

REPORT_STYLE = PRINT_STYLE + """
figure { margin: 1rem 0; } figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: .95rem; color: #333; } caption { text-align: left; font-weight: bold; padding: .3rem 0; }
.cofa-table-scroll { overflow-x: auto; } h3 { font-size: 1.1rem; margin-top: 1.5rem; }
th, td { overflow-wrap: break-word; }  /* words break only when one is wider than its column */
@media print { figure, .cofa-table-scroll { break-inside: avoid; } .cofa-table-scroll { overflow: visible; } }
"""
CSV_COLUMNS = ("exercise", "item", "group", "measure", "value")
THREADS = "Common threads in our agendas"  # ways_of_working's last section: the agendas view shows the threads itself
NO_WALL = Wall({}, [], [], 0, 0)
T = TypeVar("T")


def newest(versions: Sequence[Saved[T]]) -> Saved[T] | None:
    """The newest version of a group's document (the same rule as `cofacilitate.versions.current`, in any order)."""
    return max(versions, key=lambda saved: (saved.saved_at, saved.record_id), default=None)


def agreed_sections(project: str, on: date, purpose: Sequence[Saved[Purpose]], rules: Sequence[Saved[Rules]],
                    dictionary: Sequence[Saved[Dictionary]], agendas: AgendaResults | None) -> list[Section]:
    """The group's purpose, ground rules and words, from the newest version of each (as the agendas page writes them)."""
    wall = agendas.wall if agendas and agendas.wall else NO_WALL
    document = ways_of_working(project, newest(purpose), newest(rules), newest(dictionary) if dictionary else None, wall,
                               datetime.combine(on, time()))
    kept = [section for section in document.sections if section.heading != THREADS]
    return kept if dictionary else [section for section in kept if not section.heading.startswith("Our words")]


def section_html(section: Section, level: int = 2) -> str:
    parts = [render.heading(section.heading, level), render.paragraphs(section.paragraphs)]
    if section.bullets:
        parts.append("<ul>" + "".join(f"<li>{escape(text)}</li>" for text in section.bullets) + "</ul>")
    if section.columns:
        parts.append(render.table(section.heading, section.columns, section.rows))
    return "".join(parts)


def session_report(room_name: str, on: date, split: RoleSplit, *, counts: RoomCounts | None = None,
                   ladder: LadderResults | None = None, powermap: PowerMapResults | None = None,
                   agendas: AgendaResults | None = None, project: str = "", purpose: Sequence[Saved[Purpose]] = (),
                   rules: Sequence[Saved[Rules]] = (), dictionary: Sequence[Saved[Dictionary]] = ()) -> str:
    """The whole session as one printable web page; every piece of text escaped."""
    title = f"Session report: {room_name}"
    counts = counts or room_counts(split, {}, {})
    intro = [f"Made on {long_date(on.isoformat())}.", split.sentence,
             "Public partners are people who know the topic from their own life. No one’s own answers are shown here. "
             "You see only what groups said, and only groups big enough that no one can be picked out."]
    parts = [f"<h1>{escape(title)}</h1>", render.paragraphs(intro), render.counts_view(counts, split.groups)]
    if ladder is not None:
        parts.append(render.ladder_view(ladder))
    if powermap is not None:
        parts.append(render.powermap_view(powermap))
    if agendas is not None:
        parts.append(render.agendas_view(agendas))
    if agendas is not None or purpose or rules or dictionary:
        parts.append('<section class="cofa-room-view cofa-room-agreed">' + render.heading("What we agreed", 2) + "".join(
            section_html(section, 3) for section in agreed_sections(project or room_name, on, purpose, rules, dictionary,
                                                                    agendas)) + "</section>")
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{REPORT_STYLE}</style></head>\n<body>\n"
            + "\n".join(parts) + "\n</body></html>\n")


# -- the figures as one long table ---------------------------------------------------------------------------
def _count(count: SafeCount, threshold: int) -> str:
    return str(count) if count is not None else f"fewer than {threshold}"


def _csv_rows(split: RoleSplit, counts: RoomCounts, ladder: LadderResults | None, powermap: PowerMapResults | None,
              agendas: AgendaResults | None) -> list[tuple[str, str, str, str, str]]:
    t = split.threshold
    labels = {group.id: group.label for group in split.groups}
    rows = [("room", "joined", labels[group], "people", str(size)) for group, size in counts.joined]
    rows += [("room", e.label, labels[group], "answered", _count(n, t)) for e in counts.exercises for group, n in e.answered]
    if ladder is not None:
        stages = dict(ladder.stages)
        for f in ladder.figures:
            when = dict(MEASURES)[f.measure].lower()
            rows += [("ladder", stages[f.stage], labels[f.group], f"placed it ({when})", _count(f.placed, t)),
                     ("ladder", stages[f.stage], labels[f.group], f"did not place it ({when})", _count(f.not_placed, t))]
            if f.spread:
                rows += [("ladder", stages[f.stage], labels[f.group], f"middle answer ({when})",
                          step_words(f.spread.middle, ladder.rungs)),
                         ("ladder", stages[f.stage], labels[f.group], f"most answers ({when})",
                          range_words(f.spread, ladder.rungs))]
        rows += [("ladder", "", "", "differences between groups", sentence) for sentence in ladder.divergences]
    if powermap is not None:
        rows += _powermap_rows(powermap, labels)
    if agendas is not None and agendas.wall is not None:
        questions = dict(agendas.prompts)
        for prompt, answers in agendas.wall.answers.items():
            rows += [("agendas", questions.get(prompt, prompt), labels.get("everyone", ""), f"shared answer ({a.who})",
                      a.text + (f" ({', '.join(a.chosen)})" if a.chosen else "")) for a in answers]
        rows += [("agendas", thread.question, labels.get("everyone", ""), f"thread: {thread.label}",
                  _count(safe_count(thread.people, t), t)) for thread in agendas.threads]
    return rows


def _powermap_rows(powermap: PowerMapResults, labels: dict[str, str]) -> list[tuple[str, str, str, str, str]]:
    t = powermap.threshold
    rows = []
    for p in powermap.places:
        item = powermap.words("stakeholders", p.stakeholder)
        rows.append(("power map", item, labels[p.group], "placed it", _count(p.placed, t)))
        for part, spread, words in (("say over decisions", p.influence, powermap.influence),
                                    ("how involved", p.involvement, powermap.involvement)):
            if spread:
                rows += [("power map", item, labels[p.group], f"middle answer ({part})", step_words(spread.middle, words)),
                         ("power map", item, labels[p.group], f"most answers ({part})", range_words(spread, words))]
    for s in powermap.says:
        if s.answered == 0:
            continue
        item = f"{powermap.words('decisions', s.decision)}: {powermap.words('stakeholders', s.stakeholder)}"
        rows.append(("power map", item, labels[s.group], "answered", _count(s.answered, t)))
        if s.common:
            given = " or ".join(powermap.words("say_levels", level) for level in s.common)
            rows.append(("power map", item, labels[s.group], "answer given most often", f"{given} ({s.agreement})"))
    rows += [("power map", "", "", "who decides", sentence) for sentence in powermap.who_decides]
    rows += [("power map", powermap.words("decisions", d.decision), "", "seen differently", d.sentence)
             for d in powermap.disagreements]
    return rows


def report_csv(split: RoleSplit, *, counts: RoomCounts | None = None, ladder: LadderResults | None = None,
               powermap: PowerMapResults | None = None, agendas: AgendaResults | None = None) -> bytes:
    """The report's figures as one long table for spreadsheets: UTF-8 with a byte order mark, every cell quoted,
    and any cell a spreadsheet could run as a formula made harmless."""
    from cofacilitate.frames import harmless  # frames imports pandas: only a download needs it

    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in _csv_rows(split, counts or room_counts(split, {}, {}), ladder, powermap, agendas):
        writer.writerow([harmless(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")

