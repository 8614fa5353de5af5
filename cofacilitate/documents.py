"""Documents people take away: one plain outline, written out as a printable web page or as Markdown.

A tool builds a `Document` from what was agreed or written; this module writes it out,
escaping every piece of text, because any of it may have been typed by someone. The web
page holds its own styles (nothing is fetched from anywhere) and prints cleanly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from cofacilitate.words import tidy


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: Sequence[str] = ()
    bullets: Sequence[str] = ()
    columns: Sequence[str] = ()  # a table, when there are columns
    rows: Sequence[Sequence[str]] = ()


@dataclass(frozen=True)
class Document:
    title: str
    intro: Sequence[str] = ()
    sections: Sequence[Section] = field(default_factory=tuple)


PRINT_STYLE = """
body { font-family: system-ui, sans-serif; font-size: 1.05rem; line-height: 1.5; max-width: 46rem;
       margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.7rem; } h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #888; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #666; padding: .3rem .5rem;
       text-align: left; vertical-align: top; }
li { margin: .25rem 0; } p, li, td { overflow-wrap: anywhere; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr, li { break-inside: avoid; } }
"""


def to_html(doc: Document) -> str:
    """A whole web page that opens in any browser and prints well; every text escaped."""
    parts = [f"<h1>{escape(doc.title)}</h1>", *(f"<p>{escape(text)}</p>" for text in doc.intro)]
    for section in doc.sections:
        parts.append(f"<h2>{escape(section.heading)}</h2>")
        parts += [f"<p>{escape(text)}</p>" for text in section.paragraphs]
        if section.bullets:
            parts.append("<ul>" + "".join(f"<li>{escape(text)}</li>" for text in section.bullets) + "</ul>")
        if section.columns:
            head = "".join(f'<th scope="col">{escape(column)}</th>' for column in section.columns)
            body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in section.rows)
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(doc.title)}</title><style>{PRINT_STYLE}</style></head>\n<body>\n"
        + "\n".join(parts) + "\n</body></html>\n"
    )


# Characters Markdown (or the HTML inside it) could read as markup anywhere in a line.
_MARKUP = re.compile(r"([\\`*_{}\[\]<>&|#~!])")
_LINE_START = re.compile(r"^(\s*\d*)([-+=.)])")


def markdown_text(text: str) -> str:
    """Typed text as one line of Markdown that shows exactly what was typed, and nothing runs."""
    line = _MARKUP.sub(r"\\\1", tidy(text))
    return _LINE_START.sub(r"\1\\\2", line, count=1)


def to_markdown(doc: Document) -> str:
    """The same document as Markdown, for wikis, emails and word processors."""
    lines = [f"# {markdown_text(doc.title)}", ""]
    lines += [line for text in doc.intro for line in (markdown_text(text), "")]
    for section in doc.sections:
        lines += [f"## {markdown_text(section.heading)}", ""]
        lines += [line for text in section.paragraphs for line in (markdown_text(text), "")]
        if section.bullets:
            lines += [f"- {markdown_text(text)}" for text in section.bullets] + [""]
        if section.columns:
            lines.append("| " + " | ".join(markdown_text(column) for column in section.columns) + " |")
            lines.append("|" + " --- |" * len(section.columns))
            lines += ["| " + " | ".join(markdown_text(cell) for cell in row) + " |" for row in section.rows]
            lines.append("")
    return "\n".join(lines)
