"""Deterministic synthetic corpora built from real sentences that ship with the project.

Sentences come from the seed articles (``seeds/``) and the human-rated New York Times editorial
snippets (``kursk_utils/data/validation/vader_nyt_editorials``). Every generated article is a plain
text file laid out like the seeds: a headline line, a blank line, then paragraphs of two to four
sentences separated by blank lines, about :data:`TARGET_CHARS` characters in all. About one
paragraph in three opens with a direct quote attributed to a person of the actor gazetteer
(``"...," said Volodymyr Zelensky.``), and the seeds' own quoted sentences are in the pool too, so
the quote, speaker and actor rules have work to do. The same ``n`` and ``seed`` always give the
same bytes.

With ``metadata=True`` the folder also gets a metadata sidecar (``metadata.csv``, keyed by
``file``): each article's outlet (one of :data:`OUTLETS`, each of one perspective), perspective,
published date (March 2025, so a timeline has several weeks) and url, a function of the
article's index alone, so that comparisons by group and period have real groups and periods.
"""

from __future__ import annotations

import csv
import random
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from kursk_utils import actors
from kursk_utils.corpus import ingest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT_ROOT / "seeds"
NYT_SNIPPETS = ("data", "validation", "vader_nyt_editorials", "nytEditorialSnippets_GroundTruth.txt")
TARGET_CHARS = 3500
# A paragraph is about 500 characters: stopping this short of the target centres lengths on it.
STOP_SHORT_CHARS = 250
QUOTE_SHARE = 1 / 3
# NYT snippets shorter than this are fragments ("Yes.") that make poor quotes and headlines.
MIN_SENTENCE_CHARS = 40
SIDECAR = "metadata.csv"
# (outlet, perspective) of the generated sidecar: 17 outlets of unequal share in 3 perspectives.
OUTLETS = (
    ("Kyiv Ledger", "Ukrainian"), ("Atlantic Wire", "Western"), ("Moscow Bulletin", "Russian state"),
    ("Dnipro Daily", "Ukrainian"), ("Continental Times", "Western"), ("Kremlin Line", "Russian state"),
    ("Sumy Frontline", "Ukrainian"), ("Northern Herald", "Western"), ("Volga Telegraph", "Russian state"),
    ("Lviv Post", "Ukrainian"), ("Capital Review", "Western"), ("Red Square Report", "Russian state"),
    ("Kharkiv Courier", "Ukrainian"), ("Harbour Gazette", "Western"), ("Federal Observer", "Russian state"),
    ("Evening Dispatch", "Western"), ("Global Monitor", "Western"),
)
FIRST_DAY = 1  # of March 2025, the month of the Kursk withdrawal
N_DAYS = 31


@cache
def sentence_pool() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(body sentences, headlines): seed body sentences and NYT snippets; seed titles as headlines."""
    seeds = ingest(SEEDS)
    body = seeds.sentences.loc[seeds.sentences["section"] == "body", "text"].tolist()
    snippets = resources.files("kursk_utils").joinpath(*NYT_SNIPPETS).read_text("utf-8")
    for line in snippets.splitlines():
        fields = line.split("\t")
        if len(fields) == 3 and len(fields[2].strip()) >= MIN_SENTENCE_CHARS:
            # NYT files write a double quote as two apostrophes.
            body.append(fields[2].strip().replace("''", '"'))
    headlines = seeds.documents["title"].dropna().tolist()
    return tuple(body), tuple(headlines)


@cache
def speakers() -> tuple[str, ...]:
    """Full names of the persons in the shipped actor gazetteer.

    A person is an actor with a capitalised multi-word name whose surname alone is also an alias
    ("Vladimir Putin" and "Putin"); this leaves out "United States" and "Ukrainian soldiers".
    """
    gazetteer = actors.load_gazetteer()
    aliases = set(zip(gazetteer["actor_id"], gazetteer["alias"]))
    persons = {
        name for actor_id, name in zip(gazetteer["actor_id"], gazetteer["actor_name"])
        if " " in name and name.istitle() and (actor_id, name.split()[-1]) in aliases
    }
    return tuple(sorted(persons))


def _quoted(sentence: str, speaker: str) -> str:
    inner = sentence.rstrip(".!?").replace('"', "'")
    return f'"{inner}," said {speaker}.'


def _headline(rng: random.Random, body: tuple[str, ...], headlines: tuple[str, ...]) -> str:
    if rng.random() < 0.5:
        return rng.choice(headlines)
    words = rng.choice(body).split()[:9]
    return " ".join(words).rstrip(".,;:!?\"'")


def article(index: int, seed: int = 0) -> str:
    """The text of generated article ``index`` (same ``index`` and ``seed``, same text)."""
    body, headlines = sentence_pool()
    names = speakers()
    rng = random.Random(f"{seed}:{index}")
    paragraphs: list[str] = []
    length = 0
    while length < TARGET_CHARS - STOP_SHORT_CHARS:
        sentences = [rng.choice(body) for _ in range(rng.randint(2, 4))]
        if rng.random() < QUOTE_SHARE:
            sentences[0] = _quoted(sentences[0], rng.choice(names))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return _headline(rng, body, headlines) + "\n\n" + "\n\n".join(paragraphs) + "\n"


def _file_name(index: int) -> str:
    return f"article-{index:07d}.txt"


def metadata_row(index: int, seed: int = 0) -> dict[str, str]:
    """The sidecar row of generated article ``index``: ``file``, ``outlet``, ``perspective``,
    ``published`` (ISO date in March 2025) and ``url`` (same ``index`` and ``seed``, same row)."""
    rng = random.Random(f"metadata:{seed}:{index}")
    # Outlets of unequal size (the first ones publish most), as in a real collection.
    outlet, perspective = OUTLETS[int(rng.expovariate(1 / 6)) % len(OUTLETS)]
    day = FIRST_DAY + rng.randrange(N_DAYS)
    slug = outlet.lower().replace(" ", "-")
    return {"file": _file_name(index), "outlet": outlet, "perspective": perspective,
            "published": f"2025-03-{day:02d}", "url": f"https://{slug}.example.org/news/{index}"}


def generate_corpus(directory: str | Path, n: int, seed: int = 0, start: int = 0,
                    metadata: bool = False) -> list[Path]:
    """Write articles ``start`` .. ``start + n - 1`` as ``article-NNNNNNN.txt`` files in ``directory``.

    With ``metadata``, also (re)write the sidecar ``metadata.csv`` with a row for every article
    ``0`` .. ``start + n - 1`` (so articles added later with ``start`` keep their rows).

    Returns the article paths written, in order. Existing files of the same names are overwritten.
    """
    if n < 0 or start < 0:
        raise ValueError(f"n and start must be >= 0, got n={n}, start={start}")
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + n):
        path = folder / _file_name(index)
        path.write_text(article(index, seed), encoding="utf-8")
        paths.append(path)
    if metadata:
        with open(folder / SIDECAR, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=["file", "outlet", "perspective", "published", "url"],
                                    lineterminator="\n")
            writer.writeheader()
            writer.writerows(metadata_row(index, seed) for index in range(start + n))
    return paths


def corpus_stats(directory: str | Path) -> pd.DataFrame:
    """Characters per generated file (``path``, ``chars``), to check the size of a corpus."""
    files = sorted(Path(directory).glob("*.txt"))
    return pd.DataFrame({"path": [p.name for p in files],
                         "chars": [len(p.read_text("utf-8")) for p in files]})
