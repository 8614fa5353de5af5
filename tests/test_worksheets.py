"""Paper worksheets, read without a browser: a sheet for every exercise of each shipped session, a code of its own
on each copy and the same code on copy i of every exercise, none on a sheet taken home, every question passable,
tick boxes a pen fills (no form controls), hostile card words shown as text, and the command's files and PDFs
(Chromium stood in for by a small script, so these stay quick)."""

from __future__ import annotations

import argparse
import os
import re
import stat
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from cofacilitate.cards import catalogue
from cofacilitate.cli import main
from cofacilitate.people import ROLES
from cofacilitate.sessions import pdf
from cofacilitate.sessions.plan import Session, load_session, session_paths
from cofacilitate.sessions.sheet_codes import read_sheet_code
from cofacilitate.sessions.worksheet_parts import MAY_SKIP
from cofacilitate.sessions.worksheets import CODE_SENTENCE, KEEP_IT, READ_BY, sheet_codes, worksheet_html
from cofacilitate.ui import SUPPORT
from tests.conftest import copy_cards

SHIPPED = session_paths()
VOID = {"br", "col", "meta", "img", "input", "hr", "link"}
HOSTILE = ' <script>alert("x")</script><b>&amp;</b>'
CODE = re.compile(r"Sheet code: (\S+)")


class Sheet(HTMLParser):
    """What a test reads of a worksheet: each copy's words, each question's words, and what holds a pen's marks."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.open: list[tuple[str, list[str]]] = []
        self.copies: list[list[str]] = []
        self.questions: list[list[str]] = []
        self.tags: set[str] = set()
        self.boxes = self.lines = self.loose = 0  # tick boxes, ruled lines, and either outside a question
        self.feed(page)

    def inside(self, css: str) -> bool:
        return any(css in classes for _, classes in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        self.tags.add(tag)
        if "copy" in classes:
            self.copies.append([])
        if "question" in classes:
            assert not self.inside("question"), "a question inside a question"
            self.questions.append([])
        if "box" in classes or "line" in classes:
            self.boxes += "box" in classes
            self.lines += "line" in classes
            self.loose += not self.inside("question")
        if tag not in VOID:
            self.open.append((tag, classes))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.inside("copy"):
            self.copies[-1].append(data)
        if self.inside("question"):
            self.questions[-1].append(data)

    def copy_text(self, number: int) -> str:
        return " ".join(" ".join(self.copies[number]).split())

    def question_texts(self) -> list[str]:
        return [" ".join(" ".join(words).split()) for words in self.questions]

    def codes(self) -> list[str]:
        return [found[1] for number in range(len(self.copies)) if (found := CODE.search(self.copy_text(number)))]


def made(session: Session, copies: int = 3) -> dict[str, tuple[str, list[str]]]:
    """Every exercise's sheet, by tool: its page and the codes it was made with."""
    codes = sheet_codes(copies)
    return {part.tool: (worksheet_html(session, part, codes), codes) for part in session.exercises}


@pytest.mark.parametrize("path", SHIPPED, ids=[path.stem for path in SHIPPED])
def test_each_shipped_session_has_a_whole_sheet_for_every_exercise(path: Path) -> None:
    session = load_session(path)
    sheets = made(session)
    assert list(sheets) == [part.tool for part in session.exercises] and len(sheets) >= 2
    for part in session.exercises:
        page, codes = sheets[part.tool]
        sheet, card = Sheet(page), catalogue().cards[part.card]
        assert len(sheet.copies) == len(codes) == 3, "one copy per code"
        for number in range(len(codes)):
            text = sheet.copy_text(number)
            assert text.startswith(f"{session.title} Copy {number + 1} of 3"), "the session at the top of each copy"
            for words in (card.title, card.purpose, card.instructions, SUPPORT, "About you", *ROLES.values()):
                assert " ".join(words.split()) in text, words
        assert sheet.boxes > 20 and sheet.lines > 5 and sheet.loose == 0, "tick boxes and lines, each in a question"
        assert not sheet.tags & {"input", "select", "textarea", "button", "form", "script", "img", "link", "iframe"}
        assert not re.search(r"https?://|src=|href=|url\(", page), "no outside address: it prints with no network"


