"""Score the frame detector on a blind development set of sentences and short documents.

Usage: ``python -m benchmarks.frames_dev DIR [--half a|b|all] [--errors FRAME]``.

``DIR`` holds ``challenge_sentences.csv`` (``item_id``, ``text``, one 0/1 column per frame id) and
``challenge_documents.jsonl`` (``doc_id``, ``title``, ``text``, ``labels``: frame id -> 0/1). The
detector runs as in the pipeline: every sentence is its own one-sentence document; every document
is ingested from a text file (title line, blank line, body) by :func:`corpus.ingest`, then actor
mentions, quotes, sentence sentiment and :func:`framing.detect_frames`; a document has a frame when
one of its sentences has it. To tune without fooling oneself, the items split into two halves by
the parity of the number in their id (``a``: odd, ``b``: even): tune on one, check on the other.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from pathlib import Path

import pandas as pd

from kursk_utils import framing
from kursk_utils.actors import find_mentions, load_gazetteer
from kursk_utils.corpus import ingest
from kursk_utils.frame_model import FrameModel
from kursk_utils.quotes import extract_quotes, sentence_speakers
from kursk_utils.sentiment import score_sentences


def _detect(documents: pd.DataFrame, sentences: pd.DataFrame, codebook: framing.Codebook,
            frame_model: FrameModel | None = None) -> pd.DataFrame:
    gazetteer = load_gazetteer()
    mentions = find_mentions(sentences, gazetteer)
    quotes = extract_quotes(documents, sentences, actor_mentions=mentions, gazetteer=gazetteer)
    return framing.detect_frames(
        sentences, codebook, speakers=sentence_speakers(quotes), actor_mentions=mentions,
        sentence_sentiment=score_sentences(sentences), frame_model=frame_model,
    )


def _half(item_id: str) -> str:
    return "a" if int(re.sub(r"\D", "", item_id)) % 2 else "b"


def _prf(gold: pd.DataFrame, guess: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for frame_id in gold.columns:
        truth, predicted = gold[frame_id].astype(bool).to_numpy(), guess[frame_id].astype(bool).to_numpy()
        tp, fp, fn = int((truth & predicted).sum()), int((~truth & predicted).sum()), int((truth & ~predicted).sum())
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        rows.append({"frame": frame_id, "p": p, "r": r, "f1": f, "support": tp + fn, "tp": tp, "fp": fp, "fn": fn})
    table = pd.DataFrame(rows)
    supported = table[table["support"] > 0]
    macro = {"frame": "MACRO", "p": supported["p"].mean(), "r": supported["r"].mean(),
             "f1": supported["f1"].mean(), "support": int(table["support"].sum())}
    tp, fp, fn = (int(table[column].sum()) for column in ("tp", "fp", "fn"))
    micro = {"frame": "MICRO", "p": tp / (tp + fp) if tp + fp else 0.0, "r": tp / (tp + fn) if tp + fn else 0.0,
             "f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0, "support": tp + fn, "tp": tp, "fp": fp, "fn": fn}
    return pd.concat([table, pd.DataFrame([macro, micro])], ignore_index=True).round(3)


def sentence_predictions(items: pd.DataFrame, codebook: framing.Codebook,
                         frame_model: FrameModel | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """0/1 predictions for one-sentence documents, and the detected rows (``frame_model``: the
    hybrid scorer's model; None: rules only)."""
    ids = items["item_id"].tolist()
    sentences = pd.DataFrame({"doc_id": ids, "sentence_id": 0, "paragraph_id": 0, "start": 0,
                              "end": items["text"].str.len(), "text": items["text"]})
    documents = pd.DataFrame({"doc_id": ids, "text": items["text"], "n_sentences": 1})
    detected = _detect(documents, sentences, codebook, frame_model)
    guess = pd.DataFrame(0, index=ids, columns=list(codebook.frame_ids))
    for doc_id, frame in detected[["doc_id", "frame"]].itertuples(index=False):
        guess.loc[doc_id, frame] = 1
    return guess.reset_index(drop=True), detected


def document_predictions(docs: list[dict], codebook: framing.Codebook, frame_model: FrameModel | None = None
                         ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    with tempfile.TemporaryDirectory() as folder:
        for doc in docs:
            Path(folder, f"{doc['doc_id']}.txt").write_text(f"{doc['title']}\n\n{doc['text']}\n", encoding="utf-8")
        ingested = ingest(folder)
    detected = _detect(ingested.documents, ingested.sentences, codebook, frame_model)
    by_doc = framing.frames_by_document(detected, ingested.documents, codebook).set_index("doc_id")
    guess = by_doc.loc[[d["doc_id"] for d in docs], list(codebook.frame_ids)].reset_index(drop=True)
    return guess, detected, ingested.sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--half", choices=["a", "b", "all"], default="all")
    parser.add_argument("--errors", help="print the false positives and negatives of this frame")
    args = parser.parse_args()
    codebook = framing.load_codebook()
    frames = list(codebook.frame_ids)

    items = pd.read_csv(args.folder / "challenge_sentences.csv", dtype={"item_id": str})
    docs = [json.loads(line) for line in (args.folder / "challenge_documents.jsonl").read_text().splitlines() if line]
    if args.half != "all":
        items = items[items["item_id"].map(_half) == args.half].reset_index(drop=True)
        docs = [d for d in docs if _half(d["doc_id"]) == args.half]

    guess, detected = sentence_predictions(items, codebook)
    print(f"sentences (half {args.half}, n = {len(items)})")
    print(_prf(items[frames].reset_index(drop=True), guess).to_string(index=False))
    doc_gold = pd.DataFrame([d["labels"] for d in docs])[frames]
    doc_guess, doc_detected, doc_sentences = document_predictions(docs, codebook)
    print(f"\ndocuments (half {args.half}, n = {len(docs)})")
    print(_prf(doc_gold, doc_guess).to_string(index=False))

    if args.errors:
        frame = args.errors
        for i, row in items.iterrows():
            if row[frame] != guess.loc[i, frame]:
                kind = "FN" if row[frame] else "FP"
                hit = detected[(detected["doc_id"] == row["item_id"]) & (detected["frame"] == frame)]
                cues = [e["cue"] for ev in hit["evidence"] for e in json.loads(ev)]
                print(f"{kind} {row['item_id']} {row['text']}\n    note: {row['notes']}\n    evidence: {cues}")
        for i, doc in enumerate(docs):
            if doc["labels"][frame] != doc_guess.loc[i, frame]:
                kind = "FN" if doc["labels"][frame] else "FP"
                hit = doc_detected[(doc_detected["doc_id"] == doc["doc_id"]) & (doc_detected["frame"] == frame)]
                print(f"{kind} {doc['doc_id']}: {doc['reasons'].get(frame, '') if isinstance(doc['reasons'], dict) else ''}")
                for sentence_id, evidence in hit[["sentence_id", "evidence"]].itertuples(index=False):
                    text = doc_sentences[(doc_sentences["doc_id"] == doc["doc_id"]) & (doc_sentences["sentence_id"] == sentence_id)]["text"].iloc[0]
                    print(f"    [{sentence_id}] {text}\n        {[e['cue'] for e in json.loads(evidence)]}")


if __name__ == "__main__":
    main()
