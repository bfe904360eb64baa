"""A learned, explainable frame scorer that adds frames the codebook's cue rules miss (``hybrid``).

Hand-written cues transfer poorly to wordings nobody wrote a cue for. This model reads a sentence
as words and word pairs, with each actor mention of the gazetteer replaced by its group
(``@us``, ``@russia``, ...: which side is named, not which name), plus the sentence's voice: the
roles of its speakers and the sides it is voiced by (quotes table and attributions, as the rule
detector sees them). One logistic regression per frame, trained on the shipped blind development
sentences (``challenge_blind/dev*_sentences.csv``; never the held-out parts).

How it combines with the rules (:func:`kursk_utils.framing.detect_frames` with ``frame_model``):
a rule flag is always kept; a frame the rules did not flag is added when the model's probability
is at least :attr:`FrameModel.add_threshold` and the frame's own requirements hold (its referents,
e.g. a Ukrainian soldier for soldier_frustration, and its voice side), so the side rules veto the
model as they veto cues. The evidence of an added frame is the model's probability and the
features present in the sentence that pushed it up most, each with its offsets and contribution.
Leave-one-part-out figures and the settings tried are in ``docs/frame_model.md``
(``benchmarks/frames_learned.py``).

The model applies only to frames whose id and definition texts match those it was trained on
(:meth:`FrameModel.applicable_frames`); a user's own codebook falls back to rules for the others,
recorded as a ``frame_model_fallback`` warning by the framing stage.

Weights ship as ``kursk_utils/data/models/frame_model.json.gz`` with a manifest holding the format
version and SHA-256; loading parses JSON only (no pickle) and refuses a changed file
(:class:`kursk_utils.model_files.ModelFileError`; the file format of :mod:`kursk_utils.model_files`). Training (``kursk train-frames``) is
deterministic: sorted vocabulary, liblinear from a fixed seed, weights rounded to
:data:`WEIGHT_SCALE`, fixed key order and a zero gzip timestamp: the same bytes every time.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from kursk_utils import model_files
from kursk_utils.model_files import WEIGHT_SCALE, ModelFileError, default_model_dir, from_units, rounded, to_units

FORMAT_NAME = "kursk-frame-model"
FORMAT_VERSION = 1
MODEL_FILE = "frame_model.json.gz"
MANIFEST_FILE = "frame_model.manifest.json"
SCORERS = ("rules", "hybrid")
# The default since it was scored on a blind part neither it nor the rules had seen (dev5, written
# after the model was trained on dev..dev4): sentence macro-F1 0.739 -> 0.769, soldier_frustration
# 0.45 -> 0.56, document macro-F1 0.841 -> 0.860 (docs/frame_model.md).
DEFAULT_SCORER = "hybrid"
# Chosen on the leave-one-part-out folds (docs/frame_model.md): the best mean document macro-F1
# over the fifteen folds (0.85 -> 0.75: 0.887 -> 0.889, dev12..dev15 0.867 -> 0.870; sentence
# macro-F1 0.832 -> 0.840), nine folds up, three down. Frames with their own codebook
# ``model_threshold`` keep it. Rule flags are never removed: removing them at low probability lost
# more than it gained on the folds the rules had not been tuned on.
ADD_THRESHOLD = 0.75
C = 1.0
MIN_DF = 2  # a feature must occur in two training sentences
EVIDENCE_FEATURES = 3  # features shown as evidence of an added frame
# Sentences FrameModel.may_add screens at a time: NumPy's fixed cost per call is paid per batch,
# not per document, and a batch's arrays stay a few MB.
SCREEN_BATCH = 4096
# Every blind development part: trained on ten rather than four, the model was better on dev11, on
# thirteen rather than ten better on dev14, and on fifteen rather than thirteen better on dev16 and
# dev17, parts written after it and kept from developers (docs/frame_model.md, "Trained on ten
# parts", "Trained on thirteen parts", "Trained on fifteen parts").
TRAINING_PARTS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11",
                  "dev12", "dev13", "dev14", "dev15")

_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
# _WORD's tokens of an ASCII text, lower-cased, as bytes: every byte that is neither a word
# character nor an apostrophe becomes a space, then so does every apostrophe not between two word
# characters, and the words are what split() gives.
_ASCII_WORD_BYTES = bytes(
    ord(c.lower()) if c.isascii() and (c.isalnum() or c in "_'") else ord(" ") for c in map(chr, range(256)))
_LONE_APOSTROPHE = re.compile(rb"(?<!\w)'|'(?!\w)")


class Feature(NamedTuple):
    """A feature present in a sentence and the document offsets it stands on (a tuple: every
    sentence of a corpus builds dozens)."""

    name: str
    start: int
    end: int


def _pieces(text: str, start: int, actors: Iterable[tuple[str, int, int]]) -> list[tuple[int, int, int, str]]:
    """How :func:`sentence_features` reads a sentence, in order: (at, s, e, token), the words of
    ``text[at:s]`` then the mention token ``@group`` over ``text[s:e]`` ("" closes the text).
    Sentence offsets; a mention overlapping an earlier one is left out."""
    spans = sorted((s - start, e - start, "@" + group) for group, s, e in actors)
    pieces = []
    at = 0
    for s, e, token in spans + [(len(text), len(text), "")]:
        if s < at:
            continue  # a mention overlapping an earlier one
        pieces.append((at, s, e, token))
        at = e
    return pieces


def sentence_features(text: str, start: int, actors: Iterable[tuple[str, int, int]],
                      roles: Iterable[str], sides: Iterable[str]) -> list[Feature]:
    """The model's features of one sentence, with offsets (document offsets; ``start`` is the
    sentence's). ``actors``: (group, start, end) of the gazetteer mentions; ``roles``: roles of
    its speakers; ``sides``: the sides voicing it. Words are lower-cased; a mention is one token
    ``@group`` and the words inside it are not counted."""
    tokens: list[tuple[str, int, int]] = []
    for at, s, e, token in _pieces(text, start, actors):
        tokens += [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text, at, s)]
        if token:
            tokens.append((token, s, e))
    features = [Feature(f"w:{word}", start + s, start + e) for word, s, e in tokens]
    features += [Feature(f"b:{a[0]} {b[0]}", start + a[1], start + b[2]) for a, b in zip(tokens, tokens[1:])]
    whole = (start, start + len(text))
    voices = [f"role:{role}" for role in sorted(set(roles))] + [f"side:{side}" for side in sorted(set(sides))]
    features += [Feature(f"v:{voice}", *whole) for voice in voices]
    first: dict[str, Feature] = {}
    for feature in features:
        first.setdefault(feature.name, feature)  # each feature counts once, at its first place
    return list(first.values())


def sentence_tokens(text: str, start: int, actors: Iterable[tuple[str, int, int]]) -> list[str]:
    """The tokens :func:`sentence_features` reads its word and bigram features from, without
    offsets (the names only: what :meth:`FrameModel.may_add` needs)."""
    # An ASCII text is lower-cased at once: its words are then the lower-cased words (an ASCII
    # letter stays a letter).
    lowered = text.lower() if text.isascii() else None
    tokens: list[str] = []
    for at, s, _, token in _pieces(text, start, actors):
        tokens += _WORD.findall(lowered, at, s) if lowered is not None else map(str.lower, _WORD.findall(text, at, s))
        if token:
            tokens.append(token)
    return tokens


class _Screen:
    """The feature rows :meth:`FrameModel.may_add` finds from sentences' tokens and speaker roles
    (word, bigram and role features: the same rows :func:`sentence_features` gives; :meth:`sentence_rows`), and an upper
    bound on what the others can add to a logit: ``coef`` row :attr:`bound_row` holds, per frame,
    the sum of the positive weights of every other feature (the sides, which cost the voice rules to
    find, and any feature kind this screen does not read).

    A logit is bounded by the intercept plus the rows found plus that row, summed in any order: the
    model's own sum (:meth:`FrameModel.probabilities`) and this one each differ from the exact sum
    by at most (terms) x eps x (sum of absolute values), which :meth:`margin` covers. A threshold is
    compared in the logit domain (:meth:`logit_limit`); one too close to 0 or 1 for that to be safe
    never rules a sentence out."""

    def __init__(self, vocabulary: Sequence[str], coef: np.ndarray, intercept: np.ndarray) -> None:
        # Every token a word or bigram feature reads gets an id (``other_token``: any other token,
        # and the end of a sentence); ASCII tokens also as bytes, as sentence_rows reads most sentences.
        token_ids: dict[str, int] = {}
        word_rows: list[tuple[int, int]] = []
        pairs: list[tuple[int, int, int]] = []
        self.roles: dict[str, int] = {}
        others = []
        for row, name in enumerate(vocabulary):
            if name.startswith("w:"):
                word_rows.append((token_ids.setdefault(name[2:], len(token_ids)), row))
            elif name.startswith("b:"):
                pair = name[2:]
                for at, character in enumerate(pair):  # a token may hold a space: every split
                    if character == " ":
                        first = token_ids.setdefault(pair[:at], len(token_ids))
                        pairs.append((first, token_ids.setdefault(pair[at + 1:], len(token_ids)), row))
            elif name.startswith("v:role:"):
                self.roles[name[len("v:role:"):]] = row
            else:
                others.append(row)
        self.other_token = len(token_ids)
        self.token_ids: dict[str | bytes, int] = {**token_ids, **{token.encode("ascii"): i for token, i
                                                                  in token_ids.items() if token.isascii()}}
        self.word_rows = np.full(self.other_token + 1, -1, np.int64)  # token id -> its word's row, or -1
        for token_id, row in word_rows:
            self.word_rows[token_id] = row
        # Bigram keys (first id x (other_token + 1) + second id), sorted, and their rows; a last key
        # no bigram reaches, so that every search lands on a key.
        keys = np.array([first * (self.other_token + 1) + second for first, second, _ in pairs] + [np.iinfo(np.int64).max],
                        np.int64)
        order = np.argsort(keys, kind="stable")
        self.pair_keys = keys[order]
        self.pair_rows = np.array([row for _, _, row in pairs] + [-1], np.int64)[order]
        bound = np.maximum(coef[others], 0.0).sum(axis=0) if others else np.zeros(coef.shape[1])
        self.bound_row = len(vocabulary)
        self.coef = np.vstack([coef, bound])
        self.extra_terms = len(others) + 1  # the bound's own terms and the intercept
        self.largest = float(max(np.abs(coef).max(initial=0.0), np.abs(intercept).max(initial=0.0)))

    def sentence_rows(self, sentences: Iterable[tuple[str, int, Iterable[tuple[str, int, int]], Iterable[str]]]
                      ) -> tuple[np.ndarray, np.ndarray]:
        """(sentence, row) of each distinct word, bigram and role feature of each of ``sentences``
        ((text, start, actors, roles) as for :meth:`FrameModel.may_add`), and of :attr:`bound_row`
        for each sentence, sorted: the rows :func:`sentence_features` gives from the sentence's
        tokens (:func:`sentence_tokens`) and its speakers' ``roles``. The tokens of all sentences
        become ids in one pass and their bigrams are found with NumPy."""
        tokens: list[str | bytes | None] = []
        lengths: list[int] = []
        role_at: list[int] = []
        role_rows: list[int] = []
        for at, (text, start, actors, roles) in enumerate(sentences):
            if not actors and text.isascii():  # most sentences: lower-cased ASCII words as bytes
                words = text.encode("ascii").translate(_ASCII_WORD_BYTES)
                found = (_LONE_APOSTROPHE.sub(b" ", words) if b"'" in words else words).split()
            else:
                found = sentence_tokens(text, start, actors)
            tokens += found
            tokens.append(None)  # no token: ends the sentence's bigrams
            lengths.append(len(found) + 1)
            for role in roles:
                if (row := self.roles.get(role)) is not None:
                    role_at.append(at)
                    role_rows.append(row)
        n = len(lengths)
        ids = np.fromiter(map(self.token_ids.get, tokens, itertools.repeat(self.other_token)), np.int64, len(tokens))
        token_at = np.repeat(np.arange(n), lengths)
        known = np.flatnonzero((ids[:-1] < self.other_token) & (ids[1:] < self.other_token))
        pairs = ids[known] * (self.other_token + 1) + ids[known + 1]
        place = np.searchsorted(self.pair_keys, pairs)
        hit = self.pair_keys[place] == pairs
        word_rows = self.word_rows[ids]
        words = np.flatnonzero(word_rows >= 0)
        width = self.bound_row + 1
        keys = np.concatenate([token_at[words] * width + word_rows[words],
                               token_at[known[hit]] * width + self.pair_rows[place[hit]],
                               np.array(role_at, np.int64) * width + np.array(role_rows, np.int64),
                               np.arange(n) * width + self.bound_row])
        keys.sort()
        keys = keys[np.diff(keys, prepend=-1) != 0]
        return keys // width, keys % width

    def margin(self, terms: np.ndarray) -> np.ndarray:
        """What rounding can add to a logit of ``terms`` summed terms, in either sum (with room to spare)."""
        return 1e-6 + 4.0 * terms.astype("float64") ** 2 * np.finfo("float64").eps * self.largest

    @staticmethod
    def logit_limit(threshold: float) -> float:
        """The logit at which the probability reaches ``threshold``; -inf (every sentence may reach
        it) outside [0.01, 0.99], where the logit's rounding grows too fast to rely on."""
        if not 0.01 <= threshold <= 0.99:
            return -math.inf
        return math.log(threshold / (1.0 - threshold))


