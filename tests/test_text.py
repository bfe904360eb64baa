from kursk_utils.text import CharMap, count_words, normalize_segment, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_news_abbreviations_do_not_end_a_sentence():
    text = "U.S. President Donald Trump and Mr. Putin met on Aug. 6."
    assert sentences(text) == [text]


def test_titles_months_and_numbers_are_abbreviations():
    text = "Gen. Valery Gerasimov visited No. 5 command post in Sept. 2024. Dr. Smith disagreed."
    assert sentences(text) == [
        "Gen. Valery Gerasimov visited No. 5 command post in Sept. 2024.",
        "Dr. Smith disagreed.",
    ]


def test_quote_ending_with_period_closes_the_sentence():
    text = 'He called it "pretty chaotic." Then the column moved on. "We left," he said.'
    assert sentences(text) == [
        'He called it "pretty chaotic."',
        "Then the column moved on.",
        '"We left," he said.',
    ]


def test_abbreviation_at_sentence_end_before_a_sentence_starter():
    text = "Aid comes from the U.S. The talks stalled."
    assert sentences(text) == ["Aid comes from the U.S.", "The talks stalled."]


def test_normalize_folds_quotes_and_white_space_and_maps_back():
    raw = "  \u201cWe\u2019re  holding\ton,\u201d\u200b he said.\n"
    charmap = CharMap()
    text = normalize_segment(raw, raw_offset=100, out_offset=7, charmap=charmap)
    assert text == "\"We're holding on,\" he said."
    padded = " " * 100 + raw
    # Every normalised character maps to the raw character it came from.
    for i, char in enumerate(text):
        source = padded[charmap.to_raw(7 + i)]
        if char == " ":
            assert source.isspace()
        elif char in "\"'":
            assert source in "\u201c\u201d\u2019"
        else:
            assert source == char
    start = text.index("holding")
    raw_start, raw_end = charmap.span_to_raw(7 + start, 7 + start + len("holding on"))
    assert padded[raw_start:raw_end] == "holding\ton"


def test_count_words_keeps_contractions_and_hyphenated_words_whole():
    assert count_words("Kremlin-affiliated bloggers didn't say 30 things.") == 6
