"""The wall of agendas, its threads, the group's documents and the wall's chart: what people see,
and above all what they never see (an answer its writer kept to themselves)."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from cofacilitate.agendas import analysis, charts
from cofacilitate.agendas.analysis import ANONYMOUS, MOST_WORDS, Thread, Wall
from cofacilitate.agendas.model import Agenda, Answer, Dictionary, Entry, Meaning, Purpose, Rule, Rules, Share
from cofacilitate.documents import to_html, to_markdown
from cofacilitate.snapshots import Saved
from tests.conftest import dataset_values, walk
from tests.test_agendas_model import AGENDAS, PROJECT

SECRET = "ZEBRAFISH my brother's diagnosis is a secret"
MADE_ON = datetime(2027, 3, 1, 12, 0, tzinfo=timezone.utc)


def when(day: int, hour: int = 9) -> str:
    return f"2024-01-{day:02d}T{hour:02d}:00:00+00:00"


def said(prompt: str, text: str = "", share: Share = "named", chosen: tuple[str, ...] = ()) -> Answer:
    return Answer(prompt=prompt, text=text, share=share, chosen=list(chosen))


def saved(person: str, at: str, *answers: Answer, pseudonym: str | None = None) -> Saved[Agenda]:
    """One person's agenda as a shelf holds it; their pseudonym is their name unless said."""
    item = Agenda(card="agendas", project=PROJECT, answers=list(answers))
    return Saved(f"record-{person}-{at}", at, person.title() if pseudonym is None else pseudonym, ("public-partner",),
                 item, person)


def thread(prompt: str, label: str, how: str, people: int) -> Thread:
    """A thread in answers to one question of the usual card."""
    question = AGENDAS.prompt(prompt)
    assert question is not None
    return Thread(prompt, question.label, label, how, people)


def texts(result: Wall) -> list[str]:
    """Every text the wall shows: answers, their choices, who wrote them, and every thread."""
    shown = [f"{answer.who}|{answer.text}|{answer.chosen}" for listed in result.answers.values() for answer in listed]
    return shown + [thread.label for thread in result.threads + result.one_offs]


def group_wall() -> tuple[list[Saved[Agenda]], Wall]:
    """Four people: shared hopes about learning, a shared worry about the hospital, a private secret."""
    agendas = [
        saved("ann", when(1), said("hopes", "I want to learn how research works at the hospital"),
              said("worries", SECRET, share="private"),
              said("recognition", chosen=("payment",), share="anonymous")),
        saved("bob", when(2), said("hopes", "Learning new skills", share="anonymous"),
              said("worries", "The hospital parking is hard", share="named"),
              said("needs", SECRET, share="private")),
        saved("cy", when(3), said("worries", "Visiting the hospital upsets me", share="anonymous"),
              said("brings", SECRET, share="private")),
        saved("dee", when(4), said("worries", SECRET, share="private"), said("hopes", SECRET, share="private")),
    ]
    return agendas, analysis.wall(AGENDAS, agendas)


# -- the gate --------------------------------------------------------------------------


def test_only_answers_their_writer_shared_and_said_something_in_pass_the_gate() -> None:
    mine = Agenda(card="agendas", project=PROJECT, answers=[
        said("why-here", "Private.", share="private"), said("hopes", "Named."), said("worries", "Anonymous.", share="anonymous"),
        said("brings", "   ", share="named"), said("recognition", chosen=("thanks",), share="anonymous"),
    ])

    assert [answer.prompt for answer in analysis.shared_answers(mine)] == ["hopes", "worries", "recognition"]


def test_a_private_answer_never_reaches_the_wall() -> None:
    _, result = group_wall()

    assert "ZEBRAFISH" not in repr(result) and "zebrafish" not in repr(result).lower()
    assert not [text for text in texts(result) if "ZEBRAFISH" in text or "secret" in text.lower()]
    assert result.agendas == 4
    assert result.sharing == 3, "someone who shared nothing is not counted as sharing"


