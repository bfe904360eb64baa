"""Quote validation: matching and speaker rules checked by hand, and the measured figures guarded."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from kursk_utils.validation import quotes as validation


def spans(*pairs):
    return pd.DataFrame({"start": [s for s, _ in pairs], "end": [e for _, e in pairs]})


def test_match_is_one_to_one_by_overlap_share_of_the_shorter_span():
    gold = spans((0, 100), (120, 140))
    # (10, 60) lies inside gold 0: share 1.0; (0, 30) too; (130, 200): 10 of 20 = 0.5 -> match;
    # (135, 300): 5 of 20 = 0.25 -> no match.
    predicted = spans((10, 60), (0, 30), (130, 200), (135, 300))
    assert validation.match(gold, predicted) == [(0, 0), (1, 2)]


def test_match_prefers_the_larger_overlap_share():
    gold = spans((0, 10), (10, 40))
    predicted = spans((5, 40))  # 5 of 10 with gold 0 (0.5), 30 of 30 with gold 1 (1.0)
    assert validation.match(gold, predicted) == [(1, 0)]


@pytest.mark.parametrize("predicted, gold, expected", [
    ("Oleksandr Syrskyi", "Oleksandr Syrskyi", True),
    ("Syrskyi", "Oleksandr Syrskyi", True),                    # last-name form
    ("Oleksandr", "Oleksandr Syrskyi", False),                 # first name only
    ("President Volodymyr Zelensky", "Volodymyr Zelensky", True),  # full form with title
    ("Russia's Defence Ministry", "Russian Defence Ministry", True),
    ("Ukraine's Defence Ministry", "Russian Defence Ministry", False),
    ("the Kremlin", "Kremlin", True),
    ("President", "Volodymyr Zelensky", False),
    (None, "Kremlin", False),
])
def test_speaker_matches(predicted, gold, expected):
    assert validation.speaker_matches(predicted, gold) is expected


def test_figures_pool_counts():
    # gold, predicted, matched gold, matched predicted, speaker, role, side right
    counts = np.array([[4, 2, 2, 2, 1, 2, 0], [6, 8, 4, 4, 4, 3, 4]])
    precision, recall, f1, speaker, role, side = validation._figures(counts.sum(axis=0))
    assert (precision, recall) == (0.6, 0.6)
    assert f1 == pytest.approx(0.6)
    assert (speaker, role, side) == (5 / 6, 5 / 6, 4 / 6)


def write_gold(folder, passages, quotes):
    (folder / "passages.jsonl").write_text(
        "".join(json.dumps(p) + "\n" for p in passages), encoding="utf-8")
    (folder / "quotes.jsonl").write_text(
        "".join(json.dumps(q) + "\n" for q in quotes), encoding="utf-8")
    return folder / "quotes.jsonl"


def test_user_gold_file_is_scored_through_the_pipeline(tmp_path):
    text = ("The mayor of Dunmore, Alice Wren, said the bridge would reopen in May. "
            "\u201cWe owe people an apology,\u201d she said.")
    path = write_gold(tmp_path, [{"passage_id": "a", "style": "local", "text": text}], [
        {"passage_id": "a", "quote_id": "q1", "kind": "reported",
         "text": "the bridge would reopen in May", "speaker": "Alice Wren", "role": "other"},
        {"passage_id": "a", "quote_id": "q2", "kind": "direct",
         "text": "We owe people an apology,", "speaker": "Alice Wren", "role": "other"},
    ])
    result = validation.evaluate(path)
    overall = result["overall"]
    assert (overall["n_gold"], overall["n_passages"]) == (2, 1)
    assert overall["recall"] == 1.0 and overall["precision"] == 1.0
    assert overall["speaker_accuracy"] == 1.0
    assert set(result["by_style"]) == {"local"}


def test_gold_text_missing_from_its_passage_is_a_clear_error(tmp_path):
    path = write_gold(tmp_path, [{"passage_id": "a", "style": "x", "text": "Nothing here."}], [
        {"passage_id": "a", "quote_id": "q1", "kind": "direct", "text": "elsewhere",
         "speaker": "X", "role": "other"}])
    with pytest.raises(validation.GoldError, match="a/q1: its text is not in the passage"):
        validation.load_gold(path)


def test_gold_record_without_a_field_is_a_clear_error(tmp_path):
    path = write_gold(tmp_path, [{"passage_id": "a", "style": "x", "text": "He said so."}], [
        {"passage_id": "a", "quote_id": "q1", "kind": "direct", "text": "so"}])
    with pytest.raises(validation.GoldError,
                       match=r"quotes\.jsonl line 1: needs field\(s\) 'speaker' \(text\), 'role' \(text\)"):
        validation.load_gold(path)


def test_gold_passage_with_a_line_separator_inside_its_text_stays_one_record(tmp_path):
    # str.splitlines would cut this passage at U+2028 into two lines that are not JSON.
    text = "The mayor, Alice Wren, spoke.\u2028\u201cWe owe people an apology,\u201d she said."
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "passages.jsonl").write_text(
        json.dumps({"passage_id": "a", "style": "local", "text": text}, ensure_ascii=False) + "\n"
        + json.dumps({"passage_id": "b", "style": "local", "text": "Nothing."}) + "\n", encoding="utf-8")
    (folder / "quotes.jsonl").write_text(json.dumps(
        {"passage_id": "a", "quote_id": "q1", "kind": "direct", "text": "We owe people an apology,",
         "speaker": "Alice Wren", "role": "other"}, ensure_ascii=False) + "\n", encoding="utf-8")
    passages, quotes = validation.load_gold(folder / "quotes.jsonl")
    assert list(passages["passage_id"]) == ["a", "b"]
    assert passages.loc[0, "text"] == text
    assert text[quotes.loc[0, "start"]:quotes.loc[0, "end"]] == "We owe people an apology,"


def test_gold_line_that_is_not_json_names_file_and_line(tmp_path):
    path = write_gold(tmp_path, [{"passage_id": "a", "style": "x", "text": "He said so."}], [])
    with (path.parent / "passages.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("\n{not json}\n")
    with pytest.raises(validation.GoldError, match=r"passages\.jsonl line 3: not JSON \(Expecting property"):
        validation.load_gold(path)


@pytest.mark.parametrize("predicted, gold, expected", [
    ("A Ukrainian sergeant", "a Ukrainian sergeant who fought in Kursk", True),
    ("A brigade commander", "a Ukrainian brigade commander who fought in Kursk", True),
    ("Analysts", "analysts at Bernstein", True),
    ("a Russian soldier", "a Ukrainian soldier who held the bridge", False),
    ("the artillery guys", "Hrim", False),
    # a note in brackets is the annotator's; "(unnamed)" marks a description
    ("A Veltra spokeswoman", "Veltra spokeswoman (unnamed)", True),
    ("South Korea's National Intelligence Service", "National Intelligence Service (South Korea)", True),
    ("A spokeswoman", "Veltra spokeswoman (unnamed)", True),
])
def test_descriptions_of_unnamed_sources(predicted, gold, expected):
    assert validation.speaker_matches(predicted, gold) is expected


# Figures measured on the shipped dev set on 2026-12-02 after issue 14's twelfth round, q14g (module
# docstring of kursk_utils.validation.quotes); speaker accuracy re-measured after q14i (0.9427 ->
# 0.9479: a bracketed acronym inside a subject) and after q14k (0.9479 -> 0.9427: "Kyiv says" now
# gives the Ukrainian government where this annotator kept "Kyiv"; strict span F1 0.9337 -> 0.9388
# after q14l). The extractor was developed on this set, so they
# are optimistic; the guards allow a small drop only. (F1 rose 0.012: presenters' and
# interviewers' turns are no longer quotations, the dev annotator's convention.)
DEV_F1 = 0.9796
DEV_STRICT_SPAN_F1 = 0.9388
DEV_SPEAKER_ACCURACY = 0.9427
DEV_ROLE_ACCURACY = 0.8750
TOLERANCE = 0.02


@pytest.fixture(scope="module")
def dev_result():
    return validation.evaluate()


def test_dev_result_is_json_with_intervals_per_style_and_kind(dev_result):
    assert json.loads(json.dumps(dev_result)) == dev_result
    assert set(dev_result["by_style"]) == {"broadcast", "feature", "interview", "live_blog",
                                           "non_war", "russian_state", "ukrainian_outlet", "wire"}
    assert set(dev_result["by_kind"]) == {"direct", "reported"}
    overall = dev_result["overall"]
    assert (overall["n_passages"], overall["n_gold"]) == (31, 196)
    low, high = overall["f1_ci"]
    assert low <= overall["f1"] <= high


def test_dev_figures_hold(dev_result):
    overall = dev_result["overall"]
    assert overall["f1"] >= DEV_F1 - TOLERANCE
    assert dev_result["strict_spans"]["f1"] >= DEV_STRICT_SPAN_F1 - TOLERANCE
    assert overall["speaker_accuracy"] >= DEV_SPEAKER_ACCURACY - TOLERANCE
    assert overall["role_accuracy"] >= DEV_ROLE_ACCURACY - TOLERANCE


# The other parts, measured by the integrator on 2026-12-03 after merging this stop's speaker change
# (round q16, decided on quotes dev11, kept from developers until it decided) and retraining the frame
# model. The held-out parts are the honest estimate, never used while developing or deciding; they
# were re-scored after the merges only (heldout9, written with dev11 at the stop's start, scored once,
# after every decision). An extractor change moves them: re-measure and update them with the change
# (README and notebook 05 report them).
# part: (passages, gold quotes, quote F1, speaker accuracy)
PART_FIGURES = {
    "dev2": (22, 254, 0.9264, 0.9442),
    "dev3": (24, 325, 0.9264, 0.8953),
    "dev4": (20, 365, 0.9357, 0.937),
    "dev5": (20, 457, 0.9553, 0.9132),
    "dev6": (20, 388, 0.9163, 0.9072),
    "dev7": (20, 301, 0.934, 0.9529),
    "dev8": (20, 334, 0.9489, 0.8956),
    "dev9": (20, 370, 0.9273, 0.8935),
    "dev10": (20, 379, 0.9144, 0.8713),
    "dev11": (20, 434, 0.9133, 0.7975),
    "heldout": (17, 106, 0.9714, 0.8824),
    "heldout2": (20, 230, 0.9654, 0.8475),
    "heldout3": (20, 279, 0.9331, 0.8411),
    "heldout4": (20, 332, 0.8979, 0.8227),
    "heldout5": (20, 419, 0.9348, 0.801),
    "heldout6": (20, 330, 0.9147, 0.9186),
    "heldout7": (20, 345, 0.9265, 0.877),
    "heldout8": (20, 387, 0.9452, 0.8646),
    "heldout9": (20, 403, 0.9231, 0.8798),
}


@pytest.mark.parametrize("part", sorted(PART_FIGURES))
def test_shipped_parts_score_as_recorded(part):
    overall = validation.evaluate(validation.shipped_gold_path(part))["overall"]
    n_passages, n_gold, f1, speaker = PART_FIGURES[part]
    assert (overall["n_passages"], overall["n_gold"]) == (n_passages, n_gold)
    assert overall["f1"] == pytest.approx(f1, abs=0.0005)
    assert overall["speaker_accuracy"] == pytest.approx(speaker, abs=0.0005)


def test_held_out_parts_pooled_count_every_quote_of_each_part():
    paths = [validation.shipped_gold_path(part) for part in validation.HELDOUT_PARTS]
    pooled = validation.evaluate(paths)
    parts = [validation.evaluate(path)["overall"] for path in paths]
    # evaluate_shipped reuses each part's predictions for the pooled set: the same figures
    shipped = validation.evaluate_shipped()
    assert list(shipped) == [*validation.PARTS, validation.POOLED_HELDOUT]
    assert shipped[validation.POOLED_HELDOUT] == pooled
    assert [shipped[part]["overall"] for part in validation.HELDOUT_PARTS] == parts
    for count in ("n_passages", "n_gold", "n_predicted", "n_matched"):
        assert pooled["overall"][count] == sum(part[count] for part in parts)
    # pooled speaker accuracy weighs each part by its matched quotes
    speaker_right = sum(part["speaker_accuracy"] * part["n_matched"] for part in parts)
    assert pooled["overall"]["speaker_accuracy"] == pytest.approx(speaker_right / pooled["overall"]["n_matched"],
                                                                  abs=1e-3)
    assert pooled["gold"] == ("heldout/quotes.jsonl + heldout2/quotes.jsonl + heldout3/quotes.jsonl"
                             " + heldout4/quotes.jsonl + heldout5/quotes.jsonl + heldout6/quotes.jsonl"
                             " + heldout7/quotes.jsonl + heldout8/quotes.jsonl + heldout9/quotes.jsonl")


def test_gold_files_sharing_a_passage_id_are_refused():
    dev = validation.shipped_gold_path("dev")
    with pytest.raises(validation.GoldError, match="the gold files share passage ids: p01"):
        validation.load_gold([dev, dev])


def test_every_part_has_its_own_folder_and_unknown_parts_are_refused():
    assert validation.shipped_gold_path("dev").parent.name == "quotes"
    assert [validation.shipped_gold_path(part).parent.name for part in validation.PARTS[1:]] == list(
        validation.PARTS[1:])
    with pytest.raises(ValueError, match="no gold part 'heldout10'"):
        validation.shipped_gold_path("heldout10")


def test_summary_frame_has_a_row_per_group(dev_result):
    table = validation.summary_frame(dev_result)
    assert list(table.columns) == validation.SUMMARY_COLUMNS
    assert table["group"].tolist()[:2] == ["overall", "overall:strict_spans"]
    assert len(table) == 2 + 8 + 2
