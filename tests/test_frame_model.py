import gzip
import hashlib
import json
import shutil

import numpy as np
import pandas as pd
import pytest

from kursk_utils import frame_model as fm
from kursk_utils import cue_index, framing, stages
from kursk_utils.actors import load_gazetteer
from kursk_utils.quotes import extract_quotes, sentence_speakers
from kursk_utils.target_sentiment import ModelFileError
from kursk_utils.validation.framing import _tables_from_texts, detect_as_pipeline

US = "us_support_distrust"
SF = "soldier_frustration"
# Written for these tests (not in any training part): doubt about US support in words no cue has.
UNCUED_DISTRUST = ("Kyiv has learned that American help comes with conditions attached and can vanish "
                   "overnight, a Ukrainian officer said.")
# The side is named where the model's words do not tell it (the model trained on dev..dev13 reads
# "a Russian contract soldier" as no frustration by itself).
COMPLAINT = ("\"We were told to hold and then nobody answered the radio,\" a soldier of the {} army "
             "complained, angry at his commanders.")


@pytest.fixture(scope="module")
def shipped() -> fm.FrameModel:
    return fm.load_model()


def _detect(texts: list[str], scorer: str, codebook_path: str | None = None) -> dict:
    documents, sentences = _tables_from_texts([f"t{i}" for i in range(len(texts))], texts)
    analysed = stages.analyze_sentiment(sentences, stages.SentimentSettings())
    return stages.analyze_framing(documents, sentences, analysed["actor_mentions"],
                                  analysed["sentence_sentiment"],
                                  stages.FramingSettings(codebook_path=codebook_path, frame_scorer=scorer))


def test_training_is_deterministic_and_reproduces_the_shipped_file(tmp_path):
    path = fm.train_shipped_model(tmp_path)
    shipped = fm.default_model_dir().joinpath(fm.MODEL_FILE).read_bytes()
    assert path.read_bytes() == shipped  # `kursk train-frames` wrote the shipped bytes
    manifest = json.loads((tmp_path / fm.MANIFEST_FILE).read_text())
    assert manifest["sha256"] == hashlib.sha256(shipped).hexdigest()
    model = fm.load_model(path)
    assert model.vocabulary == sorted(model.vocabulary)
    assert list(model.frames) == list(framing.load_codebook().frame_ids)
    assert model.provenance["n_sentences"] == 3209  # the fifteen dev parts (209 + 160 + 240 + 5 x 300 + 200 + 6 x 150), no held-out part


def test_training_refuses_the_held_out_parts():
    with pytest.raises(ValueError, match="never trained on"):
        fm.training_sentences(["dev", "heldout"])


def test_a_sentence_only_the_model_flags_carries_its_evidence():
    rules = _detect([UNCUED_DISTRUST], "rules")["frames_by_sentence"]
    hybrid = _detect([UNCUED_DISTRUST], "hybrid")["frames_by_sentence"]
    assert US not in set(rules["frame"])
    row = hybrid[hybrid["frame"] == US].iloc[0]
    evidence = json.loads(row["evidence"])
    model_item = next(item for item in evidence if item["kind"] == "model")
    assert model_item["weight"] >= fm.ADD_THRESHOLD
    features = [item for item in evidence if item["kind"] == "model_feature"]
    assert 1 <= len(features) <= fm.EVIDENCE_FEATURES and all(item["weight"] > 0 for item in features)
    for item in features:  # each feature stands on the words it names (offsets: the sentence's)
        kind, _, name = item["cue"].partition(":")
        covered = UNCUED_DISTRUST[item["start"]:item["end"]].lower()
        words = [w for w in name.split(" ") if not w.startswith("@")] if kind in "wb" else []
        if kind == "v":
            assert covered == UNCUED_DISTRUST.lower()
        elif name.split(" ")[0] == words[:1] and words:
            assert covered.startswith(words[0])
        if words and not name.endswith(tuple("@" + g for g in ("us", "ukraine_soldiers"))):
            assert covered.endswith(words[-1])
    frame = next(f for f in framing.load_codebook().frames if f.id == US)
    assert row["score"] == frame.threshold  # present at its threshold, on the model's word
    _, sentences = _tables_from_texts(["t0"], [UNCUED_DISTRUST])
    shown = framing.evidence_table(hybrid, sentences, US)["cues"].iloc[0].split("; ")
    assert sorted(shown) == sorted([model_item["cue"]] + [item["cue"] for item in features])


