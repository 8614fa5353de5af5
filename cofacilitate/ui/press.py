"""A button whose click runs only once the page has sent everything typed before it.

The browser holds back a text box's newest words while an earlier change is on its way, but
sends a click at once, so a click can overtake the last words typed (on a phone on a busy
wifi, by seconds). No fixed wait can win that bet. So a click here is a question and an
answer: the kernel asks the page to answer once more, and the page answers after the words
it was holding back, because it sends them the moment the kernel is done with the last
change. When the answer arrives, every word typed before the click is in the kernel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import traitlets
from ipywidgets import CallbackDispatcher

ESM = """
function render({ model, el }) {
  const button = document.createElement("button");
  const show = () => {
    button.className = ["jupyter-widgets", "jupyter-button", "widget-button",
                        model.get("primary") ? "mod-primary" : "", ...model.get("css")].filter(Boolean).join(" ");
    button.textContent = model.get("description");
    button.disabled = model.get("disabled");
  };
  show();
  model.on("change", show);
  button.addEventListener("click", () => model.send({ event: "click" }));
  el.appendChild(button);
}
function initialize({ model }) {
  // Sent after every change this page was holding back, so the kernel has them all before it acts.
  model.on("msg:custom", (message) => {
    if (message && message.settle !== undefined) model.send({ settled: message.settle });
  });
}
export default { initialize, render };
"""


class Press(anywidget.AnyWidget):
    """A labelled button (a real <button>, so Enter and Space press it) that acts on what was typed before it."""

    _esm = traitlets.Unicode(ESM).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    primary = traitlets.Bool(False).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    css = traitlets.List(traitlets.Unicode()).tag(sync=True)  # on the <button> itself, where tests and styles look

    def __init__(self, description: str, css: str, *, primary: bool = False, **kwargs: Any) -> None:
        super().__init__(description=description, primary=primary, css=[css], **kwargs)
        super().add_class("cofa-press")
        self._handlers = CallbackDispatcher()
        self._asked = 0
        self.on_msg(self._from_page)

    def add_class(self, className: str) -> Press:
        if className not in self.css:
            self.css = [*self.css, className]
        return self

    def remove_class(self, className: str) -> Press:
        self.css = [name for name in self.css if name != className]
        return self

    def on_click(self, callback: Callable[[Press], Any], remove: bool = False) -> None:
        self._handlers.register_callback(callback, remove=remove)

    def click(self) -> None:
        """Run the click handlers now (what the page's answer does; tests call it directly)."""
        self._handlers(self)

    def _from_page(self, _: object, content: dict[str, Any], buffers: list[bytes]) -> None:
        if content.get("event") == "click":
            self._asked += 1
            self.send({"settle": self._asked})
        elif "settled" in content:
            self.click()
