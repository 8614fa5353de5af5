"""The facilitator's guide's own words: what to say and what to watch for, by tool and by kind of part.

A session step may give its own `opening` and `closing`; these are the words used when it does not, so a plan
of five lines still makes a whole guide. They live apart from guide.py so the guide's layout stays short, and
so anyone rewording them finds every sentence in one place. The buttons named here are the dashboard's own
(cofacilitate/workshop/dashboard.py and session_panel.py), so the guide says what the page really offers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PartWords:
    """What a facilitator says to open and close one kind of part, and what to watch for in it."""

    opening: str
    closing: str
    watch_for: tuple[str, ...] = ()
    purpose: str = ""  # for a talk or a break (an exercise's purpose is its card's)


# Watched for all through a session, whatever its parts (from the seeds: emotional work, voices that fill a room,
# jargon, and people who stay quiet or say what they think researchers want to hear).
WATCH_ALWAYS = (
    "Someone who is upset. Stop, and check in with them quietly. Offer a break and the support contacts in this "
    "guide. Never push anyone to go on, or to say more than they want to.",
    "A voice that fills the room. Thank them, then ask to hear from someone who has not spoken yet.",
    "Jargon: special words and short forms that not everyone knows. Ask what a word means. Keep a shared list of "
    "words and what they mean, where everyone can see it.",
    "People who stay quiet. Give them other ways in, such as writing, paper, or talking in pairs. Do not put "
    "anyone on the spot.",
    "People who say only what they think researchers want to hear. Say that honest answers help the most, and "
    "that a hard answer is welcome.",
)

TOOL_WORDS: dict[str, PartWords] = {
    "ladder": PartWords(
        "Say that this is about the project, not about anyone’s own work. For each stage of the project, each "
        "person chooses how much say people have now, and how much they should have. There are no right answers. "
        "Anyone can pass, or choose “I don’t know”.",
        "Show the results to the room. Ask: where is the biggest gap between now and where we want to be? What is "
        "one step that could close it? Thank people for being honest.",
        ("People who rate the project higher than it is, to be kind to the team. Say that an honest low answer "
         "helps the most.",
         "A big gap between two groups, such as researchers and public partners. Talk about the gap, not about who "
         "chose what."),
    ),
    "powermap": PartWords(
        "Say that this is about the project, not about any one person. Each person adds the people and groups "
        "around the project. They say how much say each one has, who is missing, and who decides the big things. "
        "Anyone can skip a question.",
        "Show the map to the room. Ask: who has the most say, and who is missing? What would it take to bring them "
        "in? Write down one change to try.",
        ("People who feel blamed because their own group has a lot of power. Keep the talk on the project, not on "
         "people.",
         "A group nobody thought of. You can add it on your page, and then everyone can place it on their map."),
    ),
    "agendas": PartWords(
        "Say that each of us comes for our own reasons, and that is fine. Each person answers a few questions "
        "about why they are here. For each answer, they choose who sees it: only them, the group with their name, "
        "or the group with no name. Then you look at the answers together, and agree a purpose, ground rules and "
        "a list of words.",
        "Read out the purpose, the ground rules and the words you agreed. Say that you will look at them again "
        "when someone new joins. Ask if anyone wants to change anything before you finish.",
        ("Someone who shares more than they meant to. You can hide an answer on your page. It then leaves every "
         "view and the report, but stays saved, and you can show it again.",
         "One person’s reasons counting for more than the others. Every reason for being here is welcome."),
    ),
    "diary": PartWords(
        "Say that the diary is private. Only the person who writes it can see it. Nobody here sees it, and it is "
        "never collected. Give people a question to think about at home. They can write as much or as little as "
        "they like, on paper or in their own workbook.",
        "Say that the diary has support contacts in it. Say that people can talk to you if something comes up.",
        ("Anyone who feels they must share what they wrote. They never have to.",
         "Someone for whom today was hard. Check in with them quietly before they leave."),
    ),
}

# An exercise of a tool with no words above (a tool added later): enough to run it from its card.
ANY_EXERCISE = PartWords(
    "Read out what this exercise is for. Say that there are no right answers, and that anyone can pass any question.",
    "Thank people. Say what will happen with their answers.",
)

KIND_WORDS: dict[str, PartWords] = {
    "talk": PartWords(
        "Say what this part is for and how long it takes. Let people with lived experience speak first, if they "
        "want to.",
        "Thank people for what they said. Say in a few words what you heard, and what happens next.",
        ("Who speaks first, and who speaks most. Hand the talk back to people who have not spoken yet, without "
         "putting them on the spot.",),
        "Nobody needs a screen or paper for this part.",
    ),
    "break": PartWords(
        "Say how long the break is and when you will start again. Say where the toilets and the quiet room are.",
        "Welcome people back. Ask if anyone needs a little more time.",
        ("Someone who stays on their own or looks upset. A break is a good time to check in quietly.",),
        "A rest. People can step out, have a drink and talk.",
    ),
}

# Where each part happens, as the timetable says it.
IN_THE_ROOM = "in the room"
ON_PAPER = "on paper"
TAKEN_HOME = "taken home"
TOGETHER = "together, out loud"
BREAK = "break"

INTRO = "This guide is for the person running the session. The people taking part do not need it."
WELCOME_LEAD = "Read this out as people arrive, or say it in your own way:"
TIMETABLE_COLUMNS = ("Starts at", "Minutes", "Part", "Where")
TIMES_SAY = "The times count from the start of the session, in hours and minutes: 0:10 is ten minutes in."
IN_ALL = "In all, to the end"
WATCH_LEAD = "Keep an eye out for these all through the session, in every part:"
PART_WATCH_LEAD = "Watch for the five things at the start of this guide. In this part, watch for these too:"
PART_WATCH_ONLY = "Watch for the five things at the start of this guide."

IN_ROOM_SAYS = (
    "When people are done, you can press “Show these results to the room”. Small groups are never shown on their "
    "own, so no one can be picked out. People who would rather use paper can fill in its worksheet."
)
# Every part of a session with a room: the facilitator's page moves the room on (workshop/session_panel.py).
ROOM_STARTS = "In the room, press “Start the session” on your page. People’s pages then show this part."
ROOM_MOVES = "In the room, press “Go on to the next part” on your page. People’s pages then show this part."
ON_PAPER_SAYS = ("This part is not switched on in the room. People fill in its worksheet on paper, or use their own "
                 "workbook. Its answers stay with them.")
TAKEN_HOME_SAYS = ("This part is private, so it never opens in the room. People take it home and do it in their own "
                   "time, on paper or in their own workbook. Nobody else sees it.")

BEFORE = (
    "Read this guide and each exercise card. You can change the words on a card to fit your group.",
    "Think about what people need to come. It might be a good time of day, or help with travel. It might be pay "
    "for their time, a quiet room, or help to read or to use a screen.",
    "Check that the support contacts in this guide are right for your group. Add local ones if you can.",
)
WORKSHEETS_SAY = ("Print a worksheet for each exercise for people who would rather use paper, or who cannot come. "
                  "Each printed copy has its own code at the top. To make them, type:")
ROOM_SAY = "To start a room that follows this plan, type:"

SUPPORT_HEADING = "If someone is upset, and where to find support"
NOT_A_SERVICE = ("This session is not a health or crisis service. It gives no treatment or care, and it is not a "
                 "quicker way to get care. You can still help someone who is upset: stop, check in, and offer a "
                 "break and the contacts below. Never push.")
PAGES_SAY = "Every page of the app says this to the people taking part."
NO_CONTACTS = "No exercise card has support contacts. Please write down local ones before the session."

AFTER_HEADING = "After the session: what to do with the results"
AFTER_ROOM = (
    "In the room, press “End the session” on your page. People’s pages then thank them for taking part.",
    "Type in any paper worksheets on your page, under “Answers from outside the room”. Type in each sheet’s code "
    "too, so its answers count once, however often they are typed in. Add any answers people sent you as a file.",
    "Before you close the room, press “Get the session report”. Download the report (a web page you can print) "
    "and its figures. Small groups and hidden answers are left out of it.",
    "Then press “Close the room and delete its answers”. This deletes every answer, name and draft in the room. It "
    "cannot be undone, so get the report first.",
)
AFTER_NO_ROOM = ("This session uses no room, so there is no report to get. Keep the paper worksheets safe, and write "
                 "up what people said without their names.",)
AFTER_ALWAYS = (
    "Share the report with everyone who took part, not only the research team. Send it in a way each person can "
    "use, such as on paper or by email.",
    "Tell people what changed because of what they said. Tell them, too, what could not change, and why. Do this "
    "each time, so people can see that their time made a difference.",
    "The diary stays private. It is never collected or typed in, and nobody asks to see it.",
)

OPEN_LEAD = "To open it:"
CLOSE_LEAD = "To close it:"
