"""The ner stage: spans, proclitics, gazetteers, the seed article, robustness, and a quality floor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import shared_path
from hypothesis import example, given, settings
from hypothesis import strategies as st

from marsad.document import Document, Token
from marsad.ner import NerStage, load_ner
from marsad.ner.conll import parse_conll, score_spans, tag_spans
from marsad.ner.gazetteer import Gazetteer, name_key
from marsad.ner.models import BUCKET
from marsad.ner.stage import (
    apply_names,
    decode,
    propagate,
    read_particles,
    read_titles,
    strip_titles,
)
from marsad.text.normalize import match_form

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ner() -> NerStage:
    return load_ner()


def analyse(text: str) -> Document:
    from marsad.pipeline import default_pipeline

    return default_pipeline().analyze(text)


# --- pieces -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["O", "B-PER", "I-PER", "O"], [(1, 3, "PER")]),
        (["B-LOC", "B-LOC"], [(0, 1, "LOC"), (1, 2, "LOC")]),
        (["I-ORG", "I-ORG", "O", "B-PER"], [(0, 2, "ORG"), (3, 4, "PER")]),
        (["B-PER", "I-LOC"], [(0, 1, "PER"), (1, 2, "LOC")]),
        (["O", "O"], []),
        ([], []),
    ],
)
def test_decode(tags: list[str], spans: list[tuple[int, int, str]]) -> None:
    assert decode(tags) == spans
    assert tag_spans(tags) == set(spans)


def test_parse_conll_maps_pers_and_rejects_bad_tags() -> None:
    sents = parse_conll("جون B-PERS\nكيري I-PERS\nقال O\n\nفي O\nموسكو B-LOC\n")
    assert sents == [(["جون", "كيري", "قال"], ["B-PER", "I-PER", "O"]), (["في", "موسكو"], ["O", "B-LOC"])]
    with pytest.raises(ValueError, match="IOB2"):
        parse_conll("كيري X-PERS\n")


def test_score_spans_exact_match() -> None:
    s = score_spans([{(0, 2, "PER"), (3, 4, "LOC")}], [{(0, 2, "PER"), (3, 5, "LOC")}])
    assert (s["ALL"].tp, s["ALL"].fp, s["ALL"].fn) == (1, 1, 1)
    assert s["PER"].f1 == 1.0 and s["LOC"].f1 == 0.0


@pytest.mark.parametrize(
    ("word", "key"),
    [("والولايات", "الولايات"), ("للولايات", "الولايات"), ("للافروف", "لافروف"), ("بموسكو", "موسكو")],
)
def test_name_key_strips_proclitics(word: str, key: str) -> None:
    assert match_form(key) in name_key(match_form(word))


def test_gazetteer_longest_match_with_proclitic() -> None:
    g = Gazetteer.from_sources(
        [("مجلس الأمن", "ORG"), ("مجلس الأمن الدولي", "ORG"), ("الولايات المتحدة", "LOC")]
    )
    norms = [match_form(w) for w in ["قرار", "لمجلس", "الامن", "الدولي", "والولايات", "المتحدة"]]
    assert [(m.start, m.end, set(m.types)) for m in g.match(norms)] == [(1, 4, {"ORG"}), (4, 6, {"LOC"})]
    assert g.lookup(match_form("بمجلس")) == frozenset()


_WORDS = ["مجلس", "لمجلس", "الامن", "الدولي", "والولايات", "الولايات", "المتحدة", "وزارة", "للولايات", "في"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12))
@example(["للولايات", "المتحدة", "في"])  # the longest name is the second key's
@example(["قرار", "لمجلس", "الامن", "الدولي", "في"])
def test_gazetteer_long_matches_by_word_pairs_equal_the_full_match(words: list[str]) -> None:
    """The features' matcher (each word's name keys looked up with the next word) finds the
    same names of two or more words as :meth:`Gazetteer.match`, including a word two of whose
    keys start names (``للولايات``: ``لولايات`` and ``الولايات``)."""
    g = Gazetteer.from_sources(
        [
            ("مجلس الأمن", "ORG"),
            ("مجلس الأمن الدولي", "ORG"),
            ("مجلس", "ORG"),
            ("الولايات المتحدة", "LOC"),
            ("لولايات المتحدة في", "PER"),  # read after the key الولايات, and longer
            ("لولايات المتحدة في الامن", "MISC"),
            ("وزارة المتحدة", "ORG"),
        ]
    )
    norms = [match_form(w) for w in words]
    keys = [g.first_keys(n) for n in norms]
    full = g.match_candidates(norms, [tuple(c for c in g.candidates(n) if c[0]) for n in norms])
    assert g.match_long(norms, keys) == full
    assert all(m.end - m.start >= 2 for m in full)


def _reference_match(g: Gazetteer, norms: list[str]) -> list[tuple[int, int, frozenset[str]]]:
    """Longest names first at each word, left to right, a match's words taken: every position
    tried, each name compared whole."""
    out, i = [], 0
    while i < len(norms):
        for rest, types in g.candidates(norms[i]):
            if tuple(norms[i + 1 : i + 1 + len(rest)]) == rest:
                out.append((i, i + 1 + len(rest), types))
                i += len(rest)
                break
        i += 1
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_WORDS, "الامن", "مجلس"]), max_size=14))
def test_gazetteer_match_is_the_greedy_longest_match(words: list[str]) -> None:
    """:meth:`Gazetteer.match` looks only at the words that start a name; it finds what trying
    every word finds (overlapping names: the first and longest wins)."""
    g = Gazetteer.from_sources(
        [
            ("مجلس الأمن", "ORG"),
            ("مجلس الأمن الدولي", "ORG"),
            ("مجلس", "ORG"),
            ("الأمن الدولي", "MISC"),
            ("الولايات المتحدة", "LOC"),
            ("المتحدة في", "PER"),
            ("وزارة", "ORG"),
        ]
    )
    norms = [match_form(w) for w in words]
    assert [(m.start, m.end, m.types) for m in g.match(norms)] == _reference_match(g, norms)


@pytest.mark.parametrize(
    "word", ["ب", "وب", "اب", "واب", "لاب", "مصر", "بمصر", "وبمصر", "للولايات", "ولولايات", "ابمصر"]
)
def test_gazetteer_candidates_skip_no_word_that_starts_a_name(word: str) -> None:
    """Words whose ending no first word has are passed over without a lookup; every form that
    :func:`name_key` gives still finds its names (one- and two-letter names too)."""
    g = Gazetteer.from_sources(
        [("ب", "MISC"), ("اب ما", "PER"), ("مصر", "LOC"), ("مصر الجديدة", "LOC"), ("الولايات المتحدة", "LOC")]
    )
    norm = match_form(word)
    expect = sorted((c for k in name_key(norm) for c in g.index.get(k, ())), key=lambda rt: -len(rt[0]))
    assert list(g.candidates(norm)) == expect
    assert [m[:2] for m in g.match([norm])] == ([(0, 1)] if any(not r for r, _ in expect) else [])


def test_apply_names_adds_only_where_the_model_found_nothing() -> None:
    names = Gazetteer.from_sources([("الحرس الثوري", "ORG"), ("فيلق القدس", "ORG"), ("الأسد", "PER")])
    norms = [match_form(w) for w in ["قائد", "فيلق", "القدس", "في", "الحرس", "الثوري", "والأسد"]]
    assert apply_names(norms, [(2, 3, "LOC")], names) == [(2, 3, "LOC"), (4, 6, "ORG"), (6, 7, "PER")]
    # one-word names are vetted (the stage asks the model); two-word names are not
    assert apply_names(norms, [], names, lambda s, e: False) == [(1, 3, "ORG"), (4, 6, "ORG")]


def test_propagate_tags_other_mentions_in_the_document() -> None:
    segs = [["قال", "كيري"], ["ان", "لكيري", "موقفا"]]
    keys = [["قال", "كيري"], ["ان", "كيري", "موقفا"]]
    assert propagate(segs, keys, [[(1, 2, "PER")], []]) == [[(1, 2, "PER")], [(1, 2, "PER")]]
    assert propagate(segs, keys, [[(1, 2, "PER")], []], accept=lambda i, s, e: False) == [[(1, 2, "PER")], []]
    # a mention that overlaps what the model found there, at its first token or after it, is left
    two = [["جون", "كيري"], ["جون", "كيري"], ["جون", "كيري"]]
    got = propagate(two, two, [[(0, 2, "PER")], [(1, 2, "LOC")], [(0, 1, "ORG")]])
    assert got == [[(0, 2, "PER")], [(1, 2, "LOC")], [(0, 1, "ORG")]]


def test_propagate_carries_surnames_but_not_compound_name_parts() -> None:
    particles = read_particles("عبد\tbefore\nالله\tlast\n")
    segs = [["جون", "كيري", "و", "عبد", "الله"], ["كيري", "و", "الله"]]
    found = propagate(segs, segs, [[(0, 2, "PER"), (3, 5, "PER")], []], particles)
    assert found[1] == [(0, 1, "PER")]


def _apply_names_by_scan(norms: Any, spans: Any, names: Gazetteer, accept: Any = None) -> list[Any]:
    """:func:`apply_names` as it was written first: each name checked against every span."""
    out = list(spans)
    for m in names.match(norms):
        if len(m.types) != 1:
            continue
        (typ,) = m.types
        inside = [s for s in out if s[0] < m.end and m.start < s[1]]
        if inside:
            if typ == "PER" and all(m.start <= s and e <= m.end and t == "PER" for s, e, t in inside):
                out = [s for s in out if s not in inside] + [(m.start, m.end, typ)]
            continue
        if m.end - m.start == 1 and accept is not None and not accept(m.start, m.end):
            continue
        out.append((m.start, m.end, typ))
    return sorted(out)


_NAME_WORDS = ["بان", "كي", "مون", "الحرس", "الثوري", "الأسد", "قال", "في", "كيري", "جون"]
_SOME_NAMES = Gazetteer.from_sources(
    [("بان كي مون", "PER"), ("الحرس الثوري", "ORG"), ("الأسد", "PER"), ("جون كيري", "PER"), ("كي", "LOC")]
)


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.sampled_from(_NAME_WORDS), max_size=40),
    cuts=st.lists(st.tuples(st.integers(0, 39), st.integers(1, 3), st.sampled_from(["PER", "ORG", "LOC"]))),
    veto=st.integers(0, 3),
)
def test_apply_names_and_propagate_equal_their_scanning_versions(words: Any, cuts: Any, veto: int) -> None:
    """Reading a name's overlaps from its own tokens (so that a sentence of thousands of tokens,
    text without punctuation, costs no more per name than a short one) gives what checking every
    span gave, for any non-overlapping spans the model may have found."""
    norms = [match_form(w) for w in words]
    spans: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for start, length, typ in cuts:
        end = min(start + length, len(norms))
        if start < end and not taken & set(range(start, end)):
            spans.append((start, end, typ))
            taken |= set(range(start, end))
    spans.sort()
    accept = None if veto == 0 else (lambda s, e: (s + e) % veto != 0)
    assert apply_names(norms, spans, _SOME_NAMES, accept) == _apply_names_by_scan(
        norms, spans, _SOME_NAMES, accept
    )
    # propagate: two sentences, the names found in either carried to the other
    half = len(norms) // 2
    first = [sp for sp in spans if sp[1] <= half]
    second = [(s - half, e - half, t) for s, e, t in spans if s >= half]
    segs = [norms[:half], norms[half:]]
    vet = None if veto == 0 else (lambda i, s, e: (i + s + e) % veto != 0)
    assert propagate(segs, segs, [first, second], accept=vet) == _propagate_by_scan(
        segs, [first, second], vet
    )


def _propagate_by_scan(segs: Any, found: Any, accept: Any) -> list[Any]:
    """:func:`propagate` (no particles, keys the matching forms) as it was written first: each
    mention checked against every span of its sentence."""
    from collections import Counter

    votes: dict[str, Counter[str]] = {}
    for norms, spans in zip(segs, found):
        for s, e, t in spans:
            key = " ".join(norms[s:e])
            if len(key) >= 3:
                votes.setdefault(key, Counter())[t] += 1
            if t == "PER" and e - s >= 2 and len(norms[e - 1]) >= 3:
                votes.setdefault(norms[e - 1], Counter())["PER"] += 1
    if not votes:
        return list(found)
    known = Gazetteer.from_forms((tuple(k.split()), max(c, key=c.__getitem__)) for k, c in votes.items())
    out = []
    for i, (norms, spans) in enumerate(zip(segs, found)):
        new = list(spans)
        for m in known.match(norms):
            free = not any(s < m.end and m.start < e for s, e, _ in new)
            if free and (accept is None or accept(i, m.start, m.end)):
                (typ,) = m.types
                new.append((m.start, m.end, typ))
        out.append(sorted(new))
    return out


def test_knowledge_base_names_skip_a_titles_one_word_complement() -> None:
    """``الرئيس أسد`` is an alias of Bashar al-Assad, but ``أسد`` alone is also "lion": a title's
    one-word complement is not a trusted name; the aliases that are one word or a full name are."""
    from marsad.ner import _kb_names

    names = {n for source in _kb_names() for n, _ in source}
    assert "أسد" not in names and "شي" not in names
    assert {"الأسد", "بشار الأسد", "بشار أسد"} <= names


def test_a_generic_header_credit_is_not_an_organisation() -> None:
    """``(وكالات)`` ("agencies") credits no one; a named agency in the header is an ORG."""
    generic = analyse("الرياض (وكالات) - قال وزير الخارجية السعودي عادل الجبير إن المملكة ترحب.")
    assert generic.header.source_name == "وكالات"
    assert "وكالات" not in {e.text for e in generic.entities}
    named = analyse("واشنطن (ا ف ب) - قال جون كيري إن بلاده ترحب.")
    assert ("ا ف ب", "ORG") in {(e.text, e.type) for e in named.entities}


def test_strip_titles() -> None:
    titles = read_titles()
    assert strip_titles("الشيخ عبدالله بن زايد", titles) == "عبدالله بن زايد"
    assert strip_titles("الفريق أول عبد الفتاح البرهان", titles) == "عبد الفتاح البرهان"
    assert strip_titles("الرئيس", titles) == "الرئيس"


def _token(text: str, start: int, n_pre: int) -> Token:
    return Token(
        start, start + len(text), text, "arabic", match_form(text), start + n_pre, start + len(text), ""
    )


@pytest.mark.parametrize(
    ("word", "n_pre", "span"),
    [
        ("للافروف", 1, "لافروف"),
        ("والولايات", 3, "الولايات"),
        ("وكيري", 1, "كيري"),
        ("الاسد", 2, "الاسد"),
        ("للولايات", 2, "لولايات"),
        ("موسكو", 0, "موسكو"),
    ],
)
def test_entity_start_drops_proclitics_keeps_article(word: str, n_pre: int, span: str) -> None:
    tok = _token(word, 10, n_pre)
    assert word[tok.name_start - 10 :] == span


# --- the stage --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "typ", "n"),
    [
        ("وبورتسموث", "ORG", 1),  # the tokeniser does not know بورتسموث; the news does
        ("لسامبدوريا", "ORG", 1),
        ("وليد", "PER", 0),  # a name with its own و
        ("ولايتي", "PER", 0),
        ("فلسطين", "LOC", 0),
        ("لبنان", "LOC", 0),
        ("وبورتسموث", "PER", 0),  # not a person's name
    ],
)
def test_proclitics_the_tokeniser_left_on_a_name_are_read_off_by_the_news_profile(
    ner: NerStage, word: str, typ: str, n: int
) -> None:
    assert ner._loose_proclitics(word, typ) == n


def test_an_entity_starts_after_proclitics_left_on_its_word() -> None:
    doc = analyse("وفاز فريق سامبدوريا على وبورتسموث وعلى لسامبدوريا في المباراة.")
    texts = [e.text for e in doc.entities if e.type == "ORG"]
    assert "بورتسموث" in texts or "سامبدوريا" in texts
    assert not [t for t in texts if t.startswith(("وبورتسموث", "لسامبدوريا"))]


def test_stage_contract(ner: NerStage) -> None:
    assert ner.name == "ner" and "entities" in ner.provides
    assert set(ner.requires) <= {"tokens", "sentences"}
    assert load_ner() is ner


def test_documents_tagged_together_get_what_each_gets_alone(ner: NerStage) -> None:
    # 60 articles have more sentences than one bucket: the run sorts them into buckets by length
    from marsad.pipeline import default_pipeline

    sample = ROOT / "samples" / "saudinewsnet-sample.jsonl"
    rows = [json.loads(x) for x in sample.read_text(encoding="utf-8").splitlines()]
    pre = default_pipeline().stages[:2]
    docs = []
    for r in rows[:60]:
        doc = Document(text=r["text"], id=r["id"])
        for s in pre:
            doc = s(doc)
        docs.append(doc)
    assert sum(len(d.sentences) for d in docs) > 2 * BUCKET
    together = ner.many(docs)
    alone = [ner(d) for d in docs]
    assert [d.entities for d in together] == [d.entities for d in alone]  # confidences included
    assert sum(len(d.entities) for d in alone) > 500


@pytest.mark.parametrize(
    ("text", "entity", "typ"),
    [
        ("اعرب كيري للافروف عن قلقه", "لافروف", "PER"),
        ("قال المتحدث ان والولايات المتحدة تنتظر من روسيا", "الولايات المتحدة", "LOC"),
        ("قائد فيلق القدس في الحرس الثوري يزور موسكو", "فيلق القدس", "ORG"),
    ],
)
def test_spans_leave_out_proclitics(text: str, entity: str, typ: str) -> None:
    doc = analyse(text)
    assert (entity, typ) in {(e.text, e.type) for e in doc.entities}


def test_latin_names_come_from_the_knowledge_base_not_the_model() -> None:
    doc = analyse("التقى Sergey Lavrov مع John Kerry في Geneva")
    assert {(e.text, e.type) for e in doc.entities} == {
        ("Sergey Lavrov", "PER"),
        ("John Kerry", "PER"),
        ("Geneva", "LOC"),
    }
    assert analyse("The weather was fine and the talks went on.").entities == ()


def test_seed_article_gold_entities(seed_text: str, seed_gold: dict[str, Any]) -> None:
    doc = analyse(seed_text)
    found = {(match_form(e.text), e.type) for e in doc.entities}
    missing = [
        (g["text"], g["type"])
        for g in seed_gold["entities"]
        if (match_form(g["text"]), g["type"]) not in found
    ]
    assert not missing, f"gold entities not found: {missing}"
    ids = [e.id for e in doc.entities]
    assert ids == [f"e{i}" for i in range(1, len(ids) + 1)]
    assert [e.start for e in doc.entities] == sorted(e.start for e in doc.entities)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Only English text here, with John Kerry and Moscow.",
        "1234567890\n2016 2017\n٢٠١٦",
        "ب" * 5000,
        "كيري " + "x" * 10000 + " لافروف",
        "Sergey Lavrov التقى John Kerry في Geneva",
        "...!!! ؟؟ «» ()",
        "\n\n   \n",
    ],
)
def test_odd_text_does_not_crash(text: str) -> None:
    doc = analyse(text)
    for e in doc.entities:
        assert doc.text[e.start : e.end] == e.text and e.text.strip() == e.text and e.text
        assert e.type in ("PER", "ORG", "LOC", "MISC")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("كيري لافروف موسكو والولايات المتحدة ab1.\n،()")), max_size=200))
def test_offsets_always_hold(text: str) -> None:
    doc = analyse(text)
    starts = [e.start for e in doc.entities]
    assert starts == sorted(starts)
    for e in doc.entities:
        assert doc.text[e.start : e.end] == e.text


# --- quality floors (need ../shared) ----------------------------------------------------------


def _saudinewsnet_texts(refs: set[str]) -> dict[str, str]:
    """Article texts for refs like ``2015-08-11.zip#772`` (zip name, index in its JSON array)."""
    import zipfile

    out: dict[str, str] = {}
    for zname in sorted({r.split("#")[0] for r in refs}):
        with zipfile.ZipFile(shared_path("data", "saudinewsnet", zname)) as z:
            arts = json.loads(z.read(z.namelist()[0]))
        for r in refs:
            if r.startswith(zname + "#"):
                out[r] = arts[int(r.split("#")[1])]["content"]
    return out


