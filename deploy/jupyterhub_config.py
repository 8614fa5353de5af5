"""cofacilitate on a JupyterHub: everyone's own workbook, and workshop rooms that people join through the hub.

Run `jupyterhub -f deploy/jupyterhub_config.py` as root (the local process spawner starts each
person's server as their own system account). What a deployment changes comes from the
environment, so this file stays as tested:

  COFACILITATE_HUB_URL    the public address (default http://127.0.0.1:8000)
  COFACILITATE_HUB_DATA   a folder only root can open, for the hub's database and cookie secret and
                          the rooms' workspaces (default /srv/cofacilitate)
  COFACILITATE_HUB_ROOMS  a JSON file listing the rooms (see deploy/README.md); none without it
  COFACILITATE_HUB_PYTHON the Python every account can run, with cofacilitate installed (default: this one)

Choose an authenticator (`c.JupyterHub.authenticator_class`) in a file of your own that loads this
one first (`load_subconfig("deploy/jupyterhub_config.py")`): see deploy/README.md.
"""

import os
import sys
from pathlib import Path

from cofacilitate.cli import workbooks_dir
from cofacilitate.workshop import hub

c = get_config()  # noqa: F821 (JupyterHub gives config files this function)

public_url = os.environ.get("COFACILITATE_HUB_URL", "http://127.0.0.1:8000")
data = Path(os.environ.get("COFACILITATE_HUB_DATA", "/srv/cofacilitate"))
python = os.environ.get("COFACILITATE_HUB_PYTHON", sys.executable)
data.mkdir(mode=0o700, parents=True, exist_ok=True)
os.chmod(data, 0o700)  # the rooms' answers are under it: no hub user may look inside

c.JupyterHub.bind_url = public_url
c.JupyterHub.db_url = f"sqlite:///{data / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(data / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(data / "jupyterhub-proxy.pid")

# --- each person's own server: the workbook in Voilà, answers in their own home folder ---------------
c.JupyterHub.spawner_class = "localprocess"  # each person's server runs as their own system account
c.Spawner.cmd = [python, "-m", "jupyterhub.singleuser"]
c.Spawner.notebook_dir = str(workbooks_dir())  # the shipped workbooks; nobody can change them
c.Spawner.default_url = "/voila/render/index.ipynb"
# Voilà is a server extension here (no pool, every page a cold start), set up the supported way, on the
# command line of the single-user server: our page template (found on JUPYTER_PATH, below), no tracebacks,
# no MathJax from a public CDN (Voilà's extension would load it), uploads up to 64 MiB on the kernel
# websocket, and culling of kernels whose page was closed (Voilà cannot stop them itself).
_settings = {"websocket_max_message_size": 64 * 1024 * 1024, "mathjax_url": None, "mathjax_config": None}
c.Spawner.args = [
    "--VoilaConfiguration.template=cofacilitate", "--VoilaConfiguration.show_tracebacks=False",
    f"--ServerApp.tornado_settings={_settings!r}",
    "--MappingKernelManager.cull_idle_timeout=120", "--MappingKernelManager.cull_interval=30",
    "--MappingKernelManager.cull_connected=False",
]
c.Spawner.environment = {
    "JUPYTER_PATH": str(Path(hub.__file__).parents[1] / "jupyter"),  # our template (cli.TEMPLATES_ROOT)
}
# Nothing of the hub's own environment reaches a person's server but these (never a database address).
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL"]

# --- workshop rooms: each is two services the hub starts, with the room's workspace in their environment only -----
c.JupyterHub.services = []
c.JupyterHub.load_roles = []
for room in hub.load_rooms(os.environ.get("COFACILITATE_HUB_ROOMS")):
    services, roles = hub.room_services(room, data / "rooms", public_url, python)
    c.JupyterHub.services += services
    c.JupyterHub.load_roles += roles
