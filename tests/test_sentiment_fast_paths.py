"""Issue 15 (speed, round 27): the sentiment stage's tables built without pandas' per-call
overhead (groupby, merge, sort_values and astype on small frames) are those of the plain code they
replace, to the last bit, on the kursk60 and hostile articles, one document, no rows, unsorted
sentences and mentions scored either way."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kursk_utils import actors, sentiment, stages
from kursk_utils.actors import LABELS, MENTION_COLUMNS, PROBABILITY_COLUMNS

FIXTURES = Path(__file__).parent / "fixtures"
KEY = ["doc_id", "sentence_id"]


# --- the plain code, as it was before round 27 -------------------------------------------------


def plain_score_sentences(sentences: pd.DataFrame, threshold: float = 0.05) -> pd.DataFrame:
    ordered = sentences.sort_values(KEY, ignore_index=True)
    result = pd.concat([ordered[KEY], sentiment.score_texts(ordered["text"])], axis=1)
    result["label"] = sentiment.label_compound(result["compound"], threshold)
    return result


def plain_find_mentions(sentences: pd.DataFrame, gazetteer: pd.DataFrame) -> pd.DataFrame:
    found = actors.find_mentions(sentences, gazetteer)  # the same rows, in some order
    rows = list(found.sample(frac=1, random_state=0).itertuples(index=False, name=None))
    mentions = pd.DataFrame(rows, columns=MENTION_COLUMNS).astype(
        {"sentence_id": "int64", "start": "int64", "end": "int64"}
        | {column: "str" for column in ["doc_id", "actor_id", "actor_name", "group", "alias"]})
    return mentions.sort_values(["doc_id", "sentence_id", "start"], ignore_index=True)


def plain_scored(mentions: pd.DataFrame, compound: np.ndarray, labels: pd.Series,
                 probabilities: np.ndarray) -> pd.DataFrame:
    scored = mentions.reset_index(drop=True)
    scored["compound"] = pd.Series(compound, dtype="float64")
    scored["label"] = labels
    for column, values in zip(PROBABILITY_COLUMNS, probabilities.T):
        scored[column] = pd.Series(values, dtype="float64")
    return scored


def plain_sentence_scores(scored_mentions: pd.DataFrame, threshold: float = 0.05) -> pd.DataFrame:
    if not set(PROBABILITY_COLUMNS) <= set(scored_mentions.columns):
        scored_mentions = scored_mentions.assign(**dict.fromkeys(PROBABILITY_COLUMNS, np.nan))
    scores = (
        scored_mentions.groupby(["actor_id", "actor_name", "group", "doc_id", "sentence_id"], sort=False)
        .agg(n_mentions=("compound", "size"), compound=("compound", "mean"),
             **{column: (column, "mean") for column in PROBABILITY_COLUMNS})
        .reset_index()
        .sort_values(["actor_id", "doc_id", "sentence_id"], ignore_index=True)
    )
    probabilities = scores[PROBABILITY_COLUMNS].to_numpy(dtype="float64")
    by_model = ~np.isnan(probabilities).any(axis=1)
    labels = sentiment.label_compound(scores["compound"], threshold).to_numpy(dtype="object")
    labels[by_model] = np.asarray(LABELS)[probabilities[by_model].argmax(axis=1)]
    scores["label"] = pd.Series(labels, dtype="str")
    return scores


def plain_actor_sentiment(scored_mentions: pd.DataFrame, threshold: float = 0.05) -> pd.DataFrame:
    scores = plain_sentence_scores(scored_mentions, threshold)
    columns = [scores[c].to_numpy() for c in actors._SUMMARY_INPUTS]
    doc_ids = columns[actors._SUMMARY_INPUTS.index("doc_id")]
    rows = []
    for (actor_id, actor_name, group), positions in sorted(
        scores.groupby(["actor_id", "actor_name", "group"], sort=True).indices.items()
    ):
        actor = {"actor_id": actor_id, "actor_name": actor_name, "group": group}
        rows.append(actor | {"doc_id": "*"} | actors._summary(*(c[positions] for c in columns), 0.95))
        positions = positions[np.argsort(doc_ids[positions], kind="stable")]
        breaks = np.flatnonzero(doc_ids[positions][1:] != doc_ids[positions][:-1]) + 1
        for document in np.split(positions, breaks):
            summary = (actors._summary(*(c[document] for c in columns), 0.95) if len(document) > 1
                       else actors._summary_of_one(*(c[document[0]] for c in columns)))
            rows.append(actor | {"doc_id": doc_ids[document[0]]} | summary)
    table = pd.DataFrame(rows, columns=actors.ACTOR_SENTIMENT_COLUMNS)
    return table.astype(
        {"n_sentences": "int64", "most_negative_sentence_id": "Int64",
         "most_positive_sentence_id": "Int64"}
        | {column: "float64" for column in
           ["mean_compound", "ci_low", "ci_high", "share_negative", "share_positive"]}
        | {column: "str" for column in ["actor_id", "actor_name", "group", "doc_id",
                                        "most_negative_doc_id", "most_positive_doc_id"]}
    )


def plain_warning_table(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=stages.WARNING_COLUMNS).astype(
        {"doc_id": "str", "sentence_id": "int64", "kind": "str", "detail": "str"})
    return table.sort_values(stages.WARNING_COLUMNS, kind="stable", ignore_index=True)


# --- inputs ------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["kursk60", "hostile"])
def sentences(request) -> pd.DataFrame:
    return stages.ingest_corpus(FIXTURES / request.param).sentences


def batches(sentences: pd.DataFrame) -> list[pd.DataFrame]:
    """The whole corpus, its first document, no sentence, and the first 20 documents."""
    doc_ids = sorted(sentences["doc_id"].unique())
    return [sentences, sentences[sentences["doc_id"] == doc_ids[0]].reset_index(drop=True),
            sentences.iloc[0:0], sentences[sentences["doc_id"].isin(doc_ids[:20])].reset_index(drop=True)]


def shuffled(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sample(frac=1, random_state=1)


def equal(fast: pd.DataFrame, plain: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(fast, plain, check_exact=True)


# --- the tests ---------------------------------------------------------------------------------


def test_sentence_sentiment_sorted_or_not(sentences: pd.DataFrame) -> None:
    for batch in batches(sentences):
        expected = plain_score_sentences(batch)
        equal(sentiment.score_sentences(batch), expected)
        equal(sentiment.score_sentences(shuffled(batch)), expected)


def test_aggregates_and_arc_of_aligned_tables_are_those_of_the_merge(sentences: pd.DataFrame) -> None:
    for batch in batches(sentences):
        scored = sentiment.score_sentences(batch)
        assert sentiment.same_sentences(scored, batch)
        other_order = shuffled(batch)  # not the same_sentences: the merge and groupby path
        assert len(batch) < 2 or not sentiment.same_sentences(scored, other_order)
        for by in (("doc_id",), ("doc_id", "paragraph_id")):
            equal(sentiment.aggregate(scored, batch, by), sentiment.aggregate(scored, other_order, by))
        for window in (1, 2, 3, 4, 7):
            equal(sentiment.sentiment_arc(scored, batch, window),
                  sentiment.sentiment_arc(scored, other_order, window))


def test_summarize_labels_of_runs_is_that_of_the_groupby() -> None:
    # Long runs: the means are the compensated sums of pandas' groupby, not plain sums. The
    # reference is summarize_labels' own path for rows that are not sorted runs.
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "doc_id": pd.array(np.repeat(["a", "b", "c", "é"], [1, 7, 3, 400]), dtype="str"),
        "paragraph_id": np.repeat([0, 0, 1, 0, 1, 2], [1, 2, 5, 3, 200, 200]),
        "compound": rng.uniform(-1, 1, 411), "label": pd.array(rng.choice(LABELS, 411), dtype="str"),
    })
    for by in (["doc_id"], ["doc_id", "paragraph_id"]):
        equal(sentiment.summarize_labels(frame, by), sentiment._summarize_grouped(frame, by))
    equal(sentiment.summarize_labels(frame.iloc[0:0], ["doc_id"]),
          sentiment._summarize_grouped(frame.iloc[0:0], ["doc_id"]))


def test_runs_and_strict_order() -> None:
    keys = [np.array(["a", "a", "b", "b", "b"], dtype=object), np.array([1, 1, 0, 2, 2])]
    assert sentiment.run_starts(keys).tolist() == [0, 2, 3]
    assert sentiment.run_starts([np.array([], dtype=object)]).tolist() == []
    assert not sentiment.strictly_increasing(keys)
    assert sentiment.strictly_increasing([keys[0][[0, 2, 3]], keys[1][[0, 2, 3]]])
    assert sentiment.strictly_increasing([np.array([], dtype=object)])
    assert not sentiment.strictly_increasing([np.array(["b", "a"], dtype=object)])
    assert not sentiment.strictly_increasing([np.array(["a", np.nan], dtype=object)])
    assert sentiment.sorted_runs(keys).tolist() == [0, 2, 3]
    assert sentiment.sorted_runs([np.array(["a", "b", "a"], dtype=object)]) is None  # "a" twice


def test_actor_tables_are_those_of_the_plain_code(sentences: pd.DataFrame) -> None:
    gazetteer = actors.load_gazetteer()
    for batch in batches(sentences):
        mentions = actors.find_mentions(batch, gazetteer)
        equal(mentions, plain_find_mentions(batch, gazetteer))
        equal(actors.find_mentions(shuffled(batch), gazetteer), mentions)
        for method in actors.TARGET_METHODS:
            scored = actors.score_mentions(mentions, batch, method=method,
                                           sentence_sentiment=sentiment.score_sentences(batch))
            probabilities = scored[PROBABILITY_COLUMNS].to_numpy()
            equal(scored, plain_scored(mentions, scored["compound"].to_numpy(), scored["label"],
                                       probabilities))
            for rows in (scored, scored.drop(columns=PROBABILITY_COLUMNS), shuffled(scored)):
                equal(actors.sentence_scores(rows), plain_sentence_scores(rows))
            equal(actors.actor_sentiment(scored), plain_actor_sentiment(scored))
            equal(actors.actor_sentiment(scored, scores=actors.sentence_scores(scored)),
                  plain_actor_sentiment(scored))


def test_sentence_scores_means_of_many_mentions() -> None:
    # Sentences with many mentions: the means are the compensated sums of pandas' groupby.
    rng = np.random.default_rng(1)
    n = 200
    rows = pd.DataFrame({
        "doc_id": pd.array(rng.choice(["d1", "d2"], n), dtype="str"),
        "sentence_id": rng.integers(0, 3, n), "actor_id": pd.array(rng.choice(["a", "b"], n), dtype="str"),
        "alias": pd.array(["x"] * n, dtype="str"), "start": np.arange(n), "end": np.arange(n) + 1,
        "compound": rng.uniform(-1, 1, n),
    })
    rows["actor_name"] = rows["actor_id"].str.upper()
    rows["group"] = pd.array(["g"] * n, dtype="str")
    probabilities = rng.dirichlet([1, 1, 1], n)
    for column, values in zip(PROBABILITY_COLUMNS, probabilities.T):
        rows[column] = values
    equal(actors.sentence_scores(rows), plain_sentence_scores(rows))


def test_warning_table_is_that_of_the_plain_code() -> None:
    rows = [{"doc_id": "b", "sentence_id": 2, "kind": "x", "detail": "d"},
            {"doc_id": "a", "sentence_id": 10, "kind": "x", "detail": "d"},
            {"doc_id": "a", "sentence_id": 2, "kind": "y", "detail": "é"},
            {"doc_id": "a", "sentence_id": 2, "kind": "x", "detail": "z"},
            {"doc_id": "a", "sentence_id": -1, "kind": "x", "detail": "z"}]
    for batch in (rows, rows[:1], []):
        equal(stages.warning_table(batch), plain_warning_table(batch))


def test_stage_returns_the_sentence_scores_of_its_mentions(sentences: pd.DataFrame) -> None:
    for batch in batches(sentences):
        analysed = stages.analyze_sentiment(batch, stages.SentimentSettings())
        equal(analysed[stages.ACTOR_SENTENCE_SCORES],
              plain_sentence_scores(analysed["actor_mentions"]))
