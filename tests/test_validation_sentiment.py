import json

import pandas as pd
import pytest

from kursk_utils.sentiment import DEFAULT_IMPLEMENTATION
from kursk_utils.validation import sentiment as validation

# Figures measured when the method was written (see the module docstrings); a regression guard.
TOLERANCE = 0.002
MEASURED_NYT = {
    "nltk": {"pearson_r": 0.4903, "f1_weighted": 0.5411, "f1_macro": 0.5212, "accuracy": 0.5285},
    "vadersentiment": {
        "pearson_r": 0.5029, "f1_weighted": 0.5458, "f1_macro": 0.5253, "accuracy": 0.5333
    },
}
MEASURED_NEWSMTSC = {
    ("devtest_rw", "actor_level", "nltk"): (0.5405, 0.5471),
    ("devtest_rw", "actor_level", "vadersentiment"): (0.5428, 0.5497),
    ("devtest_rw", "sentence_level", "nltk"): (0.5082, 0.5113),
    ("devtest_rw", "sentence_level", "vadersentiment"): (0.5122, 0.5157),
    ("devtest_mt", "actor_level", "nltk"): (0.5043, 0.5176),
    ("devtest_mt", "actor_level", "vadersentiment"): (0.5105, 0.5230),
    ("devtest_mt", "sentence_level", "nltk"): (0.4928, 0.5007),
    ("devtest_mt", "sentence_level", "vadersentiment"): (0.4959, 0.5034),
}

# The blind-labelled Kursk-style targets: (set, method) -> (macro-F1, accuracy), measured when the
# domain check was added (the module docstring states them).
MEASURED_DOMAIN = {
    ("seed_mentions", "target_model"): (0.3138, 0.3707),
    ("seed_mentions", "vadersentiment"): (0.1972, 0.2069),
    ("written", "target_model"): (0.5619, 0.5636),
    ("written", "vadersentiment"): (0.4733, 0.4727),
    ("all", "target_model"): (0.4510, 0.4646),
    ("all", "vadersentiment"): (0.3386, 0.3363),
}

@pytest.fixture(scope="module")
def result() -> dict:
    return validation.evaluate()


def test_result_is_json_serialisable_with_item_counts(result):
    assert json.loads(json.dumps(result)) == result
    assert result["nyt_editorials"]["n_items"] == 5190
    assert result["newsmtsc"]["splits"]["devtest_rw"]["n_items"] == 1146
    assert result["newsmtsc"]["splits"]["devtest_mt"]["n_items"] == 1476
    assert result["newsmtsc"]["splits"]["devtest_mt"]["n_sentences"] == 721
    assert result["nyt_editorials"]["reference"]["vader_paper"] == {"pearson_r": 0.492, "f1": 0.55}
    assert result["newsmtsc"]["reference"]["macro_f1"] == 0.831


def test_nyt_figures_stay_as_measured(result):
    for implementation, figures in MEASURED_NYT.items():
        scores = result["nyt_editorials"]["scores"][implementation]
        for metric, value in figures.items():
            assert scores[metric] == pytest.approx(value, abs=TOLERANCE), (implementation, metric)


def test_newsmtsc_figures_stay_as_measured(result):
    for (split, method, implementation), (macro_f1, accuracy) in MEASURED_NEWSMTSC.items():
        scores = result["newsmtsc"]["splits"][split][method][implementation]
        assert scores["macro_f1"] == pytest.approx(macro_f1, abs=TOLERANCE)
        assert scores["accuracy"] == pytest.approx(accuracy, abs=TOLERANCE)


def test_documented_choices_hold(result):
    # The default implementation is the more accurate one on the NYT ratings ...
    nyt = result["nyt_editorials"]["scores"]
    assert max(nyt, key=lambda name: nyt[name]["pearson_r"]) == DEFAULT_IMPLEMENTATION
    # ... and the actor-level method beats sentence-level VADER on both NewsMTSC splits.
    for split in validation.NEWSMTSC_SPLITS:
        scores = result["newsmtsc"]["splits"][split]
        assert (
            scores["actor_level"][DEFAULT_IMPLEMENTATION]["macro_f1"]
            > scores["sentence_level"][DEFAULT_IMPLEMENTATION]["macro_f1"]
        )


def test_the_target_model_is_measured_beside_vader_with_intervals(result):
    for split in validation.NEWSMTSC_SPLITS:
        scores = result["newsmtsc"]["splits"][split]
        model = scores["target_model"]
        vader = scores["actor_level"][DEFAULT_IMPLEMENTATION]
        for figures in (model, vader):
            low, high = figures["macro_f1_ci95"]
            assert low < figures["macro_f1"] < high
        # The model is the better method toward targets (docs/target_sentiment.md).
        assert model["macro_f1"] > vader["macro_f1_ci95"][1]
    assert result["newsmtsc"]["splits"]["devtest_rw"]["target_model"]["macro_f1"] >= 0.65


