"""Round 27 (speed): the framing stage's per-call fast paths give what the plain pandas code they
replace gives, byte for byte (values, dtypes, column order), on the kursk60 and hostile articles
analysed as one batch, as one-document batches and as an empty batch."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kursk_utils import actors, framing, frame_model, quotes, stages
from kursk_utils.text import literal_alternation

FIXTURES = Path(__file__).parent / "fixtures"
CODEBOOK = framing.load_codebook()


def plain_frames_by_document(frames_by_sentence: pd.DataFrame, documents: pd.DataFrame,
                             codebook: framing.Codebook) -> pd.DataFrame:
    """:func:`framing.frames_by_document` as it was: a groupby/unstack and a column per insert."""
    doc_ids = documents["doc_id"].astype(str)
    counts = (
        frames_by_sentence.groupby(["doc_id", "frame"]).size().unstack("frame").reindex(
            index=doc_ids, columns=list(codebook.frame_ids)
        ).fillna(0).astype("int64")
    )
    n_sentences = documents["n_sentences"].to_numpy(dtype="float64")
    result = pd.DataFrame({"doc_id": doc_ids.to_numpy()})
    for frame_id in codebook.frame_ids:
        result[frame_id] = (counts[frame_id].to_numpy() > 0).astype("int64")
    for frame_id in codebook.frame_ids:
        count = counts[frame_id].to_numpy()
        share = np.divide(count, n_sentences, out=np.zeros(len(count)), where=n_sentences > 0)
        result[f"{frame_id}_score"] = share.round(6)
        result[f"{frame_id}_sentences"] = count
    return result.sort_values("doc_id", kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """The framing stage's inputs for the kursk60 and hostile articles, as the pipeline makes them."""
    corpus = tmp_path_factory.mktemp("corpus")
    for path in sorted((FIXTURES / "kursk60").glob("*.txt")) + sorted((FIXTURES / "hostile").glob("*.txt")):
        shutil.copy(path, corpus / path.name)
    ingested = stages.ingest_corpus(corpus)
    sentiment_rows = stages.analyze_sentiment(ingested.sentences, stages.SentimentSettings())
    return {"documents": ingested.documents, "sentences": ingested.sentences,
            "actor_mentions": sentiment_rows["actor_mentions"],
            "sentence_sentiment": sentiment_rows["sentence_sentiment"]}


def _batches(inputs: dict[str, pd.DataFrame]) -> list[dict[str, pd.DataFrame]]:
    """The whole corpus, each document alone, and no document."""
    doc_ids = sorted(inputs["documents"]["doc_id"])
    chosen = [doc_ids, *([doc_id] for doc_id in doc_ids), []]
    return [{name: table[table["doc_id"].isin(ids)].reset_index(drop=True) for name, table in inputs.items()}
            for ids in chosen]


