"""The kit's shared-document section: versions never overwrite each other, whatever the page does between saves."""

from __future__ import annotations

from datetime import date

from cofacilitate.agendas.model import Purpose
from cofacilitate.ui.shared import KEEP_DATE, NO_DATE, review_date
from tests.pages import Pages


def purposes(agendas: Pages) -> dict[str, list[str]]:
    """Every stored purpose, by project, oldest first."""
    store = agendas.opened[0]
    found: dict[str, list[str]] = {}
    for record in store.room_records("agendas", ""):
        if record.body.get("kind") == "purpose":
            item = Purpose.model_validate(record.body)
            found.setdefault(item.project, []).append(item.text)
    return found


def test_a_save_after_changing_project_adds_that_projects_version_and_leaves_the_other_alone(agendas: Pages) -> None:
    page = agendas()
    other = agendas(person=agendas.opened[0].new_person())  # a teammate, on this workspace
    other.project.value = "Second project"
    other.shared[0].text.value = "Purpose for the second project"
    other.shared[0].save_button.click()
    section = page.shared[0]
    section.text.value = "Purpose for the first project"
    section.save_button.click()
    page.project.value = "Second project"  # it shows that project's purpose; Save agrees it again, unchanged
    assert "Purpose for the second project" in section.standing.value
    section.save_button.click()
    assert purposes(agendas) == {"My project": ["Purpose for the first project"],
                                 "Second project": ["Purpose for the second project"] * 2}


def test_a_save_pressed_twice_keeps_one_version(agendas: Pages) -> None:
    section = agendas().shared[0]
    section.text.value = "We are here to make discharge safer."
    section.save_button.click()
    section.save_button.click()
    assert purposes(agendas) == {"My project": ["We are here to make discharge safer."]}
    assert "another version was saved" not in section.feedback.value


def test_a_change_after_a_save_makes_a_new_version_and_keeps_the_old_one(agendas: Pages) -> None:
    section = agendas().shared[0]
    section.text.value = "First words"
    section.save_button.click()
    section.text.value = "Better words"
    section.save_button.click()
    assert purposes(agendas) == {"My project": ["First words", "Better words"]}
    assert "First words" in section.older.value and "Better words" in section.standing.value


def test_the_date_to_look_again_is_kept_dropped_or_counted_from_today() -> None:
    today = date(2027, 1, 31)
    assert review_date(KEEP_DATE, "2027-06-01", today) == "2027-06-01"
    assert review_date(NO_DATE, "2027-06-01", today) == ""
    assert review_date("31", "", today) == "2027-03-03"
