"""Run parameters: specs from the notebooks' parameters cells, checks before anything runs."""

from pathlib import Path

import pytest

from kursk_utils import framing
from kursk_utils.parameters import ParameterError, build_specs, check_parameters, resolve_paths
from kursk_utils.pipeline import find_notebooks, notebook_parameters

from conftest import NOTEBOOKS, SEEDS


@pytest.fixture(scope="module")
def specs():
    return build_specs({nb.name: notebook_parameters(nb) for nb in find_notebooks(NOTEBOOKS)})


def test_specs_carry_the_defaults_of_the_parameters_cells(specs):
    # Read by hand from the parameters cells of notebooks/0*.ipynb.
    assert specs["threshold"].default == 0.05
    assert specs["threshold"].notebooks == ("02_sentiment.ipynb", "04_visualize.ipynb", "05_validate.ipynb")
    assert specs["group_by"].default is None and specs["period"].default == "week"
    assert specs["near_duplicate_threshold"].default == 0.7
    assert specs["engine"].default == "pandas"
    assert specs["scheduler_address"].default is None
    assert specs["arc_window"].default == 3
    assert specs["distrust_frame"].default == "us_support_distrust"
    assert specs["codebook_path"].is_path and specs["output_dir"].is_path
    assert not specs["engine"].is_path
    # Every parameter a notebook declares has a check.
    assert [name for name, spec in specs.items() if spec.check is None] == []


def test_the_defaults_pass_their_own_checks(specs):
    check_parameters(specs, {"corpus_path": str(SEEDS), "output_dir": "/tmp/kursk-unused"})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("threshold", "abc", r"parameter threshold: threshold must be a number in \[0, 1\), got 'abc'"),
        ("threshold", 1.0, r"threshold must be in \[0, 1\)"),
        ("engine", "foo", r"parameter engine: unknown engine 'foo'"),
        ("implementation", "textblob", r"unknown sentiment implementation 'textblob'"),
        ("target_method", "bert", r"parameter target_method: unknown target sentiment method 'bert'"),
        ("near_duplicate_threshold", 0, r"must be in \(0, 1\] \(a Jaccard similarity\), got 0"),
        ("near_duplicate_threshold", 1.5, r"must be in \(0, 1\]"),
        ("arc_window", 0, r"arc_window must be a positive integer, got 0"),
        ("evidence_per_frame", 2.5, r"evidence_per_frame must be a positive integer, got 2.5"),
        ("evidence_per_actor", True, r"evidence_per_actor must be a positive integer"),
        ("scheduler_address", 8786, r"scheduler_address must be an address"),
        ("period", "year", r"parameter period: period must be one of \['day', 'week', 'month'\], got 'year'"),
        ("period", None, r"period must be one of \['day', 'week', 'month'\], got None"),
        ("group_by", 3, r"parameter group_by: group_by must be a documents column name or None, got 3"),
        ("group_by", " ", r"group_by must be a documents column name or None"),
        ("distrust_frame", "distrust", r"'distrust' is not a frame of the codebook"),
        ("codebook_path", "/nonexistent/codebook.toml", r"codebook file not found"),
        ("actors_path", "/nonexistent/actors.csv", r"actor gazetteer file not found"),
        ("corpus_path", "/nonexistent/corpus", r"corpus path does not exist"),
        ("treshold", 0.1, r"unknown parameter\(s\) treshold; the notebooks declare: actors_path, "),
    ],
)
def test_bad_values_are_refused_in_one_line(specs, name, value, message):
    values = {"corpus_path": str(SEEDS), "output_dir": "/tmp/kursk-unused", name: value}
    with pytest.raises(ParameterError, match=message) as err:
        check_parameters(specs, values)
    assert "\n" not in str(err.value)


def test_a_broken_codebook_is_refused_with_the_parser_reason(specs, tmp_path):
    broken = tmp_path / "mine.toml"
    broken.write_text("[frames.strike]\nlabel = \n")
    with pytest.raises(ParameterError, match=r"parameter codebook_path: codebook mine.toml is not valid TOML"):
        check_parameters(specs, {"corpus_path": str(SEEDS), "codebook_path": str(broken)})


def test_a_gazetteer_without_its_columns_is_refused(specs, tmp_path):
    gazetteer = tmp_path / "actors.csv"
    gazetteer.write_text("id,name\nx,X\n")
    with pytest.raises(ParameterError, match=r"parameter actors_path: actor gazetteer actors.csv"):
        check_parameters(specs, {"corpus_path": str(SEEDS), "actors_path": str(gazetteer)})


def test_frame_parameters_are_checked_against_the_run_codebook(specs):
    # Each shipped frame id is accepted; the check reads the codebook the run uses.
    for frame_id in framing.load_codebook().frame_ids:
        check_parameters(specs, {"corpus_path": str(SEEDS), "reassurance_frame": frame_id})


def test_relative_paths_resolve_against_the_given_directory(tmp_path):
    values = {"codebook_path": "rules/mine.toml", "output_dir": "../results", "corpus_path": "/abs/corpus",
              "actors_path": None, "threshold": 0.1, "engine": "pandas", "scheduler_address": "tcp://h:1"}
    resolved = resolve_paths(values, tmp_path / "here")
    assert resolved == {**values, "codebook_path": str(tmp_path / "here" / "rules" / "mine.toml"),
                        "output_dir": str(tmp_path / "results")}
    assert resolve_paths({"corpus_path": "~/x"}, tmp_path) == {"corpus_path": str(Path.home() / "x")}


EXAMPLE_CODEBOOK = Path(__file__).resolve().parents[1] / "docs" / "examples" / "portstrike_codebook.toml"


def test_frame_defaults_become_none_when_the_codebook_lacks_them(specs):
    from kursk_utils.parameters import default_frames
    given = {"corpus_path": str(SEEDS), "codebook_path": str(EXAMPLE_CODEBOOK)}
    assert default_frames(specs, given) == {
        "frustration_frame": None, "reassurance_frame": None, "distrust_frame": None}
    check_parameters(specs, given | default_frames(specs, given))
    # A frame the user names is kept and checked; with the shipped codebook nothing changes.
    named = given | {"distrust_frame": "flood_impact"}
    assert "distrust_frame" not in default_frames(specs, named)
    check_parameters(specs, named | default_frames(specs, named))
    with pytest.raises(ParameterError, match=r"parameter frustration_frame: 'soldier_frustration' is not a "
                                             r"frame of the codebook: choose one of labour_conflict, flood_impact"):
        check_parameters(specs, given | {"frustration_frame": "soldier_frustration"})
    assert default_frames(specs, {"corpus_path": str(SEEDS)}) == {}
    check_parameters(specs, {"corpus_path": str(SEEDS), "frustration_frame": None})