@pytest.mark.slow
def test_gold_dev_recall_floor(gold_dev: list[dict[str, Any]]) -> None:
    """News-domain check on the 20 gold articles (never used for training or tuning)."""
    texts = _saudinewsnet_texts({g["doc"] for g in gold_dev})
    hit = total = 0
    for g in gold_dev:
        doc = analyse(texts[g["doc"]])
        found = {(match_form(e.text), e.type) for e in doc.entities}
        for e in g["entities"]:
            total += 1
            hit += (match_form(e["text"]), e["type"]) in found
    assert hit / total >= 0.65, f"gold dev entity recall {hit / total:.3f} below the floor 0.65"


def test_tokeniser_still_segments_as_in_training() -> None:
    """The features use the clitic segmentation; if it drifts, the model must be retrained."""
    from importlib import resources

    from marsad.text.tokenize import segment

    meta = json.loads(
        resources.files("marsad.ner").joinpath("data", "model.json").read_text(encoding="utf-8")
    )
    sample = meta["segmentation"]
    changed = [w for w, seg in sample.items() if "{},{}".format(*segment(w)) != seg]
    assert len(changed) <= 0.02 * len(sample), (
        f"{len(changed)} of the {len(sample)} most frequent training words now segment differently "
        f"(e.g. {changed[:5]}): retrain the model with tools/train_ner.py --final"
    )