def frame_signature(frame) -> str:
    """SHA-256 of what a frame means (id, label, definition, include, exclude): the model applies
    to a codebook frame only when this matches the signature it was trained with."""
    text = "\x1f".join([frame.id, frame.label, frame.definition, frame.include, frame.exclude])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FrameModel:
    """Per-frame logistic regressions over :func:`sentence_features`."""

    def __init__(self, frames: dict[str, str], vocabulary: list[str], coef: np.ndarray,
                 intercept: np.ndarray, add_threshold: float, provenance: dict) -> None:
        self.frames = frames  # frame id -> frame_signature, in model column order
        self.vocabulary = vocabulary
        self.index = {name: i for i, name in enumerate(vocabulary)}
        self.coef = coef  # (features, frames)
        self.intercept = intercept
        self.add_threshold = add_threshold
        self.provenance = provenance
        self._screen = _Screen(vocabulary, coef, intercept)

    def applicable_frames(self, codebook) -> tuple[str, ...]:
        """The codebook's frames this model was trained on (same id and meaning)."""
        return tuple(frame.id for frame in codebook.frames if self.frames.get(frame.id) == frame_signature(frame))

    def probabilities(self, features: Sequence[Feature]) -> dict[str, float]:
        """Frame id -> probability that the sentence with these features has the frame."""
        rows = [self.index[f.name] for f in features if f.name in self.index]
        logits = self.intercept + self.coef[rows].sum(axis=0)
        return {frame_id: 1 / (1 + math.exp(-float(z))) for frame_id, z in zip(self.frames, logits)}

    def may_add(self, sentences: Iterable[tuple[str, int, Iterable[tuple[str, int, int]], Iterable[str]]],
                frame_ids: Sequence[str], thresholds: Mapping[str, float] | None = None) -> list[bool]:
        """For each sentence, (text, start, actors, roles) as for :func:`sentence_features` without
        its sides, whether :meth:`added` may add one of ``frame_ids`` to it. False is proven: the
        sentence's probability of each of them stays below its threshold whatever sides voice it,
        so its features, probabilities and voices need not be found for the model (most sentences
        of a corpus: their logit is far below). See :class:`_Screen`."""
        screen = self._screen
        thresholds = thresholds or {}
        columns = list(self.frames)
        selected = [columns.index(frame_id) for frame_id in frame_ids]
        limits = np.array([screen.logit_limit(thresholds.get(frame_id, self.add_threshold)) for frame_id in frame_ids])
        flags: list[bool] = []
        sentences = iter(sentences)
        while batch := list(itertools.islice(sentences, SCREEN_BATCH)):
            at, rows = screen.sentence_rows(batch)
            offsets = np.flatnonzero(np.diff(at, prepend=-1))  # each sentence has its bound row: never empty
            sums = np.add.reduceat(screen.coef[rows][:, selected], offsets, axis=0)
            logits = self.intercept[selected] + sums
            terms = np.diff(offsets, append=len(rows)) + screen.extra_terms
            flags += ((logits + screen.margin(terms)[:, None]) >= limits).any(axis=1).tolist()
        return flags

    def added(self, features: Sequence[Feature], frame_ids: Iterable[str],
              thresholds: Mapping[str, float] | None = None) -> dict[str, list[dict]]:
        """Frames among ``frame_ids`` whose probability reaches the add threshold (``thresholds``:
        frame id -> its own, from the codebook's ``model_threshold``), each with its
        evidence: a ``model`` item (the probability, over the sentence) and up to
        :data:`EVIDENCE_FEATURES` ``model_feature`` items (the present features with the largest
        positive contributions; weight = contribution to the logit)."""
        probabilities = self.probabilities(features)
        thresholds = thresholds or {}
        adding = [frame_id for frame_id in frame_ids
                  if probabilities.get(frame_id, 0.0) >= thresholds.get(frame_id, self.add_threshold)]
        if not adding:  # most sentences: no evidence to build
            return {}
        present = [(f, self.index[f.name]) for f in features if f.name in self.index]
        columns = list(self.frames)
        result = {}
        for frame_id in adding:
            p = probabilities[frame_id]
            j = columns.index(frame_id)
            ranked = sorted(((float(self.coef[row, j]), f) for f, row in present if self.coef[row, j] > 0),
                            key=lambda item: (-item[0], item[1].name))[:EVIDENCE_FEATURES]
            span = (min((f.start for f in features), default=0), max((f.end for f in features), default=0))
            items = [{"cue": f"p={p:.4f}", "kind": "model", "start": span[0], "end": span[1], "weight": round(p, 4)}]
            items += [{"cue": f.name, "kind": "model_feature", "start": f.start, "end": f.end, "weight": round(w, 4)}
                      for w, f in ranked]
            result[frame_id] = items
        return result

    def to_bytes(self) -> bytes:
        """The model file's content: gzip-compressed JSON, the same bytes for the same model."""
        document = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "weight_scale": WEIGHT_SCALE,
            "frames": [[frame_id, signature] for frame_id, signature in self.frames.items()],
            "add_threshold": self.add_threshold,
            "provenance": self.provenance,
            "vocabulary": self.vocabulary,
            "coef": [to_units(column) for column in self.coef.T],
            "intercept": to_units(self.intercept),
        }
        return model_files.json_gz(document)


