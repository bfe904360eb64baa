import math

import numpy as np
import pandas as pd
import pytest

from kursk_utils import actors, quotes
from kursk_utils.sentiment import score_sentences, score_texts


@pytest.fixture(scope="module")
def gazetteer() -> pd.DataFrame:
    return actors.load_gazetteer()


def test_gazetteer_covers_the_six_groups_and_required_aliases(gazetteer):
    assert set(gazetteer["group"]) == {
        "us", "russia", "ukraine_leadership", "ukraine_soldiers", "europe", "north_korea"
    }
    group_of = dict(zip(gazetteer["alias"], gazetteer["group"]))
    required = {
        "us": ["US", "U.S.", "America", "Washington", "the White House",
               "the Trump administration", "Trump", "Rubio", "Waltz"],
        "russia": ["Moscow", "the Kremlin", "Putin", "Peskov", "Gerasimov", "Russian forces"],
        "ukraine_leadership": ["Kyiv", "Zelensky", "Zelenskyy", "Syrskyi", "Syrsky",
                               "the General Staff"],
        "ukraine_soldiers": ["soldiers", "troops", "units", "Boroda"],
        "europe": ["EU", "NATO"],
        "north_korea": ["DPRK", "North Korean troops"],
    }
    for group, aliases in required.items():
        for alias in aliases:
            assert group_of.get(alias) == group, alias
    assert list(gazetteer.columns) == ["actor_id", "actor_name", "group", "alias"]


def write_csv(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_extra_gazetteer_adds_and_replaces_actors(tmp_path):
    extra = write_csv(
        tmp_path / "mine.csv",
        "actor_id,name,group,aliases\n"
        "icrc,Red Cross,humanitarian,ICRC|Red Cross\n"
        "peskov,Kremlin spokesman,russia,Peskov|the Kremlin spokesman\n",
    )
    table = actors.load_gazetteer(extra)
    assert set(table.loc[table["actor_id"] == "icrc", "alias"]) == {"ICRC", "Red Cross"}
    peskov = table[table["actor_id"] == "peskov"]
    assert set(peskov["alias"]) == {"Peskov", "the Kremlin spokesman"}
    assert set(peskov["actor_name"]) == {"Kremlin spokesman"}
    assert "Dmitry Peskov" not in set(table["alias"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("actor_id,name,aliases\nx,X,X\n", "missing column"),
        ("actor_id,name,group,aliases\nx,X,,X\n", "line 2 has an empty field"),
        ("actor_id,name,group,aliases\nx,X,g,Xa\nx,Y,g,Ya\n", "more than once"),
        ("actor_id,name,group,aliases\nmoscow_city,Moscow city,ru,Moscow\n", "more than one actor"),
    ],
)
def test_bad_extra_gazetteer_is_a_clear_error(tmp_path, content, message):
    with pytest.raises(ValueError, match=message):
        actors.load_gazetteer(write_csv(tmp_path / "bad.csv", content))


def test_gazetteer_is_read_again_when_its_file_changes_and_callers_get_their_own_copy(tmp_path):
    header = "actor_id,name,group,aliases\n"
    path = write_csv(tmp_path / "mine.csv", header + "icrc,Red Cross,humanitarian,ICRC\n")
    first = actors.load_gazetteer(path)
    first.loc[:, "alias"] = "changed by the caller"
    assert "ICRC" in set(actors.load_gazetteer(path)["alias"])
    write_csv(path, header + "msf,Doctors Without Borders,humanitarian,MSF\n")
    aliases = set(actors.load_gazetteer(path)["alias"])
    assert "MSF" in aliases and "ICRC" not in aliases
    write_csv(path, header + "x,X,,X\n")  # broken after a good read: still an error
    with pytest.raises(ValueError, match="line 2 has an empty field"):
        actors.load_gazetteer(path)
    bytes_path = tmp_path / "latin1.csv"
    bytes_path.write_bytes((header + "x,Caf\xe9,g,X\n").encode("latin-1"))
    with pytest.raises(ValueError, match="cannot read actor gazetteer latin1.csv"):
        actors.load_gazetteer(bytes_path)


def test_missing_extra_gazetteer_file(tmp_path):
    with pytest.raises(ValueError, match="not found"):
        actors.load_gazetteer(tmp_path / "absent.csv")


def sentences_of(document: str, splits: list[tuple[int, int]], doc_id: str = "d") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": doc_id,
            "sentence_id": range(len(splits)),
            "start": [start for start, _ in splits],
            "text": [document[start:end] for start, end in splits],
        }
    )


