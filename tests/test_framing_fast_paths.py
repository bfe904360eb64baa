"""Issue 15 (speed): each fast path of frame detection gives what the plain code it replaces gives,
on the kursk60 and hostile articles with the speakers and actor mentions the pipeline would find
and with speakers of every role and side placed at random."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd
import pytest

from kursk_utils import actors, framing
from kursk_utils.text import split_sentences

FIXTURES = Path(__file__).parent / "fixtures"
CODEBOOK = framing.load_codebook()


def plain_resolve_referent(
    rows: list[dict],
    contexts: list[framing._SentenceContext],
    referent: framing.Referent,
    position: int | None,
    agents: dict[str, framing.TimedPattern],
    timeouts: list,
    document_voice: frozenset[str] = frozenset(),
) -> list[dict | None]:
    """:func:`framing._resolve_referent` as it was before its quiet sentences were skipped."""

    def other_side(side: str | None) -> bool:
        return referent.side is not None and side is not None and side != referent.side

    names: set[str] = set()
    introduced: dict | None = None  # the last person introduced with the referent's role (evidence)
    word_sides: dict[str, str] = {}  # a referent word qualified earlier in the document -> its side
    hits: list[dict | None] = []
    # the sides that qualified the document_side_words so far (or whose words the document uses)
    document_sides: set[str] = set(document_voice) if referent.document_side_words is not None else set()
    searched = 0  # the sentences before this one were searched for the referent's own side
    gate = referent.name_gate
    for index, row in enumerate(rows):
        try:
            text, offset, context = row["text"], row["start"], contexts[index]
            if referent.document_side_words is not None and referent.side is not None and referent.side not in document_sides:
                if position in row["starts"]:
                    document_sides |= framing._other_sides(text, referent, agents)
                if document_sides:  # another side's soldiers: has the document named its own, up to here?
                    # Up to the sentence naming the other side's, any of the referent's words names its
                    # own ("Russian soldiers crawled ... to surprise Ukrainian units"); after it, only
                    # words for individual soldiers: "Ukrainian troops" is how the other side's story
                    # names the enemy ("Russia began pushing Ukrainian troops out ...").
                    if any(position in earlier["starts"] and framing._names_own_side(earlier["text"], referent, agents,
                                                                            individual=searched > 0)
                           for earlier in rows[searched:index + 1]):
                        document_sides.add(referent.side)
                    searched = index + 1
            foreign = bool(document_sides) and referent.side not in document_sides  # the hit's own side decides
            folded = row["folded"]
            if gate is None or folded is None or gate.search(folded):
                for regex, pattern_gate in zip(referent.name_patterns, referent.name_gates):
                    if folded is None or pattern_gate is None or pattern_gate.search(folded):
                        for m in regex.finditer(text):
                            if m.group("name"):
                                names.add(m.group("name"))
                                introduced = framing._item(m.group("name"), "carried_referent",
                                                   offset + m.start("name"), offset + m.end("name"))
            for speaker, role, side in context.speakers:
                if not speaker:  # a quote without a named speaker
                    continue
                tokens = speaker.split()
                if role not in referent.speaker_roles or other_side(side):
                    introduced = None  # someone else spoke since
                    continue
                introduced = framing._item(speaker, "carried_referent", offset, offset + len(text))
                # Only personal names ("Artem Kariakin"), not descriptions ("Ukrainian soldiers").
                if all(t[:1].isupper() for t in tokens):
                    names.update(token for token in tokens if len(token) > 2)
            hit, hit_side = None, None
            for speaker, role, side in context.speakers:
                if speaker and role in referent.speaker_roles and not other_side(side):
                    hit = framing._item(speaker, "speaker", offset, offset + len(text))
                    # only a side the speaker's own words name: the quotes table's side of "a
                    # soldier" may be the gazetteer's default
                    hit_side = next((name for name, regex in agents.items() if regex.search(speaker)), None) if foreign else None
                    break
            if hit is None and introduced is not None and any(not speaker for speaker, _, _ in context.speakers):
                hit = dict(introduced)
            if hit is None:
                for group, alias, start, end in context.actors:
                    # a bare alias qualified by another side ("Russian servicemen") is not the referent
                    if group not in referent.actor_groups:
                        continue
                    side = framing._modifier_side(text, start - offset, agents)
                    if not other_side(side):
                        hit, hit_side = framing._item(alias, "actor", start, end), side
                        break
            if hit is None and position in row["starts"]:
                match = framing._referent_match(text, referent, row["starts"][position], agents, word_sides)
                if match:
                    hit = framing._item(match.group(), "referent", offset + match.start(), offset + match.end())
                    hit_side = framing._modifier_side(text, match.start(), agents) if foreign else None
            if hit is None:
                for name in sorted(names):
                    # As written, or in capitals as transcripts label speakers ("DMYTRO: ...").
                    if name not in text and name.upper() not in text:  # a cheap prefilter
                        continue
                    match = re.search(rf"(?<!\w)(?:{re.escape(name)}|{re.escape(name.upper())})(?!\w)", text)
                    if match:
                        hit = framing._item(name, "named_referent", offset + match.start(), offset + match.end())
                        break
            if (
                hit is None
                and index > 0
                and referent.carry_if is not None
                and hits[index - 1] is not None
                and (referent.carry_scope == "document" or rows[index - 1]["paragraph_id"] == row["paragraph_id"])
                and (framing._carries(text, referent.carry_if, context.speakers, referent.speaker_roles) if referent.speaker_roles
                     else referent.carry_if.search(text))
            ):
                previous = hits[index - 1]
                hit = framing._item(previous["cue"], "carried_referent", previous["start"], previous["end"])
            if hit is not None and foreign and hit_side != referent.side:
                hit = None  # the document's soldiers are the other side's
        except TimeoutError:
            timeouts.append((row["doc_id"], row["sentence_id"], f"referent {referent.name!r}", row["text"]))
            hit = None
        hits.append(hit)
    return hits


def _sentences() -> pd.DataFrame:
    rows = []
    paths = sorted((FIXTURES / "kursk60").glob("*.txt")) + sorted((FIXTURES / "hostile").glob("*.txt"))
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        for index, (start, end) in enumerate(split_sentences(text)):
            rows.append({"doc_id": path.stem, "sentence_id": index, "paragraph_id": index // 3, "start": start,
                         "text": text[start:end]})
    return pd.DataFrame(rows)


def _random_speakers(sentences: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Speakers of every role and side, some unnamed (None), on a third of the sentences: a
    soldier named "Artem Kariakin" is later found by name, an unnamed one carries the last."""
    rng = random.Random(seed)
    roles = ["soldier", "us_official", "ukrainian_official", "russian_official", "expert", "other"]
    names = ["Artem Kariakin", "a sergeant", "Russian contract soldiers", "John Kirby", "DMYTRO", "an analyst", None]
    rows = []
    for doc_id, sentence_id in zip(sentences["doc_id"], sentences["sentence_id"]):
        for _ in range(rng.choice([0, 0, 0, 0, 1, 1, 2])):
            speaker = rng.choice(names)
            rows.append({"doc_id": doc_id, "sentence_id": sentence_id, "speaker": speaker,
                         "role": None if speaker is None else rng.choice(roles),
                         "side": rng.choice([None, "ukraine", "russia", "us"])})
    return pd.DataFrame(rows, columns=["doc_id", "sentence_id", "speaker", "role", "side"])


