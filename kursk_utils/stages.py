"""The analysis stages: the only place that says which analysis runs, on what, in which order.

Each stage is a settings dataclass and a pure function from a batch of documents' rows to the
stage's tables; the rows of a document never depend on the other documents of the batch, so any
runner may cut a corpus into batches:

- :func:`analyze_sentiment` (:class:`SentimentSettings`): sentence sentiment, its paragraph,
  document and arc aggregates, actor mentions and per-document actor sentiment;
- :func:`analyze_framing` (:class:`FramingSettings`): quotes, frames by sentence and by document,
  from the sentences, the actor mentions and the sentence sentiment.

The in-process and Dask engines (:mod:`kursk_utils.engine`), the frame validation
(:mod:`kursk_utils.validation.framing`), the notebooks, tests and benchmarks all call these
functions, so they cannot disagree on the wiring.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kursk_utils import actors, framing, quotes, sentiment

# Per-document rows of ``actor_sentiment`` (``doc_id != "*"``); the corpus rows are a reduction
# over all documents that the runner adds (see :func:`kursk_utils.actors.actor_sentiment`).
ACTOR_DOCUMENT_ROWS = "actor_sentiment_by_document"
SENTIMENT_TABLES = (
    "sentence_sentiment", "paragraph_sentiment", "document_sentiment", "sentiment_arc",
    "actor_mentions",
)
FRAMING_TABLES = ("quotes", "frames_by_sentence", "frames_by_document")


@dataclass(frozen=True)
class SentimentSettings:
    """Parameters of the sentiment stage (see notebook ``02_sentiment``)."""

    implementation: str = sentiment.DEFAULT_IMPLEMENTATION
    threshold: float = sentiment.DEFAULT_THRESHOLD
    arc_window: int = 3
    actors_path: str | None = None

    def __post_init__(self) -> None:
        sentiment.check_implementation(self.implementation)
        sentiment.check_threshold(self.threshold)
        if isinstance(self.arc_window, bool) or not isinstance(self.arc_window, int) \
                or self.arc_window < 1:
            raise ValueError(f"arc_window must be a positive integer, got {self.arc_window!r}")


@dataclass(frozen=True)
class FramingSettings:
    """Parameters of the framing stage (see notebook ``03_framing``)."""

    codebook_path: str | None = None
    implementation: str = sentiment.DEFAULT_IMPLEMENTATION
    actors_path: str | None = None

    def __post_init__(self) -> None:
        sentiment.check_implementation(self.implementation)



def analyze_sentiment(sentences: pd.DataFrame, settings: SentimentSettings) -> dict[str, pd.DataFrame]:
    """Sentiment and actor rows of a batch of documents.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The ``sentences`` rows of the documents (columns of the contract).
    settings : SentimentSettings

    Returns
    -------
    dict of str to pandas.DataFrame
        ``sentence_sentiment``, ``paragraph_sentiment``, ``document_sentiment``,
        ``sentiment_arc``, ``actor_mentions`` (as in ``docs/architecture.md``) and
        ``actor_sentiment_by_document`` (the rows of ``actor_sentiment`` with a real ``doc_id``),
        each sorted as in the contract. The rows of a document do not depend on the other
        documents of the batch.
    """
    implementation, threshold = settings.implementation, settings.threshold
    sentence_sentiment = sentiment.score_sentences(sentences, implementation, threshold)
    mentions = actors.score_mentions(
        actors.find_mentions(sentences, actors.load_gazetteer(settings.actors_path)),
        sentences, implementation, threshold, sentence_sentiment=sentence_sentiment,
    )
    by_actor = actors.actor_sentiment(mentions, threshold)
    return {
        "sentence_sentiment": sentence_sentiment,
        "paragraph_sentiment": sentiment.aggregate(
            sentence_sentiment, sentences, by=("doc_id", "paragraph_id")
        ),
        "document_sentiment": sentiment.aggregate(sentence_sentiment, sentences),
        "sentiment_arc": sentiment.sentiment_arc(sentence_sentiment, sentences, settings.arc_window),
        "actor_mentions": mentions,
        ACTOR_DOCUMENT_ROWS: by_actor[by_actor["doc_id"] != "*"].reset_index(drop=True),
    }


def analyze_framing(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    actor_mentions: pd.DataFrame,
    sentence_sentiment: pd.DataFrame,
    settings: FramingSettings,
) -> dict[str, pd.DataFrame]:
    """Quotes and frames of a batch of documents.

    Parameters
    ----------
    documents, sentences, actor_mentions, sentence_sentiment : pandas.DataFrame
        The rows of those tables for the documents of the batch.
    settings : FramingSettings

    Returns
    -------
    dict of str to pandas.DataFrame
        ``quotes`` (with ``frames``), ``frames_by_sentence`` and ``frames_by_document``, as in
        ``docs/architecture.md``.
    """
    codebook = framing.load_codebook(settings.codebook_path)
    quote_table = quotes.extract_quotes(
        documents, sentences, actor_mentions=actor_mentions,
        gazetteer=actors.load_gazetteer(settings.actors_path),
        implementation=settings.implementation,
    )
    frames_by_sentence = framing.detect_frames(
        sentences, codebook, speakers=quotes.sentence_speakers(quote_table),
        actor_mentions=actor_mentions, sentence_sentiment=sentence_sentiment,
    )
    return {
        "quotes": framing.attach_frames(quote_table, frames_by_sentence),
        "frames_by_sentence": frames_by_sentence,
        "frames_by_document": framing.frames_by_document(frames_by_sentence, documents, codebook),
    }

