import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import zlib
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSHEnsemble

from benchmarks.generate import article
from kursk_utils import corpus as corpus_module
from kursk_utils.corpus import (
    CONTAINMENT_THRESHOLD,
    LSH_MAX_ROWS,
    LSH_PARTITIONS,
    MINHASH_PERMUTATIONS,
    MINHASH_SEED,
    CorpusError,
    check_offsets,
    duplicate_signature,
    flag_duplicates_from_signatures,
    ingest,
    write_ingested,
)
from kursk_utils.text import CharMap, normalize_segment

from conftest import PROJECT_ROOT, SEEDS

KURSK60 = PROJECT_ROOT / "tests" / "fixtures" / "kursk60"
SEED_000 = "000_a4d19107e3aefedf"
SEED_001 = "001_84f33d5342423382"
SEED_002 = "002_624225025d5b85e3"
SEED_003 = "003_78ab2bbd060f4baf"

BODY = (
    "Russian forces said on Wednesday they had recaptured the town of Sudzha in the Kursk region. "
    "Ukrainian commanders described the withdrawal as orderly, although soldiers said the last "
    "supply road had been under drone fire for weeks. The General Staff said units had moved to "
    "better positions."
)


def words(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.replace("\u2019", "'")))


def doc(ingested, doc_id):
    return ingested.documents.set_index("doc_id").loc[doc_id]


def manifest_row(ingested, name):
    rows = ingested.manifest[(ingested.manifest["path"] == name) & ingested.manifest["line"].isna()]
    assert len(rows) == 1
    return rows.iloc[0]


# --- seed layouts -------------------------------------------------------------------------------

def test_summary_title_body_layout(seed_ingested):
    d = doc(seed_ingested, SEED_000)
    assert d.layout == "summary_title_body"
    assert d.title == "Ukrainian Soldiers Reflect on Chaotic Retreat from Kursk"
    assert d.subtitle.startswith("As Ukraine pulls back from its recent incursions")
    assert d.summary.startswith("Ukrainian soldiers explain their chaotic withdrawal")
    # The repeated title is kept once.
    assert d.text.count(d.title) == 1
    sections = seed_ingested.sentences.query("doc_id == @SEED_000")["section"].tolist()
    assert sections[:4] == ["title", "subtitle", "summary", "summary"]
    assert set(sections[4:]) == {"body"}


def test_summary_read_original_body_layout(seed_ingested):
    d = doc(seed_ingested, SEED_002)
    assert d.layout == "summary_body"
    assert d.summary.startswith("Facing a critical situation in Kursk Oblast")
    assert "Read the original article" not in d.text
    first_body = seed_ingested.paragraphs.query("doc_id == @SEED_002 and section == 'body'").iloc[0]
    assert first_body.text.startswith("Ukraine is reportedly considering a strategic withdrawal")


def test_plain_body_layout(seed_ingested):
    d = doc(seed_ingested, SEED_003)
    assert d.layout == "body"
    assert d.title is None or d.title != d.title  # no title in this article
    assert d.text.startswith("Ukrainian forces appeared to be withdrawing")


@pytest.mark.parametrize(
    ("doc_id", "removed"),
    [
        (SEED_000, "Ukrainian Soldiers Reflect on Chaotic Retreat from Kursk"),
        (SEED_001, "Ukrainian Forces Retreat from Kursk Region Amid Intensified Russian Counteroffensive"),
        (SEED_002, "Read the original article here"),
        (SEED_003, ""),
    ],
)
def test_no_text_is_lost(seed_ingested, doc_id, removed):
    raw = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")
    # Only the repeated title or the boilerplate line is gone; every other word is kept.
    assert words(raw) - words(removed) == words(doc(seed_ingested, doc_id).text)


def test_headline_body_article(tmp_path):
    (tmp_path / "a.txt").write_text(f"Russia claims Sudzha recapture\n\n{BODY}\n\nSecond paragraph here.\n")
    d = ingest(tmp_path).documents.iloc[0]
    assert d.layout == "headline_body"
    assert d.title == "Russia claims Sudzha recapture"
    assert d.n_paragraphs == 3


def test_markdown_heading_is_the_title(tmp_path):
    (tmp_path / "a.md").write_text(f"# Kyiv pulls back from Kursk\n\n{BODY}\n")
    d = ingest(tmp_path).documents.iloc[0]
    assert d.title == "Kyiv pulls back from Kursk"
    assert "#" not in d.text


