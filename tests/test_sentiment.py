import os
import subprocess
import sys

import pandas as pd
import pytest

from kursk_utils import sentiment
from kursk_utils.tables import write_table


def test_single_lexicon_word_matches_vader_formula_in_both_implementations():
    # "good" has valence 1.9 in the lexicon; compound = 1.9 / sqrt(1.9**2 + 15) = 0.4404.
    for implementation in sentiment.IMPLEMENTATIONS:
        scores = sentiment.score_texts(["good"], implementation)
        assert list(scores.columns) == ["compound", "pos", "neu", "neg"]
        assert scores.loc[0, "compound"] == pytest.approx(0.4404, abs=1e-4)
        assert scores.loc[0, "pos"] == 1.0


def test_implementations_disagree_on_no_before_a_negative_word():
    # Reference: "no" negates "threat" (-2.4 * -0.74 = 1.776 -> +0.4168).
    # NLTK port: "no" (-1.2) + "threat" (-2.4) = -3.6 -> -3.6 / sqrt(3.6**2 + 15) = -0.6808.
    text = "there was no threat of encirclement"
    assert sentiment.score_texts([text], "vadersentiment").loc[0, "compound"] == pytest.approx(
        0.4168, abs=1e-4
    )
    assert sentiment.score_texts([text], "nltk").loc[0, "compound"] == pytest.approx(
        -0.6808, abs=1e-4
    )


def test_default_is_one_of_the_implementations():
    assert sentiment.DEFAULT_IMPLEMENTATION in sentiment.IMPLEMENTATIONS
    assert sentiment.IMPLEMENTATIONS == ("nltk", "vadersentiment")


def test_unknown_implementation_names_the_choices():
    with pytest.raises(ValueError, match="'nltk', 'vadersentiment'"):
        sentiment.score_texts(["good"], "textblob")


def test_non_string_text_is_a_clear_error():
    with pytest.raises(TypeError, match="position 1"):
        sentiment.score_texts(["good", None])


def test_analyzer_is_built_once():
    assert sentiment.get_analyzer("nltk") is sentiment.get_analyzer("nltk")


def test_nltk_implementation_needs_no_nltk_data(tmp_path):
    # A fresh interpreter whose NLTK data path holds nothing must still score.
    code = (
        "from kursk_utils.sentiment import score_texts;"
        "print(score_texts(['good'], 'nltk').loc[0, 'compound'])"
    )
    env = {**os.environ, "NLTK_DATA": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0.4404"


def test_labels_use_inclusive_thresholds():
    compound = pd.Series([0.05, 0.0499, -0.0499, -0.05, 0.3])
    assert list(sentiment.label_compound(compound)) == [
        "positive", "neutral", "neutral", "negative", "positive"
    ]
    assert list(sentiment.label_compound(compound, threshold=0.2)) == [
        "neutral", "neutral", "neutral", "neutral", "positive"
    ]


@pytest.mark.parametrize("threshold", [-0.1, 1.0, "0.05", True])
def test_bad_threshold_is_rejected(threshold):
    with pytest.raises(ValueError, match="threshold"):
        sentiment.label_compound(pd.Series([0.1]), threshold)


def make_sentences() -> pd.DataFrame:
    # Deliberately out of order: outputs must come back sorted by key.
    return pd.DataFrame(
        {
            "doc_id": ["b", "a", "a", "a"],
            "sentence_id": [0, 2, 0, 1],
            "paragraph_id": [0, 1, 0, 0],
            "section": ["body", "body", "title", "body"],
            "text": ["It was fine.", "nothing here", "good", "bad"],
        }
    )


def test_score_sentences_is_sorted_and_labelled():
    table = sentiment.score_sentences(make_sentences())
    assert list(table.columns) == [
        "doc_id", "sentence_id", "compound", "pos", "neu", "neg", "label"
    ]
    assert list(zip(table["doc_id"], table["sentence_id"])) == [
        ("a", 0), ("a", 1), ("a", 2), ("b", 0)
    ]
    # "bad" has valence -2.5: -2.5 / sqrt(2.5**2 + 15) = -0.5423.
    assert table["compound"].round(4).tolist()[:3] == [0.4404, -0.5423, 0.0]
    assert table["label"].tolist()[:3] == ["positive", "negative", "neutral"]


def test_score_sentences_reports_missing_columns():
    with pytest.raises(ValueError, match=r"missing column\(s\) \['text'\]"):
        sentiment.score_sentences(make_sentences().drop(columns="text"))


def sentence_sentiment_by_hand() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["a", "a", "a", "b"],
            "sentence_id": [0, 1, 2, 0],
            "compound": [0.6, -0.3, 0.0, 0.2],
            "label": ["positive", "negative", "neutral", "positive"],
        }
    )


def test_document_aggregation():
    documents = sentiment.aggregate(sentence_sentiment_by_hand(), make_sentences())
    assert documents["doc_id"].tolist() == ["a", "b"]
    assert documents["n_sentences"].tolist() == [3, 1]
    assert documents["mean_compound"].tolist() == pytest.approx([0.1, 0.2])
    shares = documents[["share_negative", "share_neutral", "share_positive"]]
    assert shares.to_numpy().ravel().tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3, 0, 0, 1])


def test_paragraph_aggregation_and_section_filter():
    paragraphs = sentiment.aggregate(
        sentence_sentiment_by_hand(), make_sentences(), by=("doc_id", "paragraph_id")
    )
    assert list(zip(paragraphs["doc_id"], paragraphs["paragraph_id"])) == [
        ("a", 0), ("a", 1), ("b", 0)
    ]
    assert paragraphs["mean_compound"].tolist() == pytest.approx([0.15, 0.0, 0.2])
    body_only = sentiment.aggregate(
        sentence_sentiment_by_hand(), make_sentences(), sections=("body",)
    )
    # The title sentence (a, 0; +0.6) is left out.
    assert body_only["n_sentences"].tolist() == [2, 1]
    assert body_only["mean_compound"].tolist() == pytest.approx([-0.15, 0.2])


def test_arc_positions_and_rolling_mean():
    arc = sentiment.sentiment_arc(sentence_sentiment_by_hand(), make_sentences(), window=3)
    assert arc["position"].tolist() == [0.0, 0.5, 1.0, 0.0]
    # Centred window of 3, shrinking at the ends: (0.6-0.3)/2, (0.6-0.3+0)/3, (-0.3+0)/2.
    assert arc["rolling_compound"].tolist() == pytest.approx([0.15, 0.1, -0.15, 0.2])
    assert arc["text"].tolist()[0] == "good"
    with pytest.raises(ValueError, match="window"):
        sentiment.sentiment_arc(sentence_sentiment_by_hand(), make_sentences(), window=0)


def test_seed_scores_are_complete_and_byte_identical(seed_ingested, tmp_path):
    sentences = seed_ingested.sentences
    first = sentiment.score_sentences(sentences)
    assert len(first) == len(sentences)
    assert first["compound"].between(-1, 1).all()
    second = sentiment.score_sentences(sentences.sample(frac=1, random_state=0))
    first_bytes = write_table(first, tmp_path / "one", "sentence_sentiment").read_bytes()
    second_bytes = write_table(second, tmp_path / "two", "sentence_sentiment").read_bytes()
    assert first_bytes == second_bytes
