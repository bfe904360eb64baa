import gzip
import hashlib
import json
import shutil

import numpy as np
import pytest

from kursk_utils import target_sentiment as ts
from kursk_utils.validation.sentiment import classification_scores, load_newsmtsc, load_newsmtsc_train

# Hand-written sentences with the sentiment toward the marked target, labelled by reading them.
# The target is the first occurrence of the second element in the sentence.
HAND_LABELLED = [
    ("Critics accused Putin of ordering the brutal shelling of civilians.", "Putin", "negative"),
    ("Zelensky was praised by allies for his courageous leadership.", "Zelensky", "positive"),
    ("Prosecutors charged the mayor with fraud and corruption.", "the mayor", "negative"),
    ("The minister will visit Kyiv on Tuesday, officials said.", "The minister", "neutral"),
    ("Lawmakers condemned Russia for the attack, calling it a war crime.", "Russia", "negative"),
    ("The general was widely admired for his skill and honesty.", "The general", "positive"),
    ("Syrskyi met the commanders in the morning to review the schedule.", "Syrskyi", "neutral"),
    ("The president's disastrous decision was a humiliating failure, analysts said.",
     "The president", "negative"),
    ("Volunteers thanked the governor for the generous help he gave to refugees.", "the governor",
     "positive"),
    ("The company released its quarterly report on Monday.", "The company", "neutral"),
]


@pytest.fixture(scope="module")
def shipped() -> ts.TargetSentimentModel:
    return ts.load_model()


def _spans(rows):
    sentences = [sentence for sentence, _, _ in rows]
    spans = []
    for sentence, target, _ in rows:
        start = sentence.index(target)
        spans.append((start, start + len(target)))
    return sentences, spans


def test_hand_written_sentences_get_the_labels_a_reader_gives(shipped):
    sentences, spans = _spans(HAND_LABELLED)
    predicted = shipped.predict(sentences, spans)
    assert list(predicted) == [label for _, _, label in HAND_LABELLED]