@pytest.mark.parametrize("seed", [None, 1, 2])
def test_quiet_sentences_skipped_give_the_referents_of_the_plain_loop(monkeypatch, seed) -> None:
    # _resolve_referent skips a sentence none of whose speakers, actors, name-pattern gates or
    # pattern places concern the referent; each document's hits and timeouts are those of the
    # loop that went through every sentence, for every referent (seed None: no speakers).
    sentences = _sentences()
    speakers = None if seed is None else _random_speakers(sentences, seed)
    mentions = actors.find_mentions(sentences, actors.load_gazetteer())
    compared = []
    fast = framing._resolve_referent

    def both(rows, contexts, referent, position, agents, timeouts, document_voice=frozenset()):
        for voice in {document_voice, frozenset(), frozenset({"russia"}), frozenset({"ukraine"})}:
            plain_timeouts, fast_timeouts = [], []
            expected = plain_resolve_referent(rows, contexts, referent, position, agents, plain_timeouts, voice)
            assert fast(rows, contexts, referent, position, agents, fast_timeouts, voice) == expected
            assert fast_timeouts == plain_timeouts
            compared.append(sum(hit is not None for hit in expected))
        return fast(rows, contexts, referent, position, agents, timeouts, document_voice)

    monkeypatch.setattr(framing, "_resolve_referent", both)
    framing.detect_frames(sentences, CODEBOOK, speakers=speakers, actor_mentions=mentions)
    assert len(compared) >= 3 * len(CODEBOOK.referents) * sentences["doc_id"].nunique()
    assert sum(compared) > 1000  # hits of every kind were compared, not only empty documents
