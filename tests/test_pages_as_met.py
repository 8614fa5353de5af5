"""The pages as people meet them, without a browser: a new project starts empty, and
spreadsheets open the CSV in the right characters."""

from __future__ import annotations

import pandas as pd

from cofacilitate.frames import csv_bytes
from tests.conftest import shown
from tests.pages import Pages


def add(page, name: str) -> None:
    page.people.name.value = name
    page.people.add.click()


def test_a_new_project_starts_with_an_empty_map_and_the_old_one_comes_back(powermap: Pages) -> None:
    page = powermap()
    page.project.value = "Ward study"
    add(page, "Ward managers")
    page.missing.name.value = "Young carers"
    page.missing.add.click()
    page.reflection.change.value = "Pay people for their time"

    page.project.value = "Schools study"

    assert page.map.stakeholders == [] and page.map.missing == []
    assert list(page.people.people.options) == [] and page.reflection.change.value == ""
    said = shown(page.project_feedback)
    assert "starts with an empty map" in said and "Ward study" in said, "said next to the project's name"
    add(page, "Head teachers")
    page.project.value = "Ward study"
    assert [p.label for p in page.map.stakeholders] == ["Ward managers"]
    assert [v.label for v in page.map.missing] == ["Young carers"]
    assert page.reflection.change.value == "Pay people for their time"

    again = powermap()  # a reload keeps each project's map apart
    assert again.project.value == "Ward study" and [p.label for p in again.map.stakeholders] == ["Ward managers"]
    again.project.value = "Schools study"
    assert [p.label for p in again.map.stakeholders] == ["Head teachers"]


def test_a_saved_map_belongs_to_its_own_project(powermap: Pages) -> None:
    page = powermap()
    page.project.value = "Ward study"
    add(page, "Ward managers")
    page.project.value = "Schools study"
    add(page, "Head teachers")

    page.save_button.click()

    [record] = page.ctx.records()
    assert record.body["project"] == "Schools study"
    assert [p["label"] for p in record.body["stakeholders"]] == ["Head teachers"]


def test_the_csv_starts_with_a_byte_order_mark_so_spreadsheets_read_every_character() -> None:
    words = ["Café au lait ☕", "مرحبا", "Zoë 😊"]

    data = csv_bytes(pd.DataFrame({"answer": words}))

    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[1:] == [f'"{w}"' for w in words]
