import json

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


def test_summary_frame_has_one_row_per_figure(result):
    frame = validation.summary_frame(result)
    # NYT: 2 implementations x 4 metrics; NewsMTSC: 2 splits x (2 VADER methods x 2 implementations
    # + the target model) x 2 metrics.
    assert len(frame) == 2 * 4 + 2 * (2 * 2 + 1) * 2
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