def test_mentions_prefer_longest_alias_and_respect_case(gazetteer):
    document = (
        "Title here. Soldiers said the U.S.-backed plan let us down, "
        "while Russian forces and North Korean troops advanced on Zelenskyy's units."
    )
    sentences = sentences_of(document, [(0, 11), (12, len(document))])
    mentions = actors.find_mentions(sentences, gazetteer)
    found = list(zip(mentions["alias"], mentions["actor_id"]))
    assert found == [
        ("Soldiers", "ukrainian_soldiers"),
        ("U.S.", "united_states"),
        ("Russian forces", "russia"),
        ("North Korean troops", "north_korea"),
        ("Zelenskyy", "zelensky"),
        ("units", "ukrainian_soldiers"),
    ]
    # "us" (the pronoun) is not the United States; offsets index the document text.
    for alias, start, end in zip(mentions["alias"], mentions["start"], mentions["end"]):
        assert document[start:end] == alias
    assert mentions["sentence_id"].tolist() == [1] * 6
    assert list(mentions.columns) == actors.MENTION_COLUMNS


def test_no_mentions_gives_an_empty_table_with_the_columns(gazetteer):
    mentions = actors.find_mentions(sentences_of("Nothing to see.", [(0, 15)]), gazetteer)
    assert mentions.empty
    assert list(mentions.columns) == actors.MENTION_COLUMNS


def test_target_context_drops_only_other_speakers_speech():
    text = '"This is a terrible, awful disaster," Putin said, calling it "absurd."'
    start = text.index("Putin")
    # The quote becomes one space, before the space that followed it; "absurd" (one word) stays.
    assert actors.target_context(text, start, start + 5) == '  Putin said, calling it "absurd."'
    quoted_target = '"Putin is a great leader," he said.'
    assert actors.target_context(quoted_target, 1, 6) == quoted_target
    with pytest.raises(ValueError, match="outside"):
        actors.target_context("short", 3, 10)


def test_score_mentions_scores_the_target_context(gazetteer):
    document = '"This is a terrible, awful disaster," Putin said.'
    sentences = sentences_of(document, [(0, len(document))])
    scored = actors.score_mentions(actors.find_mentions(sentences, gazetteer), sentences,
                                   method="vader")
    assert scored["actor_id"].tolist() == ["putin"]
    # The quote is another speaker's view of something else; " Putin said." carries no sentiment,
    # while the whole sentence is clearly negative.
    assert scored["compound"].tolist() == [0.0]
    assert scored["label"].tolist() == ["neutral"]
    assert score_texts([document]).loc[0, "compound"] < -0.5
    # VADER gives no class probabilities.
    assert scored[actors.PROBABILITY_COLUMNS].isna().all().all()