def test_hard_wrapped_lines_form_one_paragraph(tmp_path):
    wrapped = "The withdrawal began on Monday and\nthe last units crossed the border\nby Friday night.\n"
    (tmp_path / "a.txt").write_text(wrapped)
    ingested = ingest(tmp_path)
    assert ingested.paragraphs["text"].tolist() == [
        "The withdrawal began on Monday and the last units crossed the border by Friday night."
    ]


# --- offsets and hashes ------------------------------------------------------------------------

def test_every_sentence_offset_slices_back_to_its_text(seed_ingested):
    assert check_offsets(seed_ingested) == len(seed_ingested.sentences)
    texts = dict(zip(seed_ingested.documents.doc_id, seed_ingested.documents.text))
    for row in seed_ingested.paragraphs.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.text


def test_raw_offsets_point_into_the_raw_file(seed_ingested):
    for doc_id in (SEED_000, SEED_002):
        raw = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")
        for row in seed_ingested.sentences.query("doc_id == @doc_id").itertuples():
            assert normalize_segment(raw[row.raw_start : row.raw_end], 0, 0, CharMap()) == row.text


def test_curly_quotes_are_normalised(seed_ingested):
    assert "\u2019" not in doc(seed_ingested, SEED_002).text
    assert "Ukraine's progress" in doc(seed_ingested, SEED_002).text


def test_doc_id_is_file_stem_and_sha256_is_of_raw_bytes(seed_ingested):
    for path in sorted(SEEDS.glob("*.txt")):
        d = doc(seed_ingested, path.stem)
        assert d.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert d.source_path == path.name


def test_tables_are_written_deterministically(tmp_path, seed_ingested):
    first = write_ingested(ingest(SEEDS), tmp_path / "a")
    second = write_ingested(seed_ingested, tmp_path / "b")
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert (tmp_path / "a" / "data" / "documents.csv").read_bytes() == (
        tmp_path / "b" / "data" / "documents.csv"
    ).read_bytes()


# --- duplicates --------------------------------------------------------------------------------

def test_exact_and_near_duplicates_are_flagged_not_dropped(tmp_path):
    shutil.copy(SEEDS / f"{SEED_003}.txt", tmp_path / "a_original.txt")
    shutil.copy(SEEDS / f"{SEED_003}.txt", tmp_path / "b_copy.txt")
    syndicated = "Kursk foothold lost\n\n" + (SEEDS / f"{SEED_003}.txt").read_text() + "\nReporting by staff.\n"
    (tmp_path / "c_syndicated.txt").write_text(syndicated)
    shutil.copy(SEEDS / f"{SEED_001}.txt", tmp_path / "d_other.txt")
    docs = ingest(tmp_path).documents.set_index("doc_id")
    assert len(docs) == 4
    assert docs.loc["b_copy", "duplicate_kind"] == "exact"
    assert docs.loc["b_copy", "duplicate_of"] == "a_original"
    assert docs.loc["c_syndicated", "duplicate_kind"] == "near"
    assert docs.loc["c_syndicated", "duplicate_of"] == "a_original"
    assert 0.7 <= docs.loc["c_syndicated", "duplicate_similarity"] < 1
    assert docs.loc[["a_original", "d_other"], "duplicate_kind"].isna().all()


def test_seeds_are_not_duplicates_of_each_other(seed_ingested):
    assert seed_ingested.documents["duplicate_kind"].isna().all()


def test_syndicated_and_embedded_copies_are_flagged_without_false_flags():
    docs = ingest(KURSK60).documents.set_index("doc_id")
    flagged = docs.loc[docs["duplicate_kind"].notna(), ["duplicate_of", "duplicate_kind", "duplicate_similarity"]]
    # Shares of the shorter text's 5-gram shingles, counted by intersecting the shingle sets
    # (235 of 239, 236 of 286, 232 of 286); the Jaccard similarities (0.62, 0.61, 0.57) are below
    # the near-duplicate threshold.
    assert flagged.to_dict("index") == {
        "france24_2025-03-12_putin-kursk": {  # the AFP story inside a page of unrelated items
            "duplicate_of": "afp_2025-03-12_putin-kursk", "duplicate_kind": "contained",
            "duplicate_similarity": 0.9833},
        "timesofindia_2025-03-09_pipeline": {  # new first paragraph, last three cut
            "duplicate_of": "reuters_2025-03-08_pipeline", "duplicate_kind": "contained",
            "duplicate_similarity": 0.8112},
        "washingtonpost_2025-03-11_ap-soldiers": {  # new first paragraph, last two cut
            "duplicate_of": "ap_2025-03-10_soldiers", "duplicate_kind": "contained",
            "duplicate_similarity": 0.8252},
    }


