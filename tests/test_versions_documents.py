"""The kit every shared document uses: versions (who agreed, when to look again, what was saved
meanwhile) and the printable page and Markdown a group takes away, with every typed text escaped."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from pydantic import ValidationError

from cofacilitate.documents import Document, Section, markdown_text, to_html, to_markdown
from cofacilitate.snapshots import Saved
from cofacilitate.versions import (
    MAX_NAME,
    VersionFields,
    agreed_words,
    current,
    long_date,
    names_from,
    review_reasons,
    saved_meanwhile,
)

HOSTILE = "<script>alert(1)</script>"


def history(*ids: str) -> list[Saved[str]]:
    """Versions saved one after another, oldest first, as a shelf holds them."""
    return [Saved(record_id, f"2024-01-0{n}T09:00:00+00:00", "Sam", (), f"version {record_id}")
            for n, record_id in enumerate(ids, start=1)]


def hostile_document() -> Document:
    return Document(
        title=f"Title {HOSTILE}",
        intro=[f"Intro {HOSTILE}"],
        sections=[Section(heading=f"Heading {HOSTILE}", paragraphs=[f"Paragraph {HOSTILE}"], bullets=[f"Bullet {HOSTILE}"],
                          columns=["Word", f"Column {HOSTILE}"], rows=[["PPI", f"Cell {HOSTILE}"]])],
    )


# -- version fields ------------------------------------------------------------------


def test_version_fields_keep_a_real_date_and_tidy_names() -> None:
    fields = VersionFields(agreed_by=["  Ann   Lee ", "", "   ", "Bob"], review_on="2027-03-01", based_on="record-1")

    assert fields.agreed_by == ["Ann Lee", "Bob"]
    assert fields.review_on == "2027-03-01"
    assert fields.based_on == "record-1"
    assert VersionFields().review_on == "" and VersionFields().agreed_by == []


@pytest.mark.parametrize("typed", ["next spring", "2027-02-30", "01/03/2027", "2027-13-01"])
def test_version_fields_refuse_a_date_that_is_not_a_date(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        VersionFields(review_on=typed)

    assert "review_on" in str(caught.value)


def test_version_fields_refuse_a_name_that_is_too_long() -> None:
    with pytest.raises(ValidationError) as caught:
        VersionFields(agreed_by=["Ann", "x" * (MAX_NAME + 1)])

    assert f"please keep each name to {MAX_NAME} characters or fewer" in str(caught.value)
    assert VersionFields(agreed_by=["x" * MAX_NAME]).agreed_by == ["x" * MAX_NAME]


def test_version_fields_refuse_keys_they_do_not_know() -> None:
    with pytest.raises(ValidationError):
        VersionFields.model_validate({"agreed_by": [], "approved": True})


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ("Ann, Bob,Cy", ["Ann", "Bob", "Cy"]),
        ("  Ann  Lee , , ,Bob ", ["Ann Lee", "Bob"]),
        ("Ann, Bob, Ann, ann,  Bob ", ["Ann", "Bob", "ann"]),
        ("", []),
        (" , ,, ", []),
    ],
    ids=["commas", "blanks-and-spaces", "repeats-once-in-typed-order", "nothing", "only-commas"],
)
def test_names_from_reads_names_typed_with_commas(typed: str, names: list[str]) -> None:
    assert names_from(typed) == names


def test_agreed_words_name_everyone_or_say_no_one() -> None:
    assert agreed_words(["Ann", "Bob", "Cy"]) == "Agreed by Ann, Bob and Cy."
    assert agreed_words(["Ann"]) == "Agreed by Ann."
    assert agreed_words([]) == "Not agreed yet: no one is named as agreeing it."


def test_long_date_is_written_in_words() -> None:
    assert long_date("2027-03-01") == "1 March 2027"
    assert long_date("2024-12-25") == "25 December 2024"


# -- current and saved meanwhile ---------------------------------------------------------


def test_current_is_the_newest_version() -> None:
    assert current(history()) is None
    assert current(history("a", "b", "c")) == history("a", "b", "c")[-1]


def test_starting_from_nothing_every_version_was_saved_meanwhile() -> None:
    versions = history("a", "b")

    assert saved_meanwhile(versions, "") == versions
    assert saved_meanwhile(history(), "") == []


def test_versions_after_the_one_a_writer_started_from_were_saved_meanwhile() -> None:
    versions = history("a", "b", "c")

    assert [saved.record_id for saved in saved_meanwhile(versions, "a")] == ["b", "c"]
    assert [saved.record_id for saved in saved_meanwhile(versions, "b")] == ["c"]
    assert saved_meanwhile(versions, "c") == []


def test_a_version_not_in_the_history_hides_nothing() -> None:
    assert saved_meanwhile(history("a", "b"), "restored-from-a-file") == []


# -- time to look again ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "due"),
    [(date(2027, 3, 2), True), (date(2027, 3, 1), True), (date(2027, 2, 28), False)],
    ids=["date-passed", "today", "future"],
)
def test_a_review_date_that_has_come_is_a_reason_to_look_again(today: date, due: bool) -> None:
    reasons = review_reasons("2027-03-01", today, 0)

    assert reasons == (["the date you set to look at them again (1 March 2027) has come"] if due else [])


@pytest.mark.parametrize(
    ("newcomers", "reasons"),
    [
        (0, []),
        (1, ["someone new has joined since they were agreed"]),
        (3, ["3 new people have joined since they were agreed"]),
    ],
)
def test_newcomers_are_a_reason_to_look_again(newcomers: int, reasons: list[str]) -> None:
    assert review_reasons("", date(2027, 3, 1), newcomers) == reasons


def test_both_reasons_are_given_together() -> None:
    reasons = review_reasons("2024-01-01", date(2027, 3, 1), 2)

    assert reasons == ["the date you set to look at them again (1 January 2024) has come",
                       "2 new people have joined since they were agreed"]


# -- the printable page ----------------------------------------------------------------


def test_the_page_escapes_every_typed_text() -> None:
    page = to_html(hostile_document())

    assert "<script" not in page.lower()
    escaped = html.escape(HOSTILE)
    for text in ("Title", "Intro", "Heading", "Paragraph", "Bullet", "Column", "Cell"):
        assert f"{text} {escaped}" in page, text
    assert f"<title>Title {escaped}</title>" in page
    assert f"<li>Bullet {escaped}</li>" in page
    assert f"<td>Cell {escaped}</td>" in page


def test_the_page_escapes_quotes_and_ampersands() -> None:
    page = to_html(Document(title='Say "hi" & <b>bye</b>', intro=["It's 'ours'"]))

    assert "<h1>Say &quot;hi&quot; &amp; &lt;b&gt;bye&lt;/b&gt;</h1>" in page
    assert "<p>It&#x27;s &#x27;ours&#x27;</p>" in page


def test_the_page_is_a_whole_page_that_prints_and_fetches_nothing() -> None:
    page = to_html(hostile_document())

    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page
    assert '<meta charset="utf-8">' in page
    assert re.search(r"<title>[^<]+</title>", page)
    assert "<style>" in page and "@media print" in page
    assert page.rstrip().endswith("</body></html>")
    assert not re.search(r"https?://", page)
    for fetches in ("<link", "src=", "@import", "url(", "<iframe", "<img"):
        assert fetches not in page.lower(), fetches


def test_the_page_lays_out_headings_lists_and_tables() -> None:
    page = to_html(Document("Our ways of working", ["Made today."], [
        Section("Our ground rules", ["Saved on 1 March 2027."], ["We listen.", "We take breaks."]),
        Section("Our words", columns=["Word", "What we mean by it"], rows=[["PPI", "Patient and public involvement."]]),
        Section("Nothing here"),
    ]))

    assert "<h1>Our ways of working</h1>" in page
    assert "<h2>Our ground rules</h2>" in page and "<h2>Our words</h2>" in page and "<h2>Nothing here</h2>" in page
    assert "<ul><li>We listen.</li><li>We take breaks.</li></ul>" in page
    assert '<th scope="col">Word</th><th scope="col">What we mean by it</th>' in page
    assert "<tbody><tr><td>PPI</td><td>Patient and public involvement.</td></tr></tbody>" in page
    assert page.count("<ul>") == 1 and page.count("<table>") == 1


# -- Markdown ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        (HOSTILE, r"\<script\>alert(1)\</script\>"),
        ("[click me](http://example.org)", r"\[click me\](http://example.org)"),
        ("![picture](x.png)", r"\!\[picture\](x.png)"),
        ("*bold* and _lean_ and `code`", r"\*bold\* and \_lean\_ and \`code\`"),
        ("a | b", r"a \| b"),
        ("1. first", r"1\. first"),
        ("12) twelfth", r"12\) twelfth"),
        ("- a dash", r"\- a dash"),
        ("+ a plus", r"\+ a plus"),
        ("# a heading", r"\# a heading"),
        ("> a quote", r"\> a quote"),
        ("&lt; an entity", r"\&lt; an entity"),
        ("ends with a backslash\\", "ends with a backslash\\\\"),
        ("a line\n# typed heading\n\n- typed item", r"a line \# typed heading - typed item"),
        ("   lots   of    space  ", "lots of space"),
    ],
    ids=["html", "link", "image", "emphasis", "pipe", "ordered-list", "ordered-list-paren", "dash-list", "plus-list",
         "heading", "quote", "entity", "backslash", "newlines", "spaces"],
)
def test_markdown_text_shows_what_was_typed_as_one_line(typed: str, written: str) -> None:
    line = markdown_text(typed)

    assert line == written
    assert "\n" not in line


def test_markdown_escapes_every_typed_text() -> None:
    text = to_markdown(hostile_document())

    assert "<script>" not in text and "</script>" not in text
    assert r"# Title \<script\>alert(1)\</script\>" in text.splitlines()
    assert r"## Heading \<script\>alert(1)\</script\>" in text.splitlines()
    assert r"- Bullet \<script\>alert(1)\</script\>" in text.splitlines()
    assert r"| PPI | Cell \<script\>alert(1)\</script\> |" in text.splitlines()


def test_a_pipe_in_a_table_cell_does_not_make_a_new_column() -> None:
    text = to_markdown(Document("Words", sections=[
        Section("Our words", columns=["Word", "What | we mean"], rows=[["A|B", "one | two | three"]]),
    ]))

    table = [line for line in text.splitlines() if line.startswith("|")]
    assert table == [r"| Word | What \| we mean |", "| --- | --- |", r"| A\|B | one \| two \| three |"]
    for line in table:
        assert len(re.findall(r"(?<!\\)\|", line)) == 3, line


def test_a_typed_line_cannot_start_a_heading_a_list_or_a_quote() -> None:
    typed = "first line\n# not a heading\n- not an item\n1. not a number\n> not a quote"
    doc = Document(typed, [typed], [Section(typed, [typed], [typed], ["Word"], [[typed]])])

    lines = to_markdown(doc).splitlines()

    headings = [line for line in lines if line.startswith("#")]
    assert headings == [f"# {markdown_text(typed)}", f"## {markdown_text(typed)}"]
    bullets = [line for line in lines if line.startswith(("-", "+", "*", ">"))]
    assert bullets == [f"- {markdown_text(typed)}"]
    assert not [line for line in lines if re.match(r"\s*\d+[.)]", line)]
    assert len(lines) == len(to_markdown(Document("t", ["i"], [Section("h", ["p"], ["b"], ["Word"], [["c"]])])).splitlines())


def test_markdown_lays_out_headings_paragraphs_lists_and_tables() -> None:
    text = to_markdown(Document("Our ways of working", ["Made today."], [
        Section("Our ground rules", ["Saved on 1 March 2027."], ["We listen.", "We take breaks."]),
        Section("Our words", columns=["Word", "What we mean by it"], rows=[["PPI", "Patient and public involvement."]]),
    ]))

    assert text.splitlines() == [
        "# Our ways of working", "", "Made today.", "",
        "## Our ground rules", "", "Saved on 1 March 2027.", "", "- We listen.", "- We take breaks.", "",
        "## Our words", "", "| Word | What we mean by it |", "| --- | --- |", "| PPI | Patient and public involvement. |",
    ]


def test_markdown_renders_to_exactly_the_typed_words() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    typed = [HOSTILE, "[click me](http://example.org)", "*bold* _lean_", "1. first", "- a dash", "a | b",
             "a line\n# typed heading", "&lt; an entity", "<img src=x onerror=alert(1)>"]
    doc = Document(HOSTILE, typed, [Section("Words", typed, typed, ["Word", "Meaning"], [[text, text] for text in typed])])

    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(to_markdown(doc))

    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered
    assert "<em>" not in rendered and "<strong>" not in rendered and "<ol" not in rendered
    assert rendered.count("<h1>") == 1 and rendered.count("<h2>") == 1
    assert rendered.count("<li>") == len(typed)
    assert rendered.count("<tr>") == len(typed) + 1
    assert rendered.count("<td>") == 2 * len(typed)
    shown = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    for text in typed:
        assert " ".join(text.split()) in shown, text
