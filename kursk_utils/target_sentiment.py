"""Sentiment toward a target mention, from a linear model trained on news (NewsMTSC).

VADER scores a whole sentence whoever the target is. This model reads the sentence *around* the
target: TF-IDF weighted word and word-pair features of the sentence with the target masked, the
words just left and right of it, in its clause and inside quotation marks (most opinions in news
are quoted), the mention's own words, and VADER lexicon hits binned by polarity and placed
relative to the target, fed to a multinomial logistic regression trained on NewsMTSC's
``train.jsonl`` (macro-F1 0.674 on devtest_rw against 0.543 for actor-level VADER; see
``docs/target_sentiment.md`` for the figures and what was tried).

The weights ship as ``kursk_utils/data/models/target_sentiment.json.gz`` beside a manifest that
records the format version and the file's SHA-256. Loading parses JSON only (no pickle: nothing in
the file is executed) and refuses a file whose checksum or format does not match
(:class:`~kursk_utils.model_files.ModelFileError`; the file format of :mod:`kursk_utils.model_files`).
Inference needs NumPy only; scikit-learn is used for training.

Training is deterministic: the vocabulary is sorted, the solver runs single-threaded from a fixed
start, weights are rounded to :data:`WEIGHT_SCALE` and written with fixed key order and a zero
gzip timestamp, so ``kursk train-sentiment`` writes the same bytes every time.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import chain
from pathlib import Path

import numpy as np

from kursk_utils import model_files
from kursk_utils.model_files import WEIGHT_SCALE, ModelFileError, default_model_dir, from_units, rounded, to_units
from kursk_utils.sentiment import LABELS, get_analyzer

FORMAT_NAME = "kursk-target-sentiment"
FORMAT_VERSION = 1
MODEL_FILE = "target_sentiment.json.gz"
MANIFEST_FILE = "target_sentiment.manifest.json"
CLASSES = LABELS  # column order of predict_proba: negative, neutral, positive
TARGET_TOKEN = "<t>"

_TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*|[^\w\s]")
_QUOTE_CHARS = "\"\u201c\u201d"
_NEGATORS = frozenset({"not", "no", "never", "n't", "nor", "without", "cannot"})
_CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")", "-", "\u2013", "\u2014", "but", "while",
                            "although", "whereas"})
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]*)[\"\u201d]")
_NO_FEATURES: dict[str, int] = {}


@dataclass(frozen=True)
class FeatureSettings:
    """Which features the model reads, and the training settings chosen by cross-validation.

    Attributes
    ----------
    bigrams : bool
        Word pairs of the target-masked sentence besides single words.
    window : int
        Words on each side of the target that also count as side-specific features (0: none).
    quotes : bool
        Words inside quotation marks count again as quoted words, and whether the target is
        inside or outside a quote is a feature.
    lexicon : bool
        Words of the VADER lexicon also count by polarity and strength (``x:neg2``, ...), overall,
        per side of the target, near it and inside quotes; a negator among the three words
        before flips the polarity. The binned lexicon is stored in the model file.
    clause : bool
        Words of the target's clause (between the nearest ``, ; : ( ) -`` or "but", "while",
        "although", "whereas" on either side) count again (``c:``, and ``xc:`` for lexicon words).
    mention : bool
        The words of the mention itself count (``m:``), e.g. pronouns versus names.
    stems : bool
        Each word also counts by its first five letters (``s:``), a cheap stand-in for
        character n-grams that lets inflections share weight.
    min_df : int
        A feature must occur in at least this many training examples to enter the vocabulary.
    c : float
        Inverse regularisation strength of the logistic regression.
    balanced : bool
        Weight the classes inversely to their frequency in training.
    """

    bigrams: bool = True
    window: int = 3
    quotes: bool = True
    lexicon: bool = True
    stems: bool = True
    clause: bool = True
    mention: bool = True
    min_df: int = 2
    c: float = 4.0
    balanced: bool = True


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _quoted_spans(sentence: str) -> list[tuple[int, int]]:
    return [(match.start(), match.end()) for match in _QUOTED.finditer(sentence)]


def lexicon_bins(lexicon: dict[str, float]) -> dict[str, str]:
    """Bin VADER valences: ``neg1``/``pos1`` below 2 in magnitude, ``neg2``/``pos2`` from 2."""
    return {word: ("neg" if valence < 0 else "pos") + ("2" if abs(valence) >= 2 else "1")
            for word, valence in sorted(lexicon.items()) if valence}


def _flip(polarity: str) -> str:
    return ("pos" if polarity.startswith("neg") else "neg") + polarity[3:]


def _polarities(words: list[str], bins: dict[str, str]) -> list[str | None]:
    """The lexicon polarity of each word (None outside the lexicon), flipped after a negator."""
    polarities = []
    for position, word in enumerate(words):
        polarity = bins.get(word)
        if polarity is not None and any(
            w in _NEGATORS or w.endswith(("n't", "n\u2019t")) for w in words[max(0, position - 3):position]
        ):
            polarity = _flip(polarity)
        polarities.append(polarity)
    return polarities


def extract_features(sentence: str, start: int, end: int, settings: FeatureSettings,
                     lexicon: dict[str, str] | None = None) -> list[str]:
    """Return the feature names of the target at ``sentence[start:end]`` (repeated per occurrence).

    ``w:`` words, ``s:`` stems and ``b:`` word pairs of the sentence with the target replaced by
    ``<t>``; ``l1:``.. / ``r1:``.. the words at each distance left and right of the target (up to
    ``window``) and ``L:``/``R:`` every word on that side; ``m:`` the mention's words; ``c:`` the
    words of the target's clause; ``x:``, ``xL:``/``xR:``, ``xn:`` (near), ``xc:`` (clause) and
    ``xq:`` (quoted) polarity bins of lexicon words (``lexicon``: word -> bin from
    :func:`lexicon_bins`); ``q:`` words inside quotation marks not containing the target; ``_tq``
    (the target is quoted), ``_oq`` (the sentence quotes someone and the target is outside).
    Which groups are produced follows ``settings``.

    Examples
    --------
    >>> extract_features('Critics called Smith "a liar".', 15, 20, FeatureSettings(window=1))[:4]
    ['w:critics', 'w:called', 'w:<t>', 'w:"']
    """
    return [name if prefix is None else f"{prefix}:{name}"
            for prefix, names in _feature_groups(sentence, start, end, settings, lexicon)
            for name in names]


def _feature_groups(sentence: str, start: int, end: int, settings: FeatureSettings,
                    lexicon: dict[str, str] | None) -> list[tuple[str | None, list[str]]]:
    """The features of :func:`extract_features` as (prefix, the names after ``prefix:``) groups;
    prefix None for names without one. The model looks the names up per prefix
    (:meth:`TargetSentimentModel.transform`) without building each ``prefix:name`` string."""
    if not 0 <= start < end <= len(sentence):
        raise ValueError(f"target span [{start}, {end}) is outside a text of length {len(sentence)}")
    left, right = _tokens(sentence[:start]), _tokens(sentence[end:])
    words = [*left, TARGET_TOKEN, *right]
    groups: list[tuple[str | None, list[str]]] = [("w", words)]
    if settings.stems:
        groups.append(("s", [word[:5] for word in words if len(word) > 5]))
    if settings.bigrams:
        groups.append(("b", [f"{first} {second}" for first, second in zip(words, words[1:])]))
    groups += [("L", left), ("R", right)]
    for distance in range(1, settings.window + 1):
        if distance <= len(left):
            groups.append((f"l{distance}", [left[-distance]]))
        if distance <= len(right):
            groups.append((f"r{distance}", [right[distance - 1]]))
    target_at = len(left)
    if settings.mention:
        groups.append(("m", _tokens(sentence[start:end])))
    clause = range(0)
    if settings.clause:
        clause_start = max((i + 1 for i in range(target_at) if words[i] in _CLAUSE_BREAKS), default=0)
        clause_end = min((i for i in range(target_at + 1, len(words)) if words[i] in _CLAUSE_BREAKS),
                         default=len(words))
        clause = range(clause_start, clause_end)
        groups.append(("c", [words[i] for i in clause if i != target_at]))
    bins = lexicon if settings.lexicon else None
    if bins is not None:
        found = [(position, polarity) for position, polarity in enumerate(_polarities(words, bins))
                 if polarity is not None]
        groups += [
            ("x", [polarity for _, polarity in found]),
            ("xL", [polarity for position, polarity in found if position < target_at]),
            ("xR", [polarity for position, polarity in found if position >= target_at]),
            ("xn", [polarity for position, polarity in found
                    if abs(position - target_at) <= settings.window]),
            ("xc", [polarity for position, polarity in found if position in clause]),
        ]
    if settings.quotes:
        for quote_start, quote_end in _quoted_spans(sentence):
            inside = quote_start <= start and end <= quote_end
            groups.append((None, ["_tq" if inside else "_oq"]))
            if quote_start >= end or quote_end <= start:
                quoted = [w for w in _tokens(sentence[quote_start:quote_end]) if w not in _QUOTE_CHARS]
                groups.append(("q", quoted))
                if bins is not None:
                    groups.append(("xq", [p for p in _polarities(quoted, bins) if p is not None]))
    return groups


class TargetSentimentModel:
    """A trained target-sentiment model: vocabulary, idf, class weights; see :func:`load_model`.

    Parameters
    ----------
    settings : FeatureSettings
    vocabulary : Sequence[str]
        Feature names, sorted; row ``i`` of ``coef`` and entry ``i`` of ``idf`` belong to name ``i``.
    idf : numpy.ndarray
        Inverse document frequency of each feature, shape ``(n_features,)``.
    coef : numpy.ndarray
        Class weights, shape ``(n_features, 3)``, columns in :data:`CLASSES` order.
    intercept : numpy.ndarray
        Shape ``(3,)``.
    provenance : dict
        What the model was trained on and how (JSON-serialisable; written into the file).
    """

    def __init__(self, settings: FeatureSettings, vocabulary: Sequence[str], idf: np.ndarray,
                 coef: np.ndarray, intercept: np.ndarray, provenance: dict,
                 lexicon: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.lexicon = dict(lexicon or {})
        self.vocabulary = list(vocabulary)
        self.index = {name: i for i, name in enumerate(self.vocabulary)}
        # The index of each "prefix:name" feature by prefix, then name (None: whole names).
        self._index_by_prefix: dict[str | None, dict[str, int]] = {None: self.index}
        for name, i in self.index.items():
            prefix, colon, rest = name.partition(":")
            if colon:
                self._index_by_prefix.setdefault(prefix, {})[rest] = i
        self.idf = np.asarray(idf, dtype="float64")
        self.coef = np.asarray(coef, dtype="float64")
        self.intercept = np.asarray(intercept, dtype="float64")
        self.provenance = provenance
        n_features = len(self.vocabulary)
        if self.idf.shape != (n_features,) or self.coef.shape != (n_features, len(CLASSES)) \
                or self.intercept.shape != (len(CLASSES),):
            raise ModelFileError(
                f"model arrays do not fit a vocabulary of {n_features}: idf {self.idf.shape}, "
                f"coef {self.coef.shape}, intercept {self.intercept.shape}"
            )

    def feature_indices(self, sentence: str, start: int, end: int) -> list[int]:
        """The vocabulary index of each :func:`extract_features` name of the target that the model
        knows (repeated per occurrence, in no particular order)."""
        # One filtered pass over the look-ups of every group (a list per group cost more).
        by_prefix = self._index_by_prefix
        looked_up = chain.from_iterable(
            map(by_prefix.get(prefix, _NO_FEATURES).get, names)
            for prefix, names in _feature_groups(sentence, start, end, self.settings, self.lexicon)
        )
        return [i for i in looked_up if i is not None]

    def transform(self, sentences: Sequence[str], spans: Sequence[tuple[int, int]]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sparse TF-IDF rows of the targets as ``(indptr, indices, values)`` (rows L2-normalised).

        Term frequency is sublinear (``1 + log(count)``); features outside the vocabulary are
        dropped. Within a row, features are sorted by index.
        """
        if len(sentences) != len(spans):
            raise ValueError(f"{len(sentences)} sentences but {len(spans)} spans")
        rows, indices = [], []
        for row, (sentence, (start, end)) in enumerate(zip(sentences, spans)):
            known = self.feature_indices(sentence, start, end)
            indices += known
            rows += [row] * len(known)
        # Count each (row, feature) pair: unique keys come out sorted by row, then feature.
        n_rows, n_features = len(sentences), len(self.vocabulary)
        keys, counts = np.unique(
            np.asarray(rows, dtype="int64") * n_features + np.asarray(indices, dtype="int64"),
            return_counts=True,
        )
        row_of, index_array = np.divmod(keys, n_features)
        values = (1.0 + np.log(counts)) * self.idf[index_array]
        norms = np.sqrt(np.bincount(row_of, values * values, minlength=n_rows))
        values /= np.where(norms > 0, norms, 1.0)[row_of]
        indptr = np.concatenate([[0], np.cumsum(np.bincount(row_of, minlength=n_rows))])
        return indptr.astype("int64"), index_array, values

    def predict_proba(self, sentences: Sequence[str], spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """Class probabilities toward each target, shape ``(n, 3)`` in :data:`CLASSES` order.

        Parameters
        ----------
        sentences : Sequence[str]
            The sentence of each target.
        spans : Sequence[tuple[int, int]]
            ``(start, end)`` character span of the target in its sentence, end exclusive.
        """
        indptr, indices, values = self.transform(sentences, spans)
        n_rows = len(indptr) - 1
        row_of = np.repeat(np.arange(n_rows), np.diff(indptr))
        logits = np.column_stack([
            intercept + np.bincount(row_of, values * self.coef[indices, k], minlength=n_rows)
            for k, intercept in enumerate(self.intercept)
        ]) if n_rows else np.empty((0, len(CLASSES)))
        logits -= logits.max(axis=1, keepdims=True, initial=-np.inf)
        probabilities = np.exp(logits)
        return probabilities / probabilities.sum(axis=1, keepdims=True)

    def predict(self, sentences: Sequence[str], spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """The most probable label of each target (one of :data:`CLASSES`)."""
        return np.asarray(CLASSES)[self.predict_proba(sentences, spans).argmax(axis=1)]

    @staticmethod
    def expected_score(probabilities: np.ndarray) -> np.ndarray:
        """A compound-like score in [-1, 1]: P(positive) - P(negative)."""
        return probabilities[:, 2] - probabilities[:, 0]

    def to_bytes(self) -> bytes:
        """The model file's content: gzip-compressed JSON, the same bytes for the same model."""
        document = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "classes": list(CLASSES),
            "settings": asdict(self.settings),
            "provenance": self.provenance,
            "weight_scale": WEIGHT_SCALE,
            "vocabulary": self.vocabulary,
            "idf": to_units(self.idf),
            "lexicon": self.lexicon,
            "coef": [to_units(column) for column in self.coef.T],
            "intercept": to_units(self.intercept),
        }
        return model_files.json_gz(document)


def fit(sentences: Sequence[str], spans: Sequence[tuple[int, int]], labels: Sequence[str],
        settings: FeatureSettings = FeatureSettings(), provenance: dict | None = None
        ) -> TargetSentimentModel:
    """Train a model on labelled targets (labels from :data:`CLASSES`); deterministic.

    The idf and the weights are rounded to the precision they are stored with, and the returned
    model predicts with the rounded values, so it predicts exactly as it will after saving.
    """
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    unknown = sorted(set(labels) - set(CLASSES))
    if unknown or not len(labels) == len(sentences) == len(spans):
        raise ValueError(f"need one label of {CLASSES} per target (unknown: {unknown})")
    lexicon = lexicon_bins(get_analyzer().lexicon) if settings.lexicon else {}
    counted = [Counter(extract_features(s, a, b, settings, lexicon))
               for s, (a, b) in zip(sentences, spans)]
    document_frequency = Counter(name for counts in counted for name in counts)
    vocabulary = sorted(name for name, df in document_frequency.items() if df >= settings.min_df)
    n_documents = len(counted)
    idf = rounded(np.asarray(
        [math.log((1 + n_documents) / (1 + document_frequency[name])) + 1 for name in vocabulary]
    ))
    placeholder = TargetSentimentModel(
        settings, vocabulary, idf, np.zeros((len(vocabulary), 3)), np.zeros(3), {}, lexicon
    )
    indptr, indices, values = placeholder.transform(sentences, spans)
    matrix = csr_matrix((values, indices, indptr), shape=(n_documents, len(vocabulary)))
    classifier = LogisticRegression(
        C=settings.c, class_weight="balanced" if settings.balanced else None,
        solver="lbfgs", max_iter=2000, tol=1e-6,
    )
    with threadpool_limits(limits=1):
        classifier.fit(matrix, [CLASSES.index(label) for label in labels])
    return TargetSentimentModel(
        settings, vocabulary, idf, rounded(classifier.coef_.T), rounded(classifier.intercept_),
        provenance or {}, lexicon,
    )


def save_model(model: TargetSentimentModel, directory: str | Path) -> Path:
    """Write the model file and its manifest (format, version, size, SHA-256) into ``directory``."""
    return model_files.write(model.to_bytes(), directory, MODEL_FILE, MANIFEST_FILE, FORMAT_NAME, FORMAT_VERSION)


def load_model(path: str | Path | None = None) -> TargetSentimentModel:
    """Load a model file after checking it against the manifest beside it.

    Parameters
    ----------
    path : str or Path, optional
        The model file (its manifest, :data:`MANIFEST_FILE`, must be in the same folder); the
        shipped model by default.

    Raises
    ------
    ModelFileError
        The manifest is missing or names an unknown format or version, the file's SHA-256 differs
        from the manifest's, or the content is not a model of the known format.
    """
    model_path = Path(path) if path is not None else Path(str(default_model_dir().joinpath(MODEL_FILE)))
    document = model_files.read(model_path, MANIFEST_FILE, FORMAT_NAME, FORMAT_VERSION,
                                "target-sentiment model", "kursk train-sentiment")
    try:
        if document["classes"] != list(CLASSES) or document["weight_scale"] != WEIGHT_SCALE:
            raise ModelFileError(f"{model_path}: classes or weight scale differ from this version's")
        return TargetSentimentModel(
            FeatureSettings(**document["settings"]),
            document["vocabulary"],
            from_units(document["idf"]),
            from_units(document["coef"]).T,
            from_units(document["intercept"]),
            document["provenance"],
            document["lexicon"],
        )
    except (KeyError, TypeError, ValueError) as err:
        if isinstance(err, ModelFileError):
            raise
        raise ModelFileError(f"{model_path}: malformed model content ({err!r})") from err


SHIPPED_SETTINGS = FeatureSettings()


def train_shipped_model(directory: str | Path | None = None,
                        settings: FeatureSettings = SHIPPED_SETTINGS) -> Path:
    """Train on NewsMTSC ``train.jsonl`` and write the model and manifest (``kursk train-sentiment``).

    Parameters
    ----------
    directory : str or Path, optional
        Where to write; the package's model folder (:func:`default_model_dir`) by default.

    Returns
    -------
    Path
        The model file written.
    """
    # Imported here: the validation module imports this one to measure the model.
    from kursk_utils.validation.sentiment import NEWSMTSC_TRAIN_SPLIT, load_newsmtsc_train

    train = load_newsmtsc_train()
    provenance = {
        "trained_on": f"NewsMTSC {NEWSMTSC_TRAIN_SPLIT}.jsonl (Hamborg & Donnay 2021, MIT)",
        "n_targets": len(train),
        "labels": {label: int((train["polarity"] == label).sum()) for label in CLASSES},
    }
    model = fit(train["sentence"].tolist(), list(zip(train["start"], train["end"])),
                train["polarity"].tolist(), settings, provenance)
    return save_model(model, directory if directory is not None else Path(str(default_model_dir())))