def test_model_card_matches_model() -> None:
    from importlib import resources

    data = resources.files("marsad.ner").joinpath("data")
    meta = json.loads(data.joinpath("model.json").read_text(encoding="utf-8"))
    card = resources.files("marsad.ner").joinpath("MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"{meta['cv_scores']['ALL']['f1']:.4f}" in card
    network = meta.get("ensemble", {}).get("network")
    if network:  # the ensemble the stage runs: its scores as recorded when it was built
        assert data.joinpath(meta["ensemble"]["file"]).is_file()
        assert f"{network['cv_scores_ensemble']['ALL']['f1']:.4f}" in card
        if network.get("dev_scores_ensemble"):  # a --skip-dev network has none
            assert f"{network['dev_scores_ensemble']['ALL']['f1']:.4f}" in card
        assert f'"pool": "{meta["ensemble"].get("pool", "mean")}"' in card


def test_profile_bands_and_round_trip() -> None:
    from marsad.ner.features import Profile

    assert Profile.classes([0.9, 0.0, 0.3, 0.06]) == ("PER3", "LOC2", "MISC1")
    assert Profile.classes([0.04, 0.0, 0.0, 0.0]) == ()
    # context classes have their own, lower bands: > the next word begins a name, < the previous ends one
    assert Profile.classes([0.0] * 4, [0.35, 0.0, 0.1, 0.0], [0.0, 0.0, 0.0, 0.031]) == (
        ">PER3",
        ">LOC2",
        "<MISC1",
    )
    prof = Profile({"كيري": ("PER3",), "قال": (">PER2",), "أمس": ()})
    again = Profile.read(prof.write())
    assert again == prof
    assert again.features("كيري") == (["au=PER3"], ["-1au=PER3"], ["+1au=PER3"])
    # a word seen but never in a name: au=O; its context class goes to itself and its next word only
    assert again.features("قال") == (["au=O", "an=PER2"], ["-1au=O", "-1an=PER2"], ["+1au=O"])
    assert again.features("أمس") == (["au=O"], ["-1au=O"], ["+1au=O"])
    assert again.features("زززز") == (["au=none"], ["-1au=none"], ["+1au=none"])  # never seen


def test_profile_features_reach_the_word_and_its_neighbours() -> None:
    from marsad.ner.features import Clusters, FeatureSettings, Featurizer, Profile

    prof = Profile({"كيري": ("PER3", "<ORG1"), "قال": (">PER2",)})
    on = Featurizer(Clusters.empty(), Gazetteer.from_sources(), FeatureSettings(profile=True), profile=prof)
    x = on.sentence(["قال", "كيري", "أمس"])
    assert "au=PER3" in x[1] and "-1au=PER3" in x[2] and "+1au=PER3" in x[0]
    assert "au=none" in x[2] and "au=O" in x[0]
    assert "-1an=PER2" in x[1] and "an=PER2" in x[0] and not any("an=" in f for f in x[2])
    assert "+1ap=ORG1" in x[0] and "ap=ORG1" in x[1] and not any("ap=" in f for f in x[2])
    off = Featurizer(Clusters.empty(), Gazetteer.from_sources(), FeatureSettings(), profile=prof)
    assert not any(f.startswith(("au=", "-1au", "+1au")) for fs in off.sentence(["قال", "كيري"]) for f in fs)


def test_a_missing_profile_is_a_clear_error(tmp_path: Any) -> None:
    from importlib import resources
    from pathlib import Path

    data = resources.files("marsad.ner").joinpath("data")
    meta = json.loads(data.joinpath("model.json").read_text(encoding="utf-8"))
    meta["settings"]["profile"] = True
    meta["profile"] = "missing.tsv.gz"
    model = Path(tmp_path) / "m.crfsuite"
    model.write_bytes(data.joinpath("model.crfsuite").read_bytes())
    model.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"missing\.tsv\.gz.*tools/train_ner\.py --profile --final"):
        load_ner(model=model)