def test_words_two_people_kept_private_are_not_a_thread() -> None:
    result = analysis.wall(AGENDAS, [
        saved("ann", when(1), said("worries", "zebrafish zebrafish", share="private")),
        saved("bob", when(2), said("worries", "zebrafish again", share="private")),
        saved("cy", when(3), said("recognition", chosen=("payment",), share="private")),
    ])

    assert result.threads == [] and result.one_offs == []
    assert result.sharing == 0
    assert all(listed == [] for listed in result.answers.values())
    assert "zebrafish" not in repr(result)


def test_a_private_answer_never_reaches_the_ways_of_working() -> None:
    _, result = group_wall()

    doc = analysis.ways_of_working(PROJECT, None, None, None, result, MADE_ON)

    for written in (to_html(doc), to_markdown(doc)):
        assert "ZEBRAFISH" not in written and "secret" not in written.lower() and "zebrafish" not in written.lower()
        assert "I want to learn" not in written, "it holds the threads, not anyone's own answers"


def test_a_newer_agenda_that_makes_an_answer_private_takes_it_off_the_wall() -> None:
    result = analysis.wall(AGENDAS, [
        saved("ann", when(1), said("worries", SECRET, share="named")),
        saved("ann", when(2), said("worries", SECRET, share="private")),
    ])

    assert "ZEBRAFISH" not in repr(result)
    assert result.sharing == 0 and result.agendas == 1


# -- who the wall names --------------------------------------------------------------


def test_named_answers_show_the_pseudonym_and_anonymous_ones_show_someone() -> None:
    _, result = group_wall()

    hopes = {answer.text: answer.who for answer in result.answers["hopes"]}
    assert hopes == {"I want to learn how research works at the hospital": "Ann", "Learning new skills": ANONYMOUS}
    worries = {answer.text: answer.who for answer in result.answers["worries"]}
    assert worries == {"The hospital parking is hard": "Bob", "Visiting the hospital upsets me": ANONYMOUS}
    [thanks] = result.answers["recognition"]
    assert thanks.who == ANONYMOUS and thanks.chosen == ("Payment for my time",) and thanks.text == ""
    assert ANONYMOUS == "Someone"


def test_a_named_answer_from_someone_with_no_pseudonym_shows_someone() -> None:
    result = analysis.wall(AGENDAS, [saved("ann", when(1), said("hopes", "To learn."), pseudonym="")])

    [answer] = result.answers["hopes"]
    assert answer.who == "Someone"


def test_the_wall_shows_answers_tidied() -> None:
    result = analysis.wall(AGENDAS, [saved("ann", when(1), said("hopes", "To   learn\n\nand   to help."))])

    assert [answer.text for answer in result.answers["hopes"]] == ["To learn and to help."]


def test_wall_answers_are_in_the_order_of_their_words_never_the_order_people_saved() -> None:
    agendas = [
        saved("cy", when(1), said("worries", "Zero say in decisions", share="anonymous")),
        saved("ann", when(2), said("worries", "apples and pears", share="named")),
        saved("bob", when(3), said("worries", "Money for travel", share="anonymous")),
    ]

    forwards = analysis.wall(AGENDAS, agendas)
    backwards = analysis.wall(AGENDAS, list(reversed(agendas)))

    assert [answer.text for answer in forwards.answers["worries"]] == [
        "apples and pears", "Money for travel", "Zero say in decisions"]
    assert forwards.answers == backwards.answers


def test_every_question_on_the_card_has_a_place_on_the_wall() -> None:
    result = analysis.wall(AGENDAS, [])

    assert list(result.answers) == [prompt.id for prompt in AGENDAS.prompts]
    assert result == Wall({prompt.id: [] for prompt in AGENDAS.prompts}, [], [], 0, 0)


def test_each_persons_latest_agenda_counts_once() -> None:
    result = analysis.wall(AGENDAS, [
        saved("ann", when(1), said("hopes", "To learn about trials")),
        saved("bob", when(2), said("hopes", "Something else entirely")),
        saved("ann", when(3), said("hopes", "To learn and to understand")),
    ])

    assert result.agendas == 2 and result.sharing == 2
    assert sorted(answer.text for answer in result.answers["hopes"]) == ["Something else entirely", "To learn and to understand"]
    learning = [thread for thread in result.threads + result.one_offs if thread.label == "Learning and new skills"]
    assert learning == [thread("hopes", "Learning and new skills", "theme", 1)], "one person twice is still one person"


