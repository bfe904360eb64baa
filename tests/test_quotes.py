"""Quotes and speakers: expectations checked by hand on the seeds and on sentences written in the
styles of other outlets (Reuters/AP, Kyiv Independent, TASS/RT)."""

from __future__ import annotations

import random
import re

import pandas as pd
import pytest

from kursk_utils.actors import load_gazetteer
from kursk_utils.cue_index import fold
from kursk_utils.quotes import (
    _occurrences,
    QUOTE_COLUMNS,
    ROLES,
    _folded_role_cues,
    _role_cues,
    classify_role,
    extract_quotes,
    sentence_speakers,
)
from kursk_utils.sentiment import score_texts
from kursk_utils.text import split_sentences

SOLDIERS_DOC = "000_a4d19107e3aefedf"
BORODA_DOC = "001_84f33d5342423382"
ANALYSIS_DOC = "002_624225025d5b85e3"
SUDZHA_DOC = "003_78ab2bbd060f4baf"


def tables(texts: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``documents`` and ``sentences`` tables of the contract for small texts."""
    documents = pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())})
    rows = [
        {"doc_id": doc_id, "sentence_id": i, "start": s, "end": e, "text": text[s:e]}
        for doc_id, text in texts.items()
        for i, (s, e) in enumerate(split_sentences(text))
    ]
    return documents, pd.DataFrame(rows)


def quotes_of(text: str, **kwargs) -> pd.DataFrame:
    return extract_quotes(*tables({"doc": text}), **kwargs)


def summary(quotes: pd.DataFrame) -> list[tuple]:
    return [
        (
            row.kind,
            None if pd.isna(row.speaker) else row.speaker,
            None if pd.isna(row.role) else row.role,
            row.text,
        )
        for row in quotes.itertuples()
    ]


@pytest.fixture(scope="module")
def seed_quotes(seed_ingested) -> pd.DataFrame:
    return extract_quotes(seed_ingested.documents, seed_ingested.sentences)


def rows_of(quotes: pd.DataFrame, doc_id: str) -> pd.DataFrame:
    return quotes[quotes["doc_id"] == doc_id]


# --- seeds ---------------------------------------------------------------------------------


def test_seed_soldier_quotes_and_pronouns_resolve_to_artem(seed_quotes):
    quotes = rows_of(seed_quotes, SOLDIERS_DOC)
    # Sentences 9 and 15 also report what he noted and suggested in a participle clause
    # (", noting many units left in disarray", ", suggesting Putin aims to mislead Trump ...").
    assert quotes.loc[quotes["cue"].isin(["noting", "suggesting"]), "sentence_id"].tolist() == [9, 9, 15]
    doc = quotes[~quotes["cue"].isin(["noting", "suggesting"])].set_index("sentence_id")
    # "Artem candidly described the withdrawal ... as "not well organised.""
    assert doc.loc[8, ["kind", "speaker", "role", "cue", "text"]].tolist() == [
        "direct",
        "Artem Kariakin",
        "soldier",
        "described",
        "not well organised.",
    ]
    # "He characterized the retreat as "pretty chaotic," ..."
    assert doc.loc[9, ["speaker", "speaker_mention", "text"]].tolist() == [
        "Artem Kariakin",
        "He",
        "pretty chaotic",
    ]
    # "While Artem was fleeing, US President Donald Trump and Russian President Vladimir Putin
    # were engaged in discussions ..., which he finds "absurd."": he is Artem, not Putin.
    assert doc.loc[14, ["kind", "speaker", "cue", "text"]].tolist() == [
        "direct",
        "Artem Kariakin",
        "finds",
        "absurd.",
    ]
    for sentence_id, cue in [(11, "claims"), (13, "asserts"), (15, "perceives")]:
        assert doc.loc[sentence_id, ["kind", "speaker", "role", "cue"]].tolist() == [
            "reported",
            "Artem Kariakin",
            "soldier",
            cue,
        ]


def test_seed_serhiy_and_the_commander(seed_quotes):
    quotes = rows_of(seed_quotes, SOLDIERS_DOC)
    # Sentence 24 also reports what the commander confirmed.
    assert quotes.loc[quotes["sentence_id"] == 24, "kind"].tolist() == ["reported", "direct"]
    doc = quotes[(quotes["sentence_id"] != 24) | (quotes["kind"] == "direct")].set_index("sentence_id")
    # "the commander confirmed ..., calling the situation "difficult, but we're holding on.""
    # The commander is Serhiy, whose "assault battalion" makes him a soldier.
    assert doc.loc[24, ["kind", "speaker", "role", "speaker_mention", "text"]].tolist() == [
        "direct",
        "Serhiy",
        "soldier",
        "the commander",
        "difficult, but we're holding on.",
    ]
    assert doc.loc[27, ["speaker", "speaker_mention", "cue"]].tolist() == [
        "Serhiy",
        "He",
        "believes",
    ]
    assert doc.loc[28, "text"] == (
        "European nations alone lack the strength to resolve the current conflict, as their focus "
        "has been tethered to domestic economic issues rather than regional security"
    )
    # No sentence is attributed to Trump or Putin, who are only talked about.
    assert not doc["speaker"].str.contains("Trump|Putin").any()


def test_seed_platoon_commander_by_call_sign(seed_quotes):
    doc = rows_of(seed_quotes, BORODA_DOC)
    boroda = doc[doc["kind"] == "direct"]
    assert summary(boroda) == [
        (
            "direct",
            "Boroda",
            "soldier",
            "The area where our positions had been was already occupied by Russian forces",
        ),
    ]
    # the named subject of "conveyed" wins over the pronoun of "he recounted"
    assert boroda["cue"].tolist() == ["conveyed"]
    paroinen = doc[doc["speaker"] == "Pasi Paroinen"]
    assert paroinen[["kind", "role", "cue"]].values.tolist() == [["reported", "analyst", "note"]]


def test_seed_scare_quote_and_vague_sources_have_no_speaker(seed_quotes):
    # 'The aim is to effectively "salt the earth," ...' is a scare quote; "some suggesting",
    # "interpreted by some" and "The recent Ukrainian successes ... suggest" name no speaker.
    assert rows_of(seed_quotes, ANALYSIS_DOC).empty


def test_seed_officials_blogger_and_analyst(seed_quotes):
    doc = rows_of(seed_quotes, SUDZHA_DOC)
    direct = doc[doc["kind"] == "direct"]
    assert direct[["sentence_ids", "speaker", "role", "cue"]].values.tolist() == [
        ["5 6", "Skadovskyi Defender", "other", "wrote"],
        ["9", "Oleksandr Syrskyi", "ukrainian_official", "said"],
        ["10 11 12", "Volodymyr Zelenskyy", "ukrainian_official", "stating"],
        ["14 15 16", "Ruslan Leviev", "analyst", "told"],
    ]
    assert direct["text"].iloc[1] == "no threat of encirclement"
    assert direct["text"].iloc[0] == (
        "Ukraine's Armed Forces are leaving Kursk. There will be no Ukrainian soldier there by Friday"
    )
    reported = doc[doc["kind"] == "reported"].set_index("sentence_id")
    assert reported.loc[1, ["speaker", "role", "cue"]].tolist() == [
        "Russian defense ministry",  # (a body named by its capital is the nation's)
        "russian_official",
        "declared",
    ]
    assert reported.loc[18, ["speaker", "role"]].tolist() == [
        "The governor of Russia's Kursk region",
        "russian_official",
    ]
    assert reported.loc[25, ["speaker", "role", "cue", "text"]].tolist() == [
        "Dmitry Peskov",
        "russian_official",
        "stating",
        "Moscow needs to be briefed before commenting on its viability",
    ]


def test_seed_offsets_point_at_what_was_quoted(seed_ingested, seed_quotes):
    texts = seed_ingested.documents.set_index("doc_id")["text"]
    for row in seed_quotes.itertuples():
        text = texts[row.doc_id]
        assert text[row.start : row.end] == row.text
        assert text[row.cue_start : row.cue_end] == row.cue
        assert text[row.speaker_start : row.speaker_end] == row.speaker_mention
    sentences = seed_ingested.sentences.set_index(["doc_id", "sentence_id"])
    for row in seed_quotes.itertuples():
        first = sentences.loc[(row.doc_id, row.sentence_id)]
        assert first["start"] <= row.start < first["end"]


def test_seed_table_contract(seed_quotes):
    assert list(seed_quotes.columns) == QUOTE_COLUMNS
    assert seed_quotes["role"].dropna().isin(ROLES).all()
    assert seed_quotes["kind"].isin(["direct", "reported"]).all()
    assert seed_quotes.equals(seed_quotes.sort_values(["doc_id", "start"]).reset_index(drop=True))
    for _, doc in seed_quotes.groupby("doc_id"):
        assert doc["quote_id"].tolist() == list(range(len(doc)))


def test_sentiment_is_the_compound_of_the_quoted_text(seed_quotes):
    expected = score_texts(seed_quotes["text"].tolist())["compound"]
    assert seed_quotes["sentiment"].tolist() == expected.tolist()
    # "The area where our positions had been was already occupied by Russian forces" has no
    # VADER word; Peskov's reported "Moscow needs to be briefed ..." neither.
    assert seed_quotes.loc[seed_quotes["speaker"] == "Boroda", "sentiment"].tolist() == [0.0]


def test_implementation_parameter_reaches_vader(seed_ingested):
    # "no threat of encirclement" is where the two VADER implementations disagree in sign.
    docs, sents = seed_ingested.documents, seed_ingested.sentences
    syrskyi = {}
    for implementation in ("nltk", "vadersentiment"):
        table = extract_quotes(docs, sents, implementation=implementation)
        syrskyi[implementation] = table.loc[
            table["text"] == "no threat of encirclement", "sentiment"
        ].item()
    assert syrskyi["nltk"] < 0 < syrskyi["vadersentiment"]


def test_sentence_speakers_of_the_seeds(seed_quotes):
    speakers = sentence_speakers(seed_quotes)
    assert list(speakers.columns) == ["doc_id", "sentence_id", "speaker", "role", "kind", "side"]
    zelenskyy = speakers[speakers["speaker"] == "Volodymyr Zelenskyy"]
    # Sentence 10 holds both his reported acknowledgement and the start of his direct quote.
    assert zelenskyy[["sentence_id", "kind"]].values.tolist() == [
        [10, "direct"], [10, "reported"], [11, "direct"], [12, "direct"]]
    soldiers = speakers[(speakers["doc_id"] == SOLDIERS_DOC) & (speakers["role"] == "soldier")]
    assert {8, 9, 14, 24, 27}.issubset(set(soldiers["sentence_id"]))
    assert not speakers.duplicated(["doc_id", "sentence_id", "speaker", "kind"]).any()
    assert speakers.equals(
        speakers.sort_values(["doc_id", "sentence_id"], kind="stable").reset_index(drop=True)
    )


# --- other outlets' styles --------------------------------------------------------------------

STYLES = [
    pytest.param(
        '"We will not allow Ukraine to use the territory as a bargaining chip," Kremlin spokesman '
        "Dmitry Peskov told reporters on Thursday.",
        [
            (
                "direct",
                "Dmitry Peskov",
                "russian_official",
                "We will not allow Ukraine to use the territory as a bargaining chip",
            )
        ],
        id="reuters-speaker-after",
    ),
    pytest.param(
        '"The situation is difficult but under control," said Oleksandr Syrskyi, Ukraine\'s top commander.',
        [
            (
                "direct",
                "Oleksandr Syrskyi",
                "ukrainian_official",
                "The situation is difficult but under control",
            )
        ],
        id="inverted-said-with-appositive",
    ),
    pytest.param(
        "Russia's Defense Ministry said its forces had recaptured the village of Sverdlikovo.",
        [
            (
                "reported",
                "Russia's Defense Ministry",
                "russian_official",
                "its forces had recaptured the village of Sverdlikovo",
            )
        ],
        id="ap-ministry-reported",
    ),
    pytest.param(
        "The Russian Defence Ministry said that units of the North group of forces had liberated the "
        "settlement of Nikolsky, while the Kiev regime lost up to 200 servicemen.",
        [
            (
                "reported",
                "Russian Defence Ministry",
                "russian_official",
                "units of the North group of forces had liberated the settlement of Nikolsky, while the "
                "Kiev regime lost up to 200 servicemen",
            )
        ],
        id="tass-defence-ministry",
    ),
    pytest.param(
        '"The Kiev regime is sending its soldiers to certain death," Russian Foreign Ministry '
        "spokeswoman Maria Zakharova said.",
        [
            (
                "direct",
                "Maria Zakharova",
                "russian_official",
                "The Kiev regime is sending its soldiers to certain death",
            )
        ],
        id="rt-spokeswoman",
    ),
    pytest.param(
        '"Our guys are exhausted. Nobody tells us anything," a soldier of the 47th Mechanized Brigade, '
        "who goes by the call sign Moses, told the Kyiv Independent.",
        [("direct", "Moses", "soldier", "Our guys are exhausted. Nobody tells us anything")],
        id="kyiv-independent-call-sign",
    ),
    pytest.param(
        'Drone operator Andriy Kovalenko was among the last to leave. "We were left without Starlink," '
        'he said. "Nobody told us what to do."',
        [
            ("direct", "Andriy Kovalenko", "soldier", "We were left without Starlink"),
            ("direct", "Andriy Kovalenko", "soldier", "Nobody told us what to do."),
        ],
        id="interrupted-quote",
    ),
    pytest.param(
        'Sergeant Ivan Petrenko described the last night in Sudzha.\n\n"We walked for two days without '
        'water.\n\n"Nobody came for us," he said.',
        [
            # "described the last night" names an object, no content clause: no report
            ("direct", "Ivan Petrenko", "soldier", "We walked for two days without water."),
            ("direct", "Ivan Petrenko", "soldier", "Nobody came for us"),
        ],
        id="quote-over-two-paragraphs",
    ),
    pytest.param(
        "\u201cWe are holding the line,\u201d said Col. Oleksandr Pohrebysky, a battalion commander.",
        [("direct", "Oleksandr Pohrebysky", "soldier", "We are holding the line")],
        id="curly-quotes",
    ),
    pytest.param(
        "Analyst Tatiana Stanovaya said the Kremlin sees no reason to compromise. "
        '"Putin believes time is on his side," she said.',
        [
            (
                "reported",
                "Tatiana Stanovaya",
                "analyst",
                "the Kremlin sees no reason to compromise",
            ),
            ("direct", "Tatiana Stanovaya", "analyst", "Putin believes time is on his side"),
        ],
        id="she",
    ),
    pytest.param(
        'Ukrainian officials denied the reports. "There is no encirclement," they said.',
        # "denied the reports" has no content clause: not reported speech (it used to be).
        [("direct", "Ukrainian officials", "ukrainian_official", "There is no encirclement")],
        id="they",
    ),
    pytest.param(
        "Analyst Oleh Zhdanov spoke after US President Donald Trump and Russian President Vladimir "
        'Putin held a call. "This is a trap," he said.',
        [("direct", "Oleh Zhdanov", "analyst", "This is a trap")],
        id="he-skips-coordinated-presidents",
    ),
    pytest.param(
        "According to the Institute for the Study of War, Russian forces have made gains near Sudzha.",
        [
            (
                "reported",
                "Institute for the Study of War",
                "analyst",
                "Russian forces have made gains near Sudzha",
            )
        ],
        id="according-to-before",
    ),
    pytest.param(
        "The Ministry of Defence of the Russian Federation reported that the Kiev regime's militants "
        "were fleeing.",
        [
            (
                "reported",
                "Ministry of Defence of the Russian Federation",
                "russian_official",
                "the Kiev regime's militants were fleeing",
            )
        ],
        id="tass-ministry-of-defence",
    ),
    pytest.param(
        'President of Ukraine Volodymyr Zelensky said the situation was "very difficult."',
        # A reported clause holding a partial quote is one reported entry (it used to be the
        # fragment alone, as a direct quote).
        [("reported", "Volodymyr Zelensky", "ukrainian_official",
          'the situation was "very difficult."')],
        id="title-of-country",
    ),
    pytest.param(
        '"Sudzha has been liberated," TASS reported, citing the Russian Defence Ministry.',
        [("direct", "TASS", "media", "Sudzha has been liberated")],
        id="outlet-speaker",
    ),
    pytest.param(
        "EU foreign policy chief Kaja Kallas told reporters Europe must step up. "
        '"The US is no longer a reliable partner," she added.',
        [
            ("reported", "Kaja Kallas", "other", "Europe must step up"),  # "told reporters" is no content
            ("direct", "Kaja Kallas", "other", "The US is no longer a reliable partner"),
        ],
        id="european-official-is-other",
    ),
    pytest.param(
        '"It\'s a disaster," one Ukrainian soldier told the BBC. "We were abandoned."',
        [
            ("direct", "one Ukrainian soldier", "soldier", "It's a disaster"),
            ("direct", "one Ukrainian soldier", "soldier", "We were abandoned."),
        ],
        id="bbc-anonymous-soldier",
    ),
    pytest.param(
        "The retreat was chaotic, according to a Ukrainian officer who asked not to be named.",
        [("reported", "a Ukrainian officer", "soldier", "The retreat was chaotic")],
        id="according-to-after",
    ),
    pytest.param(
        "White House press secretary Karoline Leavitt said the pause in intelligence sharing was temporary.",
        [
            (
                "reported",
                "Karoline Leavitt",
                "us_official",
                "the pause in intelligence sharing was temporary",
            )
        ],
        id="us-official",
    ),
    pytest.param(
        "Ukraine's General Staff said on Wednesday that its troops had withdrawn to better positions.",
        [
            (
                "reported",
                "General Staff of the Armed Forces of Ukraine",  # (its full name: data/speaker_names.csv)
                "ukrainian_official",
                "its troops had withdrawn to better positions",
            )
        ],
        id="time-adverbial-skipped",
    ),
    pytest.param(
        'Moscow called the incursion a "terrorist attack." So-called "volunteers" fought there.',
        [("direct", "Russian government", "russian_official", "terrorist attack.")],
        id="attributed-short-quote-kept-scare-quote-dropped",
    ),
    pytest.param(
        'The aim is to "salt the earth," making the area costly. The recent successes suggest that '
        "Russia is weakening. The perceived value of holding Kursk fell.",
        [],
        id="no-speaker",
    ),
    pytest.param(
        '"This is the end of the operation for us." The statement appeared online.',
        [("direct", None, None, "This is the end of the operation for us.")],
        id="unattributed-full-sentence-kept",
    ),
    pytest.param(
        '"We will win," he said.',
        [("direct", None, None, "We will win")],
        id="unresolved-pronoun",
    ),
]


@pytest.mark.parametrize(("text", "expected"), STYLES)
def test_outlet_styles(text, expected):
    assert summary(quotes_of(text)) == expected


def test_curly_and_straight_quotes_give_the_same_table():
    straight = (
        'Analyst Ruslan Leviev said: "The bridgehead is lost." "It is over," he told TV Rain.'
    )
    curly = straight.replace(' "', " \u201c").replace('."', ".\u201d").replace(',"', ",\u201d")
    assert curly.count("\u201c") == 2 and curly.count("\u201d") == 2
    columns = ["start", "end", "speaker", "role", "cue", "speaker_start"]
    assert quotes_of(curly)[columns].equals(quotes_of(straight)[columns])
    assert quotes_of(straight)["speaker"].tolist() == ["Ruslan Leviev", "Ruslan Leviev"]


def test_gazetteer_and_actor_mentions_give_roles():
    text = 'Zelensky wrote on Telegram: "Our forces will not be surrounded." Serhiy said the road was cut.'
    assert quotes_of(text)["role"].tolist() == ["other", "other"]
    assert quotes_of(text, gazetteer=load_gazetteer())["role"].tolist() == [
        "ukrainian_official",
        "other",
    ]
    serhiy = text.index("Serhiy")
    mentions = pd.DataFrame(
        [
            {
                "doc_id": "doc",
                "sentence_id": 1,
                "actor_id": "serhiy",
                "actor_name": "Serhiy",
                "group": "ukraine_soldiers",
                "alias": "Serhiy",
                "start": serhiy,
                "end": serhiy + 6,
            }
        ]
    )
    assert quotes_of(text, actor_mentions=mentions)["role"].tolist() == ["other", "soldier"]


def test_row_order_of_inputs_does_not_change_the_table(seed_ingested):
    documents, sentences = seed_ingested.documents, seed_ingested.sentences
    expected = extract_quotes(documents, sentences)
    shuffled = extract_quotes(documents.iloc[::-1], sentences.sample(frac=1, random_state=7))
    assert shuffled.equals(expected)


def test_no_quotes_gives_an_empty_table_with_the_contract_columns():
    table = quotes_of("Ukrainian forces withdrew from Sudzha.")
    assert table.empty and list(table.columns) == QUOTE_COLUMNS
    assert sentence_speakers(table).empty


# --- classify_role -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("speaker", "context", "role"),
    [
        (
            "Volodymyr Zelenskyy",
            "Ukrainian President Volodymyr Zelenskyy acknowledged the pressure.",
            "ukrainian_official",
        ),
        (
            "Donald Trump",
            "US President Donald Trump and Russian President Vladimir Putin talked.",
            "us_official",
        ),
        (
            "Vladimir Putin",
            "US President Donald Trump and Russian President Vladimir Putin talked.",
            "russian_official",
        ),
        ("Skadovskyi Defender", "military blogger Skadovskyi Defender wrote on Telegram.", "other"),
        (
            "Boroda",
            "One platoon commander, known by his military call sign Boroda, conveyed it.",
            "soldier",
        ),
        ("Ruslan Leviev", "Independent Russian war analyst Ruslan Leviev assessed it.", "analyst"),
        (
            "Dmitry Peskov",
            "with spokesman Dmitry Peskov stating that the Kremlin needs time",
            "russian_official",
        ),
        ("TASS", "", "media"),
        ("Kaja Kallas", "EU foreign policy chief Kaja Kallas said Europe must act.", "other"),
        ("Artem", "While Artem was fleeing, US President Donald Trump talked to Putin.", "other"),
    ],
)
def test_classify_role_from_cues(speaker, context, role):
    assert classify_role(speaker, context) == role


def test_classify_role_uses_the_gazetteer_first():
    assert classify_role("Syrskyi", "Syrskyi said so.") == "other"
    assert classify_role("Syrskyi", "Syrskyi said so.", load_gazetteer()) == "ukrainian_official"


def test_classify_role_rejects_non_strings():
    with pytest.raises(TypeError, match="strings"):
        classify_role(None, "")


# --- bad input ---------------------------------------------------------------------------------


def test_bad_tables_give_clear_errors():
    documents, sentences = tables({"doc": '"We left," he said.'})
    with pytest.raises(ValueError, match=r"sentences table is missing column\(s\) \['start'\]"):
        extract_quotes(documents, sentences.drop(columns="start"))
    with pytest.raises(ValueError, match="not in documents"):
        extract_quotes(documents.iloc[0:0], sentences)
    with pytest.raises(ValueError, match="null text"):
        extract_quotes(documents.assign(text=None), sentences)
    with pytest.raises(ValueError, match="repeats doc_id 'doc'"):
        extract_quotes(pd.concat([documents, documents]), sentences)
    with pytest.raises(TypeError, match="documents must be a pandas DataFrame"):
        extract_quotes("doc", sentences)
    with pytest.raises(ValueError, match="gazetteer needs columns"):
        extract_quotes(documents, sentences, gazetteer=pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="quotes table is missing"):
        sentence_speakers(pd.DataFrame({"doc_id": ["doc"]}))


def test_no_speaker_spans_a_quotation_mark():
    # HTML attributes in a hostile article look like quotes; a speaker phrase must not take in
    # the closing mark of one of them (it used to give the speaker '" said a soldier').
    from conftest import PROJECT_ROOT

    from kursk_utils.corpus import ingest

    ingested = ingest(PROJECT_ROOT / "tests" / "fixtures" / "hostile")
    table = extract_quotes(ingested.documents, ingested.sentences, implementation="vadersentiment")
    speakers = table["speaker"].dropna()
    assert not speakers.empty
    assert not speakers.str.contains('"').any()


def test_role_cues_are_found_alike_in_folded_text(validation_texts):
    pattern, folded_pattern = _role_cues(("role",))[0], _folded_role_cues(("role",))
    texts = [t for t in validation_texts + [t.upper() for t in validation_texts] if fold(t)]
    found = 0
    for text in texts:
        spans = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in folded_pattern.finditer(fold(text))] == spans, text
        found += len(spans)
    assert found > 1000
    assert _folded_role_cues(("role", "outlet")) is None  # outlets are matched case-sensitively


# --- classes of error found on unseen articles (issue 14); sentences written for these tests --

ERROR_CLASSES = [
    pytest.param(
        "Governor Ilse Brandt said on Facebook that the dam above the town would hold.",
        [("reported", "Ilse Brandt", "other", "the dam above the town would hold")],
        id="said-on-platform-that",
    ),
    pytest.param(
        "The harbour authority claimed the new cranes had doubled the port's capacity.",
        [("reported", "The harbour authority", "other", "the new cranes had doubled the port's capacity")],
        id="claimed-by-a-body",
    ),
    pytest.param(
        "Mayor Piet Janssen told local radio the ferry would run again from Monday.",
        [("reported", "Piet Janssen", "other", "the ferry would run again from Monday")],
        id="told-someone-without-that",
    ),
    pytest.param(
        "Water levels on the Vltava reached a ten-year high overnight, officials said on Friday, "
        "as rain kept falling across the region.",
        [("reported", "officials", "other",
          "Water levels on the Vltava reached a ten-year high overnight")],
        id="report-before-attribution-trailing-as-clause-not-said",
    ),
    pytest.param(
        "Officials said on Tuesday, as rivers rose to record levels, that schools would stay shut.",
        [("reported", "Officials", "other", "schools would stay shut")],
        id="as-clause-between-verb-and-content",
    ),
    pytest.param(
        "Permits will take longer this year, the water authority said, as it works through a "
        "backlog of applications.",
        [("reported", "the water authority", "other", "Permits will take longer this year")],
        id="report-before-attribution-as-clause-about-the-speaker-not-said",
    ),
    pytest.param(
        "Rates would keep climbing, the central bank said on Monday as it raised its key "
        "rate again.",
        [("reported", "the central bank", "other", "Rates would keep climbing")],
        id="report-before-attribution-as-clause-without-comma-not-said",
    ),
    pytest.param(
        "The sapper said when the war ends, he will go home to Poltava.",
        [("reported", "The sapper", "soldier", "when the war ends, he will go home to Poltava")],
        id="when-clause-with-its-main-clause-is-reported",
    ),
    pytest.param(
        # "bank" names a body: the phrase is no bare title referring back to the capitalised
        # first word of the sentence ("Mortgage" was the speaker).
        "Mortgage rates would keep climbing, the central bank said.",
        [("reported", "the central bank", "other", "Mortgage rates would keep climbing")],
        id="the-central-bank-is-a-body",
    ),
    pytest.param(
        # kursk60 (Kyiv Independent): the verb's clause ended at its comma, not at the sentence's end
        "Nearly a week after Ukraine's General Staff acknowledged the loss of Sudzha, soldiers who "
        "fought there are speaking more openly about the retreat.",
        [("reported", "General Staff of the Armed Forces of Ukraine", "ukrainian_official",
          "the loss of Sudzha")],
        id="verb-in-an-opening-subordinate-clause-reports-up-to-its-comma",
    ),
    pytest.param(
        "When the mayor said the bridge was safe, residents laughed.",
        [("reported", "the mayor", "other", "the bridge was safe")],
        id="opening-conjunction-is-no-part-of-the-subject",
    ),
    pytest.param(
        # a conjunction inside the subject opens no clause: the report runs past the comma
        "The minister who resigned after the vote said that the budget was sound, and that he had "
        "no regrets.",
        [("reported", "The minister", "other", "the budget was sound"),
         ("reported", "The minister", "other", "he had no regrets")],
        id="conjunction-inside-the-subject-opens-no-clause",
    ),
    pytest.param(
        '"We will stay out until the offer changes," said shop steward Alan Price.',
        [("direct", "Alan Price", "other", "We will stay out until the offer changes")],
        id="said-description-then-name",
    ),
    pytest.param(
        '"Nobody asked us," said ferry pilot Jana Novak, who has worked the crossing for years.',
        [("direct", "Jana Novak", "other", "Nobody asked us")],
        id="said-occupation-then-name-then-relative",
    ),
    pytest.param(
        "Union leader Tom Moss said the strike would go on. "
        '"We will not back down," he said. '
        "The company's chief executive, Peter Hale, rejected the demands. "
        '"Our offer remains generous," he said.',
        [
            ("reported", "Tom Moss", "other", "the strike would go on"),
            ("direct", "Tom Moss", "other", "We will not back down"),
            ("direct", "Peter Hale", "other", "Our offer remains generous"),
        ],
        id="pronoun-after-another-speaker-goes-to-the-new-subject",
    ),
    pytest.param(
        "Nadia Orlova runs the only pharmacy left in the village. Her brother, Pavel, stayed too. "
        '"We have insulin for a month," she said.',
        [("direct", "Nadia Orlova", "other", "We have insulin for a month")],
        id="pronoun-agrees-in-gender",
    ),
    pytest.param(
        "Ukrainian President Volodymyr Zelensky visited Sumy on Sunday. Speaking to troops, the President "
        "said the line near the border was stable.",
        [("reported", "Volodymyr Zelensky", "ukrainian_official",
          "the line near the border was stable")],
        id="bare-title-refers-back",
    ),
    pytest.param(
        "Russian President Vladimir Putin met his security council. "
        '"The task is clear," the Russian leader said.',
        [("direct", "Vladimir Putin", "russian_official", "The task is clear")],
        id="description-refers-back",
    ),
    pytest.param(
        '"The enemy is retreating in panic," a Russian paratrooper told RIA Novosti.',
        [("direct", "a Russian paratrooper", "soldier", "The enemy is retreating in panic")],
        id="person-not-the-relaying-agency",
    ),
    pytest.param(
        "Kremlin spokesman Dmitry Peskov said talks were moving forward, according to TASS.",
        [("reported", "Dmitry Peskov", "russian_official", "talks were moving forward")],
        id="according-to-an-agency-relays",
    ),
    pytest.param(
        "The Institute for the Study of War assessed that Russian forces had stalled near the border.",
        [("reported", "Institute for the Study of War", "analyst",
          "Russian forces had stalled near the border")],
        id="think-tank-is-analyst",
    ),
    pytest.param(
        "Russian military blogger Yuri Kotov wrote that the assault had cost two battalions.",
        [("reported", "Yuri Kotov", "other", "the assault had cost two battalions")],
        id="military-blogger-is-other",
    ),
    pytest.param(
        "In Sumy, volunteers said the evacuation buses had stopped running.",
        [("reported", "volunteers", "other", "the evacuation buses had stopped running")],
        id="place-name-is-not-a-speaker",
    ),
    pytest.param(
        'The mayor said the flood barriers had "held up well" overnight.',
        [("reported", "The mayor", "other", 'the flood barriers had "held up well" overnight')],
        id="partial-quote-stays-in-its-reported-clause",
    ),
    pytest.param(
        '"We pulled back at night," a sapper who goes by the call sign "Lynx" told the Kyiv Independent.',
        [("direct", "Lynx", "soldier", "We pulled back at night")],
        id="quoted-call-sign-is-a-name-not-a-quote",
    ),
]


@pytest.mark.parametrize("text, expected", ERROR_CLASSES)
def test_error_classes_of_unseen_articles(text, expected):
    assert summary(quotes_of(text)) == expected


@pytest.mark.parametrize("text, side", [
    ("Ukrainian drone operator Ihor Bondar said the roads were mined.", "ukraine"),
    ("Russia's Defence Ministry said its forces had taken two villages.", "russia"),
    ("Senator Mark Ellis said the aid package was stuck. Fighting went on near Kursk.", None),
    ("A German diplomat said Berlin would send more air defence to Kyiv.", "europe"),
    # a text naming neither side of the war: everyone's side is "other"
    ("Senator Mark Ellis said the farm bill was stuck.", "other"),
    ("A German diplomat said Berlin would host the climate talks.", "other"),
    ("Russian military blogger Yuri Kotov wrote that the assault had cost two battalions.", "russia"),
    # a nationality qualifying a soldier's description tells his army
    ("A Russian sapper said his company had been sent forward without artillery.", "russia"),
    ("Taras, a sniper with Ukraine's 47th brigade, said the road was under drone fire.", "ukraine"),
    # after "According to <source>," the claim names whom it is about, not who the source is
    ("According to a source in the security services, the remaining Ukrainian units are surrendering.", None),
])
def test_side_of_the_speaker(text, side):
    table = quotes_of(text)
    assert len(table) == 1
    assert (None if pd.isna(table["side"].iloc[0]) else table["side"].iloc[0]) == side


@pytest.mark.parametrize("text", [
    # blind_dev s062: the Russians are named in what the sergeant says, not in who he is.
    "09:05 — A sergeant with the call sign “Lis” says headquarters “had no idea” Russian troops had come "
    "through the gas pipeline until they were behind his trench.",
    '"Russian drones hunted every car on the road," said a sergeant with the 47th Brigade.',
    # nor in the place where he served
    'Serhiy, an infantryman with the call sign Bars, spent five months in Russia\'s Kursk region. '
    '"Nobody told us anything," Serhiy said.',
    # nor in what he says outside quotation marks, around the attribution
    'Morale, one battalion officer told a newspaper, is broken not by Russian glide bombs but by "the '
    'feeling that the people who decide our fate do not read our reports."',
    # nor in what else his clause names: a country acting, what hit him, where he went
    'Asked about the week when Washington paused intelligence sharing, Sergeant Petrenko shook his head. '
    '"We felt it at once in Kursk," Petrenko said.',
    'Ihor, a mortarman, showed a video of a truck hit by Russian drones. "We walked out," Ihor said.',
    'Chornyi, a sniper, crossed into Russia on the first day. "It was quiet then," Chornyi said.',
])
def test_a_soldiers_side_is_not_read_from_his_quoted_words(text):
    table = quotes_of(text)
    assert table["role"].tolist() == ["soldier"]
    assert table["side"].isna().all()


def test_side_follows_the_gazetteer_group():
    from kursk_utils.actors import load_gazetteer

    table = quotes_of("Marco Rubio said the pause on intelligence sharing with Kyiv was over.",
                      gazetteer=load_gazetteer())
    assert table[["role", "side"]].values.tolist() == [["us_official", "us"]]


def test_multi_word_title_and_head_of_the_phrase_decide_the_speaker():
    from kursk_utils.actors import find_mentions, load_gazetteer

    text = ("Chief of the General Staff Valery Gerasimov reported that the bridgehead was gone. "
            "Polish Prime Minister Donald Tusk warned that Europe must rearm.")
    documents, sentences = tables({"doc": text})
    gazetteer = load_gazetteer()
    table = extract_quotes(documents, sentences, actor_mentions=find_mentions(sentences, gazetteer),
                           gazetteer=gazetteer)
    # "the General Staff" (a Ukrainian alias) is longer than "Valery Gerasimov", but the name
    # ending the phrase is the speaker.
    assert table[["speaker", "role", "side"]].values.tolist() == [
        ["Valery Gerasimov", "russian_official", "russia"],
        ["Donald Tusk", "other", "europe"],
    ]


# Issue 14: classes of speaker and role error seen on unseen outlets, each in sentences written
# for the test (names and outlets not in the dev gold set).
SPEAKER_CLASSES = [
    pytest.param(
        "MPs debated the bill. Senator Ruth Okafor, a long-time critic of the ministry, wrote on "
        "X that the plan had been rushed.",
        [("reported", "Ruth Okafor", "other", "the plan had been rushed")],
        id="name-before-an-appositive-speaks",
    ),
    pytest.param(
        "Retired ferryman Owen Price, 81, said the harbour had flooded twice before.",
        [("reported", "Owen Price", "other", "the harbour had flooded twice before")],
        id="age-after-a-described-name",
    ),
    pytest.param(
        "Soldiers interviewed by Le Monde said they had waited weeks for new drones.",
        [("reported", "Soldiers interviewed by Le Monde", "soldier",
          "they had waited weeks for new drones")],
        id="people-interviewed-by-an-outlet-not-the-outlet",
    ),
    pytest.param(
        "Economists at Nordbank said the slowdown would last into next year.",
        [("reported", "Economists at Nordbank", "analyst", "the slowdown would last into next year")],
        id="capitalised-plural-noun-is-not-a-name",
    ),
    pytest.param(
        "Interfax quoted Kremlin spokesman Dmitry Peskov as saying that no date had been set.",
        [("reported", "Dmitry Peskov", "russian_official", "no date had been set")],
        id="agency-quoted-x-as-saying",
    ),
    pytest.param(
        "Governor Vyacheslav Gladkov visited the village. "
        '"Nobody will be left behind," the governor was quoted as saying by TASS.',
        [("direct", "Vyacheslav Gladkov", "other", "Nobody will be left behind")],
        id="x-was-quoted-as-saying",
    ),
    pytest.param(
        "The mill's owner, Greta Lund, thanked the volunteers and said the roof would be rebuilt.",
        [("reported", "Greta Lund", "other", "the roof would be rebuilt")],
        id="second-predicate-shares-the-subject",
    ),
    pytest.param(
        "OSLO, June 2 (Reuters) - Shipbuilder Nordvik Yards said on Monday it would hire 300 welders.",
        [("reported", "Shipbuilder Nordvik Yards", "other", "it would hire 300 welders")],
        id="dateline-agency-is-neither-speaker-nor-role",
    ),
    pytest.param(
        'Mayor Anna Berg met residents. "We will rebuild," the mayor told reporters after the meeting.',
        [("direct", "Anna Berg", "other", "We will rebuild")],
        id="told-reporters-then-an-adverbial-reports-nothing",
    ),
    pytest.param(
        "Chief of the General Staff of the Russian Armed Forces Valery Gerasimov visited the front. "
        "According to the head of the General Staff, 200 soldiers had surrendered.",
        [("reported", "Valery Gerasimov", "russian_official", "200 soldiers had surrendered")],
        id="title-with-prepositional-phrase-refers-back",
    ),
    pytest.param(
        "NATO Secretary General Mark Rutte said allies would send more air defence. "
        '"The need is urgent," the alliance chief said.',
        [("reported", "Mark Rutte", "other", "allies would send more air defence"),
         ("direct", "Mark Rutte", "other", "The need is urgent")],
        id="description-names-the-previous-subject",
    ),
    pytest.param(
        "Mayor of Kharkiv Ihor Terekhov said on Telegram that the metro would reopen.",
        [("reported", "Ihor Terekhov", "ukrainian_official", "the metro would reopen")],
        id="place-next-to-a-title-is-no-name-and-tells-the-role",
    ),
    pytest.param(
        "At the White House, Finnish President Alexander Stubb said Helsinki would raise its "
        "defence budget.",
        [("reported", "Alexander Stubb", "other", "Helsinki would raise its defence budget")],
        id="a-nationality-outside-the-war-is-not-the-nearest-war-side",
    ),
    pytest.param(
        "Ukraine's navy reported calm seas overnight. Navy spokesman Dmytro Pletenchuk told "
        "television the port was working.",
        [("reported", "Ukraine's navy", "ukrainian_official", "calm seas overnight"),
         ("reported", "Dmytro Pletenchuk", "ukrainian_official", "the port was working")],
        id="title-takes-the-nationality-of-its-paragraph",
    ),
    pytest.param(
        "Two more villages have fallen, the Defence Ministry in Moscow said on Friday, as Kyiv's "
        "forces fell back.",
        [("reported", "the Defence Ministry in Moscow", "russian_official",
          "Two more villages have fallen")],
        id="nationality-inside-the-speaker-phrase-wins",
    ),
]


@pytest.mark.parametrize("text, expected", SPEAKER_CLASSES)
def test_speaker_and_role_classes_of_unseen_outlets(text, expected):
    assert summary(quotes_of(text, gazetteer=load_gazetteer())) == expected


def test_verb_after_an_as_clause_does_not_attribute_the_quote_before():
    text = ('Ukraine\'s army admitted its units faced a "critical" shortage, as the Russian army '
            "said it had taken two villages.")
    first = summary(quotes_of(text, gazetteer=load_gazetteer()))[0]
    assert first == ("reported", "Ukraine's army", "ukrainian_official",
                     'its units faced a "critical" shortage')


def test_occurrences_are_those_of_an_escaped_pattern():
    rng = random.Random(7)
    for _ in range(5000):  # overlapping candidates ("aa" in "aaa"), special characters, empty names
        text = "".join(rng.choice("ab .(") for _ in range(rng.randint(0, 25)))
        name = "".join(rng.choice("ab .(") for _ in range(rng.randint(0, 3)))
        expected = [m.start() for m in re.finditer(re.escape(name), text)] if name else []  # no name, no place
        assert _occurrences(text, name) == expected


# Issue 14, second round: speaker classes that over-fitted the dev set's wording, each in
# sentences written for the test (names and outlets not in the gold sets).
GENERAL_SPEAKER_RULES = [
    pytest.param(
        "Ola Dahl spoke at the quay. How does the port survive? Within hours, he said, the cranes "
        "would stop.",
        # a question word or preposition opening a sentence is no subject name
        [("reported", "Ola Dahl", "other", "the cranes would stop")],
        id="a-question-word-opening-a-sentence-is-no-subject",
    ),
    pytest.param(
        "The Harbour Institute, a Oslo-based think tank, said freight had fallen. Ola Dahl, 38, "
        "also told AFP that the port was losing money.",
        # "think tank" is no verb; an age before an adverb still closes the subject
        [("reported", "Harbour Institute", "analyst", "freight had fallen"),
         ("reported", "Ola Dahl", "other", "the port was losing money")],
        id="a-think-tank-is-no-verb-and-an-age-before-an-adverb",
    ),
    pytest.param(
        '"We lost," said Andriy Osadchuk. According to the regional governor, Oleh Hryhorov, 12 '
        "villages were evacuated.",
        [("direct", "Andriy Osadchuk", "other", "We lost"),
         ("reported", "Oleh Hryhorov", "other", "12 villages were evacuated")],
        id="according-to-a-title-with-a-name-in-apposition",
    ),
    pytest.param(
        "Russia's top diplomat says talks are possible\n\nForeign Minister Sergei Lavrov said on "
        "Monday that Russia was ready to talk.",
        # a headline's description is the story's first person of its role; a report never runs
        # across a paragraph break (the headline has no full stop)
        [("reported", "Sergei Lavrov", "russian_official", "talks are possible"),
         ("reported", "Sergei Lavrov", "russian_official", "Russia was ready to talk")],
        id="a-headlines-description-is-the-storys-first-person-of-its-role",
    ),
    pytest.param(
        "MOSCOW - Russia's top military spokesman said on Monday that the bridge had been hit.\n\n"
        '"The strike was precise," Russian Defence Ministry spokesman Igor Konashenkov told reporters.',
        # an organisation word inside a country's title ("top military spokesman") is no body
        [("reported", "Igor Konashenkov", "russian_official", "the bridge had been hit"),
         ("direct", "Igor Konashenkov", "russian_official", "The strike was precise")],
        id="a-countrys-title-with-an-organisation-word-refers-forward",
    ),
    pytest.param(
        "Asked about the strike, Mayor Peter Hale said he would meet both sides. The 61-year-old "
        "added that the port could not stay shut.",
        [("reported", "Peter Hale", "other", "he would meet both sides"),
         ("reported", "Peter Hale", "other", "the port could not stay shut")],
        id="an-age-as-a-noun-is-a-subject-referring-back",
    ),
    pytest.param(
        "The Harbour Authority rejected the claim. In a statement, the authority said the cranes "
        "were safe. Port spokesman Ola Dahl declined to comment. The port aide later said talks "
        "would resume.",
        # "the authority" is the body that opened a sentence; "the port aide" is a person
        [("reported", "The Harbour Authority", "other", "the cranes were safe"),
         ("reported", "Ola Dahl", "other", "talks would resume")],
        id="a-bare-body-refers-to-the-body-opening-a-sentence-and-a-title-ending-a-person-is-no-body",
    ),
    pytest.param(
        'A source in the Office of the Mayor put it more bluntly: "The bridge is finished."',
        [("direct", "A source in the Office of the Mayor", "other", "The bridge is finished.")],
        id="a-clause-ending-in-a-colon-introduces-its-subjects-quote",
    ),
    pytest.param(
        "The paper sent questions to the Harbour Authority. Its press office said it would not "
        "comment on the closure.",
        [("reported", "Harbour Authority's press office", "other", "it would not comment on the closure")],
        id="its-names-the-body-named-just-before",
    ),
    pytest.param(
        "Emma Novak-Hill lost the final on Sunday. Emma said afterwards that the wind had been hard.",
        [("reported", "Emma Novak-Hill", "other", "the wind had been hard")],
        id="a-first-name-expands-to-a-double-barrelled-full-name",
    ),
    pytest.param(
        "The port authority issued a statement on Monday, saying the berth would reopen. "
        "The crane fell over, blocking the quay.",
        # a participle of saying after another verb reports for that clause's subject
        [("reported", "The port authority", "other", "the berth would reopen")],
        id="a-participle-of-saying-after-another-verb",
    ),
    pytest.param(
        'Council member Grace Okafor accused her rival of "running on nostalgia". Her rival accused '
        "the council of waste.",
        # a quote after "accused X of" is speech; an accusation without one reports nothing
        [("direct", "Grace Okafor", "other", "running on nostalgia")],
        id="a-quote-after-accused-is-speech",
    ),
    pytest.param(
        "Engineers at the port reported that the crane was fixed, while the harbour spokesman, "
        "Ola Dahl, said the berth would stay closed.",
        [("reported", "Engineers at the port", "other", "the crane was fixed"),
         ("reported", "Ola Dahl", "other", "the berth would stay closed")],
        id="a-joined-clause-with-its-own-speaker-ends-the-report",
    ),
    pytest.param(
        "Brandt said he would sell two garages. Okafor interrupted to say the garages were "
        "promised to a school. The chairman declined to say whether the vote would be held.",
        # a turn-taking verb's subject says what follows "to say"; declining to say reports nothing
        [("reported", "Brandt", "other", "he would sell two garages"),
         ("reported", "Okafor", "other", "the garages were promised to a school")],
        id="the-subject-of-interrupted-to-say",
    ),
    pytest.param(
        'One docker, who gave his call sign as "Crane", told me the gates were shut. '
        "He said the pay was late.\n\n"
        "A shop steward at the same terminal put it differently. He told me the strike had "
        "been planned for weeks.",
        # a call sign in a clause of its own names the speaker; an unnamed person described
        # opening a sentence is whom the next sentence's "he" refers to
        [("reported", "Crane", "soldier", "the gates were shut"),
         ("reported", "Crane", "soldier", "the pay was late"),
         ("reported", "A shop steward", "other", "the strike had been planned for weeks")],
        id="a-described-person-opening-a-sentence-is-the-next-he",
    ),
    pytest.param(
        'Former police chief Karl Brandt, 63, shot back at the council. "She is wrong. What has '
        'she fixed?" he asked.',
        # a titled name opening its sentence is a subject; a question mark ending a quote does not
        # cut the quote from its attribution, nor opens a sentence with a subject inside the quote
        [("direct", "Karl Brandt", "other", "She is wrong. What has she fixed?")],
        id="a-quote-ending-in-a-question-keeps-its-attribution",
    ),
    pytest.param(
        'Mayor Ann Berg accused the contractor of delays. "The bridge should have opened in May. '
        'Nobody has told us why."\n\n"It is a scandal."',
        [("direct", "Ann Berg", "other", "The bridge should have opened in May. Nobody has told us why."),
         ("direct", "Ann Berg", "other", "It is a scandal.")],
        id="an-unattributed-quote-after-a-sentence-about-a-named-subject-is-theirs",
    ),
    pytest.param(
        "Chief engineer of the Regional Water Authority Nina Holt said the dam was safe.",
        [("reported", "Nina Holt", "other", "the dam was safe")],
        id="a-title-naming-its-body-before-the-name",
    ),
    pytest.param(
        'Ruth Adler said the berths would be cleared. "Every ship will be '
        'inspected," the official stressed.',
        [("reported", "Ruth Adler", "other", "the berths would be cleared"),
         ("direct", "Ruth Adler", "other", "Every ship will be inspected")],
        id="a-description-no-title-matches-is-the-person-who-just-spoke",
    ),
    pytest.param(
        'Tomas Ek said the roof had held. His foreman, an engineer who asked not to be '
        'named, disagreed. "It was luck," the engineer said.',
        [("reported", "Tomas Ek", "other", "the roof had held"),
         ("direct", "the engineer", "other", "It was luck")],
        id="but-not-when-someone-else-was-just-described-so",
    ),
    pytest.param(
        'Olga Berg told the paper the ferry had been late. The 52-year-old, a former '
        'pilot from Bergen, said the engine was old.',
        [("reported", "Olga Berg", "other", "the ferry had been late"),
         ("reported", "Olga Berg", "other", "the engine was old")],
        id="a-description-before-an-appositive-refers-back",
    ),
    pytest.param(
        "The council released a recording in which Mayor Ann Berg said the bridge would reopen.",
        [("reported", "Ann Berg", "other", "the bridge would reopen")],
        id="a-relative-clause-with-a-named-subject-owns-its-verb",
    ),
    pytest.param(
        "A nurse working at the clinic, who asked not to be named, said the ward had been closed "
        "for weeks.",
        [("reported", "A nurse", "other", "the ward had been closed for weeks")],
        id="a-participle-after-a-described-person-modifies-it",
    ),
    pytest.param(
        'Port manager Daniel Hale met the strikers on Monday. "We will not accept this deal," said '
        'union leader Maria Lopez. "Our offer remains on the table," he said.',
        [("direct", "Maria Lopez", "other", "We will not accept this deal"),
         ("direct", "Daniel Hale", "other", "Our offer remains on the table")],
        id="he-after-another-persons-quote-skips-a-woman-by-first-name",
    ),
    pytest.param(
        '"The shelters are full," said city spokesman Petro Kravets.\n\nMayor Iryna Holub said '
        'the schools would open as shelters. "We have room for 400," she said.',
        [("direct", "Petro Kravets", "other", "The shelters are full"),
         ("reported", "Iryna Holub", "other", "the schools would open as shelters"),
         ("direct", "Iryna Holub", "other", "We have room for 400")],
        id="a-name-never-runs-across-a-paragraph-break",
    ),
    pytest.param(
        "Deputy Finance Minister Lars Eklund said the budget would be revised. Eklund later added "
        "that taxes would not rise.",
        [("reported", "Lars Eklund", "other", "the budget would be revised"),
         ("reported", "Lars Eklund", "other", "taxes would not rise")],
        id="words-qualifying-a-title-are-not-the-name",
    ),
    pytest.param(
        "The ferry was met by Capt. Ole Strand. Reporters spoke to Mayor Tove Lie. Lie said the "
        "harbour would stay open.",
        [("reported", "Tove Lie", "other", "the harbour would stay open")],
        id="a-name-ends-at-a-sentence-stop-not-at-an-abbreviation",
    ),
    pytest.param(
        "The region's governor, Ivan Sokol, said the dam had held, the Interfax news agency reported.",
        [("reported", "Ivan Sokol", "other", "the dam had held")],
        id="outlet-relaying-a-report-is-neither-speaker-nor-content",
    ),
    pytest.param(
        "Mayor Anna Berg said the barriers had held overnight, after rivers rose to record levels.",
        [("reported", "Anna Berg", "other", "the barriers had held overnight")],
        id="trailing-after-clause-is-not-said",
    ),
    pytest.param(
        "The dockers' union said after talks with the port operator that the strike would go on.",
        [("reported", "The dockers' union", "other", "the strike would go on")],
        id="after-talks-adverbial-before-that",
    ),
    pytest.param(
        "Finnish President Aino Virtanen visited the border on Friday. Finland's president said on X "
        "that the crossing would stay open. Finland's police said the queue was two kilometres long.",
        [("reported", "Aino Virtanen", "other", "the crossing would stay open"),
         ("reported", "Finland's police", "other", "the queue was two kilometres long")],
        id="a-countrys-title-refers-back-its-body-does-not",
    ),
    pytest.param(
        "Finance Minister Jonas Berg met Prime Minister Erik Dahl. Berg told reporters that the cuts "
        "were final. Dahl, he added, had approved them.",
        [("reported", "Jonas Berg", "other", "the cuts were final"),
         ("reported", "Jonas Berg", "other", "had approved them")],
        id="inserted-he-added-goes-to-the-speaker-before",
    ),
    pytest.param(
        'The county water board rejected the claim. "The reservoir is safe," it said in a statement.',
        [("direct", "The county water board", "other", "The reservoir is safe")],
        id="it-said-is-the-body-opening-the-sentence-before",
    ),
    pytest.param(
        "09:15 The Norwegian Maritime Authority closed the strait. It said the wreck would be "
        "lifted within a week.",
        [("reported", "The Norwegian Maritime Authority", "other", "the wreck would be lifted within a week")],
        id="it-after-a-live-blog-time-stamp",
    ),
    pytest.param(
        "OSLO, May 2 (AFP) - Prime Minister Erik Dahl said Friday the fishing quota would be cut.",
        [("reported", "Erik Dahl", "other", "the fishing quota would be cut")],
        id="bare-weekday-after-the-verb",
    ),
    pytest.param(
        "The Oslo-based Nansen Institute said the ice had thinned.",
        [("reported", "Nansen Institute", "analyst", "the ice had thinned")],
        id="where-a-body-is-based-is-not-who-it-is",
    ),
    pytest.param(
        "Swedish Prime Minister Ulf Berg met Finnish President Aino Virtanen on Monday. Hours "
        'later Virtanen said the border would reopen. "We welcome Prime Minister Berg\'s offer," '
        "the Finnish leader said.",
        [("reported", "Aino Virtanen", "other", "the border would reopen"),
         ("direct", "Aino Virtanen", "other", "We welcome Prime Minister Berg's offer")],
        id="a-leader-of-one-nationality-is-not-another-countrys-leader",
    ),
    pytest.param(
        "The minister said he had asked the insurers to pay the farmers he described as "
        '"ruined" by the floods.',
        [("reported", "The minister", "other",
          'he had asked the insurers to pay the farmers he described as "ruined" by the floods')],
        id="a-quote-attributed-inside-a-reported-clause-is-nested",
    ),
    pytest.param(
        "OSLO, May 2 (Wire) - Norway's top prosecutor said on Friday that the case would be "
        'reopened. "No one is above the law," Chief Prosecutor Lene Holm wrote in a statement.',
        [("reported", "Lene Holm", "other", "the case would be reopened"),
         ("direct", "Lene Holm", "other", "No one is above the law")],
        id="a-leads-title-names-the-person-introduced-next",
    ),
    pytest.param(
        "Mayor Ruth Dale, known for her campaigns against the bypass, wrote on Facebook that "
        "the road should never have been built.",
        [("reported", "Ruth Dale", "other", "the road should never have been built")],
        id="a-participial-appositive-describes-the-name-before",
    ),
    pytest.param(
        "The coach admitted that the defence had been poor, but said the referee had cost them the game.",
        [("reported", "The coach", "other", "the defence had been poor"),
         ("reported", "The coach", "other", "the referee had cost them the game")],
        id="but-said-is-a-second-report-of-the-same-subject",
    ),
    pytest.param(
        "The minister described the new rail timetable in detail at a briefing on Monday, the "
        "Courier reports.",
        [],
        id="describing-an-object-is-no-report-and-its-relay-none-either",
    ),
    pytest.param(
        '"We will not close a single ward," Mayor Lena Dahl posted on Facebook, saying the budget '
        'had been "fully restored".',
        [("direct", "Lena Dahl", "other", "We will not close a single ward"),
         ("reported", "Lena Dahl", "other", 'the budget had been "fully restored"')],
        id="name-right-after-a-quotation-is-the-subject",
    ),
    pytest.param(
        "The Nansen Institute said the ice had thinned, while acknowledging that the data were "
        "incomplete.",
        [("reported", "Nansen Institute", "analyst", "the ice had thinned"),
         ("reported", "Nansen Institute", "analyst", "the data were incomplete")],
        id="while-acknowledging-is-a-second-report",
    ),
    pytest.param(
        "The harbour master told journalists that the ferry had docked safely and that no one "
        "was hurt.",
        [("reported", "The harbour master", "other", "the ferry had docked safely"),
         ("reported", "The harbour master", "other", "no one was hurt")],
        id="told-journalists-that-a-and-that-b",
    ),
    pytest.param(
        'Holm on the fishing quota: "We cannot cut it again"\n\nThe minister spoke in Bergen.',
        [("direct", "Holm", "other", "We cannot cut it again")],
        id="a-headline-names-its-quotes-speaker",
    ),
    pytest.param(
        'Economist Nora Vik wrote that rates would fall. "The real question," she added, "is how '
        'fast the banks follow."',
        [("reported", "Nora Vik", "analyst", "rates would fall"),
         ("direct", "Nora Vik", "analyst", "The real question"),
         ("direct", "Nora Vik", "analyst", "is how fast the banks follow.")],
        id="second-piece-of-a-split-quote",
    ),
    pytest.param(
        '"You learn to sleep in short pieces," the nurse Anna Lund told me in March. We sat in a '
        'cafe, and she kept turning her phone face down on the table, as if it might hear us. '
        '"You learn which sounds are ours."',
        [("direct", "Anna Lund", "other", "You learn to sleep in short pieces"),
         ("direct", "Anna Lund", "other", "You learn which sounds are ours.")],
        id="quote-after-narration-about-the-speaker-by-pronoun",
    ),
    pytest.param(
        "Met Office forecaster Tom Reid said another 30 millimetres of rain could fall by Sunday.",
        [("reported", "Tom Reid", "other", "another 30 millimetres of rain could fall by Sunday")],
        id="a-lower-case-title-right-before-the-name-and-verb",
    ),
    pytest.param(
        "Judge Mary Cole told jurors the trial would last six weeks and warned them not to read "
        "about the case.",
        [("reported", "Mary Cole", "other", "the trial would last six weeks")],
        id="that-of-a-later-clause-is-not-the-told-clauses",
    ),
    pytest.param(
        "The director conceded that he had signed the invoices but insisted he had not read them.",
        [("reported", "The director", "other", "he had signed the invoices"),
         ("reported", "The director", "other", "he had not read them")],
        id="but-insisted-is-a-second-report",
    ),
    pytest.param(
        'The chief executive said no injuries had been reported but that the company was '
        '"not prepared to wait for one".',
        [("reported", "The chief executive", "other", "no injuries had been reported"),
         ("direct", "The chief executive", "other", "not prepared to wait for one")],
        id="a-but-that-b-are-two-reports",
    ),
    pytest.param(
        '"The water came in an hour," said baker Ian Moss, whose shop on Mill Lane was flooded. '
        '"Now look at it."',
        [("direct", "Ian Moss", "other", "The water came in an hour"),
         ("direct", "Ian Moss", "other", "Now look at it.")],
        id="quote-opening-the-sentence-after-the-attribution-continues-it",
    ),
    pytest.param(
        "Ola Nordmann, head of the ferry workers' union, said in a video that the strike would go on.",
        [("reported", "Ola Nordmann", "other", "the strike would go on")],
        id="bare-title-of-appositive",
    ),
    pytest.param(
        "Head of the city transport department Marta Oksaniuk said the trams would run again on Monday.",
        [("reported", "Marta Oksaniuk", "other", "the trams would run again on Monday")],
        id="a-title-with-its-own-of-phrase-before-the-name",
    ),
    pytest.param(
        "Lena Fisk, Prime Minister Ola Berg's chief of staff, told reporters the budget was final.",
        [("reported", "Lena Fisk", "other", "the budget was final")],
        id="a-possessive-appositive-after-the-name",
    ),
    pytest.param(
        "The plan's defenders, including Norway's former finance minister Arne Dahl, now ambassador in "
        "Paris, argue that it cut prices for everyone.",
        [("reported", "Arne Dahl", "other", "it cut prices for everyone")],
        id="a-now-appositive-after-the-name",
    ),
    pytest.param(
        "Analysts at the Institute for the Study of Trade, a Geneva-based think tank, said inflation "
        "had peaked.",
        [("reported", "Analysts at the Institute for the Study of Trade", "analyst", "inflation had peaked")],
        id="an-appositive-describing-a-named-bodys-people",
    ),
    pytest.param(
        "Another nurse, a volunteer from the Red Cross, said the clinic had run out of bandages.",
        [("reported", "a volunteer from the Red Cross", "other", "the clinic had run out of bandages")],
        id="an-appositive-describing-a-description-is-the-speaker",
    ),
    pytest.param(
        "Jonas Lind, head of Norway's 12th Mountain Rescue Team, said in a video posted online that his "
        'team had found "all six" hikers and was the last to leave. "We did not leave anyone," he said.',
        [("reported", "Jonas Lind", "other", 'his team had found "all six" hikers and was the last to leave'),
         ("direct", "Jonas Lind", "other", "We did not leave anyone")],
        id="a-verb-of-saying-opens-no-subject",
    ),
    pytest.param(
        "There are residents who say the bridge came far too late.",
        [("reported", "residents", "other", "the bridge came far too late")],
        id="there-are-is-no-subject",
    ),
    pytest.param(
        'Bus driver Karin Holm, 52, who has driven the route for a decade, said she had never seen '
        'such traffic. "It was chaos," she said.',
        [("reported", "Karin Holm", "other", "she had never seen such traffic"),
         ("direct", "Karin Holm", "other", "It was chaos")],
        id="an-age-before-the-subjects-relative-clause",
    ),
    pytest.param(
        "Reformer Dahl takes Nordby mayoralty\n\nNORDBY, June 2 (Wire) - Independent candidate Inés Dahl "
        'won the mayoralty of Nordby on Sunday.\n\n"We start today," Dahl told supporters.\n\n'
        "Her rival, three-term incumbent Pavel Kron, conceded defeat. He said he had called Dahl to "
        'congratulate her and that the Unity Party would be "a loyal opposition".\n\n'
        "Kron's campaign chief, Mia Lund, said she was proud of the campaign.",
        # (the headline's capitals name no one; "Kron's ... she" is not Kron's gender)
        [("direct", "Inés Dahl", "other", "We start today"),
         ("reported", "Pavel Kron", "other", "he had called Dahl to congratulate her"),
         ("direct", "Pavel Kron", "other", "a loyal opposition"),
         ("reported", "Mia Lund", "other", "she was proud of the campaign")],
        id="full-name-from-the-body-and-a-titled-appositive-subject",
    ),
    pytest.param(
        "Anna Berg, the alliance's trade commissioner, was more cautious. Trade, she said, was \"not a "
        'weapon". "We will talk before we act," the former Swedish finance minister told reporters.',
        # (four words after "the" are still a description; "Trade" opening a sentence is no name)
        [("direct", "Anna Berg", "other", "not a weapon"),
         ("direct", "Anna Berg", "other", "We will talk before we act")],
        id="a-long-description-right-after-the-named-speaker",
    ),
    pytest.param(
        "Striker Tomas Ek played through a knee injury. He told reporters he was fine. The league said "
        "in a statement that it would review a foul called against Ek in the final minute.",
        [("reported", "Striker Tomas Ek", "other", "he was fine"),
         ("reported", "The league", "other", "it would review a foul called against Ek in the final minute")],
        id="a-body-is-no-description-of-the-last-speaker",
    ),
    pytest.param(
        "Oleg Marchuk drove the night runs for a year. His commander, a captain with the call sign "
        '"Ferry", remembers him well. "He never once said no," the captain said.',
        [("direct", "Ferry", "soldier", "He never once said no")],
        id="a-title-refers-back-to-a-call-sign",
    ),
    pytest.param(
        'Commander-in-Chief Ivar Holm spoke to journalists on Monday. "We held the line," Holm said. '
        "He said the enemy had massed 40,000 troops.\n\nThe general admitted that losses had been "
        '"painful", but said reports of encircled units were "simply false".',
        [("direct", "Ivar Holm", "other", "We held the line"),
         ("reported", "Ivar Holm", "other", "the enemy had massed 40,000 troops"),
         ("reported", "Ivar Holm", "other", 'losses had been "painful"'),
         ("reported", "Ivar Holm", "other", 'reports of encircled units were "simply false"')],
        id="one-subjects-second-report-has-the-first-ones-speaker",
    ),
    pytest.param(
        "09:15 GMT\n\nNorway's defence ministry said its patrol boats had left the fjord.\n\n11:10 GMT The "
        'Danish defence ministry, in its morning update, says the strait is "calm but watched".',
        # (a time zone is the time stamp's; one country's ministry is no other's)
        [("reported", "Norway's defence ministry", "other", "its patrol boats had left the fjord"),
         ("reported", "The Danish defence ministry", "other", 'the strait is "calm but watched"')],
        id="a-live-blogs-time-stamp-and-another-countrys-body",
    ),
    pytest.param(
        'The coast guard denied the collision, calling the Danish reports "pure invention" meant to cause alarm.',
        [("direct", "The coast guard", "other", "pure invention")],
        id="a-participles-object-is-no-subject-of-speech",
    ),
    pytest.param(
        'Captain Karl Vik, 41, leads a mortar battery. Vik, who goes by the call sign "Hawk", said before '
        "the interview that he would not discuss casualties.",
        [("reported", "Karl Vik", "soldier", "he would not discuss casualties")],
        id="a-named-subject-keeps-its-name-over-its-call-sign",
    ),
    pytest.param(
        'A gunner fighting near Tornby, who gave his call sign as "Sleet", said the retreat had been orderly.',
        [("reported", "Sleet", "soldier", "the retreat had been orderly")],
        id="an-unnamed-subjects-call-sign-names-it",
    ),
    pytest.param(
        'Halvorsen: port strike "will cost the region dearly"\n\nOSLO, May 3 - The dock strike entered '
        "its second week on Friday.",
        [("direct", "Halvorsen", "other", "will cost the region dearly")],
        id="a-headline-opening-with-its-speakers-name-and-a-colon",
    ),
    pytest.param(
        'Kursk: border villages brace for "a long and frightening winter ahead of us"\n\nThe shelling '
        "continued on Friday.",
        [("direct", None, None, "a long and frightening winter ahead of us")],
        id="a-place-opening-a-headline-is-no-speaker",
    ),
    pytest.param(
        'Key events - Coast guard says ferry "stable" - Halvorsen: "the port will reopen on Monday" - '
        "Talks resume in Bergen",
        [("direct", "Halvorsen", "other", "the port will reopen on Monday")],
        id="a-name-and-a-colon-in-a-list-of-key-events",
    ),
    pytest.param(
        'A spokesman for the ferry company called the delay "regrettable but necessary."\n\nOn her last '
        "shift, on the night of 4 May, Ingrid Sola carried forty passengers and no freight. She doesn't "
        "talk about the storm. When I asked, she looked at the sea for a long time and then said: "
        '"They all got home. That is what matters."',
        # (the nearest predicate's subject; a subject after opening adverbials; the story moved on
        # from the last speaker to her)
        [("direct", "A spokesman for the ferry company", "other", "regrettable but necessary."),
         ("direct", "Ingrid Sola", "other", "They all got home. That is what matters.")],
        id="a-pronoun-after-the-story-moved-on-from-the-last-speaker",
    ),
    pytest.param(
        '"We held the bridge to the end": a sapper on the last days in Tornby\n\nSergeant Nils Aas, 29, '
        "led a sapper platoon near Tornby until March. He spoke to us in Oslo.",
        [("direct", "Nils Aas", "soldier", "We held the bridge to the end")],
        id="a-headline-quotes-described-speaker-is-the-storys-person",
    ),
    pytest.param(
        "Our correspondent has been speaking to crews who left the port.\n\nOne deckhand, who gave only "
        'his first name, Jonas, told her: "We sailed the last mile in the dark. The harbour was full of wrecks."',
        [("direct", "Jonas", "other", "We sailed the last mile in the dark. The harbour was full of wrecks.")],
        id="a-first-name-given-instead-of-the-full-name",
    ),
    pytest.param(
        'Nordhavn said in a statement that its offer was "fair and final". It accused the union of '
        '"walking away from the table".',
        [("reported", "Nordhavn", "other", 'its offer was "fair and final"'),
         ("direct", "Nordhavn", "other", "walking away from the table")],
        id="it-refers-to-a-name-that-spoke-of-itself-as-it",
    ),
    pytest.param(
        "Fjordline Power, the local utility, said in a statement that it had cut electricity to 9,000 "
        "homes. The company denied that its cables had started the fire.",
        [("reported", "Fjordline Power", "other", "it had cut electricity to 9,000 homes"),
         ("reported", "Fjordline Power", "other", "its cables had started the fire")],
        id="the-company-is-the-body-that-just-spoke",
    ),
    pytest.param(
        "Mayor Ola Nord said the bridge would reopen on Monday. The council said it would review the repairs.",
        [("reported", "Ola Nord", "other", "the bridge would reopen on Monday"),
         ("reported", "The council", "other", "it would review the repairs")],
        id="a-body-is-no-person-who-just-spoke",
    ),
]


@pytest.mark.parametrize("text, expected", GENERAL_SPEAKER_RULES)
def test_general_speaker_rules(text, expected):
    assert summary(quotes_of(text, gazetteer=load_gazetteer())) == expected


def test_transcript_answers_are_quotes_and_the_hosts_turns_are_not():
    text = ("Transcript: Morning Desk, May 4\n\n"
            "TOM BRANDT, HOST: Welcome back. With me is the harbour master, Ingrid Solberg.\n\n"
            "INGRID SOLBERG: Thank you, Tom. The port reopens on Friday.\n\n"
            "BRANDT: Will the ferries run? The mayor said the quay was damaged.\n\n"
            "SOLBERG: Yes. I told the council that all routes would run.\n\n"
            "The storm has passed.")
    assert summary(quotes_of(text)) == [
        # the host's own turns are no quotation; speech reported inside them is
        ("direct", "Ingrid Solberg", "other", "Thank you, Tom. The port reopens on Friday."),
        ("reported", "The mayor", "other", "the quay was damaged"),
        # speech inside an answer is extracted too; its "I" is the answering speaker
        ("direct", "Ingrid Solberg", "other", "Yes. I told the council that all routes would run."),
        ("reported", "Ingrid Solberg", "other", "all routes would run"),
        # the paragraph after an answer continues it
        ("direct", "Ingrid Solberg", "other", "The storm has passed."),
    ]


def test_an_interviewer_labelled_by_an_outlet_or_asking_questions_is_not_quoted():
    # an outlet's name as a label, and a label whose turns are mostly questions, ask
    for asker in ("Kyiv Independent", "Harbour Weekly"):
        text = (f"{asker}: Why did the port close?\n\nSolberg: The cranes failed.\n\n"
                f"{asker}: When will it reopen?\n\nSolberg: On Friday, we hope.\n\n"
                f"{asker}: Thank you.")
        assert summary(quotes_of(text)) == [
            ("direct", "Solberg", "other", "The cranes failed."),
            ("direct", "Solberg", "other", "On Friday, we hope."),
        ], asker


def test_a_q_and_a_with_unlabelled_questions_quotes_the_answers_only():
    text = ("Ingrid Solberg runs the port.\n\nWhy did it close?\n\n"
            "SOLBERG: The cranes failed in the storm.\n\nWe had no spare parts.\n\n"
            "When will it reopen?\n\nSOLBERG: On Friday.\n\n"
            "Some engineers say the port should have stayed open.\n\nSOLBERG: They are wrong.")
    assert summary(quotes_of(text)) == [
        ("direct", "Ingrid Solberg", "other", "The cranes failed in the storm."),
        ("direct", "Ingrid Solberg", "other", "We had no spare parts."),
        ("direct", "Ingrid Solberg", "other", "On Friday."),
        ("reported", "Some engineers", "other", "the port should have stayed open"),
        ("direct", "Ingrid Solberg", "other", "They are wrong."),
    ]


def test_a_q_and_a_answers_for_the_person_its_introduction_is_about():
    text = ("Harbour Weekly met Tom Brandt and Ingrid Solberg at the port. Solberg has run it for "
            "ten years; Solberg says the storm was the worst.\n\n"
            "Q: How bad was March?\n\nA: The worst month in years.\n\n"
            "Q: Will it reopen?\n\nA: On Friday.")
    assert summary(quotes_of(text)) == [
        ("reported", "Ingrid Solberg", "other", "the storm was the worst"),
        # "A:" is the person the introduction talks about most, not the first named
        ("direct", "Ingrid Solberg", "other", "The worst month in years."),
        ("direct", "Ingrid Solberg", "other", "On Friday."),
    ]


def test_a_presenters_and_a_correspondents_turns_report_others_and_one_label_is_no_transcript():
    text = ("PRESENTER: Our correspondent Jo Lind is at the port.\n\n"
            "LIND: The union said the strike would end tonight.\n\n"
            "PRESENTER: Thank you.")
    assert summary(quotes_of(text)) == [
        ("reported", "The union", "other", "the strike would end tonight"),
    ]
    # "Note:" once is a label of nothing: no transcript, the report is read as usual
    assert summary(quotes_of("Note: the mayor said the bridge would reopen.")) == [
        ("reported", "the mayor", "other", "the bridge would reopen")]


def test_a_label_handing_over_to_the_next_speaker_is_the_hosts_not_quoted():
    # no HOST title and not mostly questions: the turns naming the next turn's speaker host the show
    text = ("Evening Desk, transcript\n\n"
            "MARA LINDQVIST: Minister Oda Berg said today that the bridge would reopen in June. "
            "With me now is the engineer Piet Haas.\n\n"
            "PIET HAAS: The repairs are on schedule. June is realistic.\n\n"
            "MARA LINDQVIST: Thank you. And from the city hall, the mayor, Ines Roth.\n\n"
            "INES ROTH: We have waited long enough. The town needs that bridge.\n\n"
            "MARA LINDQVIST: That is all for tonight.")
    assert summary(quotes_of(text)) == [
        ("reported", "Oda Berg", "other", "the bridge would reopen in June"),
        ("direct", "Piet Haas", "other", "The repairs are on schedule. June is realistic."),
        ("direct", "Ines Roth", "other", "We have waited long enough. The town needs that bridge."),
    ]
