"""The session report: one printable page with no script and no address outside it, and its figures as a safe CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from functools import cache

from cofacilitate.agendas.model import Purpose, Rule, Rules
from cofacilitate.snapshots import Saved
from cofacilitate.workshop.report import report_csv, session_report
from cofacilitate.workshop.results import room_counts
from tests.test_room_results import FORMULA, HIDDEN_WORDS, HOSTILE, ROLES, Room, room

ON = date(2026, 12, 1)
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "ul", "li", "strong", "section", "div",
                "table", "caption", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "svg", "g", "path", "rect",
                "text", "line", "defs", "clipPath", "tspan", "circle", "ol"}


def purpose(text: str, when: str) -> Saved[Purpose]:
    return Saved(f"purpose-{when}", when, "Sam", (), Purpose(card="agendas", project="Leaving hospital", text=text))


def rules(texts: list[str], when: str) -> Saved[Rules]:
    item = Rules(card="agendas", project="Leaving hospital",
                 rules=[Rule(id=f"rule-{n}", text=text) for n, text in enumerate(texts)], review_on="2027-03-01")
    return Saved(f"rules-{when}", when, "Sam", (), item)


@cache
def made() -> tuple[Room, str, bytes]:
    shown = room()
    counts = room_counts(shown.split, {"ladder": ROLES, "powermap": ROLES, "agendas": list(ROLES)[:2]},
                         {"ladder": "The ladder", "powermap": "The power map", "agendas": "Our agendas"})
    purposes = [purpose("An old purpose", "2026-11-01T10:00:00+00:00"),
                purpose(f"Safer discharge {HOSTILE}", "2026-11-20T10:00:00+00:00")]
    versions = [rules(["Old rule"], "2026-11-01T10:00:00+00:00"),
                rules(["We start on time", HOSTILE], "2026-11-21T10:00:00+00:00")]
    page = session_report(f"Ward 4 {HOSTILE}", ON, shown.split, counts=counts, ladder=shown.ladder, powermap=shown.powermap,
                          agendas=shown.agendas, project="Leaving hospital", purpose=purposes, rules=versions)
    figures = report_csv(shown.split, counts=counts, ladder=shown.ladder, powermap=shown.powermap, agendas=shown.agendas)
    return shown, page, figures


def csv_rows() -> list[list[str]]:
    text = made()[2].decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_report_is_one_page_with_no_script_and_no_address_outside_it() -> None:
    page = made()[1]
    assert page.startswith("<!DOCTYPE html>") and page.count("<html") == 1
    assert "<script" not in page.lower() and "<img" not in page
    assert not re.search(r"https?://", page)
    tags = [re.sub(r'"[^"]*"', '""', tag) for tag in re.findall(r"<[a-zA-Z][^>]*>", page)]  # typed text has no tags
    assert tags and not any(re.search(r"\s(href|src|on\w+)\s*=", tag) for tag in tags)
    assert {re.match(r"<(\w+)", tag).group(1) for tag in tags} <= ALLOWED_TAGS  # type: ignore[union-attr]
    assert "@media print" in page
    assert page.count("<svg") == 4  # the ladder now and at the aim, and the power map's two scales
    assert "&lt;script&gt;" in page  # typed words, escaped: the room's name, the purpose, a rule, answers


def test_the_report_holds_the_room_the_date_who_took_part_and_each_exercise() -> None:
    page = made()[1]
    assert "<h1>Session report: Ward 4 &lt;script&gt;" in page
    assert "1 December 2026" in page
    assert "Who is here" in page and "<caption>Who joined, and who answered each exercise, by group</caption>" in page
    assert "Public partners are people who know the topic from their own life" in page
    for heading in ("The ladder: where the room says the project is", "The power map: who has a say", "Our agendas: the wall",
                    "What we agreed"):
        assert f">{heading}</h2>" in page
    assert "three rungs lower than researchers do" in page
    assert '<th scope="col">' in page and '<th scope="row">' in page


def test_the_report_has_the_newest_purpose_and_ground_rules() -> None:
    page = made()[1]
    assert "Safer discharge &lt;script&gt;" in page and "An old purpose" not in page
    assert "We start on time" in page and "Old rule" not in page
    assert "1 March 2027" in page  # when the group will look at its rules again


def test_hidden_and_private_answers_are_left_out_of_the_report_and_the_csv() -> None:
    _, page, figures = made()
    for text in (page, figures.decode("utf-8-sig")):
        assert HIDDEN_WORDS not in text
        assert "private note" not in text
    assert "Better discharge letters for everyone (p1)" in page


def test_the_carers_count_is_nowhere_in_the_report_or_the_csv() -> None:
    shown, page, _ = made()
    assert shown.split.group("carer") is None
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", page)
    assert cells and not any(re.search(r"\b[12]\b", cell) for cell in cells)
    words = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    assert not re.search(r"\b[12] (people|person)\b", words)
    assert "Carers" not in words
    counts = [row for row in csv_rows()[1:] if row[3] in {"people", "answered"} or row[3].startswith(("placed", "did not"))]
    assert counts and not any(row[4] in {"1", "2"} for row in counts)
    assert ["room", "Our agendas", "Everyone", "answered", "fewer than 3"] in csv_rows()


def test_the_csv_is_for_spreadsheets_and_typed_formulas_cannot_run() -> None:
    figures = made()[2]
    assert figures.startswith(b"\xef\xbb\xbf")  # a byte order mark, so Excel reads UTF-8
    rows = csv_rows()
    assert rows[0] == ["exercise", "item", "group", "measure", "value"]
    assert all(len(row) == 5 for row in rows)
    lines = figures.decode("utf-8-sig").split("\r\n")
    assert all(line.startswith('"') and line.endswith('"') for line in lines if line)  # every cell quoted
    values = [row[4] for row in rows]
    assert "'" + FORMULA in values
    assert FORMULA not in values
    assert ["ladder", "Design and planning", "Researchers", "middle answer (where it is now)", "Co-design"] in rows


def test_a_room_too_small_makes_a_report_that_says_so() -> None:
    from cofacilitate.workshop.groups import split_by_role

    split = split_by_role({"a": ("researcher",), "b": ()})
    page = session_report("Tiny", ON, split)
    assert "Fewer than 3 people have joined" in page and "<table" not in page
    assert report_csv(split).decode("utf-8-sig").strip() == '"exercise","item","group","measure","value"'
