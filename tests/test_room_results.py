"""A room's results: one answer per person, middles by role group, special answers never a rung, hidden answers gone.

The room built here (`room()`) is the one the report's tests use too: three researchers, one person who is
both a public partner and a researcher, two more public partners, two carers (one fewer than the
threshold, so never shown) and one person who gave no role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from cofacilitate.agendas.model import Agenda, AgendasVocabulary
from cofacilitate.agendas.model import check_body as check_agenda
from cofacilitate.cards import load_cards
from cofacilitate.ladder.model import Assessment, LadderVocabulary
from cofacilitate.ladder.model import check_body as check_ladder
from cofacilitate.powermap.model import PowerMap, PowerMapVocabulary, own_group_key
from cofacilitate.powermap.model import check_body as check_map
from cofacilitate.snapshots import Saved, shelve
from cofacilitate.store.records import Record
from cofacilitate.workshop.agendas_results import AgendaResults, agendas_results, hideable_answers
from cofacilitate.workshop.groups import EVERYONE, POOLED, RoleSplit, split_by_role
from cofacilitate.workshop.ladder_results import LadderResults, ladder_results
from cofacilitate.workshop.powermap_results import PowerMapResults, powermap_results
from cofacilitate.workshop.render import agendas_view, ladder_view, participant_views, powermap_view, safe_svg
from cofacilitate.workshop.results import (
    answer_key,
    count_words,
    latest_per_person,
    number_words,
    room_counts,
    safe_count,
    spread_of,
)

ROLES = {"r1": ("researcher",), "r2": ("researcher",), "r3": ("researcher",), "pr": ("public-partner", "researcher"),
         "p1": ("public-partner",), "p2": ("public-partner",), "c1": ("carer",), "c2": ("carer",), "n1": ()}
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert('y')>"
FORMULA = "=cmd|' /C calc'!A0"
HIDDEN_WORDS = "Please hide this answer about my neighbour"


def record(tool: str, person: str, body: dict[str, Any], when: str, record_id: str = "") -> Record:
    return Record(record_id or f"{tool}-{person}-{when[14:16]}", tool, 1, "room-1", person, f"Name of {person}",
                  ROLES.get(person, ()), when, when, body)


def stamp(minute: int) -> str:
    return f"2026-12-01T10:{minute:02d}:00.000000+00:00"


@cache
def vocabularies() -> tuple[LadderVocabulary, PowerMapVocabulary, AgendasVocabulary]:
    ladder, _ = load_cards("ladder", LadderVocabulary)
    powermap, _ = load_cards("powermap", PowerMapVocabulary)
    agendas, _ = load_cards("agendas", AgendasVocabulary)
    return ladder["ladder"].vocabulary, powermap["powermap"].vocabulary, agendas["agendas"].vocabulary


def ladder_body(design_now: str, idea_now: str = "", aims_now: str = "consultation") -> dict[str, Any]:
    answers = [{"stage": "design", "now": design_now, "aim": "co-production"},
               {"stage": "idea", "now": idea_now, "aim": "co-design"},
               {"stage": "aims", "now": aims_now, "aim": "co-design"}]
    return Assessment(card="ladder", project="Leaving hospital", answers=answers).model_dump()


def map_body(person: str, n: int) -> dict[str, Any]:
    stakeholders = [
        {"label": "Ward nurses", "group": "clinicians", "influence": 2, "involvement": 4},
        {"label": "Matrons", "group": "clinicians", "influence": 4, "involvement": 2},  # this person's middle: 3 and 3
        {"label": "The funder", "group": "funders", "influence": 5, "involvement": 1},
        {"label": "Peer workers", "group": "own", "own_group": "Peer support workers", "influence": 1 + n % 2,
         "involvement": 4},
        {"label": HOSTILE, "group": "public-partners", "influence": 2, "involvement": 3},
    ]
    says = {"funders": "decides", "public-partners": "told" if n % 3 else "consulted"}
    money = {"funders": "decides" if n % 2 else "consulted"}
    decisions = [{"decision": "question", "label": "Choosing the research question", "says": says},
                 {"decision": "money", "label": "Deciding how the money is spent", "says": money}]
    return PowerMap(card="powermap", project="Leaving hospital", stakeholders=stakeholders, decisions=decisions).model_dump()


def agenda_body(person: str) -> dict[str, Any]:
    answers = [{"prompt": "hopes", "text": f"Better discharge letters for everyone ({person})", "share": "named"},
               {"prompt": "worries", "text": f"{HOSTILE} tokenism worries me", "share": "anonymous"},
               {"prompt": "brings", "text": f"My private note {person}", "share": "private"}]
    if person == "p1":
        answers.append({"prompt": "recognition", "text": HIDDEN_WORDS, "share": "anonymous"})
    if person == "r1":
        answers.append({"prompt": "needs", "text": FORMULA, "share": "named"})
    return Agenda(card="agendas", project="Leaving hospital", answers=answers).model_dump()


def records() -> dict[str, list[Record]]:
    """Each person's answers; some saved twice, one added twice, one changed later."""
    design = {"r1": "co-design", "r2": "co-design", "r3": "co-design", "pr": "informing", "p1": "informing",
              "p2": "informing", "c1": "consultation", "c2": "consultation", "n1": "consultation"}
    special = {"p1": "not-reached", "p2": "dont-know", "pr": "pass"}  # no public partner places "Having the idea"
    ladder = [record("ladder", p, ladder_body(now, special.get(p, "engagement"), "pass" if p == "p1" else "consultation"),
                     stamp(10 + n)) for n, (p, now) in enumerate(design.items())]
    ladder.append(record("ladder", "r1", ladder_body("coercion"), stamp(1)))  # an older answer: the newer one counts
    ladder.append(ladder[0])  # the same record added twice counts once
    maps = [record("powermap", p, map_body(p, n), stamp(20 + n)) for n, p in enumerate(ROLES)]
    agendas = [record("agendas", p, agenda_body(p), stamp(30 + n)) for n, p in enumerate(ROLES)]
    return {"ladder": ladder, "powermap": maps, "agendas": agendas}