def test_score_mentions_reuses_sentence_scores_only_for_whole_sentence_contexts(
    gazetteer, seed_ingested
):
    sentences = seed_ingested.sentences
    mentions = actors.find_mentions(sentences, gazetteer)
    alone = actors.score_mentions(mentions, sentences, method="vader")
    sentence_sentiment = score_sentences(sentences)
    reused = actors.score_mentions(mentions, sentences, sentence_sentiment=sentence_sentiment,
                                   method="vader")
    pd.testing.assert_frame_equal(reused, alone)
    # Deliberately wrong sentence scores show which mentions took them: exactly those whose
    # context is the whole sentence (no other speaker's quote removed).
    wrong = sentence_sentiment.assign(compound=9.0)
    marked = actors.score_mentions(mentions, sentences, sentence_sentiment=wrong, method="vader")
    text = mentions.merge(sentences, on=["doc_id", "sentence_id"], suffixes=("", "_sentence"))
    whole = [
        actors.target_context(t, s - s0, e - s0) == t
        for t, s, e, s0 in zip(text["text"], text["start"], text["end"], text["start_sentence"])
    ]
    assert 0 < sum(whole) < len(whole)
    assert ((marked["compound"] == 9.0) == pd.Series(whole)).all()


def test_score_mentions_by_the_model_reads_the_mention_in_its_sentence(gazetteer):
    # Two sentences of one document: the second starts at offset 42, so the mention's span in its
    # sentence is its document span minus 42.
    document = "Critics praised Zelensky for his courage. Syrskyi was blamed for the chaotic retreat."
    sentences = sentences_of(document, [(0, 41), (42, len(document))])
    scored = actors.score_mentions(actors.find_mentions(sentences, gazetteer), sentences)
    assert scored["actor_id"].tolist() == ["zelensky", "syrskyi"]
    assert scored["start"].tolist() == [16, 42]
    # Read by hand: Zelensky is praised, Syrskyi blamed.
    assert scored["label"].tolist() == ["positive", "negative"]
    probabilities = scored[actors.PROBABILITY_COLUMNS].to_numpy()
    assert probabilities.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert scored["compound"].tolist() == pytest.approx(
        (probabilities[:, 2] - probabilities[:, 0]).tolist())
    alone = actors.target_model().predict_proba([document[42:]], [(0, 7)])
    assert probabilities[1] == pytest.approx(alone[0], abs=0)
    # The model is loaded once per process.
    assert actors.target_model() is actors.target_model()


def test_score_mentions_refuses_an_unknown_method(gazetteer):
    sentences = sentences_of("Putin spoke.", [(0, 12)])
    with pytest.raises(ValueError, match="unknown target sentiment method 'bert': choose one of 'model', 'vader'"):
        actors.score_mentions(actors.find_mentions(sentences, gazetteer), sentences, method="bert")


def test_sentence_scores_label_the_mean_probabilities_by_hand():
    scored = scored_by_hand().iloc[:3]
    # Sentence (a, 0): mentions (0.5, 0.1, 0.4) and (0.1, 0.3, 0.6) -> mean (0.3, 0.2, 0.5):
    # positive. Sentence (a, 1): (0.3, 0.45, 0.25) -> neutral, though its compound -0.05 would be
    # negative at the 0.05 threshold: with probabilities the label is the most probable class.
    probabilities = [(0.5, 0.1, 0.4), (0.1, 0.3, 0.6), (0.3, 0.45, 0.25)]
    scored = scored.assign(**{column: [p[k] for p in probabilities]
                              for k, column in enumerate(actors.PROBABILITY_COLUMNS)})
    scored["compound"] = [-0.1, 0.5, -0.05]
    scores = actors.sentence_scores(scored)
    assert scores["label"].tolist() == ["positive", "neutral"]
    assert scores["p_negative"].tolist() == pytest.approx([0.3, 0.3])
    assert scores["compound"].tolist() == pytest.approx([0.2, -0.05])
    # Without probabilities (VADER), the compound against the threshold.
    assert actors.sentence_scores(scored.drop(columns=actors.PROBABILITY_COLUMNS))["label"].tolist() == [
        "positive", "negative"]


def test_score_mentions_rejects_unknown_sentences(gazetteer):
    sentences = sentences_of("Putin spoke.", [(0, 12)])
    mentions = actors.find_mentions(sentences, gazetteer)
    with pytest.raises(ValueError, match="not in the sentences table"):
        actors.score_mentions(mentions, sentences.assign(doc_id="other"))