def test_packaged_crf_marginals_batched_equal_crfsuite(ner: NerStage) -> None:
    """The ensemble's CRF marginals, a document's sentences in one padded batch (and again with
    no room in the word cache), equal crfsuite's own for each sentence."""
    from marsad.ner.models import EnsembleModel
    from marsad.ner.neural import LABELS

    model = ner.model
    if not isinstance(model, EnsembleModel):
        pytest.skip("the packaged model is not an ensemble")
    text = (
        "واشنطن (رويترز) - طلب وزير الخارجية الأمريكي جون كيري من نظيره الروسي سيرغي لافروف "
        "الضغط على دمشق لاحترام وقف إطلاق النار في سوريا. وقال كيري إن الأمم المتحدة مستعدة. "
        "شكرا. وأضاف أن مجلس الأمن الدولي سيجتمع في نيويورك يوم الجمعة المقبل لبحث الأزمة"
    )
    sents = [s.split() for s in text.split(". ")] + [["لافروف"], ["في", "جنيف"]]
    feat, weights, tagger = model.crf.featurizer, model.weights, model.crf.tagger
    known = set(tagger.labels())

    def crfsuite(words: list[str]) -> np.ndarray:
        tagger.set(feat.sentence(words))
        return np.array(
            [[tagger.marginal(lab, j) if lab in known else 0.0 for lab in LABELS] for j in range(len(words))]
        )

    want = [crfsuite(ws) for ws in sents]
    size = weights.cache_size
    try:
        for cache_size in (size, 0):
            weights.cache_size = cache_size
            weights._cache.clear()
            got, mask = weights.marginals(feat, sents)
            for r, ws in enumerate(sents):
                assert mask[r].sum() == len(ws)
                np.testing.assert_allclose(got[r, : len(ws)], want[r], atol=1e-5)
            assert len(weights._cache) == (0 if cache_size == 0 else len({w for ws in sents for w in ws}))
    finally:
        weights.cache_size = size
        weights._cache.clear()