@dataclass(frozen=True)
class Room:
    split: RoleSplit
    ladder: LadderResults
    powermap: PowerMapResults
    agendas: AgendaResults
    agenda_items: list[Saved[Agenda]]
    hidden: frozenset[str]


def room(hide: bool = True) -> Room:
    ladder_vocabulary, map_vocabulary, agenda_vocabulary = vocabularies()
    found = {tool: latest_per_person(listed) for tool, listed in records().items()}
    split = split_by_role({r.person: r.roles for listed in found.values() for r in listed})
    assessments = shelve(found["ladder"], lambda body: check_ladder(body, {"ladder": ladder_vocabulary})).items
    maps = shelve(found["powermap"], lambda body: check_map(body, {"powermap": map_vocabulary})).items
    agenda_items = [s for s in shelve(found["agendas"], lambda body: check_agenda(body, {"agendas": agenda_vocabulary})).items
                    if isinstance(s.item, Agenda)]
    hidden = frozenset(key for key, answer in hideable_answers(agenda_items) if answer.text == HIDDEN_WORDS) if hide else \
        frozenset()
    return Room(split, ladder_results([(s.person, s.item) for s in assessments], ladder_vocabulary, split),
                powermap_results([(s.person, s.item) for s in maps], map_vocabulary, split, ["Peer support workers", HOSTILE]),
                agendas_results(agenda_items, agenda_vocabulary, split, hidden), agenda_items, hidden)


def test_the_room_shows_a_group_of_exactly_the_threshold_and_never_the_carers() -> None:
    split = room().split
    assert {g.id: g.size for g in split.groups} == {EVERYONE: 9, "public-partner": 3, "researcher": 4, POOLED: 3}
    assert split.group("carer") is None


def test_the_latest_answer_of_each_person_counts_once() -> None:
    ladder = records()["ladder"]
    latest = latest_per_person(ladder)
    assert len(latest) == 9
    assert next(r for r in latest if r.person == "r1").updated_at == stamp(10)
    figure = room().ladder.figure("design", "researcher", "now")
    assert figure is not None and figure.placed == 4
    assert figure.spread is not None and figure.spread.middle == 6  # co-design: the old “coercion” is not counted


