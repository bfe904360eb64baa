"""Command line: ``kursk run`` (the whole pipeline) and ``kursk validate`` (accuracy figures)."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from kursk_utils import __version__
from kursk_utils.corpus import CorpusError
from kursk_utils.framing import CodebookError
from kursk_utils.parameters import ParameterError, build_specs, describe
from kursk_utils.pipeline import (
    DEFAULT_NOTEBOOK_DIR, PipelineError, find_notebooks, notebook_parameters, parse_value, run_pipeline,
)
from kursk_utils.validation.framing import GoldFileError

DEFAULT_CORPUS = DEFAULT_NOTEBOOK_DIR.parent / "seeds"
DEFAULT_OUTPUT = Path("outputs")
VALIDATIONS = ("sentiment", "framing")


def _parameters_help(notebook_dir: Path = DEFAULT_NOTEBOOK_DIR) -> str:
    """The notebook parameters for ``kursk run --help``, read from the notebooks' parameters cells."""
    try:
        specs = build_specs({nb.name: notebook_parameters(nb) for nb in find_notebooks(notebook_dir)})
    except PipelineError as err:  # an installation without the notebooks folder
        return f"notebook parameters: unavailable ({err})"
    return (
        "notebook parameters (-p NAME VALUE; each goes to the notebooks, by number, that declare it;\n"
        "relative paths are read from the current directory; all are checked before any notebook runs):\n"
        + describe(specs)
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kursk", description="Framing analysis of news articles with Jupyter notebooks."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run every notebook on a corpus and render the report",
                              epilog=_parameters_help(),
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                     help="folder (or file) of articles: .txt, .md, .jsonl, .csv (default: seeds/)")
    run.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                     help="where tables, executed notebooks and the report go (default: outputs/)")
    run.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                     metavar=("NAME", "VALUE"),
                     help="notebook parameter; VALUE is read as JSON when it parses, else as text")
    run.add_argument("--notebooks", type=Path, default=DEFAULT_NOTEBOOK_DIR,
                     help="folder of the numbered notebooks (default: the project's notebooks/)")

    validate = commands.add_parser("validate", help="measure accuracy against human annotations")
    validate.add_argument("what", choices=VALIDATIONS)
    validate.add_argument("--json", action="store_true", help="print the figures as JSON")
    framing_options = validate.add_argument_group(
        "framing only", "gold files and codebook for 'validate framing' (format: docs/validation.md)")
    framing_options.add_argument(
        "--gold", type=Path, action="append", metavar="FILE",
        help="your own gold file, scored instead of the shipped sets: a CSV of sentences (text + one "
             "0/1 column per frame id) or a JSONL of documents (text/title + labels); repeatable")
    framing_options.add_argument("--codebook", type=Path, metavar="FILE",
                                 help="codebook to validate (default: the shipped one)")
    framing_options.add_argument("--resamples", type=_positive_int, default=None, metavar="N",
                                 help="bootstrap resamples for the 95%% intervals (default: 2000)")
    framing_options.add_argument("--seed", type=_non_negative_int, default=None, metavar="N",
                                 help="bootstrap seed (default: 14); same seed, same intervals")
    return parser


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return int(text)


def _non_negative_int(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "run":
        parameters = {name: parse_value(value) for name, value in args.parameter}
        try:
            manifest = run_pipeline(args.corpus, args.output, parameters, args.notebooks)
        except ParameterError as err:
            print(f"kursk run: {err}", file=sys.stderr)
            return 2  # a usage error, like argparse's
        except (PipelineError, CorpusError) as err:
            print(f"kursk run: {err}", file=sys.stderr)
            return 1
        print(f"done: {len(manifest['notebooks'])} notebooks; results in {args.output}/")
        return 0
    module = importlib.import_module(f"kursk_utils.validation.{args.what}")
    options = {name: value for name, value in [
        ("gold_paths", args.gold), ("codebook_path", args.codebook),
        ("n_resamples", args.resamples), ("seed", args.seed)] if value is not None}
    if options and args.what != "framing":
        parser.error("--gold, --codebook, --resamples and --seed apply to 'validate framing' only")
    try:
        result = module.evaluate(**options)
    except (CodebookError, GoldFileError) as err:
        print(f"kursk validate: {err}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        print(module.summary_frame(result).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