def test_people_with_no_person_are_told_apart_by_their_record() -> None:
    first = Saved("record-1", when(1), "", (), Agenda(card="agendas", project=PROJECT, answers=[said("hopes", "To learn.")]))
    second = Saved("record-2", when(2), "", (), Agenda(card="agendas", project=PROJECT, answers=[said("hopes", "To learn.")]))

    result = analysis.wall(AGENDAS, [first, second])

    assert result.agendas == 2
    assert thread("hopes", "Learning and new skills", "theme", 2) in result.threads


# -- threads -----------------------------------------------------------------------------


def test_a_theme_two_people_touch_is_a_thread() -> None:
    _, result = group_wall()

    assert thread("hopes", "Learning and new skills", "theme", 2) in result.threads
    assert result.threads[0] == thread("hopes", "Learning and new skills", "theme", 2), "hopes come first, most shared first"


def test_one_person_touching_a_theme_in_two_questions_is_one_person_under_each() -> None:
    result = analysis.wall(AGENDAS, [saved("ann", when(1), said("why-here", "To learn."), said("hopes", "To learn more."))])

    assert result.threads == []
    assert result.one_offs == [thread("why-here", "Learning and new skills", "theme", 1),
                               thread("hopes", "Learning and new skills", "theme", 1)], "each stays with its question"


def test_one_persons_choice_of_thanks_is_a_thread_but_one_persons_worry_is_a_one_off() -> None:
    result = analysis.wall(AGENDAS, [
        saved("ann", when(1), said("recognition", chosen=("payment", "other"), share="anonymous"),
              said("worries", "It will take too much time", share="anonymous"),
              said("needs", "Papers a week before", share="named")),
    ])

    assert thread("recognition", "Payment for my time", "choice", 1) in result.threads
    assert thread("recognition", "Something else", "choice", 1) in result.threads
    assert thread("needs", "Access and timing", "theme", 1) in result.threads, "every need counts"
    assert thread("worries", "Time and workload", "theme", 1) in result.one_offs
    assert not [thread for thread in result.threads if thread.prompt == "worries"]


def test_a_word_two_people_used_is_a_thread_and_one_persons_word_is_not_shown_as_a_thread() -> None:
    _, result = group_wall()

    assert thread("worries", "the word “hospital”", "word", 2) in result.threads
    assert "the word “hospital”" not in [t.label for t in result.threads if t.prompt == "hopes"], "one person's hope"
    labels = [thread.label for thread in result.threads + result.one_offs]
    assert "the word “parking”" not in labels and "the word “visiting”" not in labels
    assert not [thread for thread in result.one_offs if thread.how == "word"], "one person's words are their own"


def test_words_in_a_theme_are_found_as_the_theme_not_as_a_word() -> None:
    result = analysis.wall(AGENDAS, [saved("ann", when(1), said("worries", "Being paid late")),
                                     saved("bob", when(2), said("worries", "Not being paid at all"))])

    assert thread("worries", "Money and payment", "theme", 2) in result.threads
    assert "the word “paid”" not in [thread.label for thread in result.threads]


def test_at_most_a_few_shared_words_for_each_question() -> None:
    words = "ward nurse doctor clinic letter waiting parking"
    result = analysis.wall(AGENDAS, [
        saved("ann", when(1), said("worries", words), said("brings", words)),
        saved("bob", when(2), said("worries", words), said("brings", words)),
    ])

    for prompt in ("worries", "brings"):
        shared = [thread for thread in result.threads if thread.prompt == prompt and thread.how == "word"]
        assert len(shared) == MOST_WORDS, prompt
        assert all(thread.label.startswith("the word “") and thread.people == 2 for thread in shared)


