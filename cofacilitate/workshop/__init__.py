"""The workshop room: people join on their phones, and a facilitator sees the room's answers, split by role."""