def test_the_side_rules_veto_the_model(shipped):
    codebook = framing.load_codebook()
    eager = fm.FrameModel(shipped.frames, shipped.vocabulary, shipped.coef, shipped.intercept, 0.5,
                          shipped.provenance)
    texts = [COMPLAINT.format("Russian"), COMPLAINT.format("Ukrainian")]
    documents, sentences = _tables_from_texts(["ru", "ua"], texts)
    analysed = stages.analyze_sentiment(sentences, stages.SentimentSettings())
    speakers = sentence_speakers(extract_quotes(documents, sentences, actor_mentions=analysed["actor_mentions"],
                                                gazetteer=load_gazetteer()))
    features = framing.model_features(sentences, codebook, speakers, analysed["actor_mentions"])
    assert SF in eager.added(features[("ru", 0)], codebook.frame_ids)  # the words alone say frustration
    detected = framing.detect_frames(sentences, codebook, speakers=speakers,
                                     actor_mentions=analysed["actor_mentions"], frame_model=eager)
    flagged = set(zip(detected["doc_id"], detected["frame"]))
    assert ("ru", SF) not in flagged  # a Russian soldier's complaint is not the frame (rule R1)
    assert ("ua", SF) in flagged


def test_the_model_adds_a_frame_to_a_sentence_no_cue_can_match(shipped):
    codebook = framing.load_codebook()
    free = next(frame.id for frame in codebook.frames if not frame.requires and not frame.voice_side)
    text = "The cat slept in a basket by the window."
    assert not codebook.pattern_index.match_starts(cue_index.fold(text))  # no cue may match here
    intercept = shipped.intercept.copy()
    intercept[list(shipped.frames).index(free)] = 20.0  # this model adds the frame to any sentence
    eager = fm.FrameModel(shipped.frames, shipped.vocabulary, shipped.coef, intercept, fm.ADD_THRESHOLD,
                          shipped.provenance)
    _, sentences = _tables_from_texts(["t0"], [text])
    assert framing.detect_frames(sentences, codebook).empty
    detected = framing.detect_frames(sentences, codebook, frame_model=eager)
    assert list(detected["frame"]) == [free]
    assert [item["kind"] for item in json.loads(detected["evidence"].iloc[0])][0] == "model"


def test_hybrid_is_the_default_and_only_adds_to_the_rules(shipped):
    assert stages.FramingSettings().frame_scorer == "hybrid"
    items = pd.read_csv(fm.default_model_dir().parent.joinpath("validation", "challenge_blind", "dev2_sentences.csv"))
    documents, sentences = _tables_from_texts(items["item_id"].tolist(), items["text"].tolist())
    rules = detect_as_pipeline(documents, sentences, stages.SentimentSettings(),
                               stages.FramingSettings(frame_scorer="rules"))
    hybrid = detect_as_pipeline(documents, sentences, stages.SentimentSettings(), stages.FramingSettings())
    merged = rules.merge(hybrid, on=["doc_id", "sentence_id", "frame"], how="left", suffixes=("", "_h"))
    assert merged["score_h"].notna().all()  # every rule flag is kept ...
    assert (merged["evidence"] == merged["evidence_h"]).all()  # ... with the same evidence
    added = hybrid.merge(rules, on=["doc_id", "sentence_id", "frame"], how="left", indicator=True)
    added = added[added["_merge"] == "left_only"]
    assert len(added) > 0 and all('"kind": "model"' in e for e in added["evidence_x"])


def test_a_user_codebook_falls_back_to_rules_for_frames_the_model_does_not_know(tmp_path, shipped):
    text = framing.DEFAULT_CODEBOOK_PATH.read_text(encoding="utf-8")
    definition = ('definition = "Ukrainian soldiers\' or front-line units\' frustration, anger, '
                  'disappointment, despair or criticism."')
    assert definition in text
    changed = tmp_path / "codebook.toml"
    changed.write_text(text.replace(definition, 'definition = "Any soldier\'s anger."'), encoding="utf-8")
    codebook = framing.load_codebook(changed)
    assert SF not in shipped.applicable_frames(codebook)
    assert set(shipped.applicable_frames(codebook)) == set(codebook.frame_ids) - {SF}
    results = _detect([UNCUED_DISTRUST], "hybrid", str(changed))
    warnings = results["framing_warnings"]
    assert warnings["kind"].tolist() == ["frame_model_fallback"] and SF in warnings["detail"].iloc[0]
    assert US in set(results["frames_by_sentence"]["frame"])  # the frames it knows still get it
    assert _detect([UNCUED_DISTRUST], "hybrid")["framing_warnings"].empty


