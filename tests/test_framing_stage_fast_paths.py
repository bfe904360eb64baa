"""Round 27 (speed): the framing stage's per-call fast paths give what the plain pandas code they
replace gives, byte for byte (values, dtypes, column order), on the kursk60 and hostile articles
analysed as one batch, as one-document batches and as an empty batch."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kursk_utils import actors, framing, frame_model, quotes, stages

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
        expected = plain_frames_by_document(frames, batch["documents"], CODEBOOK)
        pd.testing.assert_frame_equal(framing.frames_by_document(frames, batch["documents"], CODEBOOK), expected,
                                      check_exact=True)
        # a document without sentences, hence without frames
        documents = batch["documents"].assign(n_sentences=0)
        no_frames = frames.iloc[:0]
        pd.testing.assert_frame_equal(framing.frames_by_document(no_frames, documents, CODEBOOK),
                                      plain_frames_by_document(no_frames, documents, CODEBOOK), check_exact=True)
    assert seen_frames > 100  # the batches did find frames