def test_each_copy_has_its_own_code_and_copy_i_has_the_same_code_on_every_exercise() -> None:
    session = load_session(SHIPPED[1])  # starting together: two exercises, both collected
    found = [Sheet(page).codes() for page, _ in made(session, copies=5).values()]
    first, second = found
    assert first == second, "copy i of each exercise stands for the same person"
    assert len(first) == len(set(first)) == 5, "no two copies share a code"
    assert all(read_sheet_code(code) == code for code in first), "every code is one the room accepts"
    page = worksheet_html(session, session.exercises[0], first)
    assert page.count(CODE_SENTENCE) == 5 and page.count(READ_BY) == 5, "each copy says why the code is there"


def test_a_sheet_taken_home_has_no_code_and_says_it_is_the_persons_own() -> None:
    session = load_session(SHIPPED[0])  # how are we doing: the diary is taken home
    diary = next(part for part in session.exercises if part.tool == "diary")
    assert diary.taken_home
    codes = sheet_codes(2)
    page = worksheet_html(session, diary, codes)
    assert "Sheet code" not in page and not any(code in page for code in codes)
    assert page.count(KEEP_IT) == 2 and READ_BY not in page, "nobody reads or collects it"
    text = Sheet(page).copy_text(0)
    assert "Samaritans (UK)" in text and "Call 116 123 for free" in text, "the card's own support contacts too"


@pytest.mark.parametrize("path", SHIPPED, ids=[path.stem for path in SHIPPED])
def test_every_question_says_it_can_be_left_empty(path: Path) -> None:
    for page, _ in made(load_session(path), copies=1).values():
        questions = Sheet(page).question_texts()
        assert len(questions) >= 6
        assert [text.count(MAY_SKIP) for text in questions] == [1] * len(questions)
        assert all(text.endswith(MAY_SKIP) for text in questions), "said under the answer space"


def test_the_ladder_sheet_offers_every_rung_and_the_answers_that_are_not_one() -> None:
    session = load_session(SHIPPED[1])
    part = next(part for part in session.exercises if part.tool == "ladder")
    vocabulary = catalogue().cards[part.card].vocabulary
    questions = Sheet(worksheet_html(session, part, sheet_codes(1))).question_texts()
    for stage in vocabulary.stages:
        asked = next(text for text in questions if text.startswith(stage.label))
        assert "Now What we aim for" in asked
        for rung in vocabulary.rungs:
            assert vocabulary.answer_label(rung.id) in asked
        for words in ("We have not reached this stage yet", "I don't know", "I'd rather not say"):
            assert words in asked
        assert any(text.startswith(f"What would it take to climb one rung at “{stage.label}”?") for text in questions)


def test_the_page_sets_margins_but_no_paper_size_and_each_copy_starts_a_page() -> None:
    page = next(iter(made(load_session(SHIPPED[1])).values()))[0]
    rules = re.findall(r"@page\s*\{([^}]*)\}", page)
    assert rules == [" margin: 15mm; "], "one rule for A4 and US Letter alike"
    assert ".copy + .copy { break-before: page; }" in page
    assert ".question { break-inside: avoid;" in page
    assert re.search(r"\.box \{[^}]*border: 2px solid #000", page), "an empty square, drawn with a border"
    assert re.search(r"\.card p, \.card li \{ font-size: 1[4-9]pt", page), "the card's words in large type"


def hostile_cards(tmp_path: Path) -> Path:
    """The shipped cards with HTML and a script added to every title, purpose, instruction, label, meaning and help."""
    folder = copy_cards(tmp_path)

    def spoil(node: object, key: str = "") -> object:
        if isinstance(node, dict):
            return {name: spoil(value, name) for name, value in node.items()}
        if isinstance(node, list):
            return [spoil(value, key) for value in node]
        if isinstance(node, str) and key in {"title", "purpose", "instructions", "label", "meaning", "help", "example"}:
            return node + HOSTILE if len(node + HOSTILE) <= 120 or key != "label" else node  # a label's longest
        return node

    for path in folder.glob("*.yaml"):
        path.write_text(yaml.safe_dump(spoil(yaml.safe_load(path.read_text(encoding="utf-8")))), encoding="utf-8")
    return folder