def test_words_the_questions_themselves_use_are_not_threads() -> None:
    result = analysis.wall(AGENDAS, [
        saved("ann", when(1), said("worries", "My worry is the car park"), said("hopes", "I hope for kinder clinics"),
              said("why-here", "I was in hospital for weeks")),
        saved("bob", when(2), said("worries", "One worry: I worried about parking"),
              said("hopes", "I hope, hoping for kinder clinics"), said("why-here", "A long stay in hospital")),
        saved("cy", when(3), said("worries", "Worrying about money"), said("hopes", "Hopes of kinder care")),
    ])

    labels = [t.label for t in result.threads + result.one_offs]
    for asked in ("worry", "worried", "hope", "hoping", "hospital"):
        assert f"the word “{asked}”" not in labels, f"{asked!r} comes from the question, its help or its example"
    assert thread("hopes", "the word “kinder”", "word", 3) in result.threads, "a word the people chose is still a thread"
    assert thread("hopes", "the word “clinics”", "word", 2) in result.threads


def test_a_thread_stays_with_the_question_it_came_from() -> None:
    from cofacilitate.agendas.sections import wall_html

    result = analysis.wall(AGENDAS, [
        saved("ann", when(1), said("why-here", "The ward was cold"), said("hopes", "More staff at night")),
        saved("bob", when(2), said("why-here", "The ward staff were kind")),
    ])

    assert result.threads == [thread("why-here", "the word “ward”", "word", 2)], (
        "“staff” is one person's answer to each question, not a thread of two")
    page = wall_html(AGENDAS, result)
    why, hopes = page.index("<h3>Why am I here?</h3>"), page.index("<h3>What do I hope to get out of it?</h3>")
    assert why < page.index("the word “ward”") < hopes, "the thread is shown with its own question"
    assert page.count("Common threads in these answers") == 1


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("I want to LEARN, really!", {"learn": "learn"}),
        ("papers, meetings and a ward", {"paper": "papers", "meeting": "meetings", "ward": "ward"}),
        ("Carers and families", {"carer": "carers", "familie": "families"}),
        ("stress, focus and crisis", {"stress": "stress", "focus": "focus", "crisis": "crisis"}),
        ("I'd like 42 things about this", {}),
    ],
)
def test_words_of_keeps_plain_words_worth_comparing(text: str, words: dict[str, str]) -> None:
    assert analysis.words_of(text) == words


def test_a_shared_word_is_shown_as_someone_typed_it() -> None:
    answer = Answer(prompt="worries", text="Too much stress", share="named")
    wall = analysis.wall(AGENDAS, [saved(person, when(1), answer) for person in ("sam", "ali")])
    assert "the word “stress”" in [thread.label for thread in wall.threads]


def test_themes_in_finds_a_theme_by_the_start_of_a_word() -> None:
    assert analysis.themes_in("I hope to improve things and understand jargon", AGENDAS) == [
        "Making things better", "Learning and new skills", "Words and jargon"]
    assert analysis.themes_in("Nothing here", AGENDAS) == []


def test_thread_rows_are_in_plain_words() -> None:
    rows = analysis.thread_rows([thread("hopes", "Learning and new skills", "theme", 2),
                                 thread("recognition", "Payment for my time", "choice", 1),
                                 thread("worries", "the word “hospital”", "word", 3)])

    assert rows == [["What do I hope to get out of it?", "Learning and new skills", "a theme", "2"],
                    ["How would I like to be thanked for my part?", "Payment for my time", "a choice", "1"],
                    ["What worries me?", "the word “hospital”", "a shared word", "3"]]
    assert analysis.THREAD_COLUMNS == ["Question", "Thread", "Found by", "People"]


# -- the wall's sentence -----------------------------------------------------------------


def test_the_sentence_says_when_no_one_has_shared() -> None:
    nobody = analysis.wall(AGENDAS, [saved("ann", when(1), said("hopes", SECRET, share="private"))])

    assert analysis.wall_sentence(nobody) == "No one has shared an answer for this project yet."
    assert analysis.wall_sentence(analysis.wall(AGENDAS, [])) == "No one has shared an answer for this project yet."


