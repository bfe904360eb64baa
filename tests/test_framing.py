"""Frame detection on hand-checked sentences in varied outlet styles, and the table functions.

Every expected frame set below was decided by reading the sentence against the codebook
definitions (include / not-when columns of the issue), not by running the detector.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from kursk_utils import framing
from kursk_utils.framing import CodebookError, load_codebook

from conftest import TWO_FRAME_CODEBOOK as TWO_FRAMES

CODEBOOK = load_codebook()
# The shipped (Kursk) codebook's frames, in its order, written out to check the file.
KURSK_FRAME_IDS = (
    "soldier_frustration", "us_support_distrust", "chaotic_retreat", "incursion_strategic_value",
    "peace_negotiations", "russian_military_success", "north_korean_troops", "human_cost",
    "official_reassurance", "european_support", "drone_technology",
)


def sentences_of(*texts: str, doc_id: str = "d1", paragraph_ids: list[int] | None = None) -> pd.DataFrame:
    """A sentences table for one document whose text is the sentences joined by single spaces."""
    rows, start = [], 0
    for index, text in enumerate(texts):
        paragraph_id = 0 if paragraph_ids is None else paragraph_ids[index]
        rows.append(
            {"doc_id": doc_id, "sentence_id": index, "paragraph_id": paragraph_id,
             "start": start, "end": start + len(text), "text": text}
        )
        start += len(text) + 1
    return pd.DataFrame(rows)


def frames_in(text: str, **tables) -> set[str]:
    result = framing.detect_frames(sentences_of(text), CODEBOOK, **tables)
    return set(result["frame"])


def frames_per_sentence(*texts: str) -> list[set[str]]:
    result = framing.detect_frames(sentences_of(*texts), CODEBOOK)
    return [set(result.loc[result["sentence_id"] == i, "frame"]) for i in range(len(texts))]


# (sentence, frames that must be present, frames that must be absent)
CASES = [
    # soldier_frustration
    ('"We were left without ammunition for three days and nobody at headquarters answered the radio," '
     "a sergeant from the 47th Brigade said.", {"soldier_frustration"}, set()),
    ("Soldiers of the unit complained that the order to pull back came far too late.",
     {"soldier_frustration"}, set()),
    # the late order in the past perfect (blind dev6 td01's class)
    ("The platoon commander said the order to pull back had come two weeks after the soldiers knew the village was lost.",
     {"soldier_frustration"}, set()),
    ('"I feel abandoned by the politicians in Kyiv," said a drone operator with the call sign Kit.',
     {"soldier_frustration"}, set()),
    ('"It is difficult, but we are holding on," the commander said.', set(), {"soldier_frustration"}),
    ("Soldiers said they had moved their equipment to new positions overnight.", set(), {"soldier_frustration"}),
    ("Analysts expressed frustration with the slow pace of the investigation.", set(), {"soldier_frustration"}),
    ('"We are proud of what we did there," said a marine.', set(), {"soldier_frustration"}),
    # us_support_distrust
    ("The suspension of US intelligence sharing left Ukrainian units blind to Russian glide bomb attacks.",
     {"us_support_distrust"}, set()),
    ("Many in Kyiv now fear that Washington will abandon Ukraine to secure a deal with Moscow.",
     {"us_support_distrust"}, set()),
    ("Ukrainian officials say Trump's peace plan favours Russia and sidelines Kyiv.",
     {"us_support_distrust", "peace_negotiations"}, set()),
    ("The United States has delivered a new package of air defence missiles to Ukraine.",
     set(), {"us_support_distrust"}),
    ("Washington reaffirmed its commitment to supporting Ukraine for as long as it takes.",
     set(), {"us_support_distrust"}),
    ("Soldiers fear that their ammunition supplies will be cut.", set(), {"us_support_distrust"}),
    # chaotic_retreat
    ("Ukrainian units fled in panic, abandoning their equipment along the road.", {"chaotic_retreat"}, set()),
    ("Remnants of AFU formations are fleeing in disarray, leaving behind burnt-out armoured vehicles.",
     {"chaotic_retreat"}, set()),
    ("The last supply road was cut, leaving about 10,000 troops at risk of encirclement.",
     {"chaotic_retreat", "human_cost"}, set()),
    ("The withdrawal was completed on Thursday, the General Staff said.", set(), {"chaotic_retreat"}),
    # incursion_strategic_value
    ("The operation forced Moscow to pull troops away from the Pokrovsk direction.",
     {"incursion_strategic_value"}, set()),
    ("Kyiv hoped to use the captured territory as a bargaining chip in future talks.",
     {"incursion_strategic_value", "peace_negotiations"}, set()),
    ("Officials say the Kursk incursion created a buffer zone that protected Sumy region from shelling.",
     {"incursion_strategic_value"}, set()),
    ("Critics say the incursion was a costly failure that achieved nothing.", set(), {"incursion_strategic_value"}),
    ("The raid had no strategic value, analysts concluded.", set(), {"incursion_strategic_value"}),
    # peace_negotiations
    ("Moscow has yet to respond to the US-backed proposal for a 30-day ceasefire.", {"peace_negotiations"}, set()),
    ("The Kremlin said it is open to dialogue, but any settlement must reflect the realities on the ground.",
     {"peace_negotiations"}, set()),
    ("The peaceful village was shelled overnight.", set(), {"peace_negotiations"}),
    ("Residents said the power cut was a big deal.", set(), {"peace_negotiations"}),
    # russian_military_success
    ("Units of the North group of forces liberated the settlement of Nikolayevo-Darino, the Defence Ministry said.",
     {"russian_military_success"}, set()),
    ("Russian troops captured two villages near Sudzha on Tuesday.", {"russian_military_success"}, set()),
    ("The enemy lost up to 150 servicemen and two tanks over the past day.",
     {"russian_military_success", "human_cost"}, set()),
    ("Ukrainian troops captured a Russian village in August.", set(), {"russian_military_success"}),
    ("In August, Ukrainian troops stormed across the Russian border and seized dozens of settlements.",
     set(), {"russian_military_success"}),
    # north_korean_troops
    ("Pyongyang has sent about 11,000 soldiers to fight alongside Russian forces in Kursk.",
     {"north_korean_troops"}, set()),
    ("DPRK servicemen took part in the fighting in the Kursk region, Moscow confirmed.", {"north_korean_troops"}, set()),
    ("South Korean officials met their Japanese counterparts in Seoul.", set(), {"north_korean_troops"}),
    # human_cost
    ("Four civilians were killed when a drone hit a bus in Sudzha.", {"human_cost", "drone_technology"}, set()),
    ("Kyiv's priority is to save the lives of its soldiers.", {"human_cost"}, set()),
    ("More than 600 Ukrainian servicemen have been taken prisoner, Moscow claims.", {"human_cost"}, set()),
    ("Three armoured vehicles were destroyed in the strike.", set(), {"human_cost"}),
    ("The strike caused no casualties.", set(), {"human_cost"}),
    # official_reassurance
    ('"Our troops are carrying out their tasks," Zelensky said.', {"official_reassurance"}, set()),
    ('"The situation is under control," the General Staff said in a statement.', {"official_reassurance"}, set()),
    ("Units were regrouping to more advantageous positions, a military spokesman said.",
     {"official_reassurance"}, set()),
    ("Ukrainian forces withdrew from Sudzha on Wednesday.", set(), {"official_reassurance"}),
    # european_support
    ("European leaders pledged to step up military aid to Kyiv.", {"european_support"}, set()),
    ("Britain and France are drawing up plans for a peacekeeping force.", {"european_support"}, set()),
    ("Without Washington, Europe is too weak to guarantee Ukraine's security.", {"european_support"}, set()),
    ("A Polish volunteer was among the wounded.", set(), {"european_support"}),
    # drone_technology
    ("Russian FPV drones hunted every vehicle on the supply road.", {"drone_technology"}, set()),
    ("Electronic warfare jammed the Starlink terminals used by the assault units.", {"drone_technology"}, set()),
    ("The city was shelled by artillery overnight.", set(), {"drone_technology"}),
]


@pytest.mark.parametrize(("text", "present", "absent"), CASES, ids=[c[0][:50] for c in CASES])
def test_hand_checked_sentences(text, present, absent):
    found = frames_in(text)
    assert present <= found, f"missing {present - found}"
    assert not (absent & found), f"unexpected {absent & found}"


def test_every_frame_has_positive_and_negative_cases():
    positives = set().union(*(p for _, p, _ in CASES))
    negatives = set().union(*(a for _, _, a in CASES))
    assert positives == set(KURSK_FRAME_IDS)
    assert negatives == set(KURSK_FRAME_IDS)


@pytest.mark.parametrize(
    "text",
    [
        '"There is no threat of encirclement," the spokesman said.',
        "The General Staff denied that its units had been encircled.",
        "Kyiv pushed back on claims that its forces were surrounded.",
        "Reports that the withdrawal was chaotic are false, the commander said.",
    ],
)
def test_denied_setback_counts_for_reassurance_not_chaotic_retreat(text):
    found = frames_in(text)
    assert "official_reassurance" in found
    assert "chaotic_retreat" not in found


def test_denied_russian_claim_is_reassurance():
    found = frames_in("The Ukrainian General Staff denied that Russian forces had recaptured Sudzha.")
    assert "official_reassurance" in found
    assert "russian_military_success" not in found


def test_negation_stops_at_clause_break():
    found = frames_in("Officials denied the reports, but units were encircled near Sudzha.")
    assert "chaotic_retreat" in found


def test_attributed_russian_claim_still_counts():
    found = frames_in("Russian state media claimed that Ukrainian troops fled in panic.")
    assert "chaotic_retreat" in found


def test_soldier_voice_from_speakers_table():
    text = '"This is absurd," he said.'
    assert "soldier_frustration" not in frames_in(text)
    speakers = pd.DataFrame({"doc_id": ["d1"], "sentence_id": [0], "speaker": ["Artem"], "role": ["soldier"]})
    assert "soldier_frustration" in frames_in(text, speakers=speakers)
    official = speakers.assign(role="ukrainian_official")
    assert "soldier_frustration" not in frames_in(text, speakers=official)


def test_named_soldier_is_tracked_across_the_document():
    found = frames_per_sentence(
        "Oleksiy, a 34-year-old drone operator, has fought in Kursk since August.",
        "Taras Shevchuk met reporters in Sumy.",
        "Oleksiy is furious about the late orders.",
    )
    assert "soldier_frustration" in found[2]


def test_pronoun_carries_soldier_voice_within_paragraph_only():
    sentences = sentences_of(
        "A platoon commander described the last days in Kursk.",
        "He said the pullout was badly organised.",
        paragraph_ids=[0, 0],
    )
    result = framing.detect_frames(sentences, CODEBOOK)
    row = result[(result["sentence_id"] == 1) & (result["frame"] == "soldier_frustration")]
    assert len(row) == 1
    kinds = {item["kind"] for item in json.loads(row["evidence"].iloc[0])}
    assert "carried_referent" in kinds
    split = framing.detect_frames(sentences.assign(paragraph_id=[0, 1]), CODEBOOK)
    assert not ((split["sentence_id"] == 1) & (split["frame"] == "soldier_frustration")).any()


def test_us_referent_from_earlier_sentence():
    found = frames_per_sentence(
        "President Trump met Zelensky in the Oval Office on Friday.",
        "Days later, his administration halted all military aid to Kyiv, weakening its air defences.",
    )
    assert "us_support_distrust" in found[1]


def test_the_pause_alone_names_the_halt_where_the_us_referent_holds():
    # "the suspension" / "the pause" is the halt (0.5): with its harm and the US named or carried, distrust;
    # without a word of harm, or without the US, nothing.
    found = frames_per_sentence(
        "The Pentagon halted weapons deliveries to Kyiv last week.",
        "An official said the suspension had left its troops in Kursk exposed.",
        "The pause was announced on a Monday.",
    )
    assert ["us_support_distrust" in f for f in found] == [False, True, False]
    assert "us_support_distrust" not in frames_in("An official said the suspension had left its troops exposed.")


def test_us_support_halted_needs_harm_doubt_or_tone():
    # A halt named alone is a neutral report; with its harm or a negative tone it is distrust.
    bare = "The United States paused intelligence sharing with Kyiv on Wednesday."
    assert "us_support_distrust" not in frames_in(bare)
    assert "us_support_distrust" in frames_in(bare.replace(" on Wednesday", ", leaving its gunners blind"))
    negative = pd.DataFrame({"doc_id": ["d1"], "sentence_id": [0], "compound": [-0.5]})
    assert "us_support_distrust" in frames_in(bare, sentence_sentiment=negative)


@pytest.mark.parametrize("text", [
    "Kremlin welcomes US aid pause as Russian forces press in Kursk",
    "The shipments had been halted for a week after the White House paused military aid to Kyiv.",
])
def test_us_support_halted_named_twice_is_still_one_fact(text):
    # However many ways a sentence names the halt ("US aid pause", "shipments halted", "paused aid"),
    # it is one fact and counts once: no doubt or harm is said.
    assert "us_support_distrust" not in frames_in(text)
    assert "us_support_distrust" in frames_in(text.replace("Kyiv.", "Kyiv, leaving its gunners blind.")
                                              .replace("Kursk", "Kursk, leaving its gunners blind"))


def test_us_referent_from_actor_mentions():
    text = "The administration halted the shipments, hampering the defence."
    assert "us_support_distrust" not in frames_in(text)
    mentions = pd.DataFrame(
        {"doc_id": ["d1"], "sentence_id": [0], "actor_id": ["united_states"], "actor_name": ["United States"],
         "group": ["us"], "alias": ["administration"], "start": [4], "end": [18]}
    )
    assert "us_support_distrust" in frames_in(text, actor_mentions=mentions)


def test_negative_sentiment_bonus_completes_a_weak_cue():
    text = "Soldiers say the rotation schedule leaves them helpless."
    negative = pd.DataFrame({"doc_id": ["d1"], "sentence_id": [0], "compound": [-0.4]})
    assert "soldier_frustration" not in frames_in(text)
    assert "soldier_frustration" in frames_in(text, sentence_sentiment=negative)
    assert "soldier_frustration" not in frames_in(text, sentence_sentiment=negative.assign(compound=0.3))


def test_score_is_sum_of_distinct_cue_weights():
    # "fled" and "panic" are two 1.0 cues of chaotic_retreat; repeating "panic" adds nothing.
    result = framing.detect_frames(sentences_of("Troops fled in panic, panic everywhere."), CODEBOOK)
    row = result[result["frame"] == "chaotic_retreat"].iloc[0]
    assert row["score"] == 2.0
    cues = [item["cue"] for item in json.loads(row["evidence"]) if item["kind"] == "cue"]
    assert cues == ["fled", "panic"]


def test_output_schema_and_order():
    sentences = pd.concat(
        [sentences_of("Russian drones hit the column.", doc_id="b"),
         sentences_of("A ceasefire was proposed. Troops fled in panic.", doc_id="a")]
    )
    result = framing.detect_frames(sentences, CODEBOOK)
    assert list(result.columns) == ["doc_id", "sentence_id", "frame", "score", "evidence"]
    keys = list(zip(result["doc_id"], result["sentence_id"], result["frame"]))
    assert keys == sorted(keys)
    assert str(result["sentence_id"].dtype) == "int64"
    assert (result["score"] > 0).all()


def test_seed_evidence_offsets_point_into_document_text(seed_ingested):
    result = framing.detect_frames(seed_ingested.sentences, CODEBOOK)
    assert len(result) > 0
    texts = seed_ingested.documents.set_index("doc_id")["text"]
    checked = 0
    for doc_id, evidence in zip(result["doc_id"], result["evidence"]):
        for item in json.loads(evidence):
            if item["kind"] in {"cue", "negated_cue", "referent", "agent", "named_referent", "carried_referent"}:
                assert texts[doc_id][item["start"] : item["end"]] == item["cue"]
                checked += 1
    assert checked > 100


def test_detection_is_deterministic(seed_ingested, tmp_path):
    from kursk_utils.tables import write_table

    first = framing.detect_frames(seed_ingested.sentences, CODEBOOK)
    second = framing.detect_frames(seed_ingested.sentences.sample(frac=1, random_state=1), CODEBOOK)
    pd.testing.assert_frame_equal(first, second)
    a = write_table(first, tmp_path / "a", "frames_by_sentence").read_bytes()
    b = write_table(second, tmp_path / "b", "frames_by_sentence").read_bytes()
    assert a == b


def test_bad_input_gives_clear_errors():
    with pytest.raises(ValueError, match=r"sentences table is missing column\(s\) \['sentence_id'\]"):
        framing.detect_frames(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}), CODEBOOK)
    with pytest.raises(TypeError, match="Codebook"):
        framing.detect_frames(sentences_of("x"), "codebook.toml")
    with pytest.raises(ValueError, match="duplicate"):
        framing.detect_frames(pd.concat([sentences_of("x"), sentences_of("y")]), CODEBOOK)
    with pytest.raises(ValueError, match=r"speakers table is missing column\(s\) \['sentence_id', 'speaker', 'role'\]"):
        framing.detect_frames(sentences_of("x"), CODEBOOK, speakers=pd.DataFrame({"doc_id": ["d1"]}))


# --- codebook ------------------------------------------------------------------------------------

SHIPPED = framing.DEFAULT_CODEBOOK_PATH.read_text(encoding="utf-8")


def test_shipped_codebook_has_exactly_the_eleven_frames():
    assert CODEBOOK.frame_ids == KURSK_FRAME_IDS
    table = CODEBOOK.table()
    assert list(table["id"]) == list(KURSK_FRAME_IDS)
    assert table["include"].str.len().gt(20).all()
    assert (table["n_cues"] > 0).all()


def test_codebook_errors(tmp_path):
    with pytest.raises(CodebookError, match="not found"):
        load_codebook(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[frames\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="not valid TOML"):
        load_codebook(broken)
    no_frames = tmp_path / "no_frames.toml"
    no_frames.write_text("[frames]\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="defines no frame"):
        load_codebook(no_frames)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(SHIPPED.replace("[frames.official_reassurance]", "[frames.reassurance]"), encoding="utf-8")
    with pytest.raises(CodebookError, match="frames.chaotic_retreat: feeds unknown frame 'official_reassurance'"):
        load_codebook(feeds)
    not_with = tmp_path / "not_with.toml"
    not_with.write_text(SHIPPED.replace('not_with = ["soldier_frustration"]', 'not_with = ["soldiers_anger"]'), encoding="utf-8")
    with pytest.raises(CodebookError, match="frames.official_reassurance: not_with must name other frames"):
        load_codebook(not_with)
    bad_regex = tmp_path / "bad_regex.toml"
    bad_regex.write_text(SHIPPED.replace("'''North Korea", "'''(North Korea", 1), encoding="utf-8")
    with pytest.raises(CodebookError, match=r"frames.north_korean_troops.cues\[0\]: invalid regular expression"):
        load_codebook(bad_regex)


def test_user_codebook_changes_detection(tmp_path):
    custom = tmp_path / "custom.toml"
    custom.write_text(SHIPPED.replace("'''North Korea", "'''Wagner|North Korea", 1), encoding="utf-8")
    codebook = load_codebook(custom)
    sentences = sentences_of("Wagner fighters joined the assault.")
    assert "north_korean_troops" in set(framing.detect_frames(sentences, codebook)["frame"])
    assert "north_korean_troops" not in set(framing.detect_frames(sentences, CODEBOOK)["frame"])


def test_a_codebook_of_only_frames_is_valid_and_falls_back_for_the_rest(tmp_path):
    path = tmp_path / "two.toml"
    path.write_text(TWO_FRAMES, encoding="utf-8")
    codebook = load_codebook(path)
    assert codebook.frame_ids == ("wages", "weather")  # the file's order
    assert codebook.fallbacks == ("negation", "referents", "agents", "voice")
    assert set(codebook.referents) == set(CODEBOOK.referents)
    assert codebook.topic is None  # no [topic] and no referents of its own: not checked
    sentences = sentences_of(
        "Dockers want a pay rise.", "Heavy rain and storms hit.", "There was no flood.", "Rain, then a flood."
    )
    found = framing.detect_frames(sentences, codebook)
    # "rain" and "storms" are one cue, counted once: 0.5 < 1. The negated flood does not count
    # (the shipped negators include "no"). Rain 0.5 + flood 1.0 = 1.5.
    assert list(zip(found["sentence_id"], found["frame"], found["score"])) == [
        (0, "wages", 1.0), (3, "weather", 1.5)]
    documents = pd.DataFrame({"doc_id": ["d1"], "n_sentences": [4]})
    by_document = framing.frames_by_document(found, documents, codebook)
    assert list(by_document.columns) == [
        "doc_id", "wages", "weather", "wages_score", "wages_sentences", "weather_score", "weather_sentences"]
    assert by_document.loc[0, ["wages", "weather", "wages_score", "weather_sentences"]].tolist() == [1, 1, 0.25, 1]


@pytest.mark.parametrize("frame_id", ["doc_id", "wages_score", "pay-rise", "2nd", "x_sentences"])
def test_frame_ids_that_cannot_name_columns_are_refused(tmp_path, frame_id):
    path = tmp_path / "bad.toml"
    path.write_text(TWO_FRAMES.replace("[frames.wages]", f'[frames."{frame_id}"]'), encoding="utf-8")
    with pytest.raises(CodebookError, match=f"frames.{frame_id}: a frame id must be a letter"):
        load_codebook(path)


def test_a_section_the_codebook_defines_replaces_the_shipped_one(tmp_path):
    path = tmp_path / "own.toml"
    path.write_text(TWO_FRAMES.replace("threshold = 1\n", 'threshold = 1\nrequires = ["port"]\n') + """
