"""Small hand-built tables following docs/architecture.md, for the viz/report/browser tests.

Two articles: ``a`` (plain) and ``h`` (hostile: HTML and script payloads in its title, a
sentence, a quote and a speaker). Every payload, if it ran, would set ``window.__pwned``.
Numbers are chosen so expected values can be worked out by hand in the tests.
``frames_by_document`` is computed from ``frames_by_sentence`` by the real
:func:`kursk_utils.framing.frames_by_document` with the shipped codebook, as the pipeline does.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pandas as pd

from kursk_utils import framing

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

HOSTILE_TITLE = "<img src=x onerror=\"window.__pwned='title'\"><b>Kursk</b> retreat"
HOSTILE_SENTENCE = "We were abandoned <script>window.__pwned='quote'</script> by everyone, said Taras."
HOSTILE_SPEAKER = "<img src=x onerror=\"window.__pwned='speaker'\">Taras"
HOSTILE_ACTOR = "<b>Washington</b>"
FRAMES = ("chaotic_retreat", "official_reassurance", "soldier_frustration", "us_support_distrust")


def _evidence(cue: str, start: int) -> str:
    return json.dumps([{"cue": cue, "kind": "lexicon", "start": start, "end": start + len(cue)}])


def synthetic_tables() -> dict[str, pd.DataFrame]:
    """Return the tables :func:`kursk_utils.viz.build_figures` needs, keyed by table name."""
    documents = pd.DataFrame(
        {
            "doc_id": ["a", "h"],
            "source_path": ["a.txt", "h.txt"],
            "title": ["Soldiers describe chaotic retreat", HOSTILE_TITLE],
            "n_sentences": [4, 3],
            "n_words": [60, 40],
            "duplicate_of": pd.array([None, None], dtype="str"),
            # no metadata, as for plain-text articles
            "outlet": pd.array([None, None], dtype="str"),
            "published": pd.array([None, None], dtype="str"),
        }
    )
    sentences = pd.DataFrame(
        {
            "doc_id": ["a", "a", "a", "a", "h", "h", "h"],
            "sentence_id": [0, 1, 2, 3, 0, 1, 2],
            "text": [
                "Soldiers describe chaotic retreat",
                "The retreat was chaotic and nobody told us, said a soldier.",
                "The commander said the troops were safe.",
                "Officials doubted US support.",
                HOSTILE_TITLE,
                HOSTILE_SENTENCE,
                "Officials in Kyiv said they could no longer rely on US support.",
            ],
        }
    )
    sentence_sentiment = pd.DataFrame(
        {
            "doc_id": sentences["doc_id"],
            "sentence_id": sentences["sentence_id"],
            "compound": [0.0, -0.6, 0.4, -0.3, 0.0, -0.8, -0.2],
        }
    )
    frames_by_sentence = pd.DataFrame(
        {
            "doc_id": ["a", "a", "a", "a", "h", "h"],
            "sentence_id": [1, 1, 2, 3, 1, 2],
            "frame": ["chaotic_retreat", "soldier_frustration", "official_reassurance", "us_support_distrust",
                      "soldier_frustration", "us_support_distrust"],
            "score": [1.0, 2.0, 1.0, 1.0, 1.5, 2.0],
            "evidence": [_evidence("chaotic", 40), _evidence("nobody told us", 60), _evidence("safe", 110),
                         _evidence("doubted US support", 130), _evidence("abandoned", 60),
                         _evidence("<b>rely on US</b>", 150)],
        }
    )
    frames_by_document = framing.frames_by_document(frames_by_sentence, documents,
                                                    framing.load_codebook())
    quotes = pd.DataFrame(
        {
            "doc_id": ["a", "a", "h"],
            "quote_id": [0, 1, 0],
            "sentence_id": [1, 2, 1],
            "sentence_ids": ["1", "2", "1"],
            "kind": ["reported", "reported", "direct"],
            "speaker": ["a soldier", "The commander", HOSTILE_SPEAKER],
            "role": ["soldier", "ukrainian_official", "soldier"],
            "text": ["The retreat was chaotic and nobody told us", "the troops were safe", HOSTILE_SENTENCE],
            "frames": ["chaotic_retreat soldier_frustration", "official_reassurance", "soldier_frustration"],
        }
    )
    actor_sentiment = pd.DataFrame(
        {
            "actor_id": ["us", "ua_army", "us"],
            "actor_name": [HOSTILE_ACTOR, "Ukrainian army", HOSTILE_ACTOR],
            "group": ["foreign", "ukraine", "foreign"],
            "doc_id": ["*", "*", "h"],
            "n_sentences": [2, 3, 1],
            "mean_compound": [-0.25, -0.2, -0.2],
            "ci_low": [-0.3, -0.6, -0.2],
            "ci_high": [-0.2, 0.4, -0.2],
            "most_negative_doc_id": ["a", "h", "h"],
            "most_negative_sentence_id": [3, 1, 2],
            "most_positive_doc_id": ["h", "a", "h"],
            "most_positive_sentence_id": [2, 2, 2],
        }
    )
    # the sentences behind actor_sentiment: us -0.3 and -0.2 (mean -0.25), ua_army -0.6, 0.4 and
    # -0.4 (mean -0.2)
    actor_mentions = pd.DataFrame(
        {
            "doc_id": ["a", "a", "a", "h", "h"],
            "sentence_id": [1, 2, 3, 1, 2],
            "actor_id": ["ua_army", "ua_army", "us", "ua_army", "us"],
            "actor_name": ["Ukrainian army", "Ukrainian army", HOSTILE_ACTOR, "Ukrainian army", HOSTILE_ACTOR],
            "group": ["ukraine", "ukraine", "foreign", "ukraine", "foreign"],
            "alias": ["soldier", "troops", "US", "Taras", "US"],
            "start": [50, 20, 17, 70, 48],
            "end": [57, 26, 19, 75, 50],
            "compound": [-0.6, 0.4, -0.3, -0.4, -0.2],
        }
    )
    ingest_manifest = pd.DataFrame(
        {
            "path": ["a.txt", "bad.bin", "h.txt"],
            "status": ["ingested", "skipped", "ingested"],
            "reason": [None, "unsupported extension '.bin'", None],
        }
    )
    return {
        "documents": documents,
        "sentences": sentences,
        "ingest_manifest": ingest_manifest,
        "sentence_sentiment": sentence_sentiment,
        "actor_sentiment": actor_sentiment,
        "actor_mentions": actor_mentions,
        "quotes": quotes,
        "frames_by_sentence": frames_by_sentence,
        "frames_by_document": frames_by_document,
    }


def write_synthetic_run(output_dir: Path) -> Path:
    """Lay out a run in ``output_dir`` from the synthetic tables, without the report.

    Writes the tables to ``data/``, executes the real ``notebooks/04_visualize.ipynb`` on
    them with papermill into ``notebooks/``, adds ``notebooks/01_tables.ipynb`` holding the
    ``documents`` table as pandas displays it (hostile title included) and a ``run.json``
    whose corpus path and parameters carry markup too. Returns ``output_dir``.
    """
    import papermill
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from kursk_utils.tables import write_table

    tables = synthetic_tables()
    for name, table in tables.items():
        write_table(table, output_dir, name)
    (output_dir / "notebooks").mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(NOTEBOOKS / "04_visualize.ipynb"), str(output_dir / "notebooks" / "04_visualize.ipynb"),
        parameters={"output_dir": str(output_dir)}, kernel_name="python3", cwd=str(NOTEBOOKS),
        progress_bar=False,
    )
    documents = tables["documents"]
    cell = new_code_cell("documents", execution_count=1, outputs=[new_output(
        "execute_result", execution_count=1,
        data={"text/html": documents._repr_html_(), "text/plain": repr(documents)},
    )])
    nbformat.write(new_notebook(cells=[cell]), output_dir / "notebooks" / "01_tables.ipynb")
    (output_dir / "run.json").write_text(json.dumps({
        "started": "2026-03-14T09:30:00+00:00",
        "corpus_path": "/corpora/<b>kursk</b>",
        "parameters": {"output_dir": str(output_dir), "note": "<script>window.__pwned='param'</script>"},
        "package_versions": {"plotly": "7.1.0"},
        "inputs": [],
        "notebooks": [{"name": "01_tables.ipynb", "seconds": 0.5, "status": "ok"},
                      {"name": "04_visualize.ipynb", "seconds": 9.25, "status": "ok"}],
        "status": "ok",
    }), encoding="utf-8")
    return output_dir
