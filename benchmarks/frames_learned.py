"""Leave-one-part-out test of the hybrid frame scorer (rules + learned model) on the blind dev parts.

Usage: ``python -m benchmarks.frames_learned [--add P] [--C C] [--resamples N]
[--train PARTS --check PART]``.

For each of the blind development parts the model is trained on (``frame_model.TRAINING_PARTS``;
never the held-out ones) in turn, :mod:`kursk_utils.frame_model` is trained on the sentences of the
other parts, and the left-out part's sentences (each a one-sentence document) and documents are
detected twice, as in ``benchmarks.frames_dev``: rules alone and hybrid (the cue rules plus the
frames the model adds at probability >= ``--add``, when the frame's referents and voice side hold).
Prints per fold and level the macro-F1 and the F1 of soldier_frustration and us_support_distrust
with the project's 95% bootstrap intervals (:func:`kursk_utils.validation.framing.score`), and the
per-frame F1 averaged over the folds. About a minute in all. Figures: ``docs/frame_model.md``.

With ``--train dev,dev2,... --check dev11`` there is one fold: the model is trained on the named
parts and both systems are scored on the check part (how the default scorer was chosen on dev5, the
extra training parts dev6 and dev7 tried, and the ten training parts chosen on dev11).

Caveat: the rules were developed on most dev parts (``docs/validation.md``), so the rules' figures
on those folds are in-sample; only a part written after the last rule change measures them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from benchmarks.frames_dev import document_predictions, sentence_predictions
from kursk_utils import frame_model, framing
from kursk_utils.validation.framing import score

BLIND = Path(__file__).resolve().parents[1] / "kursk_utils" / "data" / "validation" / "challenge_blind"
PARTS = frame_model.TRAINING_PARTS
FOCUS = ("soldier_frustration", "us_support_distrust")


def _interval(figures: dict, name: str) -> str:
    v = figures[name]
    bounds = f" ({v['f1_low']:.3f}-{v['f1_high']:.3f})" if v["f1_low"] is not None else ""
    return f"{v['f1']:.3f}{bounds}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--add", type=float, default=frame_model.ADD_THRESHOLD)
    parser.add_argument("--C", type=float, default=frame_model.C)
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--train", help="comma-separated parts to train on (with --check)")
    parser.add_argument("--check", help="the one part to score (with --train)")
    args = parser.parse_args()
    if (args.train is None) != (args.check is None):
        parser.error("--train and --check go together")
    folds = ([(args.check, args.train.split(","))] if args.check
             else [(test, [part for part in PARTS if part != test]) for test in PARTS])
    codebook = framing.load_codebook()
    frames = list(codebook.frame_ids)
    features = {part: frame_model.training_sentences([part]) for part in {p for _, train in folds for p in train}}
    rows = []
    for test, train in folds:
        model = frame_model.fit(sum((features[p][0] for p in train), []),
                                pd.concat([features[p][1] for p in train], ignore_index=True),
                                codebook, add_threshold=args.add, c=args.C)
        items = pd.read_csv(BLIND / f"{test}_sentences.csv", dtype={"item_id": str})
        docs = [json.loads(line) for line in (BLIND / f"{test}_documents.jsonl").read_text().splitlines() if line]
        gold = {"sentences": items[frames].reset_index(drop=True),
                "documents": pd.DataFrame([d["labels"] for d in docs])[frames]}
        for system, scorer in (("rules", None), ("hybrid", model)):
            guesses = {"sentences": sentence_predictions(items, codebook, scorer)[0],
                       "documents": document_predictions(docs, codebook, scorer)[0]}
            for level, guess in guesses.items():
                figures = score(gold[level], guess, frames, n_resamples=args.resamples)
                rows.append({"test": test, "level": level, "system": system, "n": len(guess),
                             "macro": _interval(figures, "macro"),
                             **{name[:2].upper(): _interval(figures, name) for name in FOCUS},
                             **{name: figures[name]["f1"] for name in frames}})
    table = pd.DataFrame(rows).sort_values(["level", "test", "system"], ascending=[False, True, False])
    pd.set_option("display.width", 250)
    print(table[["level", "test", "system", "n", "macro", "SO", "US"]].to_string(index=False))
    per_frame = table.groupby(["level", "system"])[frames].mean().T
    print(f"\nper-frame F1, mean over the {len(folds)} fold(s)\n" + per_frame.round(3).to_string())


if __name__ == "__main__":
    main()
