"""One person's session workbooks: valid, output-free, the shipped copies up to date, and they run headless.

Each exercise is the tool's own page with the session's card (never a copy of a tool), so the checks here are
on what the notebook calls and on what the run displayed: the page opened with that card and offered no other.
"""

from __future__ import annotations

import ast
import json
import re
from html import escape
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from cofacilitate.cards import catalogue
from cofacilitate.cli import main
from cofacilitate.sessions.plan import Part, Session, load_session, session_paths
from cofacilitate.sessions.workbook import notebook_text, session_notebook, shipped_path
from tests.test_notebooks import WIDGET_VIEW, code_cells

SESSIONS = [load_session(path) for path in session_paths()]
IDS = [session.id for session in SESSIONS]


def show_calls(cell: nbformat.NotebookNode) -> list[tuple[list[object], dict[str, object]]]:
    """Every `show(...)` the cell makes, with its arguments as values; the cell must do nothing else."""
    tree = ast.parse(cell.source)
    calls = []
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom):
            assert statement.module == "cofacilitate.ui" and [alias.name for alias in statement.names] == ["show"]
            continue
        assert isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call), cell.source
        call = statement.value
        assert isinstance(call.func, ast.Name) and call.func.id == "show", cell.source
        calls.append(([ast.literal_eval(arg) for arg in call.args],
                      {str(keyword.arg): ast.literal_eval(keyword.value) for keyword in call.keywords}))
    return calls


def test_both_sessions_ship_a_workbook() -> None:
    assert set(IDS) >= {"starting-together", "how-are-we-doing"}


@pytest.mark.parametrize("session", SESSIONS, ids=IDS)
def test_the_shipped_copy_is_what_the_session_makes_now(session: Session) -> None:
    shipped = shipped_path(session)
    assert shipped.parent.name == "sessions" and shipped.parent.parent.name == "workbooks"
    assert shipped.read_text(encoding="utf-8") == notebook_text(session), (
        f"{shipped} is out of date: run  cofacilitate session workbook {session.id} --out {shipped}")


@pytest.mark.parametrize("session", SESSIONS, ids=IDS)
def test_the_workbook_is_valid_and_has_no_outputs(session: Session) -> None:
    notebook = nbformat.reads(shipped_path(session).read_text(encoding="utf-8"), as_version=4)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    assert notebook.metadata.kernelspec.name == "python3" and notebook.metadata.title == f"{session.title} | cofacilitate"
    for cell in code_cells(notebook):
        assert cell.outputs == [] and cell.execution_count is None
    assert "widgets" not in notebook.metadata, "no widget state saved from a run"


@pytest.mark.parametrize("session", SESSIONS, ids=IDS)
def test_each_part_is_in_order_and_each_exercise_is_its_tools_page_with_the_sessions_card(session: Session) -> None:
    notebook = session_notebook(session)
    headings = [cell.source.splitlines()[0] for cell in notebook.cells if cell.source.startswith("## ")]
    count = len(session.parts)
    assert headings == [f"## Part {n} of {count}: {part.title}, about {part.minutes} minutes"
                        for n, part in enumerate(session.parts, start=1)]
    calls = [call for cell in code_cells(notebook) for call in show_calls(cell)]
    assert calls == [([part.tool], {"card": part.card}) for part in session.exercises]
    assert len(code_cells(notebook)) == len(session.exercises), "one cell per exercise, and no other code"


def test_a_talk_part_and_a_break_become_something_a_person_alone_can_do() -> None:
    session = next(session for session in SESSIONS if session.id == "starting-together")
    markdown = {cell.id: cell.source for cell in session_notebook(session).cells if cell.cell_type == "markdown"}
    welcome = markdown["welcome"]
    assert welcome.startswith("# Starting to work together\n") and "thank you for coming" in welcome
    assert "about 90 minutes" in welcome and "pass any question" in welcome
    talk, rest = (markdown[f"part-{n}"] for n, part in enumerate(session.parts, start=1) if part.kind != "exercise"
                  and part.title in {"Welcome, and how today will go", "Tea break"})
    assert "On your own, take a few minutes to think about it" in talk and "someone you trust" in talk
    assert "A good time for a break" in rest


def test_the_diary_taken_home_is_on_the_persons_own_workbook() -> None:
    session = next(session for session in SESSIONS if session.id == "how-are-we-doing")
    diary = next(part for part in session.parts if part.tool == "diary")
    assert diary.taken_home, "private: never in the room"
    calls = [call for cell in code_cells(session_notebook(session)) for call in show_calls(cell)]
    assert (["diary"], {"card": "diary"}) in calls
    assert "about 2 hours" in session_notebook(session).cells[0].source


def test_the_facilitators_words_are_escaped_as_markdown() -> None:
    hostile = Session("odd", "<script>alert(1)</script> **big**", "# Not a heading [link](http://x) <img src=x>", 15, (
        Part("talk", "<b>Hello</b> _there_", 5, 0),
        Part("exercise", "Ladder", 10, 5, tool="ladder", card="ladder", in_room=True),
    ))
    notebook = session_notebook(hostile)
    nbformat.validate(notebook)
    shown = "".join(markdown2html_mistune(cell.source) for cell in notebook.cells if cell.cell_type == "markdown")
    assert set(re.findall(r"<([a-z0-9]+)", shown)) == {"h1", "h2", "p", "a"}
    links = re.findall(r'<a [^>]*href="([^"]*)"', shown)
    assert all(href.startswith("#") for href in links), "the only links are each heading's own anchor"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **big**" in shown and "# Not a heading [link](http://x) &lt;img" in shown
    assert "Part 1 of 2: &lt;b&gt;Hello&lt;/b&gt; _there_, about 5 minutes" in shown