def test_an_unknown_scorer_is_refused():
    with pytest.raises(ValueError, match="frame_scorer must be one of rules, hybrid"):
        stages.FramingSettings(frame_scorer="neural")


@pytest.fixture
def copied(tmp_path):
    directory = fm.default_model_dir()
    for name in (fm.MODEL_FILE, fm.MANIFEST_FILE):
        shutil.copyfile(str(directory.joinpath(name)), tmp_path / name)
    return tmp_path


def test_loading_refuses_a_tampered_file(copied):
    path = copied / fm.MODEL_FILE
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF
    path.write_bytes(bytes(content))
    with pytest.raises(ModelFileError, match="SHA-256 .* does not match the manifest"):
        fm.load_model(path)


def _write_with_manifest(directory, document):
    content = gzip.compress(json.dumps(document).encode(), mtime=0)
    (directory / fm.MODEL_FILE).write_bytes(content)
    (directory / fm.MANIFEST_FILE).write_text(json.dumps(
        {"file": fm.MODEL_FILE, "format": fm.FORMAT_NAME, "format_version": fm.FORMAT_VERSION,
         "bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}))
    return directory / fm.MODEL_FILE


def test_loading_refuses_another_format_or_malformed_content(copied):
    document = json.loads(gzip.decompress((copied / fm.MODEL_FILE).read_bytes()))
    document["intercept"] = document["intercept"][:-1]
    with pytest.raises(ModelFileError, match="malformed model content"):
        fm.load_model(_write_with_manifest(copied, document))
    with pytest.raises(ModelFileError, match="not a kursk-frame-model file"):
        fm.load_model(_write_with_manifest(copied, {"format": "sklearn-pickle", "format_version": 1}))


# Written for these tests: a soldier's sarcastic complaint no cue matches, which the model rates
# between soldier_frustration's own model_threshold (0.65) and the default add threshold (0.75).
SARCASM = '"We got speeches instead of shells," said a corporal.'
NO_BLAME = "Taras is not angry at the command for the delay in the order to leave, he said."


def _features(text: str) -> list:
    """The frame model's features of a one-sentence text, as the pipeline builds them."""
    codebook = framing.load_codebook()
    documents, sentences = _tables_from_texts(["t0"], [text])
    analysed = stages.analyze_sentiment(sentences, stages.SentimentSettings())
    speakers = sentence_speakers(extract_quotes(documents, sentences, actor_mentions=analysed["actor_mentions"],
                                                gazetteer=load_gazetteer()))
    return framing.model_features(sentences, codebook, speakers, analysed["actor_mentions"])[("t0", 0)]


def _sf_probability(shipped, text: str) -> float:
    return shipped.probabilities(_features(text))[SF]


def test_a_frames_model_threshold_lets_the_model_add_it_below_the_default(tmp_path, shipped):
    codebook = framing.load_codebook()
    threshold = next(frame.model_threshold for frame in codebook.frames if frame.id == SF)
    assert threshold is not None and threshold <= _sf_probability(shipped, SARCASM) < shipped.add_threshold
    assert SF not in set(_detect([SARCASM], "rules")["frames_by_sentence"]["frame"])
    found = _detect([SARCASM], "hybrid")["frames_by_sentence"]
    assert SF in set(found["frame"])
    assert json.loads(found.loc[found["frame"] == SF, "evidence"].iloc[0])[0]["kind"] == "model"
    text = framing.DEFAULT_CODEBOOK_PATH.read_text(encoding="utf-8")
    assert f"model_threshold = {threshold}\n" in text
    default = tmp_path / "codebook.toml"
    default.write_text(text.replace(f"model_threshold = {threshold}\n", ""), encoding="utf-8")
    assert SF not in set(_detect([SARCASM], "hybrid", str(default))["frames_by_sentence"]["frame"])


def test_a_negated_cue_vetoes_the_model_at_the_frames_own_threshold(shipped):
    # "does not blame" negates a cue of the frame: no complaint (rule R2), whatever the words suggest
    assert _sf_probability(shipped, NO_BLAME) >= 0.65
    assert SF not in set(_detect([NO_BLAME], "hybrid")["frames_by_sentence"]["frame"])


# Written for these tests: a withdrawal the model reads as a retreat from its words ("got out", "last
# road"), told as orderly ("in our own vehicles") or not.
ORDERLY = "Our platoon got out along the last road in our own vehicles, the sergeant said."
UNTOLD = "The platoon got out along the last road at night, the sergeant said."


def test_words_of_an_orderly_withdrawal_veto_the_models_chaotic_retreat(tmp_path, shipped):
    chaotic = "chaotic_retreat"
    for text in (ORDERLY, UNTOLD):
        assert shipped.probabilities(_features(text))[chaotic] >= shipped.add_threshold
        assert chaotic not in set(_detect([text], "rules")["frames_by_sentence"]["frame"])
    assert chaotic in set(_detect([UNTOLD], "hybrid")["frames_by_sentence"]["frame"])
    assert chaotic not in set(_detect([ORDERLY], "hybrid")["frames_by_sentence"]["frame"])
    contrary = next(f.model_contrary for f in framing.load_codebook().frames if f.id == chaotic)
    assert contrary.search("they withdrew in order to regroup") is None  # purpose, not manner
    assert contrary.search("the withdrawal was orderly") is not None
    text = framing.DEFAULT_CODEBOOK_PATH.read_text(encoding="utf-8")
    start = text.index("model_contrary = ")
    without = tmp_path / "codebook.toml"
    without.write_text(text[:start] + text[text.index("\n", start) + 1:], encoding="utf-8")
    assert chaotic in set(_detect([ORDERLY], "hybrid", str(without))["frames_by_sentence"]["frame"])


# --- the screen: sentences the model provably adds nothing to (FrameModel.may_add) --------------------


class _Unscreened(fm.FrameModel):
    """The same model without the screen: every sentence goes through its features and probabilities."""

    def may_add(self, sentences, frame_ids, thresholds=None):
        return [True for _ in sentences]


@pytest.fixture(scope="module")
def validation_tables(validation_texts) -> dict:
    """The shipped validation sentences, eight to a document, through the pipeline's actor and quote steps."""
    texts = validation_texts
    documents, sentences = _tables_from_texts([f"d{i // 8}" for i in range(len(texts))], texts)
    analysed = stages.analyze_sentiment(sentences, stages.SentimentSettings())
    speakers = sentence_speakers(extract_quotes(documents, sentences, actor_mentions=analysed["actor_mentions"],
                                                gazetteer=load_gazetteer()))
    return {"sentences": sentences, "speakers": speakers, "actor_mentions": analysed["actor_mentions"],
            "sentence_sentiment": analysed["sentence_sentiment"]}


@pytest.mark.parametrize(
    ("text", "start", "actors", "expected"),
    [
        ("Ukrainian Soldiers SAID: we'll hold", 0, [], ["ukrainian", "soldiers", "said", "we'll", "hold"]),
        ("Ukrainian Soldiers SAID: we\u2019ll hold", 7, [], ["ukrainian", "soldiers", "said", "we\u2019ll", "hold"]),
        ("\u00c9TAT Major of Kyiv", 0, [], ["\u00e9tat", "major", "of", "kyiv"]),
        ("The US said aid would COME", 5, [("us", 9, 11)], ["the", "@us", "said", "aid", "would", "come"]),
    ],
)
def test_sentence_tokens_are_the_lower_cased_words_and_mentions_the_features_read(text, start, actors, expected):
    # ASCII or not, with a mention or without: the same tokens as the word features, in order.
    tokens = fm.sentence_tokens(text, start, actors)
    assert tokens == expected
    words = [f.name[2:] for f in fm.sentence_features(text, start, actors, [], []) if f.name.startswith("w:")]
    assert words == list(dict.fromkeys(tokens))


def test_the_screen_reads_the_same_word_bigram_and_role_features(shipped, validation_tables):
    codebook = framing.load_codebook()
    tables = validation_tables
    speaker_map, actor_map, _ = framing._contexts_by_sentence(tables["speakers"], tables["actor_mentions"], None,
                                                             codebook.side_names)
    features = framing.model_features(tables["sentences"], codebook, tables["speakers"], tables["actor_mentions"])
    texts = {(doc_id, sentence_id): (text, start) for doc_id, sentence_id, text, start
             in tables["sentences"][["doc_id", "sentence_id", "text", "start"]].itertuples(index=False)}
    sentences = []
    for key in features:
        text, start = texts[key]
        sentences.append((text, start, [(group, s, e) for group, _, s, e in actor_map.get(key, [])],
                          [role for _, role, _ in speaker_map.get(key, []) if role]))
    at, rows = shipped._screen.sentence_rows(sentences)  # all at once: bigrams must not cross sentences
    screen_rows = [set() for _ in sentences]
    for i, row in zip(at.tolist(), rows.tolist()):
        assert row not in screen_rows[i]  # each feature once
        screen_rows[i].add(row)
    for (text, *_), sentence_features, found in zip(sentences, features.values(), screen_rows):
        expected = {shipped.index[f.name] for f in sentence_features
                    if f.name in shipped.index and not f.name.startswith("v:side:")}
        assert found == expected | {shipped._screen.bound_row}, text
    assert sum(bool(roles) for *_, roles in sentences) > 20 and len(features) > 1000  # roles and many sentences read
    assert sum(bool(actors) for _, _, actors, _ in sentences) > 500


@pytest.mark.parametrize("text", [
    "don't 'quoted' rock 'n' roll ''double'' a''b it's' 'tis O'Neill's x'_y 9'9 _'_",
    "Tab\tnew\nline\x1c\x1f sep; UPPER-case, under_score 1,200 km (a/b) @us #tag ~ `'` end'",
    "'", "''", "", " ", "a'", "'a", "a'b'c",
])
def test_the_screen_reads_ascii_sentences_as_their_tokens(shipped, text):
    # The screen's bytes reading of an ASCII sentence without mentions gives the tokens of its
    # definition, sentence_tokens: its rows are then those of the tokens' words and bigrams.
    vocabulary = sorted({f"w:{t}" for t in fm.sentence_tokens(text, 0, [])}
                        | {f"b:{a} {b}" for a, b in zip(fm.sentence_tokens(text, 0, []), fm.sentence_tokens(text, 0, [])[1:])})
    model = fm.FrameModel({"f": "sig"}, vocabulary, np.ones((len(vocabulary), 1)), np.array([0.0]), 0.5, {})
    at, rows = model._screen.sentence_rows([(text, 0, [], [])])
    assert rows.tolist() == list(range(len(vocabulary) + 1))  # every feature, and the bound row


def test_the_screen_tokens_equal_the_definition_on_validation_sentences(validation_texts):
    # The same check on the 6,580 validation sentences (their ASCII ones take the bytes reading),
    # upper-cased and with apostrophes around every word as well.
    words = {}
    texts = validation_texts + [t.upper() for t in validation_texts] + [t.replace(" ", "' '") for t in validation_texts]
    for text in texts:
        for token in fm.sentence_tokens(text, 0, []):
            words.setdefault(f"w:{token}", None)
    vocabulary = sorted(words)
    model = fm.FrameModel({"f": "sig"}, vocabulary, np.ones((len(vocabulary), 1)), np.array([0.0]), 0.5, {})
    index = {name: i for i, name in enumerate(vocabulary)}
    at, rows = model._screen.sentence_rows([(text, 0, [], []) for text in texts])
    found = [set() for _ in texts]
    for i, row in zip(at.tolist(), rows.tolist()):
        found[i].add(row)
    assert sum(text.isascii() for text in texts) > 10000
    for text, rows_of_text in zip(texts, found):
        assert rows_of_text == {index[f"w:{t}"] for t in fm.sentence_tokens(text, 0, [])} | {len(vocabulary)}, text


def test_the_screen_gives_the_same_flags_in_batches_of_any_size(shipped, validation_tables, monkeypatch):
    tables = validation_tables
    sentences = [(text, start, [], []) for text, start in zip(tables["sentences"]["text"], tables["sentences"]["start"])]
    modelled = shipped.applicable_frames(framing.load_codebook())
    whole = shipped.may_add(sentences, modelled, {SF: 0.3})
    monkeypatch.setattr(fm, "SCREEN_BATCH", 7)
    assert shipped.may_add(sentences, modelled, {SF: 0.3}) == whole
    assert [shipped.may_add([sentence], modelled, {SF: 0.3})[0] for sentence in sentences[:300]] == whole[:300]
    assert shipped.may_add([], modelled) == []
    assert 0 < sum(whole) < len(whole)


def test_the_screen_rules_out_only_sentences_the_model_adds_nothing_to(shipped, validation_tables):
    # A low threshold and one frame's lower still, so that many sentences come near them.
    eager = fm.FrameModel(shipped.frames, shipped.vocabulary, shipped.coef, shipped.intercept, 0.5,
                          shipped.provenance)
    codebook = framing.load_codebook()
    modelled = eager.applicable_frames(codebook)
    thresholds = {SF: 0.3}
    tables = validation_tables
    features = framing.model_features(tables["sentences"], codebook, tables["speakers"], tables["actor_mentions"])
    speaker_map, actor_map, _ = framing._contexts_by_sentence(tables["speakers"], tables["actor_mentions"], None,
                                                             codebook.side_names)
    keys = list(features)
    rows = tables["sentences"].set_index(["doc_id", "sentence_id"]).loc[keys]
    screened = eager.may_add(
        [(text, start, [(g, s, e) for g, _, s, e in actor_map.get(key, [])],
          [role for _, role, _ in speaker_map.get(key, []) if role])
         for key, text, start in zip(keys, rows["text"], rows["start"])], modelled, thresholds)
    added = 0
    for key, may in zip(keys, screened):
        # whatever sides voice the sentence: its own, or every side
        every_side = [f for f in features[key] if not f.name.startswith("v:side:")]
        every_side += [fm.Feature(f"v:side:{side}", 0, 0) for side in ("europe", "russia", "ukraine", "us")]
        for candidate in (features[key], every_side):
            if eager.added(candidate, modelled, thresholds):
                added += 1
                assert may, key
    assert added > 50  # the bound was tested where it matters
    assert screened.count(False) > len(screened) / 2  # and it rules out most sentences


def test_the_screen_bounds_features_it_does_not_read_and_reads_tokens_holding_spaces():
    # A mention token may hold a space ("@new york"); "x:other" stands for a feature kind the screen
    # does not read, which only its bound covers, as it covers the sides.
    vocabulary = ["b:@new york x", "v:side:us", "w:x", "x:other"]
    coef = np.array([[3.0], [2.0], [0.0], [2.0]])
    model = fm.FrameModel({"f": "sig"}, vocabulary, coef, np.array([-3.0]), 0.85, {})
    text = "New York x"
    actors = [("new york", 100, 108)]
    pair = fm.sentence_features(text, 100, actors, [], ["us"])
    assert model.added(pair, ["f"])  # -3 + 3 + 2: p = 0.88
    assert not model.added(fm.sentence_features("x", 0, [], [], ["us"]), ["f"])  # -3 + 2
    assert model.may_add([(text, 100, actors, []), ("x", 0, [], [])], ["f"]) == [True, False]
    # The bound holds the unread feature: at a threshold only it could reach, no sentence is ruled out.
    assert model.may_add([("x", 0, [], [])], ["f"], {"f": 0.7}) == [True]  # -3 + 2 + 2 = 1: p = 0.73
    # A threshold too close to 1 to compare logits safely rules nothing out.
    assert model.may_add([("x", 0, [], [])], ["f"], {"f": 0.999}) == [True]


def test_the_screen_changes_no_detected_frame(shipped, validation_tables):
    codebook = framing.load_codebook()
    tables = validation_tables
    kwargs = {"speakers": tables["speakers"], "actor_mentions": tables["actor_mentions"],
              "sentence_sentiment": tables["sentence_sentiment"]}
    for threshold in (shipped.add_threshold, 0.5):
        screened = fm.FrameModel(shipped.frames, shipped.vocabulary, shipped.coef, shipped.intercept, threshold,
                                 shipped.provenance)
        unscreened = _Unscreened(shipped.frames, shipped.vocabulary, shipped.coef, shipped.intercept, threshold,
                                 shipped.provenance)
        expected = framing.detect_frames(tables["sentences"], codebook, frame_model=unscreened, **kwargs)
        assert (expected["evidence"].str.contains('"kind": "model"')).sum() > 10
        pd.testing.assert_frame_equal(
            framing.detect_frames(tables["sentences"], codebook, frame_model=screened, **kwargs), expected)
