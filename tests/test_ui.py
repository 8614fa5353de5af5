"""The shared widget kit, without a browser: messages, guard, escaping, notices, files."""

from __future__ import annotations

import base64
import logging

import pytest

from cofacilitate import ui
from cofacilitate.store import Workspace, configure_log


def test_guard_turns_an_error_into_a_plain_message_and_logs_the_details(tmp_path):
    workspace = Workspace.open(tmp_path / "ws")
    configure_log(workspace)
    feedback = ui.Feedback()
    typed = "My private words about my care"

    @feedback.guard
    def broken(_):
        raise KeyError(typed)

    assert broken(None) is None
    assert "Something went wrong on our side" in feedback.value
    assert "KeyError" not in feedback.value and "Traceback" not in feedback.value
    assert 'role="alert"' in feedback.value
    for handler in logging.getLogger("cofacilitate").handlers:
        handler.flush()
    logged = workspace.log_path.read_text()
    assert "Traceback" in logged and "KeyError" in logged and "broken" in logged
    assert typed not in logged, "an error's message may hold what a person typed: it never reaches the log"
    assert workspace.log_path.stat().st_mode & 0o777 == 0o600


def test_feedback_says_what_kind_of_message_in_words_not_only_colour():
    feedback = ui.Feedback()
    feedback.say("Saved <b>now</b>", "done")
    assert "Done: Saved &lt;b&gt;now&lt;/b&gt;" in feedback.value
    feedback.say("It broke", "problem")
    assert "Problem: It broke" in feedback.value


def test_tables_and_download_links_escape_everything():
    table = ui.table_html("Cap <i>", ["A<script>"], [["<img src=x onerror=alert(1)>"]])
    assert "<script>" not in table and "<img" not in table and "&lt;img src=x" in table
    assert '<th scope="col">' in table and "<caption>Cap &lt;i&gt;</caption>" in table
    link = ui.download_link('My "file"', 'a"b.json', b'{"x": 1}', "application/json", "cofa-x")
    assert 'download="a&quot;b.json"' in link
    encoded = link.split("base64,")[1].split('"')[0]
    assert base64.b64decode(encoded) == b'{"x": 1}'


@pytest.mark.parametrize(("name", "opening"), [
    ("arnstein", "This comes from Sherry R. Arnstein's “A Ladder of Citizen Participation”. It came out in 1969"),
    ("ladder", "This comes from the Ladder of Co-production by Think Local Act Personal (TLAP)"),
    ("powermap", "This comes from several ideas. The map of influence and interest is from Mendelow (1991)"),
])
def test_a_card_says_where_it_comes_from_in_plain_words_and_keeps_the_source(name, opening):
    from html import unescape

    from cofacilitate.cards import default_cards_dir, load_card
    from cofacilitate.ladder.model import LadderVocabulary
    from cofacilitate.powermap.model import PowerMapVocabulary

    card = load_card(default_cards_dir() / f"{name}.yaml", PowerMapVocabulary if name == "powermap" else LadderVocabulary)
    source_line = unescape(ui.card_intro_html(card).split('class="cofa-source">')[1])

    assert source_line.startswith(f"<small>{opening}")
    assert "Based on" not in source_line and source_line.endswith(". We have put it in our own words.</small></p>")


def test_storage_notice_warns_plainly_on_a_temporary_server(tmp_path, monkeypatch):
    assert "saved on this computer only" in ui.storage_notice(str(tmp_path)).value
    monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://binder.example/")
    notice = ui.storage_notice(str(tmp_path)).value
    assert "temporary server" in notice and "Get my answers as files" in notice


def test_labelled_fields_carry_their_label_as_description():
    box = ui.text_field("Your name", limit=200, css="cofa-name")
    assert box.description == "Your name" and "cofa-name" in box._dom_classes
    dropdown = ui.choice("Pick", [("First", "a"), ("Second", "b")])
    assert dropdown.value == "a" and dropdown.description == "Pick"


def test_launch_shows_a_plain_message_when_the_workspace_is_not_ours(tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "workspace.sqlite").write_text("my shopping list")
    shown = ui.launch(lambda workspace: pytest.fail("must not build"), str(folder))
    assert "is not a cofacilitate workspace" in shown.value
    assert (folder / "workspace.sqlite").read_text() == "my shopping list"
    for handler in logging.getLogger("cofacilitate").handlers:
        handler.flush()
    assert "is not a cofacilitate workspace" in (folder / "logs" / "cofacilitate.log").read_text(), "a page's refusal is logged"


def test_building_every_page_loads_neither_pandas_nor_altair(tmp_path):
    """The first widget must come as fast as a plain button: charts load their libraries later."""
    import subprocess
    import sys

    script = (
        "import sys; from cofacilitate import landing, ui; from cofacilitate.tools import TOOLS; "
        f"home = {str(tmp_path / 'ws')!r}; landing.show(home); pages = [ui.show(t.id, home) for t in TOOLS]; "
        "assert all(type(p.children[0]).__name__.endswith('Page') for p in pages), pages; "
        "print(sorted(name for name in ('pandas', 'altair') if name in sys.modules))"
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"