def test_containment_matches_a_hand_count():
    words = [f"w{i}" for i in range(1, 121)]
    texts = {
        "a": " ".join(words[:80]),  # 76 shingles
        # a inside 40 words on each side: 156 shingles, all 76 of a's among them (Jaccard 0.49).
        "b": " ".join([f"x{i}" for i in range(40)] + words[:80] + [f"y{i}" for i in range(40)]),
        "c": " ".join(words[:40]),  # 36 shingles, all in a: too short to count as a copy
        "d": " ".join(words[40:]),  # 76 shingles, 36 of them in a (0.47)
    }
    signatures = [duplicate_signature(texts[d]) for d in sorted(texts)]
    assert [len(shingles) for _, shingles in signatures] == [76, 156, 36, 76]
    flags = flag_duplicates_from_signatures(
        sorted(texts), [d for d, _ in signatures], [s for _, s in signatures])
    assert flags.astype(object).where(flags.notna(), "-").values.tolist() == [
        ["-", "-", "-"], ["a", "contained", 1.0], ["-", "-", "-"], ["-", "-", "-"]]


def test_generated_corpus_has_no_duplicates():
    signatures = [duplicate_signature(article(index)) for index in range(300)]
    flags = flag_duplicates_from_signatures(
        [f"g{index:03d}" for index in range(300)], [d for d, _ in signatures], [s for _, s in signatures])
    assert flags["duplicate_kind"].isna().all()


def test_shingles_are_the_distinct_word_five_grams_sorted():
    texts = _varied_texts(60, seed=5) + ["", "one", "a b c d e a b c d e a b c d e", "Ünïcode wörds " * 9]
    for text in texts:
        shingles = duplicate_signature(text)[1]
        words = re.findall(r"\w+", text.lower()) or [""]
        grams = {tuple(words[i : i + 5]) for i in range(max(len(words) - 4, 1))}
        assert shingles.dtype == np.uint64 and len(shingles) == len(grams)
        assert (shingles[1:] > shingles[:-1]).all()


def test_shingle_word_characters_are_those_of_the_word_pattern():
    # The translate table's definition of a word character against re's \w, on every code point.
    for code in range(sys.maxunicode + 1):
        if not 0xD800 <= code <= 0xDFFF:
            word = re.fullmatch(r"\w", chr(code)) is not None
            assert corpus_module._WORD_SPACES[code] == (code if word else 32), hex(code)


def test_shingle_hashes_match_the_word_pattern_definition():
    # The words by translate and split, hashed in NumPy, against the pattern's words hashed one by one.
    rng = random.Random(11)
    alphabet = "aZ09_ -'\u2019.,\"\n\t\u00a0\u2003\u00e9\u0130\u00df\u0416\u0661\u00b2\u0301\u200b\u4e2d\U0001d400\ud800!"
    texts = _varied_texts(40, seed=7) + ["", " ", "__", "\ud800 word \udfff", "İstanbul ΣΑΣ straße ½ ²"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(3000)]
    for text in texts:
        words = [word.encode("utf-8", "surrogatepass") for word in re.findall(r"\w+", text.lower())]
        assert corpus_module._shingle_words(text) == words
        if words:
            expected = np.array([zlib.crc32(w) << 32 | zlib.adler32(w) for w in words], dtype=np.uint64)
            n = max(len(words) - 4, 1)
            grams = sum(expected[k : k + n] * weight for k, weight in enumerate(corpus_module._SHINGLE_WEIGHTS[: len(words)]))
            assert np.array_equal(corpus_module._shingles(text), np.unique(grams))


def _varied_texts(n: int, seed: int) -> list[str]:
    """Generated articles, their trimmed and merged variants, headlines and multi-article pages:
    shingle sets from one to a few thousand, so every partition and band layout of the
    ensemble is used, with many true and false candidate pairs."""
    rng = random.Random(seed)
    texts: list[str] = []
    for index in range(n):
        kind = rng.random()
        if texts and kind < 0.35:  # an earlier text trimmed, with sentences of another
            sentences = rng.choice(texts).split(". ")
            kept = [s for s in sentences if rng.random() < rng.uniform(0.4, 1.0)] or sentences[:1]
            texts.append(". ".join(kept + article(index).split(". ")[: rng.randint(0, 6)]))
        elif kind < 0.6:  # a headline or a few sentences
            texts.append(" ".join(article(index).split()[: rng.randint(1, 120)]))
        elif kind < 0.7:  # a page of several stories
            texts.append("\n\n".join(article(index * 7 + k) for k in range(rng.randint(2, 4))))
        else:
            texts.append(article(index))
    return texts


