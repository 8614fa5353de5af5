"""`cofacilitate open`: the workbook as a web page on this computer, and nothing more.

Voilà runs on 127.0.0.1 only, with our page template (no requests to other hosts), no
tracebacks shown, and kernels of closed tabs culled (Voilà cannot stop them itself).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
import webbrowser
from pathlib import Path

from cofacilitate import __version__
from cofacilitate.cards import PACKAGE_DIR

TEMPLATES_ROOT = PACKAGE_DIR / "jupyter"
WEBSOCKET_LIMIT = 64 * 1024 * 1024  # uploads past our 2 MB limit still arrive, so we can say so
KERNEL_IDLE_CULL_SECONDS = 120


def workbooks_dir() -> Path:
    installed = PACKAGE_DIR / "workbooks"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / "workbooks"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def voila_command(port: int, folder: Path, cull_idle_seconds: int = KERNEL_IDLE_CULL_SECONDS) -> list[str]:
    """The Voilà server as we run it; shared by `open`, the tests and the benchmarks."""
    return [
        sys.executable, "-m", "voila", str(folder), "--no-browser", "--template=cofacilitate",
        f"--port={port}", "--Voila.ip=127.0.0.1", "--show_tracebacks=False",
        f"--Voila.tornado_settings={{'websocket_max_message_size': {WEBSOCKET_LIMIT}}}",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_seconds}",
        f"--MappingKernelManager.cull_interval={max(1, cull_idle_seconds // 4)}",
        "--MappingKernelManager.cull_connected=False",
    ]


def voila_env() -> dict[str, str]:
    """Put our template first on Jupyter's data path, so a source checkout uses its own copy."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATES_ROOT), env.get("JUPYTER_PATH")]))
    return env


def wait_until_serving(base: str, process: subprocess.Popen, seconds: float) -> bool:
    """True once Voilà at `base` answers; False if it exits or `seconds` pass first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(base + "/voila/static/voila.js", timeout=2):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def open_app(args: argparse.Namespace) -> int:
    if args.home:
        os.environ["COFACILITATE_HOME"] = str(Path(args.home).expanduser())
    print("Getting charts ready to work without the internet (only slow the first time)...", flush=True)
    from cofacilitate.offline import prepare_bundle

    prepare_bundle()
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/voila/render/index.ipynb"
    process = subprocess.Popen(voila_command(port, workbooks_dir()), env=voila_env())
    try:
        if not wait_until_serving(base, process, 120):
            print("The workbook server did not start. Look at the messages above for the reason.", file=sys.stderr)
            return 1
        print("\nThe workbook is open at this address (only this computer can see it):")
        print(url, flush=True)
        print("Press Ctrl+C here to stop it.\n", flush=True)
        if not args.no_browser:
            webbrowser.open(url)
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)


def prepare(_: argparse.Namespace) -> int:
    from cofacilitate.offline import prepare_bundle

    print(prepare_bundle())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="cofacilitate", description="A calm, private workbook for co-production in health research."
    )
    parser.add_argument("--version", action="version", version=f"cofacilitate {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    opener = commands.add_parser("open", help="open the workbook in your web browser")
    opener.add_argument("--port", type=int, default=0, help="port to use (default: any free port)")
    opener.add_argument("--home", help="folder for saved answers (default: your user data folder)")
    opener.add_argument("--no-browser", action="store_true", help="print the address but do not open a browser")
    opener.set_defaults(run=open_app)
    commands.add_parser("prepare", help="build the offline chart bundle now (for Binder and servers)").set_defaults(run=prepare)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
