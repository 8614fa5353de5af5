"""Timing in a kernel: run later on the kernel's own loop, or at once in plain Python.

A button never waits a fixed time for typing to land: the kit's buttons ask the page first (`ui.press`).

Voilà pages run on the kernel's event loop; tests and scripts have none. Both paths go
through here so a widget test can choose either (see tests that run a real loop).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


def kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The running kernel's event loop, or None in plain Python (tests, scripts).

    A loop may be running that is not a kernel's (Playwright's sync API keeps one in the
    main thread), and a callback scheduled there would never run, so ask for a kernel too.
    """
    from ipykernel.kernelbase import Kernel

    if not Kernel.initialized():
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class Debounced:
    """Call `action` once typing pauses for `delay` seconds (at once without a kernel loop)."""

    def __init__(self, action: Callable[[], None], delay: float) -> None:
        self.action, self.delay = action, delay
        self._timer: asyncio.TimerHandle | None = None

    def poke(self) -> None:
        loop = kernel_loop()
        if loop is None:
            self.action()
            return
        self.cancel()
        self._timer = loop.call_later(self.delay, self.action)

    def cancel(self) -> None:
        if self._timer:
            self._timer.cancel()
            self._timer = None


class Repeating:
    """Call `action` every `every` seconds on the kernel's loop, until stopped (never without a loop:
    a test calls the action itself). A room's pages look at the store this way; nothing pushes to them."""

    def __init__(self, action: Callable[[], None], every: float) -> None:
        self.action, self.every = action, every
        self._timer: asyncio.TimerHandle | None = None

    def start(self) -> bool:
        loop = kernel_loop()
        if loop is None:
            return False
        self.stop()
        self._timer = loop.call_later(self.every, self._tick)
        return True

    def _tick(self) -> None:
        try:
            self.action()
        finally:
            self.start()

    def stop(self) -> None:
        if self._timer:
            self._timer.cancel()
            self._timer = None
