"""One way of saying what the workbook is not, on every page: "not a health or crisis service".

A person who reads "not a clinical or support service" on the landing page and "not a health or
crisis service" on a tool's page may wonder whether those are two different promises. Read from
everything a participant can see: the cards, the workbooks' text and the package's strings
(docstrings left out: nobody reads them on a page).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDING = "not a health or crisis service"
SAYING = re.compile(r"\bnot an? ((?:\w+ ?){1,4}?) ?service\b", re.IGNORECASE)


def page_strings(source: str) -> list[str]:
    """The string constants of a module, docstrings left out."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def what_participants_read() -> dict[str, str]:
    cards = sorted((ROOT / "exercises").glob("*.yaml"))
    texts = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in cards}
    for path in sorted((ROOT / "workbooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts[str(path.relative_to(ROOT))] = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    for path in sorted((ROOT / "cofacilitate").rglob("*.py")):
        texts[str(path.relative_to(ROOT))] = "\n".join(page_strings(path.read_text(encoding="utf-8")))
    for path in sorted((ROOT / "cofacilitate" / "jupyter").rglob("*.htm*")):
        texts[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    return texts


def test_every_page_says_what_the_workbook_is_not_in_the_same_words() -> None:
    sayings = {(where, re.sub(r"\s+", " ", found.group(0)).lower())
               for where, text in what_participants_read().items() for found in SAYING.finditer(text)}
    assert sayings, "the workbook says what it is not"
    assert {saying for _, saying in sayings} == {WORDING}, sorted(sayings)
    assert any(where.startswith("workbooks/index") for where, _ in sayings), "the landing page says it too"