def _ensemble_pairs(originals: list[int], shingles: list, containment: float) -> list[tuple[int, int]]:
    """Candidate pairs straight from datasketch: every document indexed, then queried."""
    permutations = MinHash(num_perm=MINHASH_PERMUTATIONS, seed=MINHASH_SEED, scheme="affine64").permutations
    minhashes = {}
    for pos in originals:
        minhashes[pos] = MinHash(num_perm=MINHASH_PERMUTATIONS, seed=MINHASH_SEED, scheme="affine64",
                                 hashfunc=int, permutations=permutations)
        minhashes[pos].update_batch(shingles[pos].tolist())
    index = MinHashLSHEnsemble(threshold=containment, num_perm=MINHASH_PERMUTATIONS,
                               num_part=LSH_PARTITIONS, m=LSH_MAX_ROWS)
    index.index([(pos, minhashes[pos], len(shingles[pos])) for pos in originals])
    return sorted({(min(pos, hit), max(pos, hit)) for pos in originals
                   for hit in index.query(minhashes[pos], len(shingles[pos])) if hit != pos})


def test_minhash_values_are_datasketchs():
    shingles = [duplicate_signature(text)[1] for text in _varied_texts(120, seed=3)]
    permutations = MinHash(num_perm=MINHASH_PERMUTATIONS, seed=MINHASH_SEED, scheme="affine64").permutations
    expected = []
    for values in shingles:
        minhash = MinHash(num_perm=MINHASH_PERMUTATIONS, seed=MINHASH_SEED, scheme="affine64",
                          hashfunc=int, permutations=permutations)
        minhash.update_batch(values.tolist())
        expected.append(minhash.hashvalues)
    assert min(map(len, shingles)) == 1 and max(map(len, shingles)) > corpus_module._MINHASH_BLOCK
    assert (np.array(corpus_module._minhash_permutations()) == permutations).all()
    assert (corpus_module.minhash_values(shingles) == np.array(expected)).all()


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.9])
def test_candidate_pairs_are_the_ensembles(threshold):
    shingles = [duplicate_signature(text)[1] for text in _varied_texts(400, seed=int(threshold * 10))]
    originals = [pos for pos in range(len(shingles)) if pos % 11]  # some positions are exact copies
    expected = _ensemble_pairs(originals, shingles, threshold)
    assert len(expected) > 10
    assert corpus_module._candidate_pairs(originals, shingles, threshold) == expected
    # with the MinHash values computed beforehand (the Dask engine's workers do)
    assert corpus_module._candidate_pairs(originals, shingles, threshold,
                                          corpus_module.minhash_values(shingles)) == expected


def test_shipped_ensemble_params_are_datasketchs():
    # The table read at the default thresholds instead of tuning (which imports scipy.integrate).
    ensemble = MinHashLSHEnsemble(threshold=CONTAINMENT_THRESHOLD, num_perm=MINHASH_PERMUTATIONS,
                                  num_part=LSH_PARTITIONS, m=LSH_MAX_ROWS)
    xqs, params = corpus_module._ensemble_params(CONTAINMENT_THRESHOLD)
    assert xqs.tolist() == ensemble.xqs.tolist() and params.tolist() == ensemble.params.tolist()
    # another threshold is tuned by datasketch
    other = MinHashLSHEnsemble(threshold=0.5, num_perm=MINHASH_PERMUTATIONS, num_part=LSH_PARTITIONS,
                               m=LSH_MAX_ROWS)
    assert corpus_module._ensemble_params(0.5)[1].tolist() == other.params.tolist() != params.tolist()


def test_duplicate_flags_do_not_depend_on_the_process():
    script = ("import json; from kursk_utils.corpus import ingest; "
              f"d = ingest({str(KURSK60)!r}).documents; "
              "print(json.dumps(d[['doc_id', 'duplicate_of', 'duplicate_similarity']].values.tolist()))")
    runs = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1
    docs = ingest(KURSK60).documents
    assert json.loads(runs.pop()) == json.loads(json.dumps(
        docs[["doc_id", "duplicate_of", "duplicate_similarity"]].values.tolist()))


# --- bad input ---------------------------------------------------------------------------------

