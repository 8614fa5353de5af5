"""Choosing a file to restore: one plain button, its size checked before it travels.

ipywidgets' FileUpload names itself "Restore from a file (0)" and sends any file, however
large, as one websocket message (past 10 MiB the socket closes with no word on the page).
This small anywidget has a button that says only what it does, refuses a file that is
too big in the browser, and sends the bytes of one that fits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

_ESM = """
function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "jupyter-widgets jupyter-button widget-button " + model.get("css");
  button.textContent = model.get("label");
  const input = document.createElement("input");
  input.type = "file";
  input.accept = model.get("accept");
  input.hidden = true;
  button.addEventListener("click", () => { input.value = ""; input.click(); });
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    if (file.size > model.get("max_bytes")) {
      model.send({ kind: "too-big", name: file.name, size: file.size });
      return;
    }
    model.send({ kind: "file", name: file.name, size: file.size }, undefined, [await file.arrayBuffer()]);
  });
  el.append(button, input);
}
export default { render };
"""


class FilePicker(anywidget.AnyWidget):
    """A button that opens the file chooser and hands over one file's name and bytes."""

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    label = traitlets.Unicode().tag(sync=True)
    css = traitlets.Unicode().tag(sync=True)
    accept = traitlets.Unicode(".json,application/json").tag(sync=True)
    max_bytes = traitlets.Int().tag(sync=True)

    def __init__(self, label: str, css: str, max_bytes: int, on_file: Callable[[str, int, bytes | None], None]) -> None:
        super().__init__(label=label, css=css, max_bytes=max_bytes)
        self.on_file = on_file
        self.on_msg(self._received)

    def _received(self, _: Any, content: dict[str, Any], buffers: list[memoryview]) -> None:
        """A file's bytes, or None when the browser found it too big to send."""
        name, size = str(content.get("name", "the file"))[:200], int(content.get("size", 0))
        self.on_file(name, size, bytes(buffers[0]) if content.get("kind") == "file" and buffers else None)
