"""Charts that need no internet: altair's JupyterChart with its JavaScript built locally.

`JupyterChart.enable_offline()` builds a ~1 MB bundle with vl-convert inside the kernel,
which costs about 90 MB and a second or more on every page. We build it once, in a
separate process, keep it in the user's cache folder, and hand the text to the class.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import altair

_PICTURE = (
    "import sys, vl_convert as vlc; spec = sys.stdin.read(); "
    "out = vlc.vegalite_to_svg(spec).encode() if sys.argv[1] == 'svg' else vlc.vegalite_to_png(spec, scale=2); "
    "sys.stdout.buffer.write(out)"
)
_BUILD = (
    "import sys; from altair import JupyterChart; JupyterChart.enable_offline(); "
    "open(sys.argv[1], 'w', encoding='utf-8').write(JupyterChart._esm)"
)


def bundle_path() -> Path:
    """Where the bundle for the installed altair and vl-convert versions is kept."""
    folder = os.environ.get("COFACILITATE_CACHE")
    if not folder:
        from platformdirs import user_cache_path

        folder = str(user_cache_path("cofacilitate", appauthor=False))
    tag = f"altair-{version('altair')}-vlc-{version('vl-convert-python')}"
    return Path(folder) / f"jupyterchart-{tag}.js"


def prepare_bundle() -> Path:
    """Build the bundle if it is not there yet (a few seconds, once per install)."""
    path = bundle_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        subprocess.run([sys.executable, "-c", _BUILD, str(partial)], check=True, capture_output=True, timeout=300)
        partial.replace(path)
    return path


def import_altair() -> ModuleType:
    """Import altair without the IRI checker that jsonschema loads if it happens to be installed.

    jupyter-events installs `rfc3987_syntax`; jsonschema imports it when present and builds a
    parser on import (0.8 s and 23 MB measured in a Voilà kernel). Vega-Lite specs never use
    IRI formats, so charts lose nothing.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    import altair

    return altair


def offline_chart_class() -> type[altair.JupyterChart]:
    """altair's JupyterChart, set to load its JavaScript from our local bundle."""
    JupyterChart = import_altair().JupyterChart
    if not JupyterChart._is_offline:
        JupyterChart._esm = prepare_bundle().read_text(encoding="utf-8")
        JupyterChart._is_offline = True
    return JupyterChart


PICTURE_WIDTH = 760  # px: a picture has no box on a page to fit, so a chart as wide as its box is drawn this wide


def for_picture(spec: dict, width: int = PICTURE_WIDTH) -> dict:
    """The spec with every width="container" (a chart as wide as its box on the page) set to `width`."""
    def fixed(part: object) -> object:
        if isinstance(part, dict):
            return {key: width if key == "width" and value == "container" else fixed(value) for key, value in part.items()}
        if isinstance(part, list):
            return [fixed(item) for item in part]
        return part

    return fixed(spec)  # type: ignore[return-value]


def chart_picture(spec: dict, kind: str = "svg") -> bytes:
    """An SVG or PNG of a chart, drawn by vl-convert in its own process.

    vl-convert costs about 270 MB when loaded, so it never enters the page's kernel. A chart made to
    be as wide as its box on a page is drawn PICTURE_WIDTH wide.
    """
    import json

    if kind not in {"svg", "png"}:
        raise ValueError("a picture is either 'svg' or 'png'")
    spec = for_picture(spec)
    done = subprocess.run([sys.executable, "-c", _PICTURE, kind], input=json.dumps(spec).encode(),
                          capture_output=True, check=True, timeout=120)
    return done.stdout


def chart_svg_in_kernel(spec: dict) -> str:
    """An SVG of a chart drawn by vl-convert in this process: for the room's dashboard only, which redraws its
    charts whenever the room's answers change (about 0.13 s a chart here, against about 1 s in a process of
    its own) and is one kernel, so vl-convert's 70 MB or so are paid once. A person's own pages never call it."""
    import vl_convert

    return str(vl_convert.vegalite_to_svg(for_picture(spec)))
