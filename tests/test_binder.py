"""The Binder set-up, end to end without Docker: what repo2docker does, done by hand.

A fresh virtual environment gets only binder/requirements.txt, binder/postBuild runs in a
clean copy of the repository, and Jupyter Server starts the way Binder starts it, with
Voilà as a server extension. Then real Chromium opens the landing page at the address a
Binder link opens (?urlpath=voila/render/workbooks/index.ipynb) and follows it to the ladder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import suppress
from pathlib import Path

import pytest

from cofacilitate.cli import free_port
from tests.conftest import Visit, need_browser

REPO = Path(__file__).resolve().parents[1]
# pip's own settings and cache, read before the session fixture moves HOME, so the fresh
# environment installs from the wheels that installing the package has already cached.
REAL_ENV = dict(os.environ)
# Settings that would send pip or Python somewhere other than the fresh environment.
NOT_INHERITED = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CONDA_PREFIX", "JUPYTER_PATH",
                 "JUPYTER_CONFIG_PATH", "PIP_USER", "PIP_TARGET", "PIP_PREFIX", "PIP_REQUIRE_VIRTUALENV")


def run(command: list[str], *, timeout: float, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    assert done.returncode == 0, (
        f"{' '.join(map(str, command))} failed ({done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    )
    return done


def clean_env(base: dict[str, str], venv: Path) -> dict[str, str]:
    env = {name: value for name, value in base.items() if name not in NOT_INHERITED}
    env["PATH"] = os.pathsep.join([str(venv / "bin"), base.get("PATH", "")])
    env["VIRTUAL_ENV"] = str(venv)
    return env


def copy_repository(target: Path) -> None:
    """The files a clone (or the commit about to be made) has: tracked and not ignored."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=REPO, capture_output=True, check=True, timeout=60).stdout
        names = [name for name in listed.decode().split("\0") if name]
    except (OSError, subprocess.SubprocessError):
        names = []
    if not names:
        shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(
            ".git", ".venv", "venv", "__pycache__", "*.egg-info", "build", "dist", ".pytest_cache"))
        return
    for name in names:
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)  # keeps postBuild's executable bit


def wait_for_server(base: str, server: subprocess.Popen, log: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"jupyter server exited early:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            urllib.request.urlopen(base + "/voila/static/voila.js", timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"jupyter server did not serve Voilà in time:\n{log.read_text(errors='replace')[-4000:]}")


def stop(server: subprocess.Popen) -> None:
    """Stop the server, then anything it started (kernels) that outlived it."""
    import psutil

    try:
        children = psutil.Process(server.pid).children(recursive=True)
    except psutil.Error:
        children = []
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)
    for child in children:
        with suppress(psutil.Error):
            child.kill()


@pytest.mark.browser
@pytest.mark.timeout(1800)
def test_binder_build_serves_the_workbook_through_the_server_extension(tmp_path: Path, browser) -> None:
    need_browser()
    started = time.monotonic()

    # 1. A fresh environment with only binder/requirements.txt, as repo2docker installs it.
    venv = tmp_path / "env"
    run([sys.executable, "-m", "venv", str(venv)], timeout=180)
    python = venv / "bin" / "python"
    pip_env = clean_env(REAL_ENV, venv)
    run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off",
         "-r", str(REPO / "binder" / "requirements.txt")], timeout=1200, env=pip_env)
    pip_cache = run([str(python), "-m", "pip", "cache", "dir"], timeout=60, env=pip_env).stdout.strip()

    # 2. binder/postBuild in a clean copy of the repository, with every folder it could
    #    write to inside tmp_path (Binder's would be the image's home and environment).
    repo = tmp_path / "repo"
    copy_repository(repo)
    postbuild = repo / "binder" / "postBuild"
    assert os.access(postbuild, os.X_OK), "binder/postBuild must be executable"
    home = tmp_path / "home"
    folders = {
        "HOME": home, "COFACILITATE_CACHE": tmp_path / "cache", "COFACILITATE_HOME": tmp_path / "workspace",
        "JUPYTER_CONFIG_DIR": home / ".jupyter", "JUPYTER_DATA_DIR": home / ".local/share/jupyter",
        "JUPYTER_RUNTIME_DIR": home / ".local/share/jupyter/runtime", "IPYTHONDIR": home / ".ipython",
        "XDG_CACHE_HOME": home / ".cache", "XDG_DATA_HOME": home / ".local/share",
        "XDG_CONFIG_HOME": home / ".config", "TMPDIR": tmp_path / "tmp",
    }
    env = clean_env(dict(os.environ), venv)
    for name, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    env["PIP_CACHE_DIR"] = pip_cache  # pip's real cache, for the build backend postBuild needs
    built = run([str(postbuild)], timeout=600, cwd=repo, env=env)

    bundles = list((tmp_path / "cache").glob("jupyterchart-*.js"))
    assert len(bundles) == 1 and bundles[0].stat().st_size > 100_000, built.stdout
    bundle_built_at = bundles[0].stat().st_mtime
    assert (venv / "share/jupyter/voila/templates/cofacilitate/index.html.j2").is_file()
    shown = run([str(venv / "bin" / "jupyter"), "server", "--show-config"], timeout=120, cwd=repo, env=env).stdout
    assert "template = 'cofacilitate'" in shown, shown
    assert "show_tracebacks = False" in shown, shown
    assert "'websocket_max_message_size': 67108864" in shown, shown
    assert "'mathjax_url': None" in shown, shown  # else Voilà's page loads MathJax from a CDN
    assert "cull_idle_timeout = 120" in shown, shown  # kernels of closed pages are never stopped otherwise

    # 3. Jupyter Server as Binder starts it, serving the repository, Voilà as an extension.
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_env = dict(env, BINDER_REQUEST="v2/gh/example/cofacilitate/HEAD")  # Binder sets BINDER_*
    log = tmp_path / "server.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [str(venv / "bin" / "jupyter"), "server", "--ServerApp.ip=127.0.0.1", f"--port={port}",
             "--ServerApp.token=", "--ServerApp.password=", "--no-browser",
             *(["--allow-root"] if os.geteuid() == 0 else [])],  # Binder runs as a plain user
            cwd=repo, env=server_env, stdout=output, stderr=subprocess.STDOUT,
        )
    visit = None
    try:
        wait_for_server(base, server, log, time.monotonic() + 120)

        # 4. The landing page at the address a Binder link opens, then the ladder.
        visit = Visit(browser, tmp_path)
        visit.open(f"{base}/voila/render/workbooks/index.ipynb")
        page = visit.page
        ladder_link = page.locator("a[href$='ladder.ipynb']").first
        ladder_link.wait_for(state="visible", timeout=60_000)
        assert page.get_attribute("html", "lang") == "en"
        assert page.locator("main").count() == 1, "our template's <main> is missing: is the template in use?"
        page.locator(".cofa-temporary").wait_for(state="visible", timeout=30_000)
        ladder_link.click()
        page.wait_for_url("**/voila/render/workbooks/ladder.ipynb", timeout=60_000)
        page.wait_for_selector(".cofa-app", state="visible", timeout=90_000)
        assert page.locator("main").count() == 1
        elsewhere = [url for url in visit.requests
                     if url.startswith(("http", "ws")) and url.split("/")[2].split(":")[0] != "127.0.0.1"]
        assert not elsewhere, f"requests left this machine: {elsewhere}"
        assert bundles[0].stat().st_mtime == bundle_built_at, "the chart bundle was rebuilt after the build"
    finally:
        if visit is not None:
            visit.close()
        stop(server)
    print(f"Binder build and both pages in {time.monotonic() - started:.0f} s")