def run_headless(notebook: nbformat.NotebookNode, folder: Path, home: Path) -> dict[str, dict]:
    """Execute the workbook as Voilà would (in its own folder), check it ran cleanly; every widget's state by its id."""
    NotebookClient(notebook, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(folder)}}).execute()
    outputs = [output for cell in code_cells(notebook) for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    assert not [output for output in outputs if output.output_type == "stream" and output.name == "stderr"]
    assert (home / "workspace.sqlite").is_file(), "the pages opened their workspace in COFACILITATE_HOME"
    for cell in code_cells(notebook):
        assert any(WIDGET_VIEW in output.get("data", {}) for output in cell.outputs), "each exercise cell shows a page"
    stored = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    return {model_id: model["state"] for model_id, model in stored.items()}


def pages_shown(states: dict[str, dict], session: Session) -> list[str]:
    """The card each page shows, in order; every page opened, and none shows a choice of card."""
    assert not [state["value"] for state in states.values() if 'role="alert"' in str(state.get("value", ""))], (
        "a page opened with a problem message instead of the exercise")
    assert sum("cofa-app" in state.get("_dom_classes", ()) for state in states.values()) == len(session.exercises)
    placed = {child for state in states.values() for child in state.get("children", ())}
    choices = [model_id for model_id, state in states.items() if "cofa-card-choice" in state.get("_dom_classes", ())]
    assert choices and not [model_id for model_id in choices if f"IPY_MODEL_{model_id}" in placed], "no choice of card"
    return [state["value"] for state in states.values() if "cofa-card" in state.get("_dom_classes", ())]


@pytest.mark.parametrize("session", SESSIONS, ids=IDS)
def test_the_workbook_runs_headless_and_each_exercise_opens_with_the_sessions_card(
        session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "workspace"
    monkeypatch.setenv("COFACILITATE_HOME", str(home))
    path = shipped_path(session)

    cards = pages_shown(run_headless(nbformat.read(path, as_version=4), path.parent, home), session)

    titles = [catalogue().cards[part.card].title for part in session.exercises]
    assert [title for title in titles if any(f"<h2>{escape(title)}</h2>" in card for card in cards)] == titles


def test_a_session_with_another_card_opens_the_page_on_that_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ladder's first card is "ladder": a session naming Arnstein's card gets that card, and no choice."""
    home = tmp_path / "workspace"
    monkeypatch.setenv("COFACILITATE_HOME", str(home))
    session = Session("arnstein-alone", "Arnstein on my own", "Hello.", 20,
                      (Part("exercise", "Arnstein", 20, 0, tool="ladder", card="arnstein", in_room=True),))

    cards = pages_shown(run_headless(session_notebook(session), tmp_path, home), session)

    assert len(cards) == 1 and f"<h2>{escape(catalogue().cards['arnstein'].title)}</h2>" in cards[0]


@pytest.mark.parametrize("session", SESSIONS[:1], ids=IDS[:1])
def test_the_command_writes_the_workbook_and_gives_its_binder_link(
        session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["session", "workbook", session.id]) == 0
    said = capsys.readouterr().out
    written = tmp_path / f"{session.id}.ipynb"
    assert written.read_text(encoding="utf-8") == shipped_path(session).read_text(encoding="utf-8")
    assert f"is written to {session.id}.ipynb" in said
    assert "cannot open this file" in said and f"jupyter lab {session.id}.ipynb" in said
    assert (f"https://mybinder.org/v2/gh/<owner>/cofacilitate/HEAD?urlpath=voila/render/workbooks/sessions/{session.id}.ipynb"
            in said.splitlines()[-2])

    assert main(["session", "workbook", session.id, "--out", str(tmp_path / "mine" / "w.ipynb"),
                 "--github", "someone/cofacilitate"]) == 0
    said = capsys.readouterr().out
    nbformat.validate(nbformat.read(tmp_path / "mine" / "w.ipynb", as_version=4))
    assert f"https://mybinder.org/v2/gh/someone/cofacilitate/HEAD?urlpath=voila/render/workbooks/sessions/{session.id}.ipynb" \
        in said
    assert "<owner>" not in said


def test_the_command_refuses_a_file_jupyter_would_not_open_and_a_bad_github_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["session", "workbook", "starting-together", "--out", str(tmp_path / "w.txt")]) == 1
    assert "must end in .ipynb" in capsys.readouterr().err and not (tmp_path / "w.txt").exists()
    assert main(["session", "workbook", "starting-together", "--out", str(tmp_path), "--github", "not a name"]) == 1
    assert "owner/name" in capsys.readouterr().err and not list(tmp_path.iterdir())


def test_a_session_of_ones_own_gets_the_place_its_binder_link_needs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "ours.yaml"
    plan.write_text(json.dumps({"id": "ours", "title": "Our own", "duration_minutes": 20, "welcome": "Hello.",
                                "steps": [{"exercise": "ladder", "minutes": 20}]}), encoding="utf-8")
    assert main(["session", "workbook", str(plan), "--out", str(tmp_path)]) == 0
    said = capsys.readouterr().out
    assert (tmp_path / "ours.ipynb").is_file()
    assert "put it in your copy on GitHub as workbooks/sessions/ours.ipynb" in said
    assert "urlpath=voila/render/workbooks/sessions/ours.ipynb" in said
