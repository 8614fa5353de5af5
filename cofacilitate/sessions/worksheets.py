"""Paper worksheets for a session: for each exercise, one web page that prints a copy per person.

Some people would rather write on paper, or cannot use a phone in the room. Each copy of a sheet carries a
sheet code, and copy i of every exercise carries the same code: the code stands for the person who fills in
that copy, so when the facilitator types their answers into the room (on any exercise, however often) they
count once. A sheet taken home (the private diary) has no code: nobody collects it.

The page holds its own styles, no script and no outside address. It sets page margins but no page size,
so one file prints on A4 and on US Letter alike (pdf.py makes a PDF of each size). The page kit's words
(the card's intro, the support sentence) load only when sheets are made: `cofacilitate --help` stays quick.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from html import escape
from pathlib import Path

from cofacilitate.cards import Catalogue, catalogue
from cofacilitate.cli import say
from cofacilitate.sessions.plan import Part, Session, SessionError
from cofacilitate.sessions.sheet_codes import new_sheet_code

DEFAULT_COPIES = 10
MOST_COPIES = 500
CODE_SENTENCE = "The person running the session types this code in with your answers, so they count once."
READ_BY = "The person running the session will read this sheet, to type in your answers."
KEEP_IT = "This sheet is yours to keep. Nobody collects it."

STYLE = """
@page { margin: 15mm; }
* { box-sizing: border-box; }
html { background: #fff; color: #000; }
body { font-family: system-ui, "DejaVu Sans", Arial, sans-serif; font-size: 14pt; line-height: 1.4; color: #000;
       background: #fff; max-width: 180mm; margin: 0 auto; padding: 8mm 4mm; }
@media print { body { max-width: none; margin: 0; padding: 0; } }
@media screen { .copy + .copy { border-top: 3px dashed #000; margin-top: 12mm; padding-top: 8mm; } }
.copy + .copy { break-before: page; }
.sheet-top { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: flex-start; gap: 3mm 6mm; }
.sheet-top .titles { flex: 1 1 80mm; }
.sheet-top .session { font-size: 14pt; font-weight: normal; margin: 0; }
.sheet-top .which { font-size: 12pt; margin: 1mm 0 0; }
.corner { flex: 0 1 72mm; border: 2px solid #000; padding: 2mm 3mm; }
.corner p { margin: 0 0 1mm; font-size: 12pt; }
.corner .code { font-size: 16pt; white-space: nowrap; }
.corner .code strong { letter-spacing: .08em; }
.card h2 { font-size: 22pt; line-height: 1.2; margin: 3mm 0 2mm; border: 0; }
.card p, .card li { font-size: 15pt; }
.card .cofa-source, .card .cofa-source small { font-size: 11pt; }
.card ol { padding-left: 8mm; } .card li { margin: 0 0 1.5mm; break-inside: avoid; }
h2 { font-size: 18pt; margin: 7mm 0 2mm; border-bottom: 2px solid #000; break-after: avoid; }
h2 + p { break-after: avoid; }
h3 { font-size: 15pt; margin: 0 0 1mm; break-after: avoid; } h4 { font-size: 14pt; margin: 0 0 1mm; }
p { margin: 0 0 2mm; } p, li, td, th { overflow-wrap: break-word; }
.question { break-inside: avoid; margin: 0 0 4mm; }
.together, .group { break-inside: avoid; } .stage { border-top: 1px solid #000; padding-top: 3mm; margin-bottom: 3mm; }
.side-by-side { display: flex; flex-wrap: wrap; gap: 0 6mm; align-items: flex-start; }
.side-by-side > * { flex: 1 1 48mm; min-width: 0; }
.side-by-side > .question:has(table) { flex: 0 1 124mm; }
.group { border-left: 3px solid #000; padding-left: 4mm; margin: 0 0 6mm; }
.group-title, .way { font-size: 16pt; margin: 5mm 0 2mm; }
.may-skip { font-size: 12pt; font-style: italic; margin: 1mm 0 0; }
.example { font-style: italic; }
.ticks { list-style: none; padding: 0; margin: 1mm 0 2mm; }
.ticks li { display: flex; align-items: flex-start; gap: 3mm; margin: 0 0 2mm; break-inside: avoid; }
.ticks.two { columns: 2; column-gap: 8mm; } .ticks.across { display: flex; flex-wrap: wrap; gap: 0 5mm; }
.box { display: inline-block; flex: none; width: 6mm; height: 6mm; border: 2px solid #000; background: #fff;
       margin-top: .12em; }
.line { height: 9mm; border-bottom: 1px solid #000; }  /* wide-ruled paper is 8.7 mm */
table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm; table-layout: fixed; }
th, td { border: 1px solid #000; padding: 1mm 2mm; text-align: left; vertical-align: top; font-size: 13pt; }
th small { font-weight: normal; font-size: 11pt; } tr { break-inside: avoid; }
.choose td, .choose th { line-height: 1.15; padding-top: .5mm; padding-bottom: .5mm; vertical-align: middle; }
.tick { width: 26mm; text-align: center; } th.tick { font-size: 12pt; }
td.tick { line-height: 0; vertical-align: middle; } .tick .box { display: block; width: 5mm; height: 5mm; margin: 0 auto; }
.write-in td { height: 20mm; } .write-in th { font-size: 12pt; } .write-in th[scope="row"] { width: 28%; font-weight: normal; }
.people td { height: 12mm; } .people col.step { width: 7.5mm; } .people col.room { width: 18mm; }
.people .box { width: 4.5mm; height: 4.5mm; }
.people th { font-size: 12pt; line-height: 1.2; } .people th.step { text-align: center; padding: .5mm 0; }
.people td.tick { padding: 0; }
.key ol { margin: 0 0 2mm; padding-left: 8mm; } .key li { font-size: 13pt; }
.support { border: 2px solid #000; padding: 2mm 4mm; margin: 4mm 0; font-size: 13pt; break-inside: avoid; }
.support p, .support li { font-size: 13pt; }
"""


def worksheet_html(session: Session, part: Part, codes: Sequence[str], cards: Catalogue | None = None) -> str:
    """One exercise's worksheet: a whole web page with one copy per code, each on its own printed pages.

    A part taken home gets one copy per code too, but prints no code: nobody collects it."""
    from cofacilitate.sessions import worksheet_parts as parts

    card = (cards or catalogue()).card(part.card)
    if card is None:
        raise SessionError(f"There is no exercise card with the id '{part.card}' any more, so its worksheet cannot be made.")
    if part.tool not in parts.QUESTIONS:
        raise SessionError(f"There is no paper version of “{card.title}” yet.")
    body = (parts.card_words(card), parts.support_note(), parts.about_you(), parts.QUESTIONS[part.tool](card))
    copies = [copy_html(session, part, code, number, len(codes), body) for number, code in enumerate(codes, start=1)]
    title = f"{session.title}: {card.title}"
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n<body>\n" + "\n".join(copies) + "\n</body></html>\n")


def copy_html(session: Session, part: Part, code: str, number: int, copies: int, body: Sequence[str]) -> str:
    """One person's copy: the session and exercise at the top, the sheet code (or "yours to keep") at the top right."""
    if part.taken_home:
        corner = f'<div class="corner"><p>{KEEP_IT}</p></div>'
    else:
        corner = (f'<div class="corner"><p class="code">Sheet code: <strong>{escape(code)}</strong></p>'
                  f"<p>{CODE_SENTENCE}</p></div>")
    heard = "" if part.taken_home else f"<p>{READ_BY}</p>"
    return (f'<section class="copy" aria-label="Copy {number} of {copies}"><header class="sheet-top">'
            f'<div class="titles"><h1 class="session">{escape(session.title)}</h1>'
            f'<p class="which">Copy {number} of {copies}</p></div>{corner}</header>'
            f'<div class="card">{body[0]}</div>{heard}{"".join(body[1:])}</section>')


def sheet_codes(copies: int) -> list[str]:
    """One new code per copy, all different (two the same would make two people one)."""
    codes: list[str] = []
    while len(codes) < copies:
        code = new_sheet_code()
        if code not in codes:
            codes.append(code)
    return codes


def copies_count(text: str) -> int:
    """--copies as a number the printer can manage; argparse says what is wrong in plain words."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"please give a whole number of copies, such as 10 (not {text!r})") from None
    if not 1 <= number <= MOST_COPIES:
        raise argparse.ArgumentTypeError(f"please ask for between 1 and {MOST_COPIES} copies")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", help="the folder to put the sheets in. If you leave it out, they go in a new folder "
                                      "in this one, named after the session")
    parser.add_argument("--copies", type=copies_count, default=DEFAULT_COPIES,
                        help=f"how many people can fill in each sheet (default: {DEFAULT_COPIES}). Each copy has its "
                             "own code, so print each copy once: do not print one copy many times")
    parser.add_argument("--pdf", action="store_true",
                        help="also make PDF files of the sheets, for A4 paper and for US Letter. "
                             "This needs Chromium or Google Chrome")


def run(session: Session, args: argparse.Namespace) -> int:
    """Write one sheet per exercise (and its PDFs if asked), then say what was written where."""
    out = Path(args.out).expanduser() if args.out else Path.cwd() / f"{session.id}-worksheets"
    codes = sheet_codes(args.copies)
    cards = catalogue()
    written: list[tuple[Path, Part]] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for number, part in enumerate(session.exercises, start=1):
            path = out / f"{number:02d}-{part.tool}.html"
            path.write_text(worksheet_html(session, part, codes, cards), encoding="utf-8")
            written.append((path, part))
    except SessionError as err:
        say(str(err), error=True)
        return 1
    except OSError as err:
        say(f"The worksheets could not be written in {out}: {err.strerror or err}. Please choose another folder "
            "with --out.", error=True)
        return 1
    collected = [part for _, part in written if not part.taken_home]
    say(f"Worksheets for “{session.title}”, {args.copies} copies of each, are in {out}:",
        *(f"  {path.name}: {part.title}" + (" (taken home, so it has no code)" if part.taken_home else "")
          for path, part in written))
    if collected:
        say("Print each file once. Each copy starts on a new page and has its own sheet code. Give each person "
            "the copies with the same code on every sheet, so their answers count as one person's.")
    if not args.pdf:
        return 0
    from cofacilitate.sessions import pdf

    return pdf.make_all([path for path, _ in written])
