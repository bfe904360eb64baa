"""Speakers named in apposition and referred back to across a long article (issue 14): each text
is invented in the style of the error class it tests, the expected speakers checked by hand."""

from __future__ import annotations

import pytest

from kursk_utils.actors import load_gazetteer
from tests.test_quotes import quotes_of


def speakers(text: str) -> list[tuple[str, str | None]]:
    """(quoted text, speaker) of each quote, in text order."""
    table = quotes_of(text, gazetteer=load_gazetteer())
    return [(row.text, None if not isinstance(row.speaker, str) else row.speaker)
            for row in table.itertuples()]


APPOSITION = [
    pytest.param(
        '"We will not sign this," said the guild\'s chairwoman, Ilse Varga, outside the hall.',
        [("We will not sign this", "Ilse Varga")],
        id="said-a-description-then-the-name-in-apposition",
    ),
    pytest.param(
        '"Every hour counted," said one of them, Piet Lorenz, 58, who drove all night.',
        [("Every hour counted", "Piet Lorenz")],
        id="said-one-of-them-then-the-name-and-an-age",
    ),
    pytest.param(
        "Tomas Brandl, spokesman for the Border Service of Norland, said the crossing would stay closed.",
        [("the crossing would stay closed", "Tomas Brandl")],
        id="name-then-a-spokesman-for-a-body",
    ),
    pytest.param(
        "Greta Holm, Head of Vester District Administration, told reporters that 400 people had left.",
        [("400 people had left", "Greta Holm")],
        id="name-then-a-capitalised-head-of-title",
    ),
    pytest.param(
        "Anton Weiss, his chief of staff, said later that the plan had worked.",
        [("the plan had worked", "Anton Weiss")],
        id="name-then-a-possessive-title",
    ),
]


@pytest.mark.parametrize("text, expected", APPOSITION)
def test_the_named_person_speaks_not_the_description(text, expected):
    assert speakers(text) == expected


NOT_A_SPEAKER = [
    pytest.param(
        "Latest:\n- Norland's coast guard said it had rescued 14 sailors overnight.",
        [("it had rescued 14 sailors overnight", "Norland's coast guard")],
        id="a-list-items-bullet-is-not-part-of-the-speaker",
    ),
    pytest.param(
        "Mayor Tom Ekberg faces a recall vote in May. He's said the budget will be \"cut to the bone\".",
        [('the budget will be "cut to the bone"', "Tom Ekberg")],
        id="a-contracted-pronoun-is-a-pronoun-not-a-name",
    ),
    pytest.param(
        "Lena Ortmann, a nurse, stayed through the winter. Her husband said nothing. Later, in the "
        "kitchen, she said that she would not leave again.",
        [("she would not leave again", "Lena Ortmann")],
        id="an-opening-adverb-is-not-a-name",
    ),
]


@pytest.mark.parametrize("text, expected", NOT_A_SPEAKER)
def test_bullets_contractions_and_adverbs_name_no_speaker(text, expected):
    assert speakers(text) == expected