def test_probabilities_are_distributions_and_the_score_is_their_difference(shipped):
    sentences, spans = _spans(HAND_LABELLED)
    probabilities = shipped.predict_proba(sentences, spans)
    assert probabilities.shape == (len(HAND_LABELLED), 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    score = ts.TargetSentimentModel.expected_score(probabilities)
    np.testing.assert_allclose(score, probabilities[:, 2] - probabilities[:, 0])
    # The first sentence is negative toward Putin, the second positive toward Zelensky.
    assert score[0] < 0 < score[1]
    assert shipped.predict_proba([], []).shape == (0, 3)


def test_the_score_depends_on_the_target(shipped):
    model = shipped
    sentence = "Zelensky thanked the soldiers, while Putin was condemned for the brutal attack."
    zelensky, putin = (0, 8), (sentence.index("Putin"), sentence.index("Putin") + 5)
    scores = model.expected_score(model.predict_proba([sentence, sentence], [zelensky, putin]))
    assert scores[1] < scores[0]


def test_bad_spans_give_a_clear_error(shipped):
    with pytest.raises(ValueError, match="outside a text of length 5"):
        shipped.predict_proba(["short"], [(3, 9)])
    with pytest.raises(ValueError, match="1 sentences but 2 spans"):
        shipped.predict_proba(["short"], [(0, 1), (1, 2)])


def test_devtest_rw_macro_f1_reaches_the_floor(shipped):
    targets = load_newsmtsc("devtest_rw")
    predicted = shipped.predict(targets["sentence"].tolist(), list(zip(targets["start"], targets["end"])))
    assert classification_scores(targets["polarity"], predicted)["f1_macro"] >= 0.65


def test_feature_indices_are_the_known_feature_names(shipped):
    # The model looks features up by prefix without building their names: the same multiset as
    # looking up every name extract_features gives (quotes, negators, lexicon words, colons).
    targets = load_newsmtsc("devtest_rw")
    rows = list(zip(targets["sentence"], targets["start"], targets["end"]))
    rows += [('Critics said: "not a good plan: a terrible, awful one," of Smith\'s idea.', 59, 64),
             ("w: b: x: Smith", 9, 14)]
    for sentence, start, end in rows:
        names = ts.extract_features(sentence, start, end, shipped.settings, shipped.lexicon)
        expected = sorted(shipped.index[name] for name in names if name in shipped.index)
        assert sorted(shipped.feature_indices(sentence, start, end)) == expected


def _small_training_set():
    train = load_newsmtsc_train().iloc[:600]
    return train["sentence"].tolist(), list(zip(train["start"], train["end"])), train["polarity"].tolist()


def test_training_is_deterministic_and_the_file_round_trips(tmp_path):
    sentences, spans, labels = _small_training_set()
    first = ts.fit(sentences, spans, labels, ts.SHIPPED_SETTINGS, {"n_targets": len(labels)})
    second = ts.fit(sentences, spans, labels, ts.SHIPPED_SETTINGS, {"n_targets": len(labels)})
    assert first.to_bytes() == second.to_bytes()
    path = ts.save_model(first, tmp_path)
    manifest = json.loads((tmp_path / ts.MANIFEST_FILE).read_text())
    assert manifest["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert manifest["format_version"] == ts.FORMAT_VERSION
    loaded = ts.load_model(path)
    assert loaded.vocabulary == sorted(loaded.vocabulary) == first.vocabulary
    # The in-memory model already predicts with the stored precision: loading changes nothing.
    np.testing.assert_array_equal(
        loaded.predict_proba(sentences[:50], spans[:50]), first.predict_proba(sentences[:50], spans[:50])
    )


def test_fit_refuses_unknown_labels():
    with pytest.raises(ValueError, match="unknown: \\['angry'\\]"):
        ts.fit(["Putin spoke."], [(0, 5)], ["angry"])


@pytest.fixture
def copied(tmp_path):
    directory = ts.default_model_dir()
    for name in (ts.MODEL_FILE, ts.MANIFEST_FILE):
        shutil.copyfile(str(directory.joinpath(name)), tmp_path / name)
    return tmp_path


def test_loading_refuses_a_tampered_file(copied):
    path = copied / ts.MODEL_FILE
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF
    path.write_bytes(bytes(content))
    with pytest.raises(ts.ModelFileError, match="SHA-256 .* does not match the manifest"):
        ts.load_model(path)


def _write_with_manifest(directory, document, manifest_changes=None):
    content = gzip.compress(json.dumps(document).encode(), mtime=0)
    (directory / ts.MODEL_FILE).write_bytes(content)
    manifest = {"file": ts.MODEL_FILE, "format": ts.FORMAT_NAME, "format_version": ts.FORMAT_VERSION,
                "bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    manifest.update(manifest_changes or {})
    (directory / ts.MANIFEST_FILE).write_text(json.dumps(manifest))
    return directory / ts.MODEL_FILE


def test_loading_refuses_an_unknown_format_or_version(tmp_path):
    path = _write_with_manifest(tmp_path, {"format": "sklearn-pickle", "format_version": 1})
    with pytest.raises(ts.ModelFileError, match="not a kursk-target-sentiment file"):
        ts.load_model(path)
    path = _write_with_manifest(tmp_path, {"format": ts.FORMAT_NAME, "format_version": 99})
    with pytest.raises(ts.ModelFileError, match="format version 99 is unknown"):
        ts.load_model(path)
    path = _write_with_manifest(tmp_path, {}, {"format_version": 2})
    with pytest.raises(ts.ModelFileError, match="manifest .* format version 2 is unknown"):
        ts.load_model(path)


def test_loading_refuses_malformed_content_or_a_missing_manifest(copied, tmp_path):
    document = json.loads(gzip.decompress((copied / ts.MODEL_FILE).read_bytes()))
    document["idf"] = document["idf"][:-1]
    path = _write_with_manifest(tmp_path, document)
    with pytest.raises(ts.ModelFileError, match="do not fit a vocabulary"):
        ts.load_model(path)
    (tmp_path / ts.MANIFEST_FILE).unlink()
    with pytest.raises(ts.ModelFileError, match="cannot read"):
        ts.load_model(path)
    (tmp_path / ts.MODEL_FILE).write_bytes(b"not gzip")
    _write_raw = hashlib.sha256(b"not gzip").hexdigest()
    (tmp_path / ts.MANIFEST_FILE).write_text(json.dumps(
        {"format": ts.FORMAT_NAME, "format_version": ts.FORMAT_VERSION, "sha256": _write_raw}
    ))
    with pytest.raises(ts.ModelFileError, match="not a gzip-compressed JSON model"):
        ts.load_model(path)