def test_latest_keeps_an_agenda_beside_a_version_of_the_purpose_the_same_person_saved() -> None:
    purpose = record("agendas", "r1", {"kind": "purpose", "card": "agendas", "project": "x", "text": "We"}, stamp(50))
    agenda = records()["agendas"][0]
    assert {r.id for r in latest_per_person([agenda, purpose])} == {agenda.id, purpose.id}


def test_a_divergence_of_two_rungs_or_more_gets_a_plain_sentence() -> None:
    results = room().ladder
    assert "Public partners (lived experience) place “Design and planning” three rungs lower than " \
        "researchers do, for where it is now." in results.divergences
    assert not any("the aim" in s or "they aim" in s for s in results.divergences)  # everyone aims at co-production
    assert number_words(2) == "two" and number_words(2.5) == "two and a half" and number_words(12) == "12"


def test_special_answers_are_never_a_rung_and_a_stage_placed_by_too_few_is_not_shown() -> None:
    results = room().ladder
    idea = results.figure("idea", "public-partner", "now")
    assert idea is not None and idea.placed == 0 and idea.spread is None and idea.not_placed == 3
    aims = results.figure("aims", "public-partner", "now")  # one of three passed: two placed it, fewer than three
    assert aims is not None and aims.placed is None and aims.spread is None
    everyone = results.figure("idea", EVERYONE, "now")
    assert everyone is not None and everyone.placed == 6 and everyone.spread is not None
    assert everyone.spread.middle == 5  # engagement; the passes and “don't know” pull nothing down
    html = ladder_view(results, chart=False)
    assert "Too few answers to show" in html and "Too few answers to show (placed by fewer than 3 people)" in html


def test_middles_and_ranges_are_half_steps() -> None:
    assert spread_of([1, 2, 7]).middle == 2
    assert spread_of([3, 4]).middle == 3.5
    spread = spread_of([1, 2, 3, 4, 5, 6, 7])
    assert (spread.low, spread.high) == (2.5, 5.5)
    assert safe_count(2, 3) is None and safe_count(0, 3) == 0 and safe_count(3, 3) == 3
    assert count_words(None, 3) == "fewer than 3 people" and count_words(0, 3) == "no one"


def test_power_map_middles_count_each_person_once_per_group() -> None:
    results = room().powermap
    clinicians = results.place("clinicians", EVERYONE)
    assert clinicians is not None and clinicians.placed == 9
    assert clinicians.influence is not None and clinicians.influence.middle == 3  # each person's own middle of 2 and 4
    peer = results.place(own_group_key("Peer support workers"), EVERYONE)
    assert peer is not None and peer.placed == 9 and peer.involvement is not None and peer.involvement.middle == 4
    named = results.place(own_group_key(HOSTILE), EVERYONE)  # a name the facilitator added matches a person on the maps
    assert named is not None and named.placed == 9
    assert "“Choosing the research question”: the room says “Funders and sponsors” decide." in results.who_decides


def test_the_decisions_the_room_disagrees_on_most_come_first() -> None:
    results = room().powermap
    assert [d.decision for d in results.disagreements] == ["money", "question"]
    money = results.say("money", "funders", EVERYONE)
    assert money is not None and money.common == ("consulted",) and money.agreement == "more than half"  # 5 of 9
    assert [round(d.share, 3) for d in results.disagreements] == [round(4 / 9, 3), round(3 / 18, 3)]
    assert "differently" in results.disagreements[0].sentence


def test_the_wall_holds_only_shared_answers_never_a_hidden_one_and_no_name_on_an_anonymous_one() -> None:
    shown = room()
    wall = shown.agendas.wall
    assert wall is not None
    everything = [a for answers in wall.answers.values() for a in answers]
    assert not any("private note" in a.text for a in everything)
    assert not any(HIDDEN_WORDS in a.text for a in everything)
    assert all(a.who == "Someone" for a in wall.answers["worries"])
    assert {a.who for a in wall.answers["hopes"]} == {f"Name of {p}" for p in ROLES}
    assert len(shown.hidden) == 1 and next(iter(shown.hidden)) == answer_key(f"agendas-p1-{34}", "recognition")
    assert any(HIDDEN_WORDS in a.text for answers in room(hide=False).agendas.wall.answers.values()  # type: ignore[union-attr]
               for a in answers)
    html = agendas_view(shown.agendas)
    assert HIDDEN_WORDS not in html and "private note" not in html