def test_crf_dump_reads_the_weights_as_crfsuite_does(ner: NerStage) -> None:
    """The model's labels and weights read from crfsuite's dump in one pass equal those of
    python-crfsuite's own parser (``Tagger.info()``, three times slower)."""
    from marsad.ner.models import crf_dump

    tagger = ner.model.crf.tagger if hasattr(ner.model, "crf") else ner.model.tagger
    ours, theirs = crf_dump(tagger), tagger.info()
    assert ours.labels == theirs.labels
    assert ours.transitions == theirs.transitions
    assert len(ours.state_features) > 10_000
    assert ours.state_features == theirs.state_features


def test_read_crf_reads_the_model_file_as_crfsuite_does(ner: NerStage) -> None:
    """The packaged CRF's labels, attributes and weights read from the file's own layout are
    python-crfsuite's (whose dump prints the weights to six decimals), and so are the arrays the
    ensemble computes its marginals with."""
    from importlib import resources

    from marsad.ner.models import CrfWeights, crf_dump, read_crf

    raw = resources.files("marsad.ner").joinpath("data", "model.crfsuite").read_bytes()
    got = read_crf(raw)
    info = ner.model.crf.tagger.info()
    assert got.labels == sorted(info.labels, key=lambda lab: int(info.labels[lab]))
    state = {
        (got.attrs[a], got.labels[b]): w
        for k, a, b, w in zip(got.kind.tolist(), got.src.tolist(), got.dst.tolist(), got.weight.tolist())
        if k == 0
    }
    moves = {
        (got.labels[a], got.labels[b]): w
        for k, a, b, w in zip(got.kind.tolist(), got.src.tolist(), got.dst.tolist(), got.weight.tolist())
        if k == 1
    }
    assert len(state) == len(info.state_features) > 10_000 and state.keys() == info.state_features.keys()
    assert max(abs(w - info.state_features[k]) for k, w in state.items()) <= 5.1e-7
    assert moves.keys() == info.transitions.keys()
    assert max(abs(w - info.transitions[k]) for k, w in moves.items()) <= 5.1e-7
    assert got.state_attrs() == frozenset(a for a, _ in info.state_features)
    fast, slow = CrfWeights(got), CrfWeights(crf_dump(ner.model.crf.tagger))
    assert fast.attrs.keys() == slow.attrs.keys()
    rows = [slow.attrs[a] for a in fast.attrs]
    np.testing.assert_allclose(fast.state, slow.state[rows], atol=1e-6)
    np.testing.assert_allclose(np.log(fast.exp_trans), np.log(slow.exp_trans), atol=1e-6)
    np.testing.assert_array_equal(fast._missing, slow._missing)