def fit(features: Sequence[Sequence[Feature]], gold: pd.DataFrame, codebook,
        add_threshold: float = ADD_THRESHOLD, c: float = C, provenance: dict | None = None) -> FrameModel:
    """Train one logistic regression per codebook frame (a frame with no positive or no negative
    sentence gets a constant model that never adds it).

    ``features``: :func:`sentence_features` of each training sentence; ``gold``: aligned rows
    with a 0/1 column per frame id of ``codebook``.
    """
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    counts = Counter(name for sentence in features for name in {f.name for f in sentence})
    vocabulary = sorted(name for name, n in counts.items() if n >= MIN_DF)
    index = {name: i for i, name in enumerate(vocabulary)}
    rows, cols = [], []
    for i, sentence in enumerate(features):
        present = sorted({index[f.name] for f in sentence if f.name in index})
        rows += [i] * len(present)
        cols += present
    x = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(features), len(vocabulary)))
    coef = np.zeros((len(vocabulary), len(codebook.frames)))
    intercept = np.full(len(codebook.frames), -20.0)  # never added when it could not be trained
    for j, frame in enumerate(codebook.frames):
        y = gold[frame.id].to_numpy(dtype=int)
        if 0 < y.sum() < len(y):
            model = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=1000,
                                       random_state=0).fit(x, y)
            coef[:, j], intercept[j] = model.coef_[0], model.intercept_[0]
    coef, intercept = rounded(coef), rounded(intercept)
    frames = {frame.id: frame_signature(frame) for frame in codebook.frames}
    return FrameModel(frames, vocabulary, coef, intercept, add_threshold, provenance or {})


