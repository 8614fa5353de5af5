"""A session without a room: one person's workbook, with the session's exercises in order.

Each exercise is the tool's own page, called as the thin workbooks call it (`show(tool, card=...)`), so the
workbook holds no copy of any tool to go stale, and the page uses the session's card with no choice of another.
A part the group does out loud, or a break, becomes a line a person alone can act on. The shipped copies in
workbooks/sessions/ are made here (a test fails when they no longer match). This module is imported when the
command line is read, so nbformat (most of a second to import) is imported only when a workbook is made.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from cofacilitate.cli import say, workbooks_dir
from cofacilitate.documents import markdown_text
from cofacilitate.sessions.plan import Part, Session

if TYPE_CHECKING:
    from nbformat import NotebookNode

SHIPPED = "sessions"  # the shipped session workbooks' folder, inside workbooks/
TITLE_END = " | cofacilitate"  # a workbook's page title: its own, then ours, as every workbook's is
REPOSITORY = "<owner>/cofacilitate"  # README's "On Binder" link, until a facilitator names their own copy
GITHUB_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}")
KERNEL = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
          "language_info": {"name": "python"}}  # as every workbook in workbooks/ has it

ON_YOUR_OWN = ("This workbook is for one person, with the parts of the session in order. It takes about {time}, "
               "and you can stop and come back at any time. You can pass any question: leave it empty, "
               "or choose “I'd rather not say”.")
TALK_ALONE = ("In a group, people talk about this together. On your own, take a few minutes to think about it. "
              "If you like, talk about it with someone you trust.")
BREAK_ALONE = "A good time for a break. Have a drink, stretch, and come back when you are ready."


def time_words(minutes: int) -> str:
    """"90 minutes", "2 hours": a whole number of hours reads as hours."""
    hours = minutes // 60
    if minutes % 60:
        return f"{minutes} minutes"
    return "1 hour" if hours == 1 else f"{hours} hours"


def part_heading(part: Part, number: int, count: int) -> str:
    """"Part 2 of 5: Naming our agendas, about 35 minutes", as a Markdown heading."""
    return f"## Part {number} of {count}: {markdown_text(part.title)}, about {part.minutes} minutes"


def page_code(part: Part) -> str:
    """The one thing an exercise's cell does: show the tool's own page with the session's card."""
    return f"from cofacilitate.ui import show\n\nshow({json.dumps(part.tool)}, card={json.dumps(part.card)})"


def session_notebook(session: Session) -> NotebookNode:
    """The workbook as a notebook: valid, with no outputs, and the same every time for the same session."""
    from nbformat import v4

    cells = [v4.new_markdown_cell(f"# {markdown_text(session.title)}\n\n{markdown_text(session.welcome)}\n\n"
                                  + ON_YOUR_OWN.format(time=time_words(session.duration_minutes)), id="welcome")]
    for number, part in enumerate(session.parts, start=1):
        heading = part_heading(part, number, len(session.parts))
        if part.kind == "exercise":  # one taken home (the diary) too: this is the person's own workbook
            cells += [v4.new_markdown_cell(heading, id=f"part-{number}"),
                      v4.new_code_cell(page_code(part), id=f"part-{number}-page")]
        else:
            alone = TALK_ALONE if part.kind == "talk" else BREAK_ALONE
            cells.append(v4.new_markdown_cell(f"{heading}\n\n{alone}", id=f"part-{number}"))
    return v4.new_notebook(cells=cells, metadata={**KERNEL, "title": session.title + TITLE_END})


def notebook_text(session: Session) -> str:
    """The workbook's file as written (and as the shipped copies are kept)."""
    import nbformat

    return nbformat.writes(session_notebook(session)) + "\n"


def shipped_path(session: Session, folder: Path | None = None) -> Path:
    """Where the copy that comes with cofacilitate is (or would be) kept."""
    return (folder or workbooks_dir()) / SHIPPED / f"{session.id}.ipynb"


def shipped_workbooks(folder: Path | None = None) -> list[tuple[str, str]]:
    """The session workbooks that come with cofacilitate, for the start page: (address from it, title).

    Read from the notebooks' own titles, not by loading each session (the start page must open fast)."""
    found = []
    for path in sorted((folder or workbooks_dir()).glob(f"{SHIPPED}/*.ipynb")):
        try:
            title = str(json.loads(path.read_text(encoding="utf-8"))["metadata"]["title"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a file that is not one of ours is no link
        found.append((f"{SHIPPED}/{path.name}", title.removesuffix(TITLE_END)))
    return found


def binder_link(notebook: str, repository: str = REPOSITORY) -> str:
    """The address that opens a notebook of a copy of cofacilitate on GitHub on Binder, as a page with no code."""
    return f"https://mybinder.org/v2/gh/{repository}/HEAD?urlpath=voila/render/{notebook}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", help="the file to write (default: <session id>.ipynb in this folder); a folder puts it there")
    parser.add_argument("--github", default=REPOSITORY, metavar="OWNER/NAME",
                        help="your copy of cofacilitate on GitHub, for the Binder link (default: <owner>/cofacilitate)")


def out_path(session: Session, out: str | None) -> Path:
    path = Path(out or ".").expanduser()
    return path / f"{session.id}.ipynb" if out is None or path.is_dir() else path


def open_words(path: Path, ships: bool) -> list[str]:
    """Whether `cofacilitate open` can show the file: it serves the workbooks folder, and nothing outside it."""
    try:
        inside = path.resolve().relative_to(workbooks_dir().resolve()).as_posix()
    except ValueError:
        inside = ""
    if inside:
        return [f"“cofacilitate open” can show it: in the address it gives, put {inside} in place of index.ipynb."]
    words = ["“cofacilitate open” shows only the workbooks that come with cofacilitate, so it cannot open this file."]
    if ships:
        words.append("The same workbook comes with cofacilitate: run “cofacilitate open” and choose it on the start page.")
    return words


def run(session: Session, args: argparse.Namespace) -> int:
    """Write the workbook, and say where it is, how to open it, and the Binder link of its shipped copy."""
    path = out_path(session, args.out)
    if path.suffix != ".ipynb":
        say(f"A workbook's file name must end in .ipynb, so Jupyter opens it as a workbook: {path} does not.", error=True)
        return 1
    if not GITHUB_NAME.fullmatch(args.github) and args.github != REPOSITORY:
        say(f"--github needs your copy's GitHub name as owner/name, such as someone/cofacilitate, not {args.github}.",
            error=True)
        return 1
    text = notebook_text(session)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        say(f"The workbook could not be written to {path}: {err.strerror or err}.", error=True)
        return 1
    notebook = f"workbooks/{SHIPPED}/{session.id}.ipynb"
    shipped = shipped_path(session)
    ships = shipped.is_file() and shipped.read_text(encoding="utf-8") == text
    say(f"The workbook for “{session.title}” is written to {path}.", *open_words(path, ships),
        f"To open it in JupyterLab, run: jupyter lab {shlex.quote(str(path))}",
        "  Then choose Run, then Run All Cells. Or press “Render with Voilà” to see it as a page with no code.")
    if ships:
        say("On Binder, the copy that comes with cofacilitate opens at:", f"  {binder_link(notebook, args.github)}")
    else:
        say(f"To open it on Binder, put it in your copy on GitHub as {notebook}. It then opens at:",
            f"  {binder_link(notebook, args.github)}")
    if args.github == REPOSITORY:
        say("Put your GitHub account in place of <owner>, or give your copy with --github.")
    return 0