def test_card_words_with_html_and_script_are_shown_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = hostile_cards(tmp_path)
    monkeypatch.setenv("COFACILITATE_CARDS", str(folder))
    cards = catalogue(folder)
    assert cards.problems == [] and all(HOSTILE in card.title for card in cards.cards.values())
    plan = tmp_path / "plan.yaml"
    text = (SHIPPED[0].read_text(encoding="utf-8").replace("title: How are we doing?", "title: 'How <i>are</i> we doing?'")
            .replace("steps:\n", "steps:\n  - exercise: agendas\n    minutes: 10\n")
            .replace("duration_minutes: 120", "duration_minutes: 130"))
    plan.write_text(text, encoding="utf-8")
    session = load_session(plan, cards)
    assert [part.tool for part in session.exercises] == ["agendas", "ladder", "powermap", "diary"]
    for tool, (page, _) in made(session, copies=1).items():
        assert "<script" not in page and "<b>" not in page and "<i>" not in page, tool
        assert page.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;&amp;amp;&lt;/b&gt;") > 10, tool
        words = Sheet(page).copy_text(0)
        assert 'How <i>are</i> we doing?' in words and words.count(HOSTILE.strip()) > 10, "a person reads what was typed"


def make_sheets(tmp_path: Path, *more: str, session: str = "starting-together") -> Path:
    out = tmp_path / "sheets"
    assert main(["session", "worksheets", session, "--out", str(out), "--copies", "2", *more]) == 0
    return out


def test_the_command_writes_one_sheet_per_exercise_in_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = make_sheets(tmp_path)
    assert sorted(path.name for path in out.iterdir()) == ["01-agendas.html", "02-ladder.html"]
    codes = [Sheet(path.read_text(encoding="utf-8")).codes() for path in sorted(out.iterdir())]
    assert codes[0] == codes[1] and len(set(codes[0])) == 2
    said = capsys.readouterr().out
    assert f"are in {out}" in said and "01-agendas.html: Naming our agendas" in said
    assert "Give each person the copies with the same code on every sheet" in said


def test_by_default_the_sheets_go_in_a_folder_named_after_the_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["session", "worksheets", "how-are-we-doing"]) == 0
    out = tmp_path / "how-are-we-doing-worksheets"
    assert sorted(path.name for path in out.iterdir()) == ["01-ladder.html", "02-powermap.html", "03-diary.html"]
    assert len(Sheet((out / "01-ladder.html").read_text(encoding="utf-8")).copies) == 10, "10 copies unless asked"


@pytest.mark.parametrize("copies", ["0", "ten", "501"])
def test_a_number_of_copies_that_cannot_be_printed_is_refused_plainly(copies: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["session", "worksheets", "starting-together", "--copies", copies])
    assert "please" in capsys.readouterr().err


def test_a_folder_that_cannot_be_written_is_said_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert main(["session", "worksheets", "starting-together", "--out", str(blocked)]) == 1
    said = capsys.readouterr().err
    assert f"could not be written in {blocked}" in said and "Traceback" not in said