[referents.port]
pattern = 'dockers?|port'

[negation]
negators = 'never'
window_tokens = 2
denials = 'denied'
post = 'is false'
clause_breaks = ';'
""", encoding="utf-8")
    codebook = load_codebook(path)
    assert codebook.fallbacks == ("agents", "voice")
    assert list(codebook.referents) == ["port"]
    # Topic from the file's own referents when it has no [topic].
    assert codebook.topic.search("The Port was shut") and not codebook.topic.search("Portugal")
    found = framing.detect_frames(
        sentences_of("Dockers want a pay rise.", "Teachers want a pay rise.", "There was no flood."), codebook)
    # The pay rise needs the port referent; "no" is not a negator of this codebook.
    assert list(zip(found["sentence_id"], found["frame"])) == [(0, "wages"), (2, "weather")]
    unknown = tmp_path / "unknown.toml"
    unknown.write_text(TWO_FRAMES.replace("threshold = 1\n", 'threshold = 1\nrequires = ["soldiers"]\n'),
                       encoding="utf-8")
    with pytest.raises(CodebookError, match="requires unknown referent 'soldiers'"):
        load_codebook(unknown)


def test_topic_check_counts_the_articles_that_mention_the_topic(tmp_path):
    path = tmp_path / "topic.toml"
    path.write_text(TWO_FRAMES + '\n[topic]\npatterns = ["dock(?:er|worker)s?", "harbou?r"]\n', encoding="utf-8")
    codebook = load_codebook(path)
    sentences = pd.concat([
        sentences_of("Dockers walked out.", "The harbour is closed.", "Dockworkers agree.", doc_id="a"),
        sentences_of("A storm came.", doc_id="b"),
        sentences_of("Nothing here.", "Still nothing.", doc_id="c"),
    ])
    documents = pd.DataFrame({"doc_id": ["c", "a", "b"], "n_sentences": [2, 3, 1]})
    checked = framing.topic_check(documents, sentences, codebook)
    assert list(checked.columns) == framing.TOPIC_CHECK_COLUMNS
    assert checked["doc_id"].tolist() == ["a", "b", "c"]
    assert checked["topic_sentences"].tolist() == [3, 0, 0]
    assert checked["topic_terms"].tolist() == ["dockers; dockworkers; harbour", "", ""]
    assert checked["on_topic"].tolist() == [True, False, False]
    fit = framing.topic_fit(checked)
    assert (fit["n_documents"], fit["n_on_topic"], fit["share_on_topic"], fit["fits"]) == (3, 1, 0.333333, False)
    assert "may not fit this corpus" in fit["message"] and "1 of 3 articles" in fit["message"]
    assert framing.topic_fit(checked[checked["doc_id"] == "a"])["fits"] is True
    unchecked = framing.topic_check(documents, sentences, _two_frames(tmp_path))
    assert unchecked["on_topic"].isna().all() and framing.topic_fit(unchecked)["fits"] is None


def _two_frames(tmp_path):
    path = tmp_path / "two.toml"
    path.write_text(TWO_FRAMES, encoding="utf-8")
    return load_codebook(path)


def test_shipped_topic_matches_kursk_news_not_a_port_strike():
    assert CODEBOOK.topic is not None and CODEBOOK.fallbacks == ()
    assert CODEBOOK.topic.search("Ukrainian troops left the Kursk region.")
    assert not CODEBOOK.topic.search("Dockers at the port walked out over automation; a farmer fled the floods.")


# --- documents, quotes, explanations ---------------------------------------------------------------


def _frames_table(rows):
    return pd.DataFrame(
        [(d, s, f, 1.0, "[]") for d, s, f in rows], columns=["doc_id", "sentence_id", "frame", "score", "evidence"]
    )


def test_frames_by_document_presence_share_and_count():
    documents = pd.DataFrame({"doc_id": ["b", "a", "c"], "n_sentences": [4, 2, 5]})
    frames = _frames_table([("a", 0, "human_cost"), ("a", 1, "human_cost"), ("b", 3, "drone_technology")])
    result = framing.frames_by_document(frames, documents, CODEBOOK)
    assert list(result["doc_id"]) == ["a", "b", "c"]
    expected_columns = (
        ["doc_id"] + list(KURSK_FRAME_IDS) + [f"{f}_{s}" for f in KURSK_FRAME_IDS for s in ("score", "sentences")]
    )
    assert list(result.columns) == expected_columns
    row = result.set_index("doc_id")
    assert row.loc["a", "human_cost"] == 1 and row.loc["a", "human_cost_sentences"] == 2
    assert row.loc["a", "human_cost_score"] == 1.0  # 2 of 2 sentences
    assert row.loc["b", "drone_technology_score"] == 0.25  # 1 of 4
    assert row.loc["c", list(KURSK_FRAME_IDS)].sum() == 0  # document without frames still listed
    assert set(result[list(KURSK_FRAME_IDS)].stack().unique()) <= {0, 1}


def test_frames_by_document_rejects_unknown_frames_and_docs():
    documents = pd.DataFrame({"doc_id": ["a"], "n_sentences": [1]})
    with pytest.raises(ValueError, match="not in the codebook"):
        framing.frames_by_document(_frames_table([("a", 0, "propaganda")]), documents, CODEBOOK)
    with pytest.raises(ValueError, match="not in documents"):
        framing.frames_by_document(_frames_table([("z", 0, "human_cost")]), documents, CODEBOOK)


def test_attach_frames_unions_spanned_sentences_in_codebook_order():
    frames = _frames_table([("a", 1, "human_cost"), ("a", 2, "soldier_frustration"), ("a", 2, "human_cost")])
    quotes = pd.DataFrame(
        {"doc_id": ["a", "a"], "quote_id": [0, 1], "sentence_id": [1, 5], "sentence_ids": ["1 2", "5"],
         "frames": ["", ""]}
    )
    result = framing.attach_frames(quotes, frames, CODEBOOK.frame_ids)
    assert list(result["frames"]) == ["soldier_frustration human_cost", ""]
    assert list(quotes["frames"]) == ["", ""]  # input left unchanged


def test_explain_shows_cues_in_context():
    sentences = sentences_of("Calm morning.", "Troops fled in panic near the border.")
    frames = framing.detect_frames(sentences, CODEBOOK)
    explanation = framing.explain(frames, sentences, "d1", 1)
    chaotic = explanation[explanation["frame"] == "chaotic_retreat"]
    assert set(chaotic.loc[chaotic["kind"] == "cue", "cue"]) == {"fled", "panic"}
    assert "Troops [[fled]] in panic near the border." in set(chaotic["context"])
    assert framing.explain(frames, sentences, "d1", 0).empty
    with pytest.raises(KeyError):
        framing.explain(frames, sentences, "d1", 9)


def test_descriptive_speaker_is_not_taken_for_a_name():
    sentences = sentences_of("Ukrainian soldiers describe the pullout.", "Ukrainian officials voiced frustration.")
    speakers = pd.DataFrame(
        {"doc_id": ["d1"], "sentence_id": [0], "speaker": ["Ukrainian soldiers"], "role": ["soldier"]}
    )
    result = framing.detect_frames(sentences, CODEBOOK, speakers=speakers)
    assert not ((result["sentence_id"] == 1) & (result["frame"] == "soldier_frustration")).any()


def test_empty_inputs_give_empty_tables():
    empty = sentences_of("x").iloc[0:0]
    result = framing.detect_frames(empty, CODEBOOK)
    assert list(result.columns) == ["doc_id", "sentence_id", "frame", "score", "evidence"] and result.empty
    documents = pd.DataFrame({"doc_id": ["a"], "n_sentences": [0]})
    by_document = framing.frames_by_document(result, documents, CODEBOOK)
    assert by_document.loc[0, "human_cost"] == 0 and by_document.loc[0, "human_cost_score"] == 0.0


# --- issue 14: sides, voices, reassurance and logistics in other words --------------------------
# Sentences written for these tests (not taken from any annotated set); each pair holds the class
# of error and its near miss.


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # Side of the referent: another side's soldiers are not Ukrainian soldiers.
        ("Ukrainian reservists sent to the border are furious with their officers.",
         {"soldier_frustration"}, set()),
        ("Russian reservists sent to the border are furious with their officers.",
         set(), {"soldier_frustration"}),
        # Side of the voice: an enemy claim about Ukrainian soldiers is not their frustration.
        ("Ukrainian troops feel betrayed by their generals, a Ukrainian sergeant said.",
         {"soldier_frustration"}, set()),
        ("Ukrainian troops have been betrayed by their generals, a Russian senator claimed.",
         set(), {"soldier_frustration"}),
        ("According to the Russian Defence Ministry, Ukrainian soldiers were left behind by their commanders.",
         set(), {"soldier_frustration"}),
        # Frustration phrased as a problem, or as a command that never saw the front.
        ('"Ammunition is our biggest problem now," a gunner told reporters.', {"soldier_frustration"}, set()),
        ("The biggest problem for Russian conscripts is the cold, their mothers say.",
         set(), {"soldier_frustration"}),
        ("A scout says the generals who planned the assault had never seen the front.",
         {"soldier_frustration"}, set()),
        ("We learned about the pullout from a neighbouring unit, not from our own command, the medic said.",
         {"soldier_frustration"}, set()),
        # Reassurance in other words.
        ('The battalion spokesman described the front near the border as "calm and stable".',
         {"official_reassurance"}, set()),
        ("Our units remain in the town and continue to hold it, the battalion commander said.",
         {"official_reassurance"}, set()),
        ("Defences around the bridgehead will be held for as long as necessary, the General Staff said.",
         {"official_reassurance"}, set()),
        ("A military spokesman dismissed the enemy's flag-raising video as staged propaganda.",
         {"official_reassurance"}, {"russian_military_success"}),
        ("The patient's condition is stable, the hospital said.", set(), {"official_reassurance"}),
        ("Civilians remain in the town despite the shelling.", set(), {"official_reassurance"}),
        # Chaotic retreat as lost logistics.
        ("Drones picked off three fuel trucks on the road to the front.", {"chaotic_retreat"}, set()),
        ("Vans carrying ammunition to the salient were hit on almost every trip.", {"chaotic_retreat"}, set()),
        ("The only supply route to the brigade came under constant fire.", {"chaotic_retreat"}, set()),
        ("By the end, the troops were walking out through the forest with whatever they could carry.",
         {"chaotic_retreat"}, set()),
        # Near misses of chaotic retreat: a mention, another side's flight, an unsupported claim.
        ("The reported encirclement of Ukrainian troops was discussed on Russian talk shows.",
         set(), {"chaotic_retreat"}),
        ("North Korean units are running away from the drones, a Ukrainian commander said.",
         set(), {"chaotic_retreat"}),
        ("Pro-Kremlin bloggers said that a whole brigade was trapped, without providing proof.",
         set(), {"chaotic_retreat", "official_reassurance"}),
        # "no evidence of" names the encirclement as what was not found: a mention, feeding nothing.
        ("Analysts have seen no evidence of a large-scale encirclement of Ukrainian units.",
         set(), {"chaotic_retreat", "official_reassurance"}),
        # A claim discredited after "but": unsupported; a "but" clause saying something else is not.
        ("A Russian general claimed that two Ukrainian brigades were encircled, but analysts have not seen "
         "any evidence of it.", set(), {"chaotic_retreat", "official_reassurance"}),
        ("Russian forces encircled a Ukrainian company, but the rest of the brigade got out.",
         {"chaotic_retreat"}, set()),
        # Strategic value: Ukraine's buffer, not Russia's.
        ("Ukraine's foothold in Kursk served as a buffer zone protecting Sumy.",
         {"incursion_strategic_value"}, set()),
        ("Moscow now wants a buffer zone inside Sumy region after the Kursk operation.",
         set(), {"incursion_strategic_value"}),
        # A passive: the Russian units are pushed back, not pushing.
        ("Russian units that crossed the border were pushed back.", set(), {"russian_military_success"}),
        # A progressive is active ("were advancing"); a move into a place is an advance, a noun "push" is not.
        ("Villagers fled the area, where Russian troops have been advancing for a week.",
         {"russian_military_success"}, set()),
        ("Residents said Russian troops had crossed into the district overnight.", {"russian_military_success"}, set()),
        ("The raid delayed a Russian push into the district.", set(), {"russian_military_success"}),
        # Outside the war: a labour dispute's collapsed talks are neither a retreat nor peace talks.
        ("Talks between the union and the airline collapsed in chaos.",
         set(), {"chaotic_retreat", "peace_negotiations"}),
    ],
)
def test_issue14_error_classes(text, present, absent):
    found = frames_in(text)
    assert present <= found, (text, found)
    assert not (absent & found), (text, found)


# --- issue 14, the dev3 round: paraphrases, voices and sides ------------------------------------------
# Sentences of the shipped annotated sets (blind_dev s…, blind_dev2 x…, challenge c…) that the
# detector missed or got wrong before, each with its gold label, and near misses.


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # c008: a promise followed by nothing.
        ("“We were told the Americans would keep sending shells. Then nothing came, and now we ration every "
         "round,” said a gunner near Sumy.", {"soldier_frustration"}, set()),
        # c019, c021, c124: continuation of US support in doubt.
        ("Ukrainian officials privately question whether Washington will still be supplying Patriot "
         "interceptors by the end of the year.", {"us_support_distrust"}, set()),
        ("Even the Kiev regime's backers now admit that Washington's patience with Zelensky is running out.",
         {"us_support_distrust"}, set()),
        ("The slow ramp-up of European defence production leaves Ukraine exposed if US assistance ends.",
         {"us_support_distrust"}, set()),
        # x059: Russian forces encircling Ukrainians is a Russian success, as well as their retreat.
        ("Russian troops have encircled a group of AFU militants near Sudzha, the Defence Ministry said.",
         {"russian_military_success", "chaotic_retreat"}, set()),
        # c049: the raid lifted spirits.
        ("Soldiers say the raid proved Russia's border could be crossed and lifted spirits at home during a "
         "grim autumn.", {"incursion_strategic_value"}, set()),
        # s128: a European tranche.
        ("The European Union approved a €3.5bn tranche for Ukraine under the Ukraine Facility, Prime Minister "
         "Denys Shmyhal said.", {"european_support"}, set()),
        # c069 (near miss): gas transit talks are no peace talks.
        ("Gas transit talks between Slovakia and Ukraine ended without agreement.", set(), {"peace_negotiations"}),
        # (near miss) US intelligence sharing resumed: no doubt about US support.
        ("US intelligence sharing with Kyiv resumed on March 11, the Pentagon said.", set(), {"us_support_distrust"}),
        # s167 (near miss): a threat eliminated is reassurance, not a Russian claim of enemy losses.
        ("The governor of Belgorod region said residents could return to several villages as “the threat has "
         "been eliminated”.", {"official_reassurance"}, {"russian_military_success"}),
        # s190: a pull-back that saved lives.
        ('Ukrainian commanders said the decision to pull back saved "hundreds, maybe thousands" of lives.',
         {"incursion_strategic_value"}, set()),
        # s172 (near miss): a narrator's late order is disarray, not a soldier's complaint.
        ("By the time the order to withdraw came, some units had no vehicles left and were making their way "
         "out through forest tracks in small groups.", {"chaotic_retreat"}, {"soldier_frustration"}),
        # s018 (near miss): drone strikes on logistics that support a Russian advance are no lost logistics.
        ("Geolocated footage published on 12 March indicates that Russian forces advanced into central Sudzha, "
         "likely supported by fiber-optic FPV drone strikes on the logistics routes.",
         {"russian_military_success"}, {"chaotic_retreat"}),
        # R2: fatigue alone, with resolve, is no frustration.
        ("Ukrainian soldiers said they were exhausted but determined to keep fighting.",
         set(), {"soldier_frustration"}),
    ],
)
def test_dev3_round_paraphrases(text, present, absent):
    found = frames_in(text)
    assert present <= found, (text, found)
    assert not (absent & found), (text, found)


def test_a_captive_speaks_in_its_captors_voice():
    # x007 (blind_dev2, R1): what captured Ukrainian soldiers say on Russian media is a Russian claim.
    captive = ("Captured Ukrainian servicemen told RT that their commanders had abandoned them near Sudzha and "
               "fled in the first cars.")
    assert "soldier_frustration" not in frames_in(captive)
    assert "russian_military_success" in frames_in(captive)
    free = "Ukrainian servicemen told the Kyiv Independent that their commanders had abandoned them near Sudzha."
    assert "soldier_frustration" in frames_in(free)
    # The same from the quotes table: a speaker described as a prisoner.
    text = '"Our commanders let us down again," he said.'
    speakers = pd.DataFrame({"doc_id": ["d1"], "sentence_id": [0], "role": ["soldier"], "side": [None],
                             "speaker": ["a Ukrainian prisoner of war"]})
    assert "soldier_frustration" not in frames_in(text, speakers=speakers)
    assert "soldier_frustration" in frames_in(text, speakers=speakers.assign(speaker="a Ukrainian sergeant"))


def test_an_actor_after_by_or_a_preposition_is_not_the_cues_actor():
    # "captured by Ukraine": the North Koreans named before are the captives, not the captors.
    assert "russian_military_success" not in frames_in(
        "Two North Korean soldiers captured in Kursk by Ukraine said they had been told it was an exercise.")
    assert "russian_military_success" in frames_in("Russian units captured two villages near Sudzha.")
    # An interview with Russian correspondents does not make the fleeing commanders Russian...
    assert "chaotic_retreat" in frames_in(
        "A Ukrainian officer, in an interview with Russian reporters, said his commanders had fled first.")
    # ...but a possessive still names whose zone it is (blind_dev s138).
    assert "incursion_strategic_value" not in frames_in(
        "Ukraine's border guards say they are preparing for Russia's attempt to carve out a buffer zone in "
        "Sumy region after Kursk.")


def test_side_of_a_referent_word_holds_through_the_document():
    russian = frames_per_sentence("Reporters met Russian recruits near Glushkovo.",
                                  "The recruits were angry about the cold and the hunger.")
    ukrainian = frames_per_sentence("Reporters met Ukrainian recruits near Sumy.",
                                    "The recruits were angry about the cold and the hunger.")
    assert "soldier_frustration" not in russian[1]
    assert "soldier_frustration" in ukrainian[1]


def test_speaker_side_from_the_quotes_table():
    text = '"Our commanders let us down again," he said.'
    speakers = pd.DataFrame({"doc_id": ["d1"], "sentence_id": [0], "speaker": ["Artem"], "role": ["soldier"]})
    assert "soldier_frustration" in frames_in(text, speakers=speakers)  # no side column: the role alone
    assert "soldier_frustration" in frames_in(text, speakers=speakers.assign(side="ukraine"))
    assert "soldier_frustration" not in frames_in(text, speakers=speakers.assign(side="russia"))
    # Without a side column, a side named in the speaker's description counts.
    russian = speakers.assign(speaker="a Russian contract soldier")
    assert "soldier_frustration" not in frames_in(text, speakers=russian)


def test_soldier_introduced_earlier_in_the_paragraph_voices_a_late_order():
    found = frames_per_sentence(
        "Mykola, a machine gunner from Poltava, spent the winter near Sudzha.",
        "He says the order to fall back reached his squad after the village had already been lost.",
    )
    assert "soldier_frustration" in found[1]


def test_codebook_side_must_name_an_agent(tmp_path):
    wrong = tmp_path / "wrong_side.toml"
    wrong.write_text(SHIPPED.replace('side = "ukraine"\npattern', 'side = "ukrainian"\npattern', 1), encoding="utf-8")
    with pytest.raises(CodebookError, match="unknown side 'ukrainian'"):
        load_codebook(wrong)


def test_quote_without_a_found_speaker_is_voiced_by_the_soldier_introduced_earlier():
    texts = ("Olena, a 29-year-old combat medic, served near Sudzha all winter.",
             "The General Staff says the situation is difficult.",
             '"Our orders always came too late," she said.')
    sentences = sentences_of(*texts, paragraph_ids=[0, 1, 2])
    unnamed = {"doc_id": "d1", "sentence_id": 2, "speaker": None, "role": None}
    speakers = pd.DataFrame([unnamed])
    result = framing.detect_frames(sentences, CODEBOOK, speakers=speakers)
    row = result[(result["sentence_id"] == 2) & (result["frame"] == "soldier_frustration")]
    assert len(row) == 1
    carried = [item for item in json.loads(row["evidence"].iloc[0]) if item["kind"] == "carried_referent"]
    assert carried and carried[0]["cue"] == "Olena" and carried[0]["start"] == 0
    # Near miss: an official spoke in between, so the unnamed quote may be theirs.
    official = {"doc_id": "d1", "sentence_id": 1, "speaker": "Oleksandr Syrskyi", "role": "ukrainian_official"}
    result = framing.detect_frames(sentences, CODEBOOK, speakers=pd.DataFrame([official, unnamed]))
    assert not ((result["sentence_id"] == 2) & (result["frame"] == "soldier_frustration")).any()


# --- issue 14, generalised: cue classes, scopes and sides that do not depend on wording ---------
# Sentences written for these tests (not taken from any annotated set).


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # Attempted, intended or hypothetical events are no success and no rout.
        ("Russian troops tried to advance on Sudzha overnight.", set(), {"russian_military_success"}),
        ("Russian troops advanced on Sudzha overnight.", {"russian_military_success"}, set()),
        ("The Kremlin wants to push Ukrainian units back beyond the border.", set(), {"russian_military_success"}),
        ("The decision saved a brigade that would otherwise have been encircled near Sudzha.",
         set(), {"chaotic_retreat"}),
        # ... but distrust of the US counts a threat: "realised_only" is the chaotic retreat's and RS's.
        ("Ukrainian officials fear Washington will cut off intelligence again.", {"us_support_distrust"}, set()),
        # A negator does not reach across a comma or into the next phrase.
        ("There was no food coming in, only what we carried, the soldiers said.", {"chaotic_retreat"}, set()),
        ("The trucks never came before our platoon walked out through the fields, a medic said.",
         {"chaotic_retreat"}, {"official_reassurance"}),
        ("The battalion did not panic or flee, its commander said.", set(), {"chaotic_retreat"}),
        # Encirclement is about whom it is done to.
        ("Russian troops have encircled a group of Ukrainian marines near Sudzha, Moscow said.",
         {"chaotic_retreat"}, set()),
        ("Russian units that crossed the river were themselves cut off for two days.", set(), {"chaotic_retreat"}),
        ("Ukrainian marines were surrounded by Russian forces near Sudzha.", {"chaotic_retreat"}, set()),
        # Destroyed vehicles are a rout for the side that lost them.
        ("A Ukrainian drone unit destroyed nine Russian armoured vehicles near the border.",
         set(), {"chaotic_retreat"}),
        ("Russian drones destroyed a Ukrainian convoy on the road out of Sudzha.", {"chaotic_retreat"}, set()),
        # Lost logistics in other words.
        ("By March the only road out of the salient had turned into a death trap.", {"chaotic_retreat"}, set()),
        ("Our logistics were gone and nothing could reach the positions, a platoon commander said.",
         {"chaotic_retreat"}, set()),
        # The enemy's surrender as a Russian claim is a Russian success; as a Ukrainian account it is not.
        ("Ukrainian soldiers near Sudzha are surrendering in large numbers, the Russian Defence Ministry said.",
         {"russian_military_success"}, set()),
        ("Ukrainian soldiers near Sudzha are surrendering in large numbers, a Ukrainian lawmaker said.",
         set(), {"russian_military_success"}),
        # Reassurance in other words.
        ("Enemy attacks on the village were repelled, the brigade's press officer said.",
         {"official_reassurance"}, set()),
        ("The withdrawal was completed in good order, the General Staff said.", {"official_reassurance"}, set()),
        ("The governor said power would be restored in the border villages this week as mine clearance ends.",
         {"official_reassurance"}, set()),
        # Soldier frustration: a demand for accountability, a command far from the front.
        ("Someone will have to answer for this, a paratrooper from the 80th Brigade wrote.",
         {"soldier_frustration"}, set()),
        ("The sergeant says the plans were drawn up in warm offices in Kyiv.", {"soldier_frustration"}, set()),
        # Distrust of the US in other words; talks on trade are no peace talks.
        ("The suspension of U.S. intelligence sharing left the brigade blind for a week.",
         {"us_support_distrust"}, set()),
        ("Officers worry whether the American pause is temporary.", {"us_support_distrust"}, set()),
        # ... the harm of the halt in other words: what could no longer be seen, when it came.
        ("The pause in US intelligence sharing made it harder to see Russian troops massing, officers said.",
         {"us_support_distrust"}, set()),
        ("The US suspension of aid came at the worst possible moment for the troops in Kursk.",
         {"us_support_distrust"}, set()),
        ("The pause in U.S. intelligence sharing left commanders without the early warning they had relied on.",
         {"us_support_distrust"}, set()),
        ("The US suspension of aid ended on March 11, when the first trucks crossed the border.",
         set(), {"us_support_distrust"}),
        # ... US officials explaining the pause as pressure are no doubt; pressure on Kyiv is.
        ("U.S. officials said the pause was a pressure tactic aimed at getting Kyiv to the table.",
         set(), {"us_support_distrust"}),
        ("Washington is piling pressure on Kyiv to accept the deal, Ukrainian officials said.",
         {"us_support_distrust"}, set()),
        # ... the end of US support as a condition is a worry on Ukraine's side, a wish on Russia's.
        ("If Washington stops arming Kyiv, the war would end sooner, Russian Foreign Minister Sergei Lavrov said.",
         set(), {"us_support_distrust"}),
        ("If Washington stops arming Kyiv, we will run out of shells by summer, a Ukrainian commander said.",
         {"us_support_distrust"}, set()),
        ("Talks between Kyiv and Warsaw on grain transit fees ended without agreement.",
         set(), {"peace_negotiations"}),
        # North Korea alone is no North Korean troops.
        ("North Korea tested another missile on Monday.", set(), {"north_korean_troops"}),
        ("North Korea has sent thousands of troops to fight in Kursk.", {"north_korean_troops"}, set()),
        # Missing soldiers are a human cost.
        ("Families of soldiers who have not been heard from since March gathered in Sumy.", {"human_cost"}, set()),
    ],
)
def test_generalised_error_classes(text, present, absent):
    found = frames_in(text)
    assert present <= found, (text, found)
    assert not (absent & found), (text, found)


def test_transcript_speaker_in_capitals_is_the_soldier_introduced_earlier():
    found = frames_per_sentence(
        "Dmytro, a sergeant from Poltava, came out of Kursk two nights ago.",
        "CORRESPONDENT: I asked him about the last week.",
        "DMYTRO: I blame the people who kept telling us the road was safe.",
    )
    assert "soldier_frustration" in found[2]


def test_interview_label_names_a_soldier():
    assert "soldier_frustration" in frames_in(
        "Q: And the talks? — Taras, 3rd assault company: A circus, nothing more.")
    assert "soldier_frustration" not in frames_in("Q: And the talks? — Taras: A circus, nothing more.")


def test_side_named_in_the_speakers_own_words_comes_before_the_quotes_table():
    text = '"Our commanders let us down again," they said.'
    speakers = pd.DataFrame({"doc_id": ["d1"], "sentence_id": [0], "role": ["soldier"], "side": ["ukraine"],
                             "speaker": ["Russian contract soldiers in Kursk"]})
    assert "soldier_frustration" not in frames_in(text, speakers=speakers)
    assert "soldier_frustration" in frames_in(text, speakers=speakers.assign(speaker="Artem"))


def test_a_pronoun_or_a_preposition_makes_a_side_no_attribution_subject():
    # "they say": the soldiers speak, not the Russians they are not angry at.
    assert "soldier_frustration" in frames_in(
        "The soldiers are angry, not at the Russians, they say, but at the commanders who kept them too long.")
    # The Russian voice still silences a claim about Ukrainian soldiers when it is the subject.
    assert "soldier_frustration" not in frames_in(
        "Ukrainian soldiers are angry at the commanders who kept them too long, Russian officials say.")


def test_word_classes_are_expanded_checked_and_shared(tmp_path):
    codebook_file = tmp_path / "classes.toml"
    codebook_file.write_text(
        "[classes]\nboats = '''ferr(?:y|ies)|barges?'''\nstopped = '''{boats} (?:stopped|halted)'''\n"
        "[frames.river_trade]\nlabel = 'River trade'\ndefinition = 'Boats on the river.'\ninclude = 'boats'\n"
        "threshold = 1.0\ncues = [\n  { pattern = '''{stopped}|\\{boats\\}''', weight = 1.0 },\n"
        "  { pattern = '''{vehicles}''', weight = 0.5 },\n]\n",
        encoding="utf-8",
    )
    codebook = load_codebook(codebook_file)
    found = framing.detect_frames(
        sentences_of("The ferries halted at noon.", "A barge sailed.", "Trucks and vans queued.", "{boats}"),
        codebook)
    # {stopped} expands through {boats}; {vehicles} is a shipped class; \{boats\} stays literal.
    assert list(found["sentence_id"]) == [0, 3]
    assert json.loads(found["evidence"].iloc[0])[0]["cue"] == "ferries halted"
    codebook_file.write_text(codebook_file.read_text(encoding="utf-8").replace("{vehicles}", "{vehicle}"),
                             encoding="utf-8")
    with pytest.raises(CodebookError, match=r"frames.river_trade.cues\[1\]: unknown word class \{vehicle\}"):
        load_codebook(codebook_file)


def test_cue_side_of_voice_and_not_aimed_at_are_checked(tmp_path):
    wrong = tmp_path / "wrong.toml"
    patient = SHIPPED.replace(', side_of = "object" }', ', side_of = "patient" }', 1)
    wrong.write_text(patient, encoding="utf-8")
    with pytest.raises(CodebookError, match="side_of must be one of"):
        load_codebook(wrong)
    for option in ("voice", "not_aimed_at"):
        assert f', {option} = "russia" }}' in SHIPPED
        wrong.write_text(SHIPPED.replace(f', {option} = "russia" }}', f', {option} = "kremlin" }}', 1), encoding="utf-8")
        with pytest.raises(CodebookError, match="unknown side 'kremlin'"):
            load_codebook(wrong)


def test_politicians_criticising_the_command_voice_no_soldier_frustration():
    mp = "13:15 — Opposition MP Ivan Petrenko calls on the commander-in-chief to explain why troops were kept in the town so long."
    assert "soldier_frustration" not in frames_in(mp)
    assert "soldier_frustration" in frames_in(mp.replace("Opposition MP Ivan Petrenko", "A sergeant"))


def test_russian_state_vocabulary_voices_a_sentence_as_russian():
    claim = "The remaining Ukrainian militants have been abandoned by their command, a source said."
    assert "soldier_frustration" not in frames_in(claim)  # rule R1: a Russian claim of abandonment
    assert "soldier_frustration" in frames_in(claim.replace("militants", "soldiers").replace("source", "volunteer"))


@pytest.mark.parametrize("old, new, message", [
    ('model_threshold = 0.65\n', 'model_threshold = 1.5\n', "'model_threshold' must be a probability"),
    ('lexicon = { russia =', 'lexicon = { kremlin =', "voice.lexicon: 'kremlin' is not one of the"),
])
def test_codebook_voice_options_are_checked(tmp_path, old, new, message):
    assert old in SHIPPED
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(SHIPPED.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CodebookError, match=message):
        load_codebook(wrong)


def _soldier_mention(text: str, alias: str) -> pd.DataFrame:
    start = text.index(alias)
    return pd.DataFrame({"doc_id": ["d1"], "sentence_id": [0], "actor_id": ["ukrainian_soldiers"],
                         "actor_name": ["Ukrainian soldiers"], "group": ["ukraine_soldiers"], "alias": [alias],
                         "start": [start], "end": [start + len(alias)]})


def test_an_actor_mention_qualified_by_another_side_is_not_a_ukrainian_soldier():
    # the gazetteer files bare "servicemen" under Ukrainian soldiers; "Russian servicemen" are not
    russian = "Russian servicemen in the district complained to a newspaper about delays in their pay."
    assert "soldier_frustration" not in frames_in(russian, actor_mentions=_soldier_mention(russian, "servicemen"))
    # a side's name that qualifies another noun, across a comma, does not qualify the soldiers
    ours = "After the pullback from Russian territory, servicemen complained about delays in their pay."
    assert "soldier_frustration" in frames_in(ours, actor_mentions=_soldier_mention(ours, "servicemen"))


def test_unqualified_conscripts_are_russian():
    # Issue 14 (side): Ukraine does not send conscripts to fight, so conscripts no side qualifies
    # are Russian ([referents.soldier] unqualified_sides); a named side still wins.
    complaint = "{} were furious that their officers had abandoned them without ammunition."
    assert "soldier_frustration" not in frames_in(complaint.format("The conscripts"))
    assert "soldier_frustration" not in frames_in(
        "Mothers of conscripts said the men had been left without food and nobody answered their calls.")
    assert "soldier_frustration" in frames_in(complaint.format("Ukrainian conscripts"))
    assert "soldier_frustration" in frames_in(complaint.format("The soldiers"))


def test_unqualified_sides_must_name_an_agent(tmp_path):
    text = framing.DEFAULT_CODEBOOK_PATH.read_text(encoding="utf-8").replace(
        "unqualified_sides = { russia =", "unqualified_sides = { martians =")
    path = tmp_path / "codebook.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError, match="unqualified_sides: unknown side 'martians'"):
        load_codebook(path)


def test_a_captive_named_around_the_speaker_voices_the_captors():
    # Issue 14 (side): the quotes table names the soldier, the sentence calls him a captive.
    text = "Detained Ukrainian soldier Oleh M. says his commanders left his unit without ammunition near the river."
    speakers = pd.DataFrame({"doc_id": ["d1"], "sentence_id": [0], "speaker": ["Oleh M."],
                             "role": ["soldier"], "side": ["ukraine"]})
    assert "soldier_frustration" not in frames_in(text, speakers=speakers)
    free = text.replace("Detained Ukrainian", "Ukrainian")
    assert "soldier_frustration" in frames_in(free, speakers=speakers)
    # A captive word after the speaker's verb is about someone else.
    after = "Ukrainian soldier Oleh M. says his commanders left his unit without ammunition, and captured comrades agree."
    assert "soldier_frustration" in frames_in(after, speakers=speakers)
    # "who surrendered" makes the speaker a captive, with or without the quotes table.
    surrendered = ("Two Ukrainian soldiers who surrendered near the river said their commanders had abandoned "
                   "them without ammunition.")
    assert "soldier_frustration" not in frames_in(surrendered)
    two = pd.DataFrame({"doc_id": ["d1"], "sentence_id": [0], "speaker": ["Two Ukrainian soldiers"],
                        "role": ["soldier"], "side": ["ukraine"]})
    assert "soldier_frustration" not in frames_in(surrendered, speakers=two)


def test_a_prisoner_the_quotes_table_gives_as_an_official_is_not_flipped_back():
    # The quotes table may already give a prisoner the captors' voice (role russian_official, side
    # russia): flipping it again made the complaint Ukrainian (blind dev5 class, issue 14).
    text = "'Our unit was left without ammunition by the command,' he said."
    official = pd.DataFrame({"doc_id": ["d1"], "sentence_id": [0], "speaker": ["one of the prisoners"],
                             "role": ["russian_official"], "side": ["russia"]})
    assert "soldier_frustration" not in frames_in(text, speakers=official)
    soldier = official.assign(role="soldier", side="ukraine")
    assert "soldier_frustration" not in frames_in(text, speakers=soldier)
    assert "soldier_frustration" in frames_in(text, speakers=soldier.assign(speaker="a sergeant"))


def test_criticising_verbs_attribute_a_voice():
    # "Russian bloggers criticised ...": the criticism is the Russian side's, not Ukrainian soldiers'.
    assert "soldier_frustration" not in frames_in(
        "Russian war bloggers criticised the generals for leaving the soldiers without ammunition.")
    assert "soldier_frustration" in frames_in(
        "Ukrainian soldiers criticised the generals for leaving them without ammunition.")


# --- issue 14, document-level false alarms: what earlier sentences say about whose soldiers --------


def _frames_by_sentence(texts: tuple[str, ...], **tables) -> list[set[str]]:
    result = framing.detect_frames(sentences_of(*texts, paragraph_ids=list(range(len(texts)))), CODEBOOK, **tables)
    return [set(result.loc[result["sentence_id"] == i, "frame"]) for i in range(len(texts))]


def test_a_document_about_another_sides_soldiers_keeps_its_unqualified_soldiers_theirs():
    # [referents.soldier] document_side_words: once a document has named its soldiers Russian
    # (and none Ukrainian), "a reservist" later on is one of them, also as a speaker the gazetteer
    # would file under Ukrainian soldiers.
    complaint = "A reservist said his company had been sent forward without artillery support."
    speaker = pd.DataFrame({"doc_id": ["d1"], "sentence_id": [1], "speaker": ["A reservist"],
                            "role": ["soldier"], "side": ["ukraine"]})
    russian = ("A regional newspaper interviewed four Russian servicemen back from the front.", complaint)
    assert "soldier_frustration" not in _frames_by_sentence(russian)[1]
    assert "soldier_frustration" not in _frames_by_sentence(russian, speakers=speaker)[1]
    # named Ukrainian in the same document, or no side named before: the complaint is theirs
    both = ("A regional newspaper interviewed Russian servicemen and Ukrainian soldiers back from the front.", complaint)
    assert "soldier_frustration" in _frames_by_sentence(both, speakers=speaker)[1]
    # the Ukrainian side named with any soldier word ("Ukrainian units") keeps them Ukrainian too
    pipe = ("Russian soldiers crawled through a gas pipe to surprise Ukrainian units near the town.", complaint)
    assert "soldier_frustration" in _frames_by_sentence(pipe, speakers=speaker)[1]
    unnamed = ("A regional newspaper interviewed four servicemen back from the front.", complaint)
    assert "soldier_frustration" in _frames_by_sentence(unnamed, speakers=speaker)[1]
    # "Russian troops" is how a Ukrainian soldier's story names the enemy: no side for its soldiers
    enemy = ("Russian troops attacked the village at dawn.", complaint)
    assert "soldier_frustration" in _frames_by_sentence(enemy, speakers=speaker)[1]
    # a soldier qualified Ukrainian in the sentence itself still counts
    own = ("A regional newspaper interviewed four Russian servicemen back from the front.",
           "A Ukrainian reservist said his company had been sent forward without artillery support.")
    assert "soldier_frustration" in _frames_by_sentence(own)[1]


def test_a_document_in_one_sides_own_words_is_about_its_soldiers():
    # A report that calls the other side "the Kiev regime" ([voice] lexicon) is a Russian report:
    # its unqualified soldiers are Russian, wherever the lexicon's words stand in it.
    texts = ("A contract soldier said his unit had been left without rotation for five months.",
             "The Kiev regime keeps throwing its reserves into the region, the ministry said.")
    assert "soldier_frustration" not in _frames_by_sentence(texts)[0]
    neutral = (texts[0], "The government keeps throwing its reserves into the region, the ministry said.")
    assert "soldier_frustration" in _frames_by_sentence(neutral)[0]


def test_document_side_words_are_checked(tmp_path):
    text = framing.DEFAULT_CODEBOOK_PATH.read_text(encoding="utf-8").replace(
        "document_side_words = '''", "document_side_words = '''(", 1)
    path = tmp_path / "codebook.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError, match="document_side_words"):
        load_codebook(path)
    assert CODEBOOK.referents["soldier"].document_side_words is not None
    assert CODEBOOK.referents["us"].document_side_words is None


def test_another_sides_accusation_is_no_soldier_complaint():
    # The complaint cue is about its subject (side = "ukraine"): Russian officials accusing
    # Ukrainian soldiers is their claim, also when Kyiv's denial gives the sentence a Ukrainian
    # voice too; soldiers accusing their own command is a complaint.
    assert "soldier_frustration" not in frames_in(
        "Russian investigators accuse Ukrainian soldiers of looting shops, claims Kyiv rejects.")
    assert "soldier_frustration" in frames_in(
        "Ukrainian soldiers accuse their commanders of leaving them without shells for a week.")


def test_first_person_words_of_another_speaker_do_not_carry_the_soldiers():
    # "We" in a quote by a named speaker of another role is that speaker's group, not the soldiers
    # of the sentence before; "they" still carries them.
    texts = ("Ukrainian soldiers held the town for months.",
             '"We feel abandoned by everyone," said the town\'s mayor.')
    mayor = pd.DataFrame({"doc_id": ["d1"], "sentence_id": [1], "speaker": ["the town's mayor"],
                          "role": ["other"], "side": [None]})
    sentences = sentences_of(*texts)  # one paragraph: the referent may be carried
    result = framing.detect_frames(sentences, CODEBOOK, speakers=mayor)
    assert not ((result["sentence_id"] == 1) & (result["frame"] == "soldier_frustration")).any()
    they = (texts[0], '"They feel abandoned by everyone," said the town\'s mayor.')
    result = framing.detect_frames(sentences_of(*they), CODEBOOK, speakers=mayor)
    assert ((result["sentence_id"] == 1) & (result["frame"] == "soldier_frustration")).any()
    # without a speaker of another role, "we" carries as before
    result = framing.detect_frames(sentences, CODEBOOK)
    assert ((result["sentence_id"] == 1) & (result["frame"] == "soldier_frustration")).any()


def test_blame_aimed_at_the_enemy_is_no_soldier_frustration():
    # Blame whose object is the enemy is no complaint about one's own side (rule R2: blame aimed
    # at the enemy); the same blame aimed at the soldiers' own staff is.
    enemy = "A sergeant said his platoon blamed the losses on Russian glide bombs."
    assert "soldier_frustration" not in frames_in(enemy)
    assert "soldier_frustration" in frames_in(enemy.replace("Russian glide bombs", "the brigade staff"))
    assert "soldier_frustration" not in frames_in('"Nobody is to blame for this except Russia," the gunner said.')


def test_blame_inside_a_question_or_whether_clause_asserts_nothing():
    # A reporter's question about blame is no complaint: the cue names what was asked (rule R2).
    asked = "Asked whether his unit blamed the generals, the sergeant shook his head."
    assert "soldier_frustration" not in frames_in(asked)
    assert "soldier_frustration" in frames_in("The sergeant said his unit blamed the generals.")
    assert "soldier_frustration" not in frames_in("It is unclear whether the soldiers felt betrayed by their commanders.")
    assert "soldier_frustration" in frames_in("The soldiers felt betrayed by their commanders.")


def test_a_speaker_of_no_known_side_speaks_for_a_document_in_one_sides_words():
    # Rule R1: a Russian general's claim that Ukrainian units were left without supplies is no
    # Ukrainian soldier's frustration, also in his sentences without the Kiev-regime wording.
    sentences = sentences_of(
        "The Kiev regime has once again abandoned its men, General Sergei Orlov said on Wednesday.",
        "According to him, the remaining Ukrainian units near the river have been left without supplies.",
    )
    speakers = pd.DataFrame({"doc_id": ["d1", "d1"], "sentence_id": [0, 1],
                             "speaker": ["General Sergei Orlov"] * 2, "role": ["soldier"] * 2})
    found = framing.detect_frames(sentences, CODEBOOK, speakers=speakers)
    assert "soldier_frustration" not in set(found["frame"])
    # The same claim where the document uses no one side's words is judged sentence by sentence.
    neutral = sentences.assign(text=sentences["text"].str.replace("The Kiev regime", "The command", regex=False))
    found = framing.detect_frames(neutral, CODEBOOK, speakers=speakers)
    assert list(found.loc[found["frame"] == "soldier_frustration", "sentence_id"]) == [1]


def test_a_report_calling_ukraines_army_afu_is_in_russian_words():
    # "AFU" (the Russian ВСУ) is how Russian state media name Ukraine's army: a captive's complaint
    # such a report quotes is the captors' claim (rule R1), not a Ukrainian soldier's frustration.
    texts = ("Captured AFU servicemen told investigators how the retreat went.",
             '"Our officers left first and we were left without ammunition," a soldier from Poltava said.')
    speakers = pd.DataFrame({"doc_id": ["d1"], "sentence_id": [1], "speaker": ["a soldier from Poltava"],
                             "role": ["soldier"]})
    found = framing.detect_frames(sentences_of(*texts), CODEBOOK, speakers=speakers)
    assert "soldier_frustration" not in set(found["frame"])
    # Near miss: the same account in a report naming Ukraine's army in its own words.
    ukrainian = (texts[0].replace("Captured AFU servicemen", "Ukrainian servicemen back from Kursk"), texts[1])
    found = framing.detect_frames(sentences_of(*ukrainian), CODEBOOK, speakers=speakers)
    assert list(found.loc[found["frame"] == "soldier_frustration", "sentence_id"]) == [1]
    # Lower case or inside a word is no such name.
    assert framing._document_voice([{"text": "Safu and afu drills.", "starts": {}}], CODEBOOK) == frozenset()


def test_bloggers_analysts_and_retired_officers_voice_no_soldier_frustration():
    # The annotators' rule: bloggers, analysts and retired officers criticising the command are not
    # serving soldiers; a sentence whose speakers include soldiers still counts.
    blogger = "Military blogger Petro Kovalenko criticised the command for the late withdrawal order."
    assert "soldier_frustration" not in frames_in(blogger)
    assert "soldier_frustration" not in frames_in(blogger.replace("Military blogger Petro Kovalenko", "A retired colonel"))
    assert "soldier_frustration" not in frames_in(blogger.replace("Military blogger Petro Kovalenko", "Several analysts"))
    assert "soldier_frustration" in frames_in(blogger.replace("Military blogger Petro Kovalenko", "A sergeant"))
    assert "soldier_frustration" in frames_in(blogger.replace("Military blogger Petro Kovalenko", "Servicemen and bloggers"))


def test_a_commentarys_own_sentences_are_its_columnists_voice():
    # The annotators' D rule: a columnist criticising the command in their own voice is no soldier's
    # frustration; a soldier the column quotes still is.
    column = sentences_of(
        "Opinion: The generals owe the country an explanation",
        "Kyiv must explain why the brigades were left without ammunition for weeks.",
        '"We were abandoned by our commanders," a sergeant told me.',
    )
    speakers = pd.DataFrame({"doc_id": ["d1"], "sentence_id": [2], "speaker": ["a sergeant"], "role": ["soldier"]})
    found = framing.detect_frames(column, CODEBOOK, speakers=speakers)
    assert list(found.loc[found["frame"] == "soldier_frustration", "sentence_id"]) == [2]
    report = column.assign(text=column["text"].str.replace("Opinion: ", "", regex=False))
    found = framing.detect_frames(report, CODEBOOK, speakers=speakers)
    assert list(found.loc[found["frame"] == "soldier_frustration", "sentence_id"]) == [1, 2]


def test_ukrainian_troops_named_as_the_enemy_do_not_make_a_russian_story_ukrainian():
    # Rule R1: a Russian soldier's mother relaying his anger is no Ukrainian soldier's frustration.
    # Once the document has named its soldiers Russian, "Ukrainian troops" is how it names the enemy;
    # only a word for individual soldiers qualified as Ukrainian makes its unqualified soldiers Ukrainian.
    story = [
        "Relatives of Russian servicemen have begun to speak out about the fighting in the region.",
        "Since Russia began pushing Ukrainian troops out of the region, the assaults have not stopped.",
        "One mother said her son, a contract soldier, was furious that his company was sent into an assault without artillery support.",
    ]
    assert "soldier_frustration" not in frames_per_sentence(*story)[2]
    ukrainian = [story[0], story[1].replace("Ukrainian troops", "Ukrainian soldiers"), story[2]]
    assert "soldier_frustration" in frames_per_sentence(*ukrainian)[2]


def test_a_former_officer_filed_as_a_soldier_is_no_serving_soldier():
    # The annotators' rule: retired officers criticising the command are not serving soldiers, also
    # when the quotes table gives such a speaker the soldier role.
    text = '"The General Staff betrayed the men in Sudzha," wrote a former officer who now runs a Telegram channel.'
    former = pd.DataFrame({"doc_id": ["d1"], "sentence_id": [0], "role": ["soldier"],
                           "speaker": ["a former officer who now runs a Telegram channel"]})
    assert "soldier_frustration" not in frames_in(text, speakers=former)
    serving = former.assign(speaker="a sergeant")
    assert "soldier_frustration" in frames_in(text.replace("a former officer who now runs a Telegram channel", "a sergeant"),
                                              speakers=serving)


def test_the_narrator_of_a_document_in_one_sides_words_speaks_for_that_side():
    # A report calling Ukraine's government "the Kiev regime" is in Russian words: its unattributed
    # claim that Ukrainian soldiers were abandoned is a Russian claim, not a Ukrainian soldier's
    # frustration (voice_side); the same claim in a document in no side's words is one.
    claim = "Ukrainian soldiers were once again abandoned by their commanders, who were the first to leave."
    russian = ("The Kiev regime's adventure in the border region is over.", claim)
    neutral = ("The incursion into the border region is over.", claim)
    assert "soldier_frustration" not in _frames_by_sentence(russian)[1]
    assert "soldier_frustration" in _frames_by_sentence(neutral)[1]
    # a sentence with a voice of its own keeps it: a Ukrainian soldier quoted in that report
    quoted = ("The Kiev regime's adventure in the border region is over.",
              "'Our commanders abandoned us,' a Ukrainian soldier told the BBC.")
    assert "soldier_frustration" in _frames_by_sentence(quoted)[1]


def test_a_reassurance_a_frustrated_soldier_cites_is_no_reassurance():
    # official_reassurance not_with soldier_frustration: the soldier quotes it to reject it.
    scoffed = "'They keep saying on TV that everything is under control,' a Ukrainian soldier said angrily."
    stated = "The General Staff said the situation near Sudzha was under control."
    found = frames_per_sentence(scoffed, stated)
    assert "soldier_frustration" in found[0] and "official_reassurance" not in found[0]
    assert "official_reassurance" in found[1]


# --- issue 14, frame round f16: false alarms of the nine frames besides the two focus frames ------------
@pytest.mark.parametrize(
    "text, present, absent",
    [
        # Aid or a country cut off is support halted, not troops encircled ...
        ("Senators asked why the administration cut off intelligence to Ukraine during the Russian offensive.",
         set(), {"chaotic_retreat"}),
        ("Washington's decision to cut off Kyiv for a week worried the troops in Kursk.",
         set(), {"chaotic_retreat"}),
        ("The pause briefly cut off targeting data for the troops in the salient.", set(), {"chaotic_retreat"}),
        # ... while troops cut off still are.
        ("Russian troops cut off two Ukrainian companies near Sudzha.", {"chaotic_retreat"}, set()),
        ("The battalion was cut off from supplies for nine days.", {"chaotic_retreat"}, set()),
        # "German-made", "London-based": an origin or a seat names no European actor; the country does.
        ("She runs the bakery on a German-made generator bought after Russian strikes cut the power.",
         set(), {"european_support"}),
        ("A strategist at a London-based fund said Washington was no longer a reliable backstop for Kyiv.",
         set(), {"european_support"}),
        ("Germany bought air defence systems for Ukraine.", {"european_support"}, set()),
        # A setback said to change nothing that matters; an impact stated is none.
        ('The defence ministry said the pause in US intelligence had "no critical impact" on operations in Kursk.',
         {"official_reassurance"}, set()),
        ("The commander in chief said the operation in the Kursk region was proceeding to plan.",
         {"official_reassurance"}, set()),
        ("Soldiers said the pause in US intelligence had a serious impact on the troops in Kursk.",
         set(), {"official_reassurance"}),
        # "The enemy" is the speaker's enemy: its losses are Russia's success only in a Russian voice.
        ("Enemy losses across the front amounted to some 1,300 personnel, a Ukrainian General Staff spokesman said.",
         set(), {"russian_military_success"}),
        ("The enemy lost up to 150 servicemen near Sudzha over the past day, the Russian Defence Ministry said.",
         {"russian_military_success"}, set()),
    ],
)
def test_f16_near_misses_of_the_other_frames(text, present, absent):
    found = frames_in(text)
    assert present <= found, (text, found)
    assert not (absent & found), (text, found)
