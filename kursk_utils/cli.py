"""Command line: ``kursk run`` (the whole pipeline) and ``kursk validate`` (accuracy figures)."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from kursk_utils import __version__
from kursk_utils.corpus import CorpusError
from kursk_utils.parameters import ParameterError, build_specs, describe
from kursk_utils.pipeline import (
    DEFAULT_NOTEBOOK_DIR, PipelineError, find_notebooks, notebook_parameters, parse_value, run_pipeline,
)

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
    validate.add_argument("--gold", type=Path,
                          help="framing only: your annotation CSV (doc_id, text, one 0/1 column per "
                               "frame id; one row per sentence) instead of the shipped annotations")
    validate.add_argument("--codebook", type=Path,
                          help="framing only: the codebook TOML to score (default: the shipped one)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
    if args.what != "framing" and (args.gold or args.codebook):
        print("kursk validate: --gold and --codebook apply to 'framing' only", file=sys.stderr)
        return 2
    try:
        if args.gold is not None:
            result = module.evaluate_gold(args.gold, args.codebook)
        elif args.codebook is not None:
            result = module.evaluate(codebook_path=args.codebook)
        else:
            result = module.evaluate()
    except ValueError as err:  # CodebookError too: a bad file, said in one line
        print(f"kursk validate: {' '.join(str(err).split())}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        print(module.summary_frame(result).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
