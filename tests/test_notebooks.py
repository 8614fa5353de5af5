"""Every workbook runs headless, and stays thin: short code cells, no saved outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"
NOTEBOOKS = sorted(WORKBOOKS.glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MAX_CODE_LINES = 12


def code_cells(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def widget_states(notebook: nbformat.NotebookNode) -> list[dict]:
    """The state of every widget the run displayed (nbclient stores it in the metadata)."""
    stored = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return [model["state"] for model in stored.get("state", {}).values()]


def test_there_are_workbooks() -> None:
    assert {path.name for path in NOTEBOOKS} >= {"index.ipynb", "ladder.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_workbook_is_thin_and_has_no_saved_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)

    assert code_cells(notebook), "a workbook shows an app, so it has a code cell"
    for cell in code_cells(notebook):
        assert len(cell.source.splitlines()) <= MAX_CODE_LINES, cell.source
        assert cell.outputs == []
        assert cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_workbook_runs_headless_and_shows_an_app(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "workspace"
    monkeypatch.setenv("COFACILITATE_HOME", str(home))
    notebook = nbformat.read(path, as_version=4)

    NotebookClient(
        notebook, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(WORKBOOKS)}},
    ).execute()  # raises CellExecutionError if any cell fails

    outputs = [output for cell in code_cells(notebook) for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    assert any(WIDGET_VIEW in output.get("data", {}) for output in outputs), "the last cell shows a widget"
    assert not [output for output in outputs if output.output_type == "stream" and output.name == "stderr"]
    assert (home / "workspace.sqlite").is_file(), "the app opened its workspace in COFACILITATE_HOME"
    states = widget_states(notebook)
    assert any("cofa-app" in state.get("_dom_classes", ()) for state in states)
    problems = [state["value"] for state in states if 'role="alert"' in str(state.get("value", ""))]
    assert problems == [], "the page opened with a problem message instead of the app"