def save_model(model: FrameModel, directory: str | Path) -> Path:
    """Write the model file and its manifest (format, version, size, SHA-256) into ``directory``."""
    return model_files.write(model.to_bytes(), directory, MODEL_FILE, MANIFEST_FILE, FORMAT_NAME, FORMAT_VERSION)


def load_model(path: str | Path | None = None) -> FrameModel:
    """Load a model file after checking it against the manifest beside it.

    Raises
    ------
    ModelFileError
        The manifest is missing or names an unknown format or version, the file's SHA-256 differs
        from the manifest's, or the content is not a frame model of the known format.
    """
    model_path = Path(path) if path is not None else Path(str(default_model_dir().joinpath(MODEL_FILE)))
    document = model_files.read(model_path, MANIFEST_FILE, FORMAT_NAME, FORMAT_VERSION, "frame model",
                                "kursk train-frames")
    try:
        if document["weight_scale"] != WEIGHT_SCALE:
            raise ModelFileError(f"{model_path}: weight scale differs from this version's")
        frames = {str(frame_id): str(signature) for frame_id, signature in document["frames"]}
        coef = from_units(document["coef"]).T.reshape(len(document["vocabulary"]), len(frames))
        intercept = from_units(document["intercept"])
        if intercept.shape != (len(frames),):
            raise ValueError("one intercept per frame expected")
        return FrameModel(frames, list(document["vocabulary"]), coef, intercept,
                          float(document["add_threshold"]), document["provenance"])
    except (KeyError, TypeError, ValueError) as err:
        if isinstance(err, ModelFileError):
            raise
        raise ModelFileError(f"{model_path}: malformed model content ({err!r})") from err