@pytest.mark.parametrize(
    ("probability", "dof", "expected"),
    # Values from printed t tables.
    [(0.975, 1, 12.7062), (0.975, 2, 4.3027), (0.975, 10, 2.2281), (0.975, 30, 2.0423),
     (0.95, 5, 2.0150), (0.9995, 1, 636.619), (0.9995, 3, 12.924), (0.975, 1000, 1.9623)],
)
def test_t_quantile_matches_tables(probability, dof, expected):
    assert actors.t_quantile(probability, dof) == pytest.approx(expected, rel=1e-4)



def _t_quantile_100_steps(probability: float, dof: int) -> float:
    """t_quantile as it was: always 100 bisection steps (the stop at a fixed point must agree)."""
    target = 2 * probability - 1
    low, high = 0.0, 1.0
    while actors._t_central_mass(high, dof) < target:
        low, high = high, high * 2
    for _ in range(100):
        middle = (low + high) / 2
        if actors._t_central_mass(middle, dof) < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


@pytest.mark.parametrize("dof", [1, 2, 3, 4, 7, 10, 29, 30, 101, 1000, 4999])
def test_t_quantile_stops_at_the_bisections_fixed_point(dof):
    for probability in (0.5, 0.55, 0.9, 0.95, 0.975, 0.99, 0.9995, 0.999999):
        assert actors.t_quantile.__wrapped__(probability, dof) == _t_quantile_100_steps(probability, dof)

def scored_by_hand() -> pd.DataFrame:
    rows = [
        # doc, sentence, actor, compound; sentence (a, 0) mentions Putin twice.
        ("a", 0, "putin", 0.4), ("a", 0, "putin", 0.6), ("a", 1, "putin", -0.5),
        ("b", 3, "putin", 0.3), ("b", 3, "trump", 0.2),
    ]
    names = {"putin": ("Vladimir Putin", "russia"), "trump": ("Donald Trump", "us")}
    return pd.DataFrame(
        [
            {"doc_id": doc, "sentence_id": sid, "actor_id": actor, "actor_name": names[actor][0],
             "group": names[actor][1], "alias": actor, "start": 0, "end": 1, "compound": value}
            for doc, sid, actor, value in rows
        ]
    )


def test_actor_sentiment_by_hand():
    table = actors.actor_sentiment(scored_by_hand())
    assert list(table.columns) == actors.ACTOR_SENTIMENT_COLUMNS
    assert list(zip(table["actor_id"], table["doc_id"])) == [
        ("putin", "*"), ("putin", "a"), ("putin", "b"), ("trump", "*"), ("trump", "b")
    ]
    corpus = table.iloc[0]
    # Sentence scores 0.5 (mean of two mentions), -0.5, 0.3: mean 0.1, sd sqrt(0.28),
    # t(0.975, 2) = 4.3027 -> half width 4.3027 * 0.52915 / sqrt(3) = 1.3145, so the interval
    # (-1.2145, 1.4145) is clipped to the compound range.
    assert corpus["n_sentences"] == 3
    assert corpus["mean_compound"] == pytest.approx(0.1)
    assert (corpus["ci_low"], corpus["ci_high"]) == (-1.0, 1.0)
    assert corpus["share_negative"] == pytest.approx(1 / 3)
    assert corpus["share_positive"] == pytest.approx(2 / 3)
    assert (corpus["most_negative_doc_id"], corpus["most_negative_sentence_id"]) == ("a", 1)
    assert (corpus["most_positive_doc_id"], corpus["most_positive_sentence_id"]) == ("a", 0)
    trump = table.iloc[3]
    assert trump["n_sentences"] == 1 and math.isnan(trump["ci_low"])
    assert pd.isna(trump["most_negative_sentence_id"]) and pd.isna(trump["most_negative_doc_id"])
    assert trump["most_positive_sentence_id"] == 3