def test_the_help_says_why_each_copy_is_printed_once(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["session", "worksheets", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert "Each copy has its own code, so print each copy once" in said and "--pdf" in said


def test_reading_the_command_line_loads_no_widgets_or_charts() -> None:
    code = ("import sys, cofacilitate.sessions.worksheets\n"
            "print(sorted(m for m in ('ipywidgets', 'pandas', 'altair') if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert found.strip() == "[]"


# -- PDFs, with a stand-in for Chromium -------------------------------------------------------------------


def stand_in(tmp_path: Path, body: str) -> Path:
    """A program called like Chromium: it notes its arguments, then runs `body` (a shell script)."""
    program = tmp_path / "chromium-stand-in"
    program.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{tmp_path}/args"\n{body}\n', encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


PRINTS = 'for a; do case "$a" in --print-to-pdf=*) printf "%%PDF-1.4 stand-in" > "${a#--print-to-pdf=}";; esac; done'


def test_pdfs_are_made_for_a4_and_letter_with_no_network_and_a_fresh_profile(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "find_chromium", lambda: str(stand_in(tmp_path, PRINTS)))
    out = make_sheets(tmp_path, "--pdf")
    assert sorted(path.name for path in out.glob("*.pdf")) == ["01-agendas-a4.pdf", "01-agendas-letter.pdf",
                                                               "02-ladder-a4.pdf", "02-ladder-letter.pdf"]
    assert all(path.read_bytes().startswith(b"%PDF") for path in out.glob("*.pdf"))
    calls = (tmp_path / "args").read_text(encoding="utf-8").split("--headless")[1:]
    assert len(calls) == 4
    for call in calls:
        given = call.split()
        for flag in ("--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-pdf-header-footer", "--no-first-run"):
            assert flag in given
        assert "--host-resolver-rules=MAP * ~NOTFOUND" in call, "no name is looked up"
        profile = next(arg for arg in given if arg.startswith("--user-data-dir="))
        assert "cofacilitate-pdf-" in profile and not Path(profile.split("=", 1)[1]).exists(), "a profile of its own, gone"
        assert given[-1].startswith("file://") and given[-1].endswith(".html")


def test_each_pdf_is_printed_from_a_copy_with_its_paper_size() -> None:
    page = "<html><head><style>@page { margin: 15mm; }</style></head><body></body></html>"
    assert pdf.sized(page, "A4").endswith("@page { margin: 15mm; }</style><style>@page { size: A4; }</style></head>"
                                          "<body></body></html>")
    assert pdf.SIZES == {"a4": "A4", "letter": "letter"}


def test_with_no_chromium_the_pages_are_kept_and_the_command_says_how_to_print_to_pdf(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(pdf, "DEBIAN_CHROMIUM", str(tmp_path / "no-such-browser"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert pdf.find_chromium() is None
    out = tmp_path / "sheets"
    assert main(["session", "worksheets", "starting-together", "--out", str(out), "--copies", "1", "--pdf"]) == 1
    assert sorted(path.name for path in out.iterdir()) == ["01-agendas.html", "02-ladder.html"]
    said = capsys.readouterr()
    assert "01-agendas.html" in said.out
    assert "No PDF was made" in said.err and "choose Print, and then choose Save as PDF" in said.err


def test_chromium_on_the_path_is_found_when_debians_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "DEBIAN_CHROMIUM", str(tmp_path / "no-such-browser"))
    folder = tmp_path / "bin"
    folder.mkdir()
    chrome = folder / "google-chrome"
    chrome.write_text("#!/bin/sh\n", encoding="utf-8")
    chrome.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    assert pdf.find_chromium() == str(chrome)


def test_a_chromium_that_fails_is_said_plainly_and_leaves_no_half_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "find_chromium", lambda: str(stand_in(tmp_path, 'echo "it broke" >&2; exit 3')))
    out = tmp_path / "sheets"
    assert main(["session", "worksheets", "starting-together", "--out", str(out), "--copies", "1", "--pdf"]) == 1
    said = capsys.readouterr().err
    assert "Chromium could not make 01-agendas-a4.pdf. It said: it broke" in said
    assert "you can print it from a web browser" in said and "Traceback" not in said
    assert list(out.glob("*.pdf")) == [] and (out / "01-agendas.html").is_file()


def test_a_page_printed_by_a_chromium_that_writes_no_pdf_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "sheet.html"
    page.write_text("<html><head></head><body>Hello</body></html>", encoding="utf-8")
    writes_text = stand_in(tmp_path, PRINTS.replace("%%PDF-1.4", "not a pdf"))
    with pytest.raises(pdf.PdfError, match=re.escape("Chromium could not make sheet-a4.pdf")):
        pdf.pdfs_for(page, str(writes_text))
    assert not (tmp_path / "sheet-a4.pdf").exists()


def test_run_says_what_it_wrote_without_pdfs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cofacilitate.sessions import worksheets

    args = argparse.Namespace(out=str(tmp_path / "here"), copies=1, pdf=False)
    assert worksheets.run(load_session(SHIPPED[0]), args) == 0
    said = capsys.readouterr().out
    assert "03-diary.html: My reflective diary (taken home, so it has no code)" in said
    assert os.path.isfile(tmp_path / "here" / "03-diary.html")