def test_the_sentence_for_one_person_says_there_are_no_common_threads() -> None:
    one = analysis.wall(AGENDAS, [saved("ann", when(1), said("recognition", chosen=("payment",)), said("hopes", "To learn."))])

    assert analysis.wall_sentence(one) == (
        "1 person has shared answers. There are no threads that two or more people share yet.")


def test_the_sentence_names_the_threads_most_shared() -> None:
    _, result = group_wall()

    assert analysis.wall_sentence(result) == (
        "3 people have shared answers. The threads most shared are: Learning and new skills (2 people, in answers to "
        "“What do I hope to get out of it?”), the word “hospital” (2 people, in answers to “What worries me?”).")


# -- the group's documents -----------------------------------------------------------


def test_the_first_rules_are_the_cards_all_kept() -> None:
    rules = analysis.starting_rules(AGENDAS)

    assert [rule.id for rule in rules] == [rule.id for rule in AGENDAS.ground_rules]
    assert [rule.text for rule in rules if rule.keep] == [rule.label for rule in AGENDAS.ground_rules]


def test_the_first_list_of_words_suggests_the_cards_meanings_without_agreeing_them() -> None:
    words = analysis.starting_dictionary(AGENDAS)

    assert [entry.term for entry in words] == [term.label for term in AGENDAS.terms]
    assert all(entry.agreed is None for entry in words)
    assert [[meaning.text for meaning in entry.meanings] for entry in words] == [[term.meaning] for term in AGENDAS.terms]
    assert analysis.entry_meaning(words[0]).startswith("Suggested, not agreed yet: Patient and public involvement.")


def dictionary(*entries: Entry) -> Dictionary:
    return Dictionary(card="agendas", project=PROJECT, entries=list(entries))


def word(entry_id: str, term: str, *meanings: str, by: str = "", agreed: int | None = None) -> Entry:
    return Entry(id=entry_id, term=term, meanings=[Meaning(text=text, by=by) for text in meanings], agreed=agreed)


def test_merging_adds_new_words_and_new_meanings_and_never_changes_mine() -> None:
    mine = dictionary(word("ppi", "PPI", "Patient and public involvement.", agreed=0), word("rct", "RCT", "A fair test."))
    theirs = dictionary(word("ppi", "ppi", "patient and PUBLIC   involvement.", "Public partners in research.", by="Bob"),
                        word("own-1", "Cohort", "A group followed over time.", by="Bob"))
    before = mine.model_dump()

    result = analysis.merged(mine, [theirs])

    assert mine.model_dump() == before
    assert [entry.term for entry in result.entries] == ["PPI", "RCT", "Cohort"]
    ppi = result.entries[0]
    assert [meaning.text for meaning in ppi.meanings] == ["Patient and public involvement.", "Public partners in research."]
    assert ppi.agreed == 0 and ppi.meanings[1].by == "Bob"
    assert [meaning.text for meaning in result.entries[1].meanings] == ["A fair test."]
    assert analysis.merged(result, [theirs, theirs]) == result, "merging again adds nothing twice"


def test_merging_several_versions_adds_each_word_once() -> None:
    mine = dictionary(word("ppi", "PPI", "Patient and public involvement."))
    first = dictionary(word("own-1", "Cohort", "A group followed over time."))
    second = dictionary(word("own-2", "cohort", "People studied together."), word("own-3", "Protocol", "The plan."))

    result = analysis.merged(mine, [first, second])

    assert [entry.term for entry in result.entries] == ["PPI", "Cohort", "Protocol"]
    assert [meaning.text for meaning in result.entries[1].meanings] == ["A group followed over time.", "People studied together."]
    assert Dictionary.model_validate(result.model_dump()) == result, "what is merged can be saved"


def test_newcomers_are_people_whose_first_agenda_came_after_a_version() -> None:
    agendas = [
        saved("ann", when(1), said("hopes", "To learn.")),
        saved("bob", when(5), said("hopes", "To help.")),
        saved("ann", when(6), said("hopes", "To learn more.")),
        saved("cy", when(7), said("hopes", "To be heard.")),
    ]

    assert analysis.newcomers(agendas, when(3)) == 2
    assert analysis.newcomers(agendas, when(1)) == 2
    assert analysis.newcomers(agendas, when(6)) == 1
    assert analysis.newcomers(agendas, when(9)) == 0
    assert analysis.newcomers([], when(1)) == 0