def test_actor_evidence_by_hand():
    sentences = pd.DataFrame(
        {"doc_id": ["a", "a", "b"], "sentence_id": [0, 1, 3],
         "text": ["Good Putin.", "Bad Putin.", "Fine both."]}
    )
    evidence = actors.actor_evidence(scored_by_hand(), sentences, n=2)
    putin = evidence[evidence["actor_id"] == "putin"]
    assert list(zip(putin["polarity"], putin["rank"], putin["text"])) == [
        ("negative", 1, "Bad Putin."), ("positive", 1, "Good Putin."),
        ("positive", 2, "Fine both."),
    ]
    trump = evidence[evidence["actor_id"] == "trump"]
    assert trump["polarity"].tolist() == ["positive"]
    with pytest.raises(ValueError, match="positive integer"):
        actors.actor_evidence(scored_by_hand(), sentences, n=0)


def test_seed_mentions_point_at_their_text(seed_ingested, gazetteer):
    documents = seed_ingested.documents.set_index("doc_id")["text"]
    mentions = actors.find_mentions(seed_ingested.sentences, gazetteer)
    for row in mentions.itertuples(index=False):
        assert documents[row.doc_id][row.start : row.end] == row.alias
    # Named in the seed articles (checked by reading them): Peskov, Syrskyi and call sign Boroda.
    assert {"peskov", "syrskyi", "boroda", "putin", "trump"} <= set(mentions["actor_id"])
    table = actors.actor_sentiment(actors.score_mentions(mentions, seed_ingested.sentences))
    corpus_rows = table[table["doc_id"] == "*"]
    per_sentence = mentions.drop_duplicates(["actor_id", "doc_id", "sentence_id"])
    assert corpus_rows.set_index("actor_id")["n_sentences"].to_dict() == (
        per_sentence.groupby("actor_id").size().to_dict()
    )


def test_interval_is_clipped_to_the_compound_range():
    # Two sentences far apart: the t interval (df=1, t=12.71) would reach about +-8.
    low, high = actors.mean_interval(pd.Series([-0.9, 0.8]))
    assert (low, high) == (-1.0, 1.0)
    # Mean 0.2, sd 0.08165, t(0.975, 3) = 3.1824 -> half width 0.1299, inside the range.
    low, high = actors.mean_interval(pd.Series([0.1, 0.2, 0.3, 0.2]))
    assert (low, high) == (pytest.approx(0.0701, abs=1e-4), pytest.approx(0.3299, abs=1e-4))


def test_target_context_pairs_quote_marks_within_the_sentence():
    # The end of a quote that began in the previous sentence: the closing mark opens nothing.
    sentence = ('There will be no Ukrainian soldier there by Friday," military blogger Skadovskyi '
                'Defender wrote on Telegram.')
    start = sentence.index("Ukrainian soldier")
    assert actors.target_context(sentence, start, start + len("Ukrainian soldier")) == sentence
    # The paragraph-level quote spans of the quotes module read that mark as an opening one,
    # which is why actors does not use them on single sentences.
    (span,) = quotes.find_quote_spans(sentence)
    assert sentence[span[0]:span[1]] == "military blogger Skadovskyi Defender wrote on Telegram."


@pytest.mark.parametrize("label, compound", [("negative", -0.4), ("neutral", 0.01), ("positive", 0.6)])
def test_one_sentence_summary_is_the_summary_of_one_sentence(label, compound):
    from kursk_utils.actors import _summary, _summary_of_one

    arrays = (np.array([compound]), np.array([label], dtype=object), np.array(["doc-1"], dtype=object),
              np.array([7], dtype="int64"))
    expected = _summary(*arrays, 0.95)
    got = _summary_of_one(*(column[0] for column in arrays))
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == value or (pd.isna(got[key]) and pd.isna(value)), key
        assert type(got[key]) is type(value) or key.startswith(("ci_", "share_")), key