def test_every_typed_word_is_escaped_in_every_view() -> None:
    shown = room()
    views = participant_views(shown.ladder, shown.powermap, shown.agendas, chart=False)
    for view in views.values():
        assert "<script" not in view["html"] and "<img" not in view["html"]
    assert "&lt;script&gt;" in views["agendas"]["html"] and "&lt;script&gt;" in views["powermap"]["html"]


def test_no_count_of_the_carers_appears_anywhere() -> None:
    shown = room()
    counts = room_counts(shown.split, {"ladder": ROLES, "agendas": list(ROLES)[:2]}, {"ladder": "The ladder"})
    html = "".join(view["html"] for view in participant_views(shown.ladder, shown.powermap, shown.agendas,
                                                             chart=False).values())
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html)
    assert cells and not any(re.search(r"\b[12]\b", cell) for cell in cells)
    sentences = [shown.split.sentence, shown.ladder.sentence, *shown.ladder.divergences, shown.powermap.sentence,
                 shown.agendas.sentence, counts.sentence]
    assert not any(re.search(r"\b[12] (people|person)", s) for s in sentences)
    assert "Fewer than 3 people answered “agendas”." in counts.sentence
    assert dict(counts.exercises[0].answered) == {EVERYONE: 9, "public-partner": 3, "researcher": 4, POOLED: 3}


def test_a_room_too_small_shows_nothing_by_anyone() -> None:
    ladder_vocabulary, _, agenda_vocabulary = vocabularies()
    split = split_by_role({"a": ("researcher",), "b": ("researcher",)})
    body = Assessment.model_validate(ladder_body("co-design"))
    results = ladder_results([("a", body), ("b", body)], ladder_vocabulary, split)
    assert results.figures == () and results.answered is None
    assert results.sentence == split.sentence
    assert agendas_results([], agenda_vocabulary, split).wall is None


def test_charts_are_inline_svg_with_nothing_that_runs_or_fetches() -> None:
    html = powermap_view(room().powermap)
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 2  # say over decisions, and how involved
    for svg in svgs:
        assert "<script" not in svg and "http" not in svg and "href" not in svg and "xmlns" not in svg
        assert 'role="img" aria-label="How much say' in svg or 'role="img" aria-label="How involved' in svg
    assert "&lt;script&gt;" in svgs[0]  # a name typed by the facilitator: text, escaped
    assert safe_svg('<svg><a href="https://x.example"><text>x</text></a></svg>', "s") == ""
    assert safe_svg('<svg><g onload="alert(1)"></g></svg>', "s") == ""
    assert safe_svg('<svg><script>alert(1)</script></svg>', "s") == ""
    assert safe_svg('<svg xmlns="http://www.w3.org/2000/svg"><text>&lt;b&gt;</text></svg>', "a \"b\"").startswith(
        '<svg role="img" aria-label="a &quot;b&quot;"')


def test_a_name_typed_as_html_is_escaped_on_the_wall_and_views_are_plain_json() -> None:
    import json
    import subprocess
    import sys

    shown = room()
    _, _, agenda_vocabulary = vocabularies()
    renamed = [Saved(s.record_id, s.saved_at, HOSTILE, s.roles, s.item, s.person) for s in shown.agenda_items]
    html = agendas_view(agendas_results(renamed, agenda_vocabulary, shown.split))
    assert "<strong>&lt;script&gt;" in html and "<script" not in html
    views = participant_views(shown.ladder, shown.powermap, shown.agendas, chart=False)
    assert json.loads(json.dumps(views)) == views
    loaded = subprocess.run([sys.executable, "-c", "import sys, cofacilitate.workshop.render, cofacilitate.workshop.report; "
                             "print(sorted({'pandas', 'altair', 'vl_convert'} & set(sys.modules)))"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"  # a light page may import the room's modules: charts load altair only when drawn
