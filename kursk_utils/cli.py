"""Command line: ``kursk run`` (the whole pipeline), ``kursk validate`` (accuracy figures) and
``kursk train-sentiment`` / ``kursk train-frames`` (retrain the shipped target-sentiment model or
frame model)."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from kursk_utils import __version__
from kursk_utils.corpus import CorpusError
from kursk_utils.frame_model import SCORERS
from kursk_utils.parameters import ParameterError, build_specs, describe
from kursk_utils.pipeline import (
    DEFAULT_NOTEBOOK_DIR, PipelineError, RunInterrupted, RunLockedError, find_notebooks,
    notebook_parameters, parse_value, run_pipeline,
)
from kursk_utils.stages import FramingSettings

DEFAULT_CORPUS = DEFAULT_NOTEBOOK_DIR.parent / "seeds"
DEFAULT_OUTPUT = Path("outputs")
VALIDATIONS = ("sentiment", "framing", "quotes")
# Validations that can score a user-supplied gold file (format in the module docstring).
GOLD_FILE_VALIDATIONS = ("quotes", "framing")


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
    validate.add_argument("--gold", type=Path, action="append", metavar="FILE",
                          help="your own gold file instead of the shipped set. framing: a CSV of "
                               "sentences (text + one 0/1 column per frame id) or a JSONL of documents "
                               "(text/title + labels), repeatable (docs/validation.md); quotes: a gold "
                               "quotes.jsonl (passages.jsonl next to it), see kursk_utils.validation.quotes")
    framing_options = validate.add_argument_group("framing only")
    framing_options.add_argument("--codebook", type=Path, metavar="FILE",
                                 help="codebook to validate (default: the shipped one)")
    framing_options.add_argument("--resamples", type=_positive_int, default=None, metavar="N",
                                 help="bootstrap resamples for the 95%% intervals (default: 2000)")
    framing_options.add_argument("--seed", type=_non_negative_int, default=None, metavar="N",
                                 help="bootstrap seed (default: 14); same seed, same intervals")
    framing_options.add_argument("--frame-scorer", choices=SCORERS, default=None,
                                 help="hybrid (default): the cue rules plus the learned frame model "
                                      "(docs/frame_model.md; trained on the blind parts dev..dev15), or rules")

    train = commands.add_parser(
        "train-sentiment", help="retrain the target-sentiment model on NewsMTSC (same bytes every time)"
    )
    train.add_argument("--output", type=Path, default=None,
                       help="folder for the model and its manifest (default: the package's data/models)")
    train_frames = commands.add_parser(
        "train-frames", help="retrain the frame model on the blind dev sentences (same bytes every time)"
    )
    train_frames.add_argument("--output", type=Path, default=None,
                              help="folder for the model and its manifest (default: the package's data/models)")
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
    args = build_parser().parse_args(argv)
    if args.command == "run":
        parameters = {name: parse_value(value) for name, value in args.parameter}
        try:
            manifest = run_pipeline(args.corpus, args.output, parameters, args.notebooks)
        except (ParameterError, RunLockedError) as err:
            print(f"kursk run: {err}", file=sys.stderr)
            return 2  # a usage error, like argparse's
        except RunInterrupted as err:
            print(f"kursk run: interrupted by {err}; run.json records it", file=sys.stderr)
            return 128 + err.signum  # the shell's convention for a process ended by a signal
        except (PipelineError, CorpusError) as err:
            print(f"kursk run: {err}", file=sys.stderr)
            return 1
        print(f"done: {len(manifest['notebooks'])} notebooks; results in {args.output}/")
        return 0
    if args.command in ("train-sentiment", "train-frames"):
        trainer = (importlib.import_module("kursk_utils.target_sentiment") if args.command == "train-sentiment"
                   else importlib.import_module("kursk_utils.frame_model")).train_shipped_model
        path = trainer(args.output)
        print(f"wrote {path} ({path.stat().st_size:,} bytes) and its manifest")
        return 0
    if args.gold is not None and args.what not in GOLD_FILE_VALIDATIONS:
        print(f"kursk validate: --gold is supported for {', '.join(GOLD_FILE_VALIDATIONS)} only",
              file=sys.stderr)
        return 2
    module = importlib.import_module(f"kursk_utils.validation.{args.what}")
    framing_options = {name: value for name, value in [
        ("codebook_path", args.codebook), ("n_resamples", args.resamples), ("seed", args.seed),
        ("framing_settings", args.frame_scorer and FramingSettings(frame_scorer=args.frame_scorer))]
        if value is not None}
    if framing_options and args.what != "framing":
        print("kursk validate: --codebook, --resamples, --seed and --frame-scorer apply to 'validate framing' only",
              file=sys.stderr)
        return 2
    if args.what == "quotes" and args.gold is not None and len(args.gold) > 1:
        print("kursk validate: quotes takes one --gold file", file=sys.stderr)
        return 2
    if args.what == "framing":
        options = {**framing_options, "gold_paths": args.gold} if args.gold else framing_options
    else:
        options = {"gold_path": args.gold[0]} if args.gold else {}
    try:
        result = module.evaluate(**options)
    except ValueError as err:  # a bad gold file or codebook is reported, not raised
        print(f"kursk validate {args.what}: {err}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        print(module.summary_frame(result).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