@pytest.mark.parametrize(
    ("entry", "meaning"),
    [
        (word("ppi", "PPI", "One.", "Two.", agreed=1), "Two."),
        (word("ppi", "PPI"), "No meaning yet."),
        (word("ppi", "PPI", "One."), "Suggested, not agreed yet: One."),
        (word("ppi", "PPI", "One.", "Two.", "Three."),
         "We have not agreed yet. The meanings suggested are: (1) One. / (2) Two. / (3) Three."),
    ],
    ids=["agreed", "none", "one-suggestion", "several"],
)
def test_a_words_meaning_is_the_agreed_one_or_every_suggestion(entry: Entry, meaning: str) -> None:
    assert analysis.entry_meaning(entry) == meaning


def documents() -> tuple[Saved[Purpose], Saved[Rules], Saved[Dictionary]]:
    purpose = Purpose(card="agendas", project=PROJECT, text="To make leaving hospital safer for older people.",
                      agreed_by=["Ann", "Bob"])
    rules = Rules(card="agendas", project=PROJECT, review_on="2027-09-01", agreed_by=["Ann"], rules=[
        Rule(id="listen", text="We listen to each other."), Rule(id="own-1", text="Phones stay on the table.", keep=False),
        Rule(id="breaks", text="We take breaks."),
    ])
    words = dictionary(word("ppi", "PPI", "Patient and public involvement.", agreed=0),
                       word("rct", "RCT", "A fair test.", "A trial."))
    return (Saved("p1", "2027-02-10T12:00:00+00:00", "Ann", (), purpose),
            Saved("r1", "2027-02-11T12:00:00+00:00", "Ann", (), rules),
            Saved("d1", "2027-02-12T12:00:00+00:00", "Bob", (), words))


def test_ways_of_working_hold_what_was_agreed_and_the_threads() -> None:
    purpose, rules, words = documents()
    _, result = group_wall()

    doc = analysis.ways_of_working(PROJECT, purpose, rules, words, result, MADE_ON)
    page, text = to_html(doc), to_markdown(doc)

    assert doc.title == f"Our ways of working: {PROJECT}"
    assert doc.intro[0].startswith("Made on 1 March 2027.")
    assert [section.heading for section in doc.sections] == [
        "Our shared purpose", "Our ground rules", "Our words: agreed meanings", "Our words: not agreed yet",
        "Common threads in our agendas"]
    for written in (page, text):
        assert "To make leaving hospital safer for older people." in written
        assert "Agreed by Ann and Bob." in written
        assert "We listen to each other." in written and "We take breaks." in written
        assert "Phones stay on the table." not in written, "a dropped rule is not one of our rules"
        assert "We will look at them again on 1 September 2027, or sooner when someone new joins." in written
        assert "What do I hope to get out of it? Learning and new skills (2 people)" in written
        assert "What worries me? the word “hospital” (2 people)" in written
        assert "How would I like to be thanked for my part? Payment for my time (1 person)" in written
        assert analysis.HOW_THREADS in written
    assert '<th scope="col">Word</th><th scope="col">What we mean by it</th>' in page
    assert "<tr><td>PPI</td><td>Patient and public involvement.</td></tr>" in page
    assert '<th scope="col">Word</th><th scope="col">Meanings suggested</th>' in page
    assert "<tr><td>RCT</td><td>(1) A fair test. / (2) A trial.</td></tr>" in page
    assert "| PPI | Patient and public involvement. |" in text.splitlines()


def test_ways_of_working_say_what_is_not_written_yet() -> None:
    doc = analysis.ways_of_working(PROJECT, None, None, None, analysis.wall(AGENDAS, []), MADE_ON)
    text = to_markdown(doc)

    assert "We have not written our purpose yet." in text
    assert "We have not agreed our ground rules yet." in text
    assert "We have not made our list of words yet." in text
    assert "No one has shared an answer for this project yet." in text
    assert "|" not in text, "no table of words when there are no words"
    assert analysis.HOW_THREADS not in text