def _framing_parts(batch: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(quotes, speakers, frames_by_sentence) of a batch, as :func:`stages.analyze_framing` finds them."""
    quote_table = quotes.extract_quotes(batch["documents"], batch["sentences"],
                                        actor_mentions=batch["actor_mentions"],
                                        gazetteer=actors.load_gazetteer())
    speakers = quotes.sentence_speakers(quote_table)
    frames = framing.detect_frames(batch["sentences"], CODEBOOK, speakers=speakers,
                                   actor_mentions=batch["actor_mentions"],
                                   sentence_sentiment=batch["sentence_sentiment"], skipped=[],
                                   frame_model=frame_model.shipped_model())
    return quote_table, speakers, frames


def test_frames_by_document_is_the_plain_aggregation(inputs) -> None:
    seen_frames = 0
    for batch in _batches(inputs):
        _, _, frames = _framing_parts(batch)
        seen_frames += len(frames)
        for documents in (batch["documents"], _shuffled(batch["documents"], 9)):
            pd.testing.assert_frame_equal(framing.frames_by_document(frames, documents, CODEBOOK),
                                          plain_frames_by_document(frames, documents, CODEBOOK), check_exact=True)
        # a document without sentences, hence without frames
        documents = batch["documents"].assign(n_sentences=0)
        no_frames = frames.iloc[:0]
        pd.testing.assert_frame_equal(framing.frames_by_document(no_frames, documents, CODEBOOK),
                                      plain_frames_by_document(no_frames, documents, CODEBOOK), check_exact=True)
    assert seen_frames > 100  # the batches did find frames


def plain_sentence_speakers(quote_table: pd.DataFrame) -> pd.DataFrame:
    """:func:`quotes.sentence_speakers` as it was: explode, drop_duplicates and sort in pandas."""
    exploded = quote_table.assign(sentence_id=quote_table["sentence_ids"].str.split(" ")).explode("sentence_id")
    columns = quotes.SENTENCE_SPEAKER_COLUMNS + (["side"] if "side" in quote_table.columns else [])
    table = exploded[columns].astype({"sentence_id": "int64"})
    table = table.drop_duplicates().sort_values(["doc_id", "sentence_id", "kind", "speaker"], na_position="last")
    return table.reset_index(drop=True)


def test_sentence_speakers_are_the_plain_exploded_rows(inputs) -> None:
    seen_rows = 0
    for batch in _batches(inputs):
        quote_table, speakers, _ = _framing_parts(batch)
        seen_rows += len(speakers)
        pd.testing.assert_frame_equal(speakers, plain_sentence_speakers(quote_table), check_exact=True)
        without_side = quote_table.drop(columns="side")
        pd.testing.assert_frame_equal(quotes.sentence_speakers(without_side), plain_sentence_speakers(without_side),
                                      check_exact=True)
    assert seen_rows > 100


def test_sentence_speakers_keep_the_first_of_equal_rows_and_put_missing_speakers_last() -> None:
    """Quotes spanning the same sentences, unnamed speakers (null, not the same null object),
    two roles of one speaker (kept in quote order) and a table as read back from Parquet (object
    columns)."""
    table = pd.DataFrame({
        "doc_id": ["b", "a", "a", "a", "a", "a", "b"],
        "sentence_ids": ["3", "2 3", "3 4", "3", "2", "4", "1 2 3"],
        "speaker": [None, "Kirby", np.nan, "Kirby", None, "Ann", "Zed"],
        "role": ["other", "us_official", None, "expert", None, "soldier", "other"],
        "kind": ["direct", "reported", "direct", "reported", "direct", "direct", "reported"],
        "side": [None, "us", None, "us", np.nan, "ukraine", None],
    })
    for frame in (table, table.astype(object), table.astype("str"), table.iloc[:0]):
        pd.testing.assert_frame_equal(quotes.sentence_speakers(frame), plain_sentence_speakers(frame),
                                      check_exact=True)


def plain_gazetteer_matcher(pairs: list[tuple[str, str]]) -> tuple[re.Pattern[str], dict[str, str]]:
    """The pattern and groups :meth:`quotes._GazetteerMatcher.build` made on every call before
    they were kept per process and gazetteer."""
    groups = dict(sorted(pairs))
    return re.compile(r"(?<![\w])" + literal_alternation(groups) + r"(?![\w])"), groups


def test_gazetteer_matcher_kept_per_gazetteer_is_the_one_built_each_call() -> None:
    shipped = actors.load_gazetteer()
    wide = pd.DataFrame({"actor_id": ["a1", "a2"], "name": ["Ann Lee", "Bo Kim"], "group": ["us", "russia"],
                         "aliases": ["Lee|Ms Lee", "Kim"]})
    user = shipped.assign(group=shipped["group"].where(shipped["alias"] != "Syrskyi", "russia"))
    expected_pairs = {
        "shipped": [(a.strip(), g) for a, g in zip(list(shipped["alias"]) + list(shipped["actor_name"]),
                                                    list(shipped["group"]) * 2) if a.strip()],
        "wide": [("Ann Lee", "us"), ("Lee", "us"), ("Ms Lee", "us"), ("Bo Kim", "russia"), ("Kim", "russia")],
        "user": [(a.strip(), g) for a, g in zip(list(user["alias"]) + list(user["actor_name"]),
                                                 list(user["group"]) * 2) if a.strip()],
    }
    for _ in range(2):  # built, then kept
        for name, gazetteer in (("shipped", shipped), ("wide", wide), ("user", user)):
            matcher = quotes._GazetteerMatcher.build(gazetteer)
            pattern, groups = plain_gazetteer_matcher(expected_pairs[name])
            assert matcher.pattern.pattern == pattern.pattern and matcher.groups == groups
    assert quotes._GazetteerMatcher.build(user).group("General Syrskyi") == "russia"
    assert quotes._GazetteerMatcher.build(shipped).group("General Syrskyi") != "russia"
    first, second = quotes._GazetteerMatcher.build(shipped), quotes._GazetteerMatcher.build(shipped)
    first.group("Syrskyi")
    assert second.speaker_groups == {}  # what a matcher learns per call stays its own
    assert quotes._GazetteerMatcher.build(shipped.iloc[:0]).pattern is None


def plain_contexts_by_sentence(speakers, actor_mentions, sentence_sentiment, side_names) -> tuple[dict, dict, dict]:
    """:func:`framing._contexts_by_sentence` as it was: the speakers and mentions sorted by pandas."""
    speaker_map: dict[tuple, list] = {}
    ordered = speakers.sort_values(["doc_id", "sentence_id", "speaker", "role"], kind="stable")
    if "side" not in ordered.columns:
        ordered = ordered.assign(side=None)
    for doc_id, sentence_id, speaker, role, side in ordered[["doc_id", "sentence_id", "speaker", "role", "side"]].itertuples(index=False):
        key = (str(doc_id), int(sentence_id))
        if isinstance(speaker, str) and isinstance(role, str):
            speaker_map.setdefault(key, []).append((speaker, role, framing._speaker_side(speaker, role, side, side_names)))
        elif not isinstance(speaker, str):
            speaker_map.setdefault(key, []).append(("", None, None))
    actor_map: dict[tuple, list] = {}
    columns = ["doc_id", "sentence_id", "group", "alias", "start", "end"]
    ordered = actor_mentions.sort_values(["doc_id", "sentence_id", "start", "end"], kind="stable")
    for doc_id, sentence_id, group, alias, start, end in ordered[columns].itertuples(index=False):
        actor_map.setdefault((str(doc_id), int(sentence_id)), []).append((group, alias, int(start), int(end)))
    compound_map = {(str(d), int(s)): float(c) for d, s, c in
                    sentence_sentiment[["doc_id", "sentence_id", "compound"]].itertuples(index=False)}
    return speaker_map, actor_map, compound_map


def _shuffled(table: pd.DataFrame, seed: int) -> pd.DataFrame:
    return table.sample(frac=1, random_state=seed).reset_index(drop=True)


def test_sentence_contexts_are_the_plain_sorted_ones(inputs) -> None:
    """With the pipeline's speakers and mentions, shuffled, and with speakers of every kind: unnamed
    (None and NaN), without a role, two of a sentence in either order, without a side column."""
    odd_speakers = pd.DataFrame({
        "doc_id": ["d", "d", "d", "d", "d", "e", "e"], "sentence_id": [1, 1, 1, 1, 2, 1, 1],
        "speaker": ["Kirby", None, "Ann", np.nan, "Ann", "Zed", "Bo"],
        "role": ["us_official", None, None, "other", "soldier", "soldier", "expert"],
        "side": [None, None, "us", None, np.nan, "ukraine", "russia"],
    })
    mentions, sentiment = inputs["actor_mentions"], inputs["sentence_sentiment"]
    for batch in _batches(inputs)[:3] + _batches(inputs)[-1:]:
        _, speakers, _ = _framing_parts(batch)
        for table in (speakers, _shuffled(speakers, 1), odd_speakers, _shuffled(odd_speakers, 2),
                      odd_speakers.drop(columns="side")):
            for actor_mentions in (batch["actor_mentions"], _shuffled(mentions, 3)):
                assert framing._contexts_by_sentence(table, actor_mentions, sentiment, CODEBOOK.side_names) == \
                    plain_contexts_by_sentence(table, actor_mentions, sentiment, CODEBOOK.side_names)


def test_detect_frames_sorts_its_input_and_its_rows_as_pandas_did(inputs) -> None:
    """Shuffled sentences give the same table, its rows in (doc_id, sentence_id, frame) order."""
    whole = _batches(inputs)[0]
    _, speakers, frames = _framing_parts(whole)
    assert len(frames) > 100
    pd.testing.assert_frame_equal(
        frames, frames.sort_values(["doc_id", "sentence_id", "frame"], kind="stable").reset_index(drop=True),
        check_exact=True)
    assert list(frames.dtypes.astype(str)) == ["str", "int64", "str", "float64", "str"]
    # the table as it was built: a frame of its records, cast, then sorted
    records = list(frames.itertuples(index=False, name=None))[::-1]
    plain = pd.DataFrame.from_records(records, columns=framing.FRAMES_BY_SENTENCE_COLUMNS).astype(
        {"doc_id": "str", "sentence_id": "int64", "frame": "str", "score": "float64", "evidence": "str"})
    pd.testing.assert_frame_equal(
        frames, plain.sort_values(["doc_id", "sentence_id", "frame"], kind="stable").reset_index(drop=True),
        check_exact=True)
    shuffled = framing.detect_frames(_shuffled(whole["sentences"], 4), CODEBOOK, speakers=_shuffled(speakers, 5),
                                     actor_mentions=_shuffled(whole["actor_mentions"], 6),
                                     sentence_sentiment=whole["sentence_sentiment"], skipped=[],
                                     frame_model=frame_model.shipped_model())
    pd.testing.assert_frame_equal(shuffled, frames, check_exact=True)
    # without start and paragraph_id columns: offsets relative to each sentence, one paragraph
    bare = whole["sentences"][["doc_id", "sentence_id", "text"]]
    plain = framing.detect_frames(bare.sort_values(["doc_id", "sentence_id"]), CODEBOOK)
    pd.testing.assert_frame_equal(framing.detect_frames(_shuffled(bare, 7), CODEBOOK), plain, check_exact=True)
    empty = framing.detect_frames(bare.iloc[:0], CODEBOOK)
    assert empty.empty and list(empty.dtypes.astype(str)) == ["str", "int64", "str", "float64", "str"]


def plain_attach_frames(quote_table: pd.DataFrame, frames_by_sentence: pd.DataFrame,
                        frame_order: list[str]) -> pd.DataFrame:
    """:func:`framing.attach_frames` as it was: the column set from a list, then astype."""
    frames_of: dict[tuple[str, int], set[str]] = {}
    for doc_id, sentence_id, frame in frames_by_sentence[["doc_id", "sentence_id", "frame"]].itertuples(index=False):
        frames_of.setdefault((str(doc_id), int(sentence_id)), set()).add(frame)
    order = {frame_id: rank for rank, frame_id in enumerate(frame_order)}

    def frames_for(doc_id, sentence_ids, sentence_id) -> str:
        ids = ([int(token) for token in sentence_ids.split()] if isinstance(sentence_ids, str) and sentence_ids.strip()
               else [int(sentence_id)])
        found = set().union(*(frames_of.get((str(doc_id), i), set()) for i in ids))
        return " ".join(sorted(found, key=lambda f: (order.get(f, len(order)), f)))

    missing = [None] * len(quote_table)
    columns = [quote_table[c].tolist() if c in quote_table.columns else missing
               for c in ("doc_id", "sentence_ids", "sentence_id")]
    result = quote_table.copy()
    result["frames"] = [frames_for(*row) for row in zip(*columns)] if len(quote_table) else pd.Series(dtype="str")
    return result.astype({"frames": "str"})


def test_attach_frames_is_the_plain_column(inputs) -> None:
    for batch in _batches(inputs):
        quote_table, _, frames = _framing_parts(batch)
        for table in (quote_table, quote_table.assign(frames="stale"), quote_table.drop(columns="sentence_ids")):
            pd.testing.assert_frame_equal(framing.attach_frames(table, frames, CODEBOOK.frame_ids),
                                          plain_attach_frames(table, frames, CODEBOOK.frame_ids), check_exact=True)


def plain_topic_check(documents, sentences, codebook) -> pd.DataFrame:
    """:func:`framing.topic_check`'s table as it was built: from lists, astype, then a pandas sort."""
    doc_ids = documents["doc_id"].astype(str).tolist()
    counts, terms = dict.fromkeys(doc_ids, 0), {doc_id: set() for doc_id in doc_ids}
    if codebook.topic is not None:
        for doc_id, text in zip(sentences["doc_id"].tolist(), sentences["text"].tolist()):
            found = {m.group().lower() for m in codebook.topic.finditer(text)}
            if found and str(doc_id) in counts:
                counts[str(doc_id)] += 1
                terms[str(doc_id)] |= found
    checked = codebook.topic is not None
    result = pd.DataFrame({
        "doc_id": doc_ids,
        "n_sentences": documents["n_sentences"].astype("int64").to_numpy(),
        "topic_sentences": [counts[d] for d in doc_ids],
        "topic_terms": ["; ".join(sorted(terms[d])) for d in doc_ids],
        "on_topic": pd.array([counts[d] > 0 if checked else None for d in doc_ids], dtype="boolean"),
    })
    result = result.astype({"doc_id": "str", "topic_sentences": "int64", "topic_terms": "str"})
    return result.sort_values("doc_id", kind="stable").reset_index(drop=True)[framing.TOPIC_CHECK_COLUMNS]


def test_topic_check_is_the_plain_table(inputs) -> None:
    """Each batch, its documents shuffled, and a codebook without a topic (null on_topic)."""
    no_topic = dataclasses.replace(CODEBOOK, topic=None)
    on_topic = 0
    for batch in _batches(inputs):
        documents, sentences = batch["documents"], batch["sentences"]
        for codebook in (CODEBOOK, no_topic):
            for table in (documents, _shuffled(documents, 8)):
                found = framing.topic_check(table, sentences, codebook, [])
                pd.testing.assert_frame_equal(found, plain_topic_check(table, sentences, codebook), check_exact=True)
                on_topic += int(found["on_topic"].fillna(False).sum())
    assert on_topic > 50


def plain_quote_table(rows: list[dict]) -> pd.DataFrame:
    """The quotes table as :func:`quotes.extract_quotes` built it from its rows: a frame of
    objects cast column by column."""
    table = pd.DataFrame(rows, columns=[c for c in quotes.QUOTE_COLUMNS if c != "sentiment"])
    table["sentiment"] = [row["sentiment"] for row in rows]
    table = table.astype({
        "doc_id": "str", "quote_id": "int64", "sentence_id": "int64", "sentence_ids": "str", "start": "int64",
        "end": "int64", "kind": "str", "speaker": "str", "role": "str", "side": "str", "cue": "str",
        "text": "str", "speaker_mention": "str", "speaker_start": "Int64", "speaker_end": "Int64",
        "cue_start": "Int64", "cue_end": "Int64", "sentiment": "float64",
    })
    return table[quotes.QUOTE_COLUMNS].reset_index(drop=True)


def test_quote_table_is_the_plain_cast_of_its_rows(inputs) -> None:
    """The quotes' own values (missing ones as None, as extract_quotes holds them) cast the plain
    way give the table, for each batch; quotes without a speaker or cue included."""
    missing_speakers = 0
    for batch in _batches(inputs):
        quote_table, _, _ = _framing_parts(batch)
        rows = [{column: None if pd.isna(value) else value for column, value in row.items()}
                for row in quote_table.astype(object).to_dict("records")]
        missing_speakers += sum(row["speaker"] is None for row in rows)
        pd.testing.assert_frame_equal(quote_table, plain_quote_table(rows), check_exact=True)
    assert missing_speakers > 0
