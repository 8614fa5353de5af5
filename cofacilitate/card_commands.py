"""`cofacilitate cards list` and `cofacilitate cards check FILE...`: a facilitator's own cards, checked before a session.

A card with a mistake is left out of its page, which says so; these commands say the same before anyone
opens a page: every problem with its line, in plain words, and whether its id is already taken.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cofacilitate.cards import CardError, catalogue, check_card_file, default_cards_dir
from cofacilitate.cli import say
from cofacilitate.tools import tool


def list_cards(args: argparse.Namespace) -> int:
    """Every card in the folder: its id, title, exercise and minutes; each file that cannot be used, and why."""
    folder = Path(args.folder).expanduser() if args.folder else default_cards_dir()
    found = catalogue(folder)
    if not found.cards and not found.problems:
        say(f"There are no cards in {folder}.")
        return 0
    for card_id, card in found.cards.items():
        say(f"{card_id}: {card.title} (for “{tool(card.tool).title}”, about {card.duration_minutes} minutes)",
            f"    {found.paths[card_id]}")
    for problem in found.problems:
        say("", problem, error=True)
    return 1 if found.problems else 0


def check_cards(args: argparse.Namespace) -> int:
    """Each file: can it be used, and if not, every problem with its line."""
    shipped = catalogue(Path(args.folder).expanduser() if args.folder else default_cards_dir())
    problems = 0
    for name in args.files:
        path = Path(name).expanduser()
        try:
            card = check_card_file(path)
        except CardError as err:
            problems += 1
            say(str(err), "", error=True)
            continue
        other = shipped.paths.get(card.id)
        if other is not None and other.resolve() != path.resolve():
            problems += 1
            say(f"The card {path} uses the id '{card.id}', which {other} already uses. In the same folder, one of "
                "them would be left out: please give this card an id of its own.", "", error=True)
            continue
        say(f"The card {path} can be used: “{card.title}”, for “{tool(card.tool).title}”.")
    return 1 if problems else 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    cards = commands.add_parser("cards", help="list the exercise cards, or check one you wrote")
    inner = cards.add_subparsers(dest="cards_command", required=True)
    lister = inner.add_parser("list", help="list the cards there are")
    lister.add_argument("--folder", help="a folder of cards to look in (if not, the app's own)")
    lister.set_defaults(run=list_cards)
    checker = inner.add_parser("check", help="check cards and say what is wrong with them, line by line")
    checker.add_argument("files", nargs="+", help="card files (YAML)")
    checker.add_argument("--folder", help="the folder whose ids a new card must not repeat (default: as for list)")
    checker.set_defaults(run=check_cards)