@pytest.fixture
def messy_corpus(tmp_path: Path) -> Path:
    (tmp_path / "good.txt").write_text(BODY)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\n ")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "latin.txt").write_bytes("Caf\u00e9 owners in Sudzha said the \u201cretreat\u201d was chaotic.".encode("cp1252"))
    (tmp_path / "broken.txt").write_bytes(b"Bytes \x81\x8d\x8f\x90 nothing can decode.")
    (tmp_path / "bom8.txt").write_bytes(b"\xef\xbb\xbf" + BODY.encode("utf-8"))
    (tmp_path / "bom16.txt").write_bytes(("Kyiv says units regrouped. " + BODY).encode("utf-16"))
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    sub = tmp_path / "nested"
    sub.mkdir()
    (sub / "rows.jsonl").write_text(
        '{"id": "r1", "title": "Kremlin hails Sudzha", "outlet": "TASS", "text": "Moscow said the town was liberated."}\n'
        "{not json\n"
        '{"id": "r3", "text": ""}\n'
        '{"text": "Kyiv denied it was encircled.", "url": "https://example.org/x", "published": "2025-03-12"}\n'
    )
    (sub / "rows.csv").write_text(
        'id,title,text\nc1,Title one,"First article, with a comma."\nc2,too,many,fields\n'
        'c3,Title three,"Third article.\nSecond paragraph."\n'
    )
    (sub / "notext.csv").write_text("id,headline\n1,Only a headline\n")
    return tmp_path


def test_every_input_file_is_accounted_for(messy_corpus):
    ingested = ingest(messy_corpus)
    files = {p.relative_to(messy_corpus).as_posix() for p in messy_corpus.rglob("*") if p.is_file()}
    file_rows = ingested.manifest[ingested.manifest["line"].isna()]
    assert set(file_rows["path"]) == files
    assert file_rows["path"].is_unique


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty file"),
        ("blank.txt", "empty file"),
        ("image.txt", "binary file"),
        ("broken.txt", "undecodable bytes"),
        ("report.pdf", "unsupported extension '.pdf'"),
        ("nested/notext.csv", "no text column"),
    ],
)
def test_bad_files_are_skipped_with_their_reason(messy_corpus, name, reason):
    row = manifest_row(ingest(messy_corpus), name)
    assert row.status == "skipped"
    assert reason in row.reason


def test_encodings(messy_corpus):
    ingested = ingest(messy_corpus)
    latin = manifest_row(ingested, "latin.txt")
    assert (latin.status, latin.encoding) == ("ingested", "cp1252")
    assert "cp1252" in latin.warning
    assert doc(ingested, "latin").text.startswith('Caf\u00e9 owners in Sudzha said the "retreat"')
    assert manifest_row(ingested, "bom8.txt").encoding == "utf-8-sig"
    assert doc(ingested, "bom8").text == doc(ingested, "good").text
    assert manifest_row(ingested, "bom16.txt").encoding == "utf-16"
    assert doc(ingested, "bom16").text.startswith("Kyiv says units regrouped.")


def test_bad_records_are_skipped_with_line_numbers(messy_corpus):
    ingested = ingest(messy_corpus)
    skipped = ingested.manifest[ingested.manifest["status"] == "skipped_record"]
    got = {(row.path, row.line): row.reason for row in skipped.itertuples()}
    assert set(got) == {("nested/rows.jsonl", 2), ("nested/rows.jsonl", 3), ("nested/rows.csv", 3)}
    assert got[("nested/rows.jsonl", 2)].startswith("malformed JSON")
    assert got[("nested/rows.jsonl", 3)] == "empty text"
    assert "4 fields" in got[("nested/rows.csv", 3)]
    assert manifest_row(ingested, "nested/rows.jsonl").n_documents == 2
    assert manifest_row(ingested, "nested/rows.csv").n_documents == 2


def test_tabular_metadata_and_ids(messy_corpus):
    docs = ingest(messy_corpus).documents.set_index("doc_id")
    r1 = docs.loc["r1"]
    assert (r1.title, r1.outlet, r1.source_row) == ("Kremlin hails Sudzha", "TASS", 1)
    assert r1.text == "Kremlin hails Sudzha\n\nMoscow said the town was liberated."
    # No id column value: the file stem and line number identify the record.
    unnamed = docs.loc["rows-4"]
    assert (unnamed.url, unnamed.published) == ("https://example.org/x", "2025-03-12")
    assert docs.loc["c3"].n_paragraphs == 3  # title + two body paragraphs


def test_missing_corpus_path_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="does not exist: .*nowhere"):
        ingest(tmp_path / "nowhere")


def test_corpus_without_articles_is_a_clear_error(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(CorpusError, match=r"no articles .* \(1 x empty file; 1 x unsupported"):
        ingest(tmp_path)