def test_read_crf_refuses_what_is_not_a_crfsuite_model(tmp_path: Any) -> None:
    """A file that is not a whole crfsuite model is a clear error, for the reader and for the
    stage that loads it (which names the file and how to rebuild it)."""
    from importlib import resources
    from pathlib import Path

    from marsad.ner.models import read_crf

    data = resources.files("marsad.ner").joinpath("data")
    raw = data.joinpath("model.crfsuite").read_bytes()
    for bad in (b"", b"not a model", raw[:1000], b"xCRF" + raw[4:], raw + b"\0"):
        with pytest.raises(ValueError, match=r"^m\.crfsuite is not a crfsuite CRF model file \("):
            read_crf(bad, "m.crfsuite")
    # a string table's records out of place
    off_attrs = int.from_bytes(raw[36:40], "little")
    broken = bytearray(raw)
    broken[off_attrs + 20 : off_attrs + 24] = (len(raw) * 2).to_bytes(4, "little")
    with pytest.raises(ValueError, match="not a crfsuite CRF model file"):
        read_crf(bytes(broken), "m.crfsuite")
    model = Path(tmp_path) / "m.crfsuite"
    model.write_bytes(raw[: len(raw) // 2])
    meta = json.loads(data.joinpath("model.json").read_text(encoding="utf-8"))
    meta["settings"]["profile"] = False
    meta.pop("ensemble", None)  # the CRF alone: no other file is looked for beside it
    model.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(
        RuntimeError, match=r"cannot read the NER model .*m\.crfsuite.*tools/train_ner\.py --final"
    ):
        load_ner(model=model)


def test_featurizer_reads_its_words_from_a_source() -> None:
    """A featurizer given ``source=`` gives the same features as one that computes them itself,
    and one with other settings cannot read from it."""
    from marsad.ner.features import Clusters, FeatureSettings, Featurizer, Profile, can_read_from

    gaz = Gazetteer.from_sources([("الولايات المتحدة", "LOC"), ("كيري", "PER")])
    clusters = Clusters.empty()
    profile = Profile({"كيري": ("PER3",)})
    full = FeatureSettings(ngrams=True, profile=True)
    source = Featurizer(clusters, gaz, full, profile=profile)
    words = ["والولايات", "المتحدة", "كيري", "لكيري", "2016", "x" * 60]
    own_only = FeatureSettings(ngrams=True)
    known = frozenset(f for w in words for f in Featurizer(clusters, gaz, own_only).word(w).own if "=" in f)
    alone = Featurizer(clusters, gaz, own_only, known, context=False)
    view = Featurizer(clusters, gaz, own_only, known, context=False, source=source)
    assert can_read_from(view, source)
    for w in words:
        assert view.word(w) == alone.word(w)
        assert not any(f.startswith("au=") for f in view.word(w).own)
    # the source's own features are untouched by the view's filter
    assert "au=PER3" in source.word("كيري").own
    for bad in (
        Featurizer(clusters, gaz, FeatureSettings(ngrams=False), known, context=False),  # other settings
        Featurizer(clusters, gaz, own_only, None, context=False),  # would keep the profile classes
        Featurizer(clusters, Gazetteer.from_sources(), own_only, known, context=False),  # other gazetteer
    ):
        assert not can_read_from(bad, source)
    with pytest.raises(ValueError, match="without source="):
        Featurizer(clusters, gaz, FeatureSettings(), known, context=False, source=source)


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (
            "ner.npz",
            r"cannot read the network 'ner\.npz' of the NER model .*m\.crfsuite.*train_ner_nn\.py --final",
        ),
        (
            "profile",
            r"its profile '.*' cannot be read \(.* is not a whole UTF-8 gzip file .*--profile --final",
        ),
        ("m.json", r"the NER model's settings .*m\.json are not valid JSON .*tools/train_ner\.py --final"),
    ],
)
def test_a_broken_model_file_is_a_clear_error(tmp_path: Any, broken: str, message: str) -> None:
    """A model given to score (``load_ner(model=...)``, ``tools/eval_ner.py --model``) whose
    network, profile or settings file is cut short fails with an error naming the file and how
    to rebuild it."""
    from importlib import resources
    from pathlib import Path

    data = resources.files("marsad.ner").joinpath("data")
    meta = json.loads(data.joinpath("model.json").read_text(encoding="utf-8"))
    folder = Path(tmp_path)
    files = {"m.crfsuite": "model.crfsuite", meta["ensemble"]["file"]: meta["ensemble"]["file"]}
    files[meta["profile"]] = meta["profile"]
    for mine, theirs in files.items():
        (folder / mine).write_bytes(data.joinpath(theirs).read_bytes())
    (folder / "m.json").write_text(json.dumps(meta), encoding="utf-8")
    name = meta["profile"] if broken == "profile" else broken
    raw = (folder / name).read_bytes()
    (folder / name).write_bytes(raw[: len(raw) // 3])
    with pytest.raises(RuntimeError, match=message):
        load_ner(model=folder / "m.crfsuite")
