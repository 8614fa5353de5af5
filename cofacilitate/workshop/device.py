"""Who a device is in a room: a secret the browser makes once and keeps in its own storage.

The page's script makes 32 random bytes the first time a device opens a room, keeps them in the
browser's localStorage (never in a cookie, so nothing is sent with every request), and sends them
to the kernel, which makes the person from them (`rooms.device_person`). Reloading, or opening the
link again on the same device, is the same person; another device is someone else, whatever name
they type. A browser that cannot keep it (a private window that forbids storage) says so.
"""

from __future__ import annotations

import anywidget
import traitlets

ESM = """
function render({ model, el }) {
  const place = "cofacilitate-room-" + model.get("room");
  let secret = null, kept = true;
  try { secret = window.localStorage.getItem(place); } catch (err) { kept = false; }
  if (!secret || !/^[0-9a-f]{64}$/.test(secret)) {
    const bytes = new Uint8Array(32);
    window.crypto.getRandomValues(bytes);
    secret = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    try { window.localStorage.setItem(place, secret); } catch (err) { kept = false; }
  }
  model.set("kept", kept);
  model.set("device", secret);
  model.save_changes();
  el.hidden = true;
}
export default { render };
"""


class DeviceKey(anywidget.AnyWidget):
    """Sends this device's own secret for the room once the page is shown; nothing is drawn."""

    _esm = traitlets.Unicode(ESM).tag(sync=True)
    room = traitlets.Unicode("").tag(sync=True)
    device = traitlets.Unicode("").tag(sync=True)
    kept = traitlets.Bool(True).tag(sync=True)
