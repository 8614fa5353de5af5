"""The command line: `cofacilitate --help`, and `open` serving the landing page on loopback."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

from cofacilitate.cli import free_port


def test_help_lists_the_open_command():
    shown = subprocess.run([sys.executable, "-m", "cofacilitate.cli", "--help"], capture_output=True, text=True, check=True)
    assert "open" in shown.stdout and "open the workbook in your web browser" in shown.stdout


def test_open_prints_the_address_on_its_own_line_and_serves_the_landing_page(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cofacilitate.cli", "open", "--no-browser", "--port", str(port), "--home", str(tmp_path / "ws")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    expected = f"http://127.0.0.1:{port}/voila/render/index.ipynb"
    try:
        deadline = time.monotonic() + 120
        lines = []
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if line.strip() == expected:
                break
        assert expected in lines, lines
        with urllib.request.urlopen(expected, timeout=60) as page:
            html = page.read().decode()
        assert "Working together, honestly" in html and '<main id="cofa-main">' in html
    finally:
        process.terminate()
        process.wait(timeout=30)