def test_ways_of_working_escape_what_people_typed() -> None:
    purpose, rules, words = documents()
    hostile = "<script>alert(1)</script> [link](http://example.org)"
    purpose = Saved(purpose.record_id, purpose.saved_at, "Ann", (), purpose.item.model_copy(update={"text": hostile}))

    doc = analysis.ways_of_working(hostile, purpose, rules, words, analysis.wall(AGENDAS, []), MADE_ON)

    assert "<script" not in to_html(doc)
    text = to_markdown(doc)
    assert r"\<script\>alert(1)\</script\> \[link\](http://example.org)" in text
    assert not re.search(r"(?<!\\)[<\[]", text), "every < and [ is escaped"


# -- the chart -----------------------------------------------------------------------------


def chart_spec(threads: list[Thread], sentence: str) -> dict:
    return charts.threads_chart(charts.thread_frame(threads), sentence).to_dict()


def test_the_chart_carries_the_walls_sentence_and_one_bar_per_thread() -> None:
    _, result = group_wall()
    sentence = analysis.wall_sentence(result)

    spec = chart_spec(result.threads, sentence)

    assert spec["description"] == sentence
    [rows] = spec["datasets"].values()
    assert len(rows) == len(result.threads)
    assert [row["Thread"] for row in rows] == [t.heading for t in result.threads]
    assert [row["People"] for row in rows] == [t.people for t in result.threads]
    assert spec["encoding"]["y"]["sort"] == [row["Thread"] for row in rows], "bars in the wall's order"


def test_the_chart_never_cuts_a_label_short_and_fetches_nothing() -> None:
    _, result = group_wall()

    spec = chart_spec(result.threads, analysis.wall_sentence(result))

    limits = [value for key, value in walk(spec) if key == "labelLimit"]
    assert limits and all(value == 0 for value in limits)
    assert spec["encoding"]["y"]["axis"]["labelLimit"] == 0
    assert "url" not in {key for key, _ in walk(spec)}
    assert "ZEBRAFISH" not in repr(spec)


def test_the_chart_gives_every_label_room_and_has_no_legend_to_cut_on_a_phone() -> None:
    from cofacilitate.chartkit import LINE, lines

    threads = [thread("recognition", "Payment for my time", "choice", 3),
               thread("needs", "papers a week before, in large print, and a quiet room with a break", "theme", 2),
               thread("worries", "the word “hospital”", "word", 2)]

    spec = chart_spec(threads, "Three threads.")

    assert spec["encoding"]["color"]["legend"] is None, "a legend is cut short on a phone; each label names its question"
    [rows] = spec["datasets"].values()
    assert all(row["Thread"].startswith(row["Question"]) for row in rows), "colour is never the only signal"
    tallest = max(len(lines(row["Thread"], charts.LABEL_LINE)) for row in rows)
    assert tallest >= 4
    assert spec["height"]["step"] >= tallest * LINE + 8, "each row holds its label's lines, so labels never overlap"
    axis = spec["encoding"]["y"]["axis"]
    assert axis["labelLimit"] == 0 and axis["labelOverlap"] is False


def test_the_chart_keeps_the_most_shared_bars() -> None:
    threads = [thread("hopes", f"Theme number {n}", "theme", 40 - n) for n in range(charts.MOST_BARS + 5)]

    frame = charts.thread_frame(threads)
    spec = chart_spec(threads, "Many threads.")

    assert len(frame) == charts.MOST_BARS
    [rows] = spec["datasets"].values()
    assert len(rows) == charts.MOST_BARS
    assert rows[0]["Thread"] == "What do I hope to get out of it? Theme number 0"
    assert rows[-1]["Thread"] == f"What do I hope to get out of it? Theme number {charts.MOST_BARS - 1}"


def test_the_chart_of_no_threads_has_no_bars() -> None:
    sentence = analysis.wall_sentence(analysis.wall(AGENDAS, []))

    spec = chart_spec([], sentence)

    assert spec["description"] == sentence
    assert dataset_values(spec) == []