def test_domain_figures_stay_as_measured_with_intervals(result):
    sets = result["domain"]["sets"]
    assert {name: sets[name]["n_items"] for name in sets} == {
        "seed_mentions": 116, "written": 110, "all": 226}
    # Label counts as the annotator's README states them.
    assert sets["seed_mentions"]["labels"] == {"negative": 15, "neutral": 93, "positive": 8}
    assert sets["written"]["labels"] == {"negative": 38, "neutral": 44, "positive": 28}
    for (name, method), (macro_f1, accuracy) in MEASURED_DOMAIN.items():
        scores = (sets[name]["target_model"] if method == "target_model"
                  else sets[name]["actor_level"][method])
        assert scores["macro_f1"] == pytest.approx(macro_f1, abs=TOLERANCE), (name, method)
        assert scores["accuracy"] == pytest.approx(accuracy, abs=TOLERANCE), (name, method)
        for metric in ("macro_f1", "accuracy"):
            low, high = scores[f"{metric}_ci95"]
            assert low < scores[metric] < high
    # The default method (the model) is ahead of VADER on every set.
    for name in sets:
        assert sets[name]["target_model"]["macro_f1"] > max(
            scores["macro_f1"] for scores in sets[name]["actor_level"].values())
    # ... and, on all 226 items, by a margin whose paired interval excludes 0 (measured: +0.112,
    # 0.053 to 0.172).
    difference = sets["all"]["model_minus_actor_level"]["vadersentiment"]
    assert difference["macro_f1"] == pytest.approx(0.4510 - 0.3386, abs=TOLERANCE)
    assert difference["macro_f1_ci95"][0] > 0


def test_domain_items_hold_their_targets():
    items = validation.load_actor_sentiment_domain()
    assert items["set"].value_counts().to_dict() == {"seed_mentions": 116, "written": 110}
    assert all(row.sentence[row.start:row.end] == row.target for row in items.itertuples())
    first = items.iloc[0]
    assert (first["item_id"], first["target"], first["polarity"]) == ("m000", "Soldiers", "neutral")


def test_score_targets_is_the_pipelines_method_by_hand():
    # Read by hand: Zelensky praised, Syrskyi blamed, a plain report about Zelensky; the quote is
    # someone else's view, so VADER's actor-level method ignores it and sees a neutral report.
    items = [("Critics praised Zelensky for his courage.", "Zelensky"),
             ("Syrskyi was blamed for the chaotic retreat.", "Syrskyi"),
             ("Zelensky met Macron in Paris on Tuesday.", "Zelensky"),
             ('"This is a terrible, awful disaster," Putin said.', "Putin")]
    targets = pd.DataFrame({"sentence": [sentence for sentence, _ in items],
                            "start": [sentence.index(target) for sentence, target in items],
                            "end": [sentence.index(target) + len(target) for sentence, target in items]})
    assert validation.score_targets(targets, "model")[:3].tolist() == [
        "positive", "negative", "neutral"]
    assert validation.score_targets(targets, "vader").tolist()[3] == "neutral"
    truth = ["positive", "negative", "neutral", "neutral"]
    predicted = validation.score_targets(targets, "model")[:3].tolist() + ["neutral"]
    assert validation.classification_scores(truth, predicted)["accuracy"] == 1.0


def test_score_interval_by_hand():
    # All right: every resample scores 1.
    assert validation.score_interval(["neutral"] * 5, ["neutral"] * 5, "accuracy") == (1.0, 1.0)
    # Two items, one right: a resample holds the right one twice (1/4), both (1/2) or the wrong one
    # twice (1/4), so accuracy is 1, 0.5 or 0 and the 95% percentile interval is (0, 1).
    assert validation.score_interval(["neutral", "neutral"], ["neutral", "positive"],
                                     "accuracy") == (0.0, 1.0)
    # The same predictions twice differ by 0 on every resample.
    truth, predicted = ["neutral", "positive", "negative"], ["neutral", "neutral", "negative"]
    assert validation.difference_interval(truth, predicted, predicted) == (0.0, 0.0)


def test_summary_frame_has_one_row_per_figure(result):
    frame = validation.summary_frame(result)
    # NYT: 2 implementations x 4 metrics; NewsMTSC: 2 splits x (2 VADER methods x 2 implementations
    # + the target model) x 2 metrics; Kursk domain: 3 sets x (2 implementations + the model) x 2.
    assert len(frame) == 2 * 4 + 2 * (2 * 2 + 1) * 2 + 3 * (2 + 1) * 2
    nyt_r = frame[(frame["dataset"] == "nyt_editorials") & (frame["metric"] == "pearson_r")]
    assert nyt_r["published"].tolist() == [0.492, 0.492]
    assert nyt_r["value"].tolist() == [0.4903, 0.5029]


def test_one_implementation_or_a_clear_error():
    assert validation.evaluate("nltk")["implementations"] == ["nltk"]
    assert list(validation.evaluate("nltk")["nyt_editorials"]["scores"]) == ["nltk"]
    with pytest.raises(ValueError, match="choose one of"):
        validation.evaluate("textblob")


def test_classification_scores_by_hand():
    truth = ["negative", "negative", "positive", "neutral"]
    predicted = ["negative", "positive", "positive", "neutral"]
    # F1: negative 2*1/(1+2) = 2/3, positive 2*1/(2+1) = 2/3, neutral 1.
    scores = validation.classification_scores(truth, predicted)
    assert scores["f1_macro"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert scores["f1_weighted"] == pytest.approx((2 * 2 / 3 + 2 / 3 + 1) / 4)
    assert scores["accuracy"] == 0.75
    with pytest.raises(ValueError, match="equal length"):
        validation.classification_scores(["neutral"], [])


def test_loaders_read_the_shipped_files():
    nyt = validation.load_nyt_editorials()
    assert (nyt.loc[0, "item_id"], nyt.loc[0, "rating"]) == ("1_1", 0.4)
    assert nyt.loc[0, "text"].startswith("On Dec. 19, around noon")
    rw = validation.load_newsmtsc("devtest_rw")
    first = rw.iloc[0]
    assert (first["mention"], first["polarity"]) == ("Mr. Trump", "negative")
    spans = [row.sentence[row.start : row.end] for row in rw.itertuples()]
    assert spans == rw["mention"].tolist()
    with pytest.raises(ValueError, match="unknown NewsMTSC split"):
        validation.load_newsmtsc("train")
