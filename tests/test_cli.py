"""The ``kursk`` command: ``validate`` (the figures of notebook 05), ``--version``, ``run --help``."""

import json
import subprocess
import sys
from importlib import metadata

import papermill
import pytest

import kursk_utils

from kursk_utils.validation import framing as framing_validation
from kursk_utils.validation import sentiment as sentiment_validation

from conftest import NOTEBOOKS, PROJECT_ROOT


def kursk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kursk_utils", *args], capture_output=True,
                          text=True, cwd=PROJECT_ROOT)


@pytest.mark.parametrize("what, module", [("sentiment", sentiment_validation),
                                          ("framing", framing_validation)])
def test_validate_json_prints_the_evaluation(what, module):
    result = kursk("validate", what, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(module.evaluate()))


def test_validate_without_json_prints_a_table():
    result = kursk("validate", "framing")
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()[0].split()
    assert header == framing_validation.SUMMARY_COLUMNS
    assert any(line.split()[:3] == ["seed", "sentence", "micro"] for line in result.stdout.splitlines())


def test_validate_framing_on_a_user_gold_file(tmp_path):
    gold = tmp_path / "sample.csv"
    gold.write_text("text,human_cost\nFive civilians were killed in the shelling.,1\n"
                    "The weather was mild.,0\n", encoding="utf-8")
    result = kursk("validate", "framing", "--gold", str(gold), "--resamples", "100", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(
        framing_validation.evaluate(gold_paths=[gold], n_resamples=100)))


def test_validate_framing_refuses_a_bad_gold_file_in_one_line(tmp_path):
    gold = tmp_path / "sample.csv"
    gold.write_text("text,human_cost\nA sentence.,maybe\n", encoding="utf-8")
    result = kursk("validate", "framing", "--gold", str(gold))
    assert result.returncode == 1
    assert result.stderr == "kursk validate framing: sample.csv: human_cost must be 0 or 1; row 1 has 'maybe'\n"


def test_framing_options_are_refused_for_sentiment():
    result = kursk("validate", "sentiment", "--seed", "3")
    assert result.returncode == 2
    assert "apply to 'validate framing' only" in result.stderr


def test_unknown_validation_is_a_usage_error():
    result = kursk("validate", "headlines")
    assert result.returncode == 2
    assert "invalid choice: 'headlines'" in result.stderr


def test_version_prints_the_package_version():
    result = kursk("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"kursk {kursk_utils.__version__}\n"
    assert kursk_utils.__version__ == metadata.version("kursk-framing")


def test_run_help_lists_every_notebook_parameter_with_its_default_and_allowed_values():
    result = kursk("run", "--help")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("  ")}
    for notebook in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        for name in papermill.inspect_notebook(str(notebook)):
            assert name in rows, name
    # Defaults and allowed values as written in the parameters cells and the checks.
    assert rows["threshold"].split() == ["threshold", "02,", "04,", "05", "0.05", "[0,", "1)"]
    assert rows["period"].split() == ["period", "04", "'week'", "day", "|", "week", "|", "month"]
    assert rows["engine"].split() == ["engine", "01,", "02,", "03", "'pandas'", "pandas", "|", "dask"]
    assert rows["implementation"].split()[-3:] == ["nltk", "|", "vadersentiment"]
    assert rows["near_duplicate_threshold"].split() == ["near_duplicate_threshold", "01", "0.7", "(0,", "1]"]
    assert rows["codebook_path"].split()[:5] == ["codebook_path", "03,", "04,", "05", "None"]


def test_validate_quotes_prints_a_table_per_group():
    result = kursk("validate", "quotes")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:7] == ["group", "n_passages", "n_gold", "n_predicted", "precision",
                                    "recall", "f1"]
    assert lines[1].split()[:3] == ["overall", "31", "196"]


def test_validate_quotes_reports_a_bad_gold_file(tmp_path):
    (tmp_path / "passages.jsonl").write_text(
        '{"passage_id": "a", "style": "wire", "text": "He said so."}\n', encoding="utf-8")
    (tmp_path / "quotes.jsonl").write_text(
        '{"passage_id": "a", "quote_id": "q1", "kind": "reported", "text": "not there", '
        '"speaker": "X", "role": "other"}\n', encoding="utf-8")
    result = kursk("validate", "quotes", "--gold", str(tmp_path / "quotes.jsonl"))
    assert result.returncode == 1
    assert "a/q1: its text is not in the passage" in result.stderr
    assert "Traceback" not in result.stderr


def test_gold_option_is_refused_for_other_validations(tmp_path):
    result = kursk("validate", "sentiment", "--gold", str(tmp_path / "x.jsonl"))
    assert result.returncode == 2
    assert "--gold is supported for quotes, framing only" in result.stderr
