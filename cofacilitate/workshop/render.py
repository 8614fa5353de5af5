"""A room's results as HTML fragments: a heading, the plain sentences, a real table, and for the ladder and the power
map a chart as inline SVG.

Every piece of text is escaped here, because any of it may have been typed by someone. A fragment holds
no script, no event handler and no address of anything outside it, so the dashboard can store it and a
participant's light page (no pandas, no altair) can show it as it is. altair and vl-convert are used only
inside the chart functions, and vl-convert only in the dashboard's kernel (`cofacilitate.offline.chart_svg_in_kernel`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from typing import Any

from cofacilitate.agendas.analysis import HOW_THREADS, thread_rows
from cofacilitate.workshop.agendas_results import AgendaResults
from cofacilitate.workshop.groups import Group
from cofacilitate.workshop.ladder_results import MEASURES, LadderResults
from cofacilitate.workshop.powermap_results import PowerMapResults
from cofacilitate.workshop.results import RoomCounts, Spread, count_words, range_words, safe_count, step_words

TOO_FEW = "Too few answers to show"
CHART_KEY = ("In each chart, a mark shows a group's middle answer, and a line shows where most of its answers are. "
             "Each group has its own shape and colour. The table below says the same in words.")
WHAT_MIDDLE_MEANS = ("The “middle answer” is the one in the middle when a group's answers are put in order. "
                     "“Most answers” shows where the middle half of the group's answers are.")
_TAG = re.compile(r"<[^>]*>")
_QUOTED = re.compile(r'"[^"]*"|\'[^\']*\'')
_UNSAFE_NAME = re.compile(r"<\s*/?\s*(script|foreignobject|a|image|use|iframe|style|object|embed)\b"
                          r"|\s(on\w+|href|xlink:href|src)\s*=", re.IGNORECASE)  # in a tag, its quoted values aside
_UNSAFE_VALUE = re.compile(r"javascript:|url\(\s*['\"]?(?!#)", re.IGNORECASE)  # url(#id) points inside the picture
_XMLNS = re.compile(r'\sxmlns(:\w+)?="[^"]*"')


def heading(text: str, level: int) -> str:
    return f"<h{level}>{escape(text)}</h{level}>"


def paragraphs(sentences: Sequence[str]) -> str:
    return "".join(f"<p>{escape(sentence)}</p>" for sentence in sentences if sentence)


def table(caption: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table with its caption, column headings, and each row's first cell as the row's heading."""
    head = "".join(f'<th scope="col">{escape(column)}</th>' for column in columns)
    body = "".join("<tr>" + "".join(f'<th scope="row">{escape(cell)}</th>' if n == 0 else f"<td>{escape(cell)}</td>"
                                    for n, cell in enumerate(row)) + "</tr>" for row in rows)
    return (f'<div class="cofa-table-scroll"><table class="cofa-table"><caption>{escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


SVG_STYLE = "max-width: 100%; height: auto"  # as wide as its box, never wider


def safe_svg(svg: str, sentence: str) -> str:
    """An SVG ready to sit inside a page: no namespace addresses, its sentence as its label; "" if anything in
    its tags could run, fetch or link (then the page shows the sentence and the table without it)."""
    svg = _XMLNS.sub("", svg.strip())
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    tags = _TAG.findall(svg)
    if not svg.startswith("<svg") or any(_UNSAFE_NAME.search(_QUOTED.sub('""', tag)) or _UNSAFE_VALUE.search(tag)
                                         for tag in tags):
        return ""
    return svg.replace("<svg", f'<svg role="img" aria-label="{escape(sentence)}" style="{SVG_STYLE}"', 1)


def chart_svg(spec: dict[str, Any], sentence: str) -> str:
    from cofacilitate.offline import chart_svg_in_kernel

    return safe_svg(chart_svg_in_kernel(spec), sentence)


def figure(svgs: Sequence[str]) -> str:
    drawn = "".join(svg for svg in svgs if svg)
    return f'<figure class="cofa-room-chart">{drawn}<figcaption>{escape(CHART_KEY)}</figcaption></figure>' if drawn else ""


def dot_chart_spec(rows: Sequence[dict[str, Any]], items: Sequence[str], groups: Sequence[Group], scale: Sequence[str],
                   chart_title: str, scale_title: str, sentence: str) -> dict[str, Any]:
    """One row per item (a stage, a group of stakeholders), one mark per role group on it: the middle answer, with a line
    across the middle half of answers. Each group has its own colour and shape, so colour is never the only signal."""
    from cofacilitate import chartkit
    from cofacilitate.offline import import_altair

    alt = import_altair()
    labels = [group.label for group in groups]
    items = [item for item in items if any(row["item"] == item for row in rows)]  # rows with nothing to draw are left out
    colour = alt.Color("group:N", scale=alt.Scale(domain=labels, range=[chartkit.COLOURS[n % 9] for n in range(len(labels))]),
                       legend=alt.Legend(title="Group", orient="top", direction="vertical"))
    shape = alt.Shape("group:N", scale=alt.Scale(domain=labels, range=[chartkit.SHAPES[n % 9] for n in range(len(labels))]))
    y = alt.Y("item:N", sort=list(items), scale=alt.Scale(domain=list(items)), title=None,
              axis=alt.Axis(labelPadding=8, **chartkit.broken("datum.label", 20)))
    offset = alt.YOffset("group:N", sort=labels, scale=alt.Scale(domain=labels))
    scale_x, axis = alt.Scale(domain=[0.5, len(scale) + 0.5]), chartkit.word_axis(list(scale), scale_title, wrap=12)
    base = alt.Chart(alt.Data(values=list(rows)))
    spans = base.mark_rule(strokeWidth=3, aria=False).encode(y=y, yOffset=offset, x=alt.X("low:Q", scale=scale_x, axis=axis),
                                                            x2="high:Q", color=colour)
    points = base.mark_point(filled=True, size=140, opacity=1).encode(
        y=y, yOffset=offset, x=alt.X("middle:Q", scale=scale_x, axis=axis), color=colour, shape=shape)
    layered = alt.layer(spans, points).properties(width=chartkit.WIDTH, height=alt.Step(18),
                                                 title=chartkit.title(chart_title))
    return dict(chartkit.finish(layered, sentence).to_dict())


def _spread_rows(item: str, group: Group, spread: Spread | None) -> list[dict[str, Any]]:
    if spread is None:
        return []
    return [{"item": item, "group": group.label, "middle": spread.middle, "low": spread.low, "high": spread.high}]


def _cell(spread: Spread | None, words: Sequence[str], placed: str) -> str:
    if spread is None:
        return f"{TOO_FEW} ({placed[0].lower()}{placed[1:]})"
    return f"{step_words(spread.middle, words)}. Most answers: {range_words(spread, words)}. {placed}."


# -- the views ----------------------------------------------------------------------------------------------
def counts_view(counts: RoomCounts, groups: Sequence[Group], level: int = 2) -> str:
    labels = {group.id: group.label for group in groups}
    rows = [[labels[group], count_words(size, counts.threshold)] +
            [count_words(dict(e.answered).get(group), counts.threshold) for e in counts.exercises]
            for group, size in counts.joined]
    columns = ["Group", "Joined the room", *(f"Answered “{e.label}”" for e in counts.exercises)]
    return (f'<section class="cofa-room-view cofa-room-counts">{heading("Who is here", level)}{paragraphs([counts.sentence])}'
            + (table("Who joined, and who answered each exercise, by group", columns, rows) if rows else "") + "</section>")


def ladder_view(results: LadderResults, level: int = 2, chart: bool = True) -> str:
    t = results.threshold
    said = [results.sentence, *results.divergences]
    rows = []
    for stage, words in results.stages:
        for group in results.groups:
            now, aim = results.figure(stage, group.id, "now"), results.figure(stage, group.id, "aim")
            if now is None or aim is None:
                continue
            rows.append([words, group.label,
                         _cell(now.spread, results.rungs, f"Placed by {count_words(now.placed, t)}"),
                         _cell(aim.spread, results.rungs, f"Placed by {count_words(aim.placed, t)}"),
                         f"{count_words(now.not_placed, t).capitalize()} for now, {count_words(aim.not_placed, t)} for the aim"])
    svgs = []
    if chart and any(f.spread for f in results.figures):
        for measure, words in MEASURES:
            data = [row for f in results.figures if f.measure == measure
                    for row in _spread_rows(dict(results.stages)[f.stage], _group(results.groups, f.group), f.spread)]
            if data:
                svgs.append(chart_svg(dot_chart_spec(data, [w for _, w in results.stages], results.groups, results.rungs,
                                                     words, "Rung of the ladder (further right is more shared)",
                                                     results.sentence), f"{words}. {results.sentence}"))
    return (f'<section class="cofa-room-view cofa-room-ladder">{heading("The ladder: where the room says the project is", level)}'
            f"{paragraphs(said)}{figure(svgs)}{paragraphs([WHAT_MIDDLE_MEANS]) if rows else ''}"
            + (table("The room's ladder, stage by stage and group by group",
                     ["Stage", "Group", "Now", "Aim", "Did not place this stage"], rows) if rows else "") + "</section>")


def powermap_view(results: PowerMapResults, level: int = 2, chart: bool = True) -> str:
    t = results.threshold
    rows = []
    for key, words in results.stakeholders:
        for group in results.groups:
            place = results.place(key, group.id)
            if place is None or place.placed == 0:
                continue
            placed = f"Placed by {count_words(place.placed, t)}"
            rows.append([words, group.label, _cell(place.influence, results.influence, placed),
                         _cell(place.involvement, results.involvement, placed)])
    say_rows = []
    for decision, decision_words in results.decisions:
        for key, words in results.stakeholders:
            for group in results.groups:
                say = results.say(decision, key, group.id)
                if say is None or say.answered == 0:
                    continue
                given = " or ".join(results.words("say_levels", level_id) for level_id in say.common)
                answered = count_words(say.answered, t)
                answer = f"{given} ({say.agreement} of the answers; {answered} answered)" if given else TOO_FEW
                say_rows.append([decision_words, words, group.label, answer])
    svgs = []
    if chart:
        for part, scale, words in (("influence", results.influence, "How much say over decisions"),
                                   ("involvement", results.involvement, "How involved day to day")):
            data = [row for p in results.places
                    for row in _spread_rows(results.words("stakeholders", p.stakeholder), _group(results.groups, p.group),
                                            getattr(p, part))]
            if data:
                svgs.append(chart_svg(dot_chart_spec(data, [w for _, w in results.stakeholders], results.groups, scale,
                                                     words, words, results.sentence), f"{words}. {results.sentence}"))
    said = [results.sentence, *results.who_decides, *(d.sentence for d in results.disagreements)]
    return (f'<section class="cofa-room-view cofa-room-powermap">{heading("The power map: who has a say", level)}'
            f"{paragraphs(said)}{figure(svgs)}{paragraphs([WHAT_MIDDLE_MEANS]) if rows else ''}"
            + (table("Where the room places each group", ["Group on the map", "Answers from", "Say over decisions",
                                                          "How involved"], rows) if rows else "")
            + (table("Who the room says has a say in each decision", ["Decision", "Group on the map", "Answers from",
                                                                     "Answer given most often"], say_rows) if say_rows else "")
            + "</section>")


def agendas_view(results: AgendaResults, level: int = 2) -> str:
    parts = [f'<section class="cofa-room-view cofa-room-agendas">{heading("Our agendas: the wall", level)}',
             paragraphs([results.sentence])]
    if results.wall is not None:
        for prompt, question in results.prompts:
            answers = results.wall.answers.get(prompt, [])
            if not answers:
                continue
            items = "".join(f"<li><strong>{escape(a.who)}</strong>: {escape(a.text)}"
                            + (f" ({escape(', '.join(a.chosen))})" if a.chosen else "") + "</li>" for a in answers)
            parts.append(f'{heading(question, level + 1)}<ul class="cofa-room-wall">{items}</ul>')
        if results.threads:
            rows = [[question, label, how, count_words(safe_count(int(people), results.threshold), results.threshold)]
                    for question, label, how, people in thread_rows(results.threads)]
            parts += [heading("Common threads", level + 1), paragraphs([HOW_THREADS]),
                      table("Common threads in what people shared", ["Question", "Thread", "Found by", "People"], rows)]
    return "".join(parts) + "</section>"


def _group(groups: Sequence[Group], group_id: str) -> Group:
    return next(group for group in groups if group.id == group_id)


def participant_views(ladder: LadderResults | None = None, powermap: PowerMapResults | None = None,
                      agendas: AgendaResults | None = None, chart: bool = True) -> dict[str, dict[str, str]]:
    """What a participant's page shows after a reveal, per tool: plain JSON (an HTML fragment and its sentence)."""
    views: dict[str, dict[str, str]] = {}
    if ladder is not None:
        views["ladder"] = {"html": ladder_view(ladder, chart=chart), "sentence": ladder.sentence}
    if powermap is not None:
        views["powermap"] = {"html": powermap_view(powermap, chart=chart), "sentence": powermap.sentence}
    if agendas is not None:
        views["agendas"] = {"html": agendas_view(agendas), "sentence": agendas.sentence}
    return views
