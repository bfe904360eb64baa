"""``kursk validate``: the figures of notebook 05 on the command line."""

import json
import subprocess
import sys

import pytest

from kursk_utils.validation import framing as framing_validation
from kursk_utils.validation import sentiment as sentiment_validation

from conftest import PROJECT_ROOT


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
    assert header == ["dataset", "level", "frame", "precision", "recall", "f1", "support", "predicted"]
    assert any(line.split()[:3] == ["seed", "sentence", "micro"] for line in result.stdout.splitlines())


def test_unknown_validation_is_a_usage_error():
    result = kursk("validate", "headlines")
    assert result.returncode == 2
    assert "invalid choice: 'headlines'" in result.stderr


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
    result = kursk("validate", "framing", "--gold", str(tmp_path / "x.jsonl"))
    assert result.returncode == 2
    assert "--gold is supported for quotes only" in result.stderr