@cache
def shipped_model() -> FrameModel:
    """The shipped frame model, loaded (and its checksum checked) once per process: every framing
    batch of a run asks for it."""
    return load_model()


def check_scorer(scorer: str) -> None:
    if scorer not in SCORERS:
        raise ValueError(f"frame_scorer must be one of {', '.join(SCORERS)}, got {scorer!r}")


def training_sentences(parts: Sequence[str] = TRAINING_PARTS) -> tuple[list[list[Feature]], pd.DataFrame]:
    """Features and gold labels of the shipped blind development sentences of ``parts``, each
    read as a one-sentence document through the pipeline's actor and quote steps."""
    from kursk_utils import framing
    from kursk_utils.actors import find_mentions, load_gazetteer
    from kursk_utils.quotes import extract_quotes, sentence_speakers

    codebook = framing.load_codebook()
    folder = resources.files("kursk_utils").joinpath("data", "validation", "challenge_blind")
    features: list[list[Feature]] = []
    gold = []
    gazetteer = load_gazetteer()
    for part in parts:
        if part.startswith("heldout"):
            raise ValueError("the held-out parts are never trained on")
        with folder.joinpath(f"{part}_sentences.csv").open("rb") as handle:
            items = pd.read_csv(handle, dtype={"item_id": str})
        ids = (part + ":" + items["item_id"]).tolist()
        sentences = pd.DataFrame({"doc_id": ids, "sentence_id": 0, "paragraph_id": 0, "start": 0,
                                  "end": items["text"].str.len(), "text": items["text"]})
        documents = pd.DataFrame({"doc_id": ids, "text": items["text"], "n_sentences": 1})
        mentions = find_mentions(sentences, gazetteer)
        speakers = sentence_speakers(extract_quotes(documents, sentences, actor_mentions=mentions, gazetteer=gazetteer))
        by_key = framing.model_features(sentences, codebook, speakers, mentions)
        features += [by_key[(doc_id, 0)] for doc_id in ids]
        gold.append(items[list(codebook.frame_ids)])
    return features, pd.concat(gold, ignore_index=True)


def train_shipped_model(directory: str | Path | None = None) -> Path:
    """Train on the blind development parts (``TRAINING_PARTS``) and write the model and manifest (``kursk train-frames``)."""
    from kursk_utils import framing

    features, gold = training_sentences()
    provenance = {"trained_on": [f"challenge_blind/{part}_sentences.csv" for part in TRAINING_PARTS],
                  "n_sentences": len(gold), "positives": {f: int(gold[f].sum()) for f in gold.columns},
                  "c": C, "min_df": MIN_DF}
    model = fit(features, gold, framing.load_codebook(), provenance=provenance)
    return save_model(model, directory if directory is not None else Path(str(default_model_dir())))
