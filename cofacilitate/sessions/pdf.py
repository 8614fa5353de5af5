"""PDFs of a worksheet, made by Chromium's own print to PDF: a well-kept library that needs no network.

The worksheet sets page margins but no page size, so a printer can use either paper. For a PDF each size
gets its own file: a copy of the page with an `@page { size: ... }` rule added is printed by headless
Chromium, with its own empty profile in a temporary folder and every way it has of reaching the network
turned off (the page itself has no outside address). When no Chromium is found, the web pages still stand,
and we say how to print them to PDF from any browser.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from cofacilitate.cli import say

SIZES = {"a4": "A4", "letter": "letter"}  # file name ending -> CSS page size
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
DEBIAN_CHROMIUM = "/usr/bin/chromium"
WAIT_SECONDS = 120
QUIET = (  # no updates, sync, reports, lookups or first-run pages: nothing leaves this computer
    "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
    "--disable-default-apps", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-domain-reliability", "--disable-breakpad", "--disable-client-side-phishing-detection", "--disable-quic",
    "--metrics-recording-only", "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
    "--host-resolver-rules=MAP * ~NOTFOUND", "--no-pdf-header-footer",
)
NO_BROWSER = ("No PDF was made: there is no Chromium or Google Chrome on this computer. The web pages are ready. "
              "To make a PDF, open a sheet in your web browser, choose Print, and then choose Save as PDF.")


class PdfError(RuntimeError):
    """A PDF that could not be made, in words a facilitator can act on."""


def find_chromium() -> str | None:
    """Debian's Chromium, else the first Chromium or Chrome on the PATH; None when there is none."""
    if os.access(DEBIAN_CHROMIUM, os.X_OK):
        return DEBIAN_CHROMIUM
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def sized(html: str, size: str) -> str:
    """The page with a paper size added after its own styles (so it wins)."""
    rule = f"<style>@page {{ size: {size}; }}</style>"
    return html.replace("</head>", rule + "</head>", 1) if "</head>" in html else rule + html


def print_to_pdf(page: Path, target: Path, size: str, chromium: str) -> None:
    """`page` printed on paper of `size` into `target`; PdfError says plainly what went wrong."""
    with tempfile.TemporaryDirectory(prefix="cofacilitate-pdf-") as folder:
        work = Path(folder)
        copy, made = work / page.name, work / "sheet.pdf"
        copy.write_text(sized(page.read_text(encoding="utf-8"), size), encoding="utf-8")
        # Chromium refuses to start as root with its sandbox on; it only ever reads our own page here.
        sandbox = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        command = [chromium, *QUIET, *sandbox, f"--user-data-dir={work / 'profile'}", f"--print-to-pdf={made}", copy.as_uri()]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
        try:
            _, said = process.communicate(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its helpers too: they are in the group it leads
            process.communicate()
            raise PdfError(f"Chromium took more than {WAIT_SECONDS} seconds to make {target.name}, so it was stopped.") from None
        if process.returncode != 0 or not made.is_file() or made.read_bytes()[:5] != b"%PDF-":
            last = next((line for line in reversed(said.decode(errors="replace").splitlines()) if line.strip()), "")
            raise PdfError(f"Chromium could not make {target.name}." + (f" It said: {last.strip()}" if last else ""))
        shutil.move(made, target)


def pdfs_for(page: Path, chromium: str) -> list[Path]:
    """`<name>-a4.pdf` and `<name>-letter.pdf` beside the page."""
    made = []
    for ending, size in SIZES.items():
        target = page.with_name(f"{page.stem}-{ending}.pdf")
        print_to_pdf(page, target, size, chromium)
        made.append(target)
    return made


def make_all(pages: list[Path]) -> int:
    """PDFs of every page, saying what was made where; 1 when any PDF could not be made."""
    chromium = find_chromium()
    if chromium is None:
        say(NO_BROWSER, error=True)
        return 1
    made: list[Path] = []
    for page in pages:
        try:
            made += pdfs_for(page, chromium)
        except (PdfError, OSError) as err:
            problem = err if isinstance(err, PdfError) else f"The PDF of {page.name} could not be written: {err.strerror}."
            say(f"{problem} The web page {page} is still there: you can print it from a web browser.", error=True)
            return 1
    say("PDFs, one for A4 paper and one for US Letter:", *(f"  {path}" for path in made))
    return 0
