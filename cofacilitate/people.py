"""Who someone is in a project: a pseudonym and, only if they wish, one or more roles.

Roles are optional and self-described. Some people keep a lived-experience identity
private, so no tool ever needs a role to work.
"""

from __future__ import annotations

from cofacilitate.words import tidy

ROLES: dict[str, str] = {
    "public-partner": "Public partner with lived experience",
    "carer": "Carer or family member",
    "researcher": "Researcher",
    "peer-researcher": "Service user or peer researcher",
    "clinician": "Clinician or practitioner",
    "involvement-lead": "Involvement lead or facilitator",
    "other": "Other",
}


def role_words(role_ids: tuple[str, ...] | list[str]) -> str:
    """Roles as a short phrase for lists and downloads."""
    return ", ".join(ROLES.get(role, role) for role in role_ids) or "No role given"


MAX_PSEUDONYM = 200


def clean_pseudonym(name: str) -> str:
    """The name as stored; the box's counter asks for a shorter one long before this cuts anything."""
    return tidy(name)[:MAX_PSEUDONYM]
