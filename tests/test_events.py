"""The events stage: lexicon, guards, arguments, deduplication, and the seed article end to end."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from marsad.document import Document, Entity, Mention, Quote, Sentence, Token
from marsad.events import EventCoder, Lexicon, load_events
from marsad.events.actors import ActorFinder
from marsad.events.lexicon import readings
from marsad.events.match import find_triggers
from marsad.text.normalize import match_form

# -- building documents by hand (independent of the tokenizer, NER and linker) --------------------

_TOKEN = re.compile(r"[\w\u0600-\u06ff]+|[^\s\w]", re.UNICODE)
_PROCLITICS = ("وال", "بال", "لل", "وب", "ول", "ال", "و", "ب", "ل", "ف")


def _tokens(text: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text):
        w = m.group()
        kind = "arabic" if re.match(r"[\u0600-\u06ff]", w) else ("number" if w.isdigit() else "punct")
        if kind == "punct" and w.isalpha():
            kind = "latin"
        out.append(Token(m.start(), m.end(), w, kind, match_form(w), m.start(), m.end(), match_form(w)))
    return out


def make_doc(
    text: str,
    entities: Sequence[tuple[str, str, str | None, str | None]] = (),
    quotes: Sequence[tuple[str, str | None, str | None]] = (),
) -> Document:
    """A document with one sentence per line, entities ``(surface, type, actor, country)`` found
    by their first occurrence after the previous one, quotes ``(text, speaker surface, actor)``."""
    toks = _tokens(text)
    sents = []
    pos = 0
    for line in text.split("\n"):
        start = text.index(line, pos)
        end = start + len(line)
        pos = end
        idx = [i for i, t in enumerate(toks) if start <= t.start < end]
        if idx:
            sents.append(Sentence(start, end, line, idx[0], idx[-1] + 1))
    ents = []
    at = 0
    for n, (surface, etype, actor, country) in enumerate(entities, 1):
        s = text.index(surface, at)
        ents.append(Entity(f"e{n}", s, s + len(surface), surface, etype, actor=actor, country=country))
        at = s + 1
    qs = []
    for n, (qtext, speaker, actor) in enumerate(quotes, 1):
        s = text.index(qtext)
        sp = None
        if speaker is not None:
            p = text.index(speaker)
            sp = Mention(p, p + len(speaker), speaker, actor=actor, country=actor[:3] if actor else None)
        qs.append(Quote(f"q{n}", s, s + len(qtext), qtext, True, speaker=sp))
    return Document(
        text=text, tokens=tuple(toks), sentences=tuple(sents), entities=tuple(ents), quotes=tuple(qs)
    )


@pytest.fixture(scope="module")
def coder() -> EventCoder:
    lex = Lexicon.load()
    return EventCoder(lex, ActorFinder(lex.cue_words("preposition"), roles=lambda doc: (), kb=None))


def summary(doc: Document) -> list[tuple[str, str | None, str | None]]:
    def code(m: Mention | None) -> str | None:
        return None if m is None else (m.actor or m.country)

    return [(v.type, code(v.source), code(v.target)) for v in doc.events]


# -- the lexicon ----------------------------------------------------------------------------------


def test_stage_contract() -> None:
    stage = load_events()
    assert stage.name == "events"
    assert stage.requires == ("tokens", "sentences", "entities", "quotes")
    assert stage.provides == ("events",)
    assert load_events() is stage


@pytest.mark.parametrize(
    ("word", "key"),
    [("والهجوم", "هجوم"), ("بزيارة", "زياره"), ("سيزور", "يزور"), ("زيارته", "زياره"), ("للهجوم", "هجوم")],
)
def test_readings_strip_clitics(word: str, key: str) -> None:
    assert key in {r.key for r in readings(match_form(word))}


@pytest.mark.parametrize(
    ("sentence", "ptype"),
    [
        ("طلب الوزير من نظيره", "REQUEST"),
        ("اجرى مكالمة هاتفية مع لافروف", "CONSULT"),
        ("تظاهر الاف الاسرائيليين في تل ابيب", "PROTEST"),
        ("قتلت القوات الاميركية 11 مسلحا", "ASSAULT"),
        ("اعتقلت الشرطة ستة أشخاص", "COERCE"),
        ("ندد الوزير بالهجوم", "ACCUSE"),
        ("بارك الرئيس للشعب المصري افتتاح القناة", "SUPPORT"),
        ("وامتدح الوزير جهود المملكة في مكافحة الإرهاب", "SUPPORT"),
        ("وبعث الملك برقية عزاء لرئيس الوزراء", "SUPPORT"),
        ("وأعرب الأمين العام عن تأييده لقرار مجلس الأمن", "SUPPORT"),
        ("وأكد الوزير تضامن بلاده مع الشعب الفرنسي", "SUPPORT"),
        ("وأبدت الحكومة استياءها من تصريحات المسؤول", "ACCUSE"),
        ("واستهجنت الخارجية تصريحات الرئيس الإيراني", "ACCUSE"),
        ("احتجت القاهرة لدى أنقرة على تصريحات أردوغان", "ACCUSE"),
        ("عقب استدعاء السفير الإيراني إلى مقر الوزارة", "ACCUSE"),
        ("صعد الوزير من لهجته ضد الحكومة", "ACCUSE"),
        ("تعهدت واشنطن بتقديم دعم مالي للحكومة العراقية", "AID"),
        ("وتواصل الولايات المتحدة تسليح المعارضة السورية", "AID"),
        ("وقدمت الكويت منحة للحكومة الأردنية", "AID"),
        ("وصلت قافلة إغاثية إلى مدينة تعز", "AID"),
        ("ايران تؤوي قيادات في تنظيم القاعدة", "AID"),
        ("واعترضت روسيا على مشروع القرار", "REJECT"),
        ("استخدمت روسيا حق النقض ضد مشروع القرار", "REJECT"),
        ("ولوحت واشنطن بفرض عقوبات جديدة على طهران", "THREATEN"),
        ("ووجه الجيش إنذارا أخيرا للمسلحين", "THREATEN"),
        ("ورفعت الحكومة الأرجنتينية دعوى قضائية ضد الولايات المتحدة", "ACCUSE"),
        ("وتقدمت قطر بشكوى رسمية ضد الإمارات", "ACCUSE"),
    ],
)
def test_triggers_found(sentence: str, ptype: str) -> None:
    lex = Lexicon.load()
    types = {h.trigger.type for h in find_triggers(lex, _tokens(sentence))}
    assert ptype in types


@pytest.mark.parametrize(
    "sentence",
    [
        "ويحترم الطرفان وقف اطلاق النار",
        "قال المصدر الذي طلب عدم كشف اسمه",
        "وصل الوفد فجر امس",
        "رافضاً التعليق على ذلك",
        "اعترضت الدفاعات الجوية صاروخا باليستيا",
        "بعث الأمير برقية تهنئة بمناسبة عيد الفطر",
        "وتستهدف الخطة توفير السكن المناسب لجميع المواطنين",
        "وأكد حرص الدولة على استعادة الاستقرار في البلاد",
    ],
)
def test_blocked_phrases_are_not_triggers(sentence: str) -> None:
    lex = Lexicon.load()
    assert find_triggers(lex, _tokens(sentence)) == []


def test_every_type_has_triggers_and_a_policy() -> None:
    lex = Lexicon.load()
    types = {t.type for entries in lex.triggers.values() for t in entries} - {"-"}
    assert len(types) == 16
    assert set(lex.policies) == types


# -- arguments ------------------------------------------------------------------------------------


def test_verb_initial_subject_and_prepositional_target(coder: EventCoder) -> None:
    doc = make_doc(
        "طلب وزير الخارجية جون كيري الجمعة من سيرغي لافروف ممارسة ضغوط على دمشق",
        [
            ("جون كيري", "PER", "USAGOV", "USA"),
            ("سيرغي لافروف", "PER", "RUSGOV", "RUS"),
            ("دمشق", "LOC", "SYRGOV", "SYR"),
        ],
    )
    assert summary(coder(doc)) == [("REQUEST", "USAGOV", "RUSGOV")]


def test_subject_before_verb_and_nominal_call(coder: EventCoder) -> None:
    doc = make_doc(
        "وقال المتحدث ان كيري اجرى مكالمة هاتفية مع لافروف",
        [("كيري", "PER", "USAGOV", "USA"), ("لافروف", "PER", "RUSGOV", "RUS")],
    )
    events = coder(doc).events
    assert summary(coder(doc)) == [("CONSULT", "USAGOV", "RUSGOV")]
    assert events[0].mode == "phone"
    assert events[0].evidence is not None and "مكالمة هاتفية مع لافروف" in events[0].evidence.text


def test_relative_clause_gives_the_attacker(coder: EventCoder) -> None:
    doc = make_doc(
        'وكانت الولايات المتحدة اعربت الخميس عن "قلقها الشديد" حيال "الهجوم" الذي تشنه القوات السورية في محيط مدينة حلب',
        [
            ("الولايات المتحدة", "LOC", "USA", "USA"),
            ("القوات السورية", "ORG", "SYRMIL", "SYR"),
            ("حلب", "LOC", None, "SYR"),
        ],
    )
    got = summary(coder(doc))
    assert ("ASSAULT", "SYRMIL", None) in got
    assert ("ACCUSE", "USA", "SYRMIL") in got
    assault = next(v for v in coder(doc).events if v.type == "ASSAULT")
    assert assault.location is not None and assault.location.text == "حلب"


def test_coordinated_targets_give_one_event_each(coder: EventCoder) -> None:
    doc = make_doc(
        "تزامنا مع زيارة وزير الخارجية الإيراني للكويت وقطر والعراق",
        [
            ("وزير الخارجية الإيراني", "PER", "IRNGOV", "IRN"),
            ("لكويت", "LOC", "KWT", "KWT"),
            ("قطر", "LOC", "QAT", "QAT"),
            ("العراق", "LOC", "IRQ", "IRQ"),
        ],
    )
    assert summary(coder(doc)) == [
        ("CONSULT", "IRNGOV", "KWT"),
        ("CONSULT", "IRNGOV", "QAT"),
        ("CONSULT", "IRNGOV", "IRQ"),
    ]


def test_counterpart_and_symmetric_call() -> None:
    text = "بحث أوباما ونظيره التركي أردوغان خلال اتصال هاتفي الأربعاء الحرب في سوريا"
    at = text.index("نظيره التركي")
    role = Mention(at, at + len("نظيره التركي"), "نظيره التركي", actor="TURGOV", country="TUR")
    lex = Lexicon.load()
    coder = EventCoder(lex, ActorFinder(lex.cue_words("preposition"), roles=lambda doc: (role,), kb=None))
    doc = make_doc(
        text,
        [("أوباما", "PER", "USAGOV", "USA"), ("أردوغان", "PER", None, None), ("سوريا", "LOC", "SYR", "SYR")],
    )
    events = coder(doc).events
    assert [(v.type, v.mode) for v in events] == [("CONSULT", "phone")]
    assert summary(coder(doc)) == [("CONSULT", "USAGOV", "TURGOV")]


# -- guards ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "لم يلتق كيري لافروف",
        "نفى كيري ان يكون التقى لافروف",
        "من المقرر ان يلتقي كيري لافروف",
        "تم تأجيل زيارة كيري الى موسكو",
        "اذا التقى كيري لافروف فسيكون ذلك مهما",
        "سيزور كيري موسكو",
    ],
)
def test_unrealised_meetings_are_not_consult(coder: EventCoder, sentence: str) -> None:
    ents = [(w, "PER", a, a[:3]) for w, a in (("كيري", "USAGOV"), ("لافروف", "RUSGOV")) if w in sentence]
    if "موسكو" in sentence:
        ents.append(("موسكو", "LOC", None, "RUS"))
    doc = make_doc(sentence, ents)
    assert [v for v in coder(doc).events if v.type == "CONSULT"] == []


def test_future_support_is_agree_and_refusal_is_reject(coder: EventCoder) -> None:
    doc = make_doc(
        "قال خامنئي إننا لا نتفاوض مع الولايات المتحدة\nوأضاف: لن نكف عن دعم شعوب فلسطين",
        [
            ("خامنئي", "PER", "IRNGOV", "IRN"),
            ("الولايات المتحدة", "LOC", "USA", "USA"),
            ("فلسطين", "LOC", "PSE", "PSE"),
        ],
        quotes=[
            ("إننا لا نتفاوض مع الولايات المتحدة", "خامنئي", "IRNGOV"),
            ("لن نكف عن دعم شعوب فلسطين", "خامنئي", "IRNGOV"),
        ],
    )
    got = summary(coder(doc))
    assert ("REJECT", "IRNGOV", "USA") in got
    assert ("AGREE", "IRNGOV", "PSE") in got


def test_unconfirmed_report_is_not_coded(coder: EventCoder) -> None:
    doc = make_doc(
        "اطلعنا على تقارير تفيد بان الجنرال سليماني سافر إلى روسيا.\nلست في موقع لتأكيد ما اذا كان هذا صحيحا",
        [("سليماني", "PER", "IRNMIL", "IRN"), ("روسيا", "LOC", "RUS", "RUS")],
    )
    assert coder(doc).events == ()


def test_one_event_per_type_source_target(coder: EventCoder) -> None:
    doc = make_doc(
        "هاجمت القوات السورية مدينة حلب\nوقالت المصادر ان القوات السورية هاجمت مدينة حلب مجددا",
        [
            ("القوات السورية", "ORG", "SYRMIL", "SYR"),
            ("حلب", "LOC", None, "SYR"),
            ("القوات السورية", "ORG", "SYRMIL", "SYR"),
            ("حلب", "LOC", None, "SYR"),
        ],
    )
    events = coder(doc).events
    assert [(v.id, v.type, v.mentions) for v in events] == [("v1", "ASSAULT", 2)]
    assert events[0].sentence == 0


def test_evidence_is_at_most_fifteen_words(coder: EventCoder) -> None:
    text = "طلب وزير الخارجية " + " ".join(["الكبير"] * 20) + " جون كيري من لافروف"
    doc = make_doc(text, [("جون كيري", "PER", "USAGOV", "USA"), ("لافروف", "PER", "RUSGOV", "RUS")])
    for v in coder(doc).events:
        assert v.evidence is not None
        assert len(v.evidence.text.split()) <= 15
        assert doc.text[v.evidence.start : v.evidence.end] == v.evidence.text
        assert v.evidence.start <= v.trigger.start and v.trigger.end <= v.evidence.end


# -- end to end: the seed article and pinned floors on the shared gold ---------------------------


def _full_pipeline():  # type: ignore[no-untyped-def]
    """The default pipeline, or a skip when a stage the events need is not built here."""
    from marsad import pipeline

    try:
        pipe = pipeline.default_pipeline()
    except (RuntimeError, FileNotFoundError) as exc:  # a model or data file not built yet
        pytest.skip(f"the full pipeline is not available: {exc}")
    missing = {"ner", "link", "quotes", "events"} - set(pipe.names)
    if missing:
        pytest.skip(f"the pipeline lacks {sorted(missing)}")
    return pipe


def _country(m: Mention | None) -> str | None:
    return None if m is None else ((m.actor or "")[:3] or m.country)


def test_seed_events(seed_text: str) -> None:
    doc = _full_pipeline().analyze(seed_text)
    got = {(v.type, v.mode, _country(v.source), _country(v.target)): v for v in doc.events}

    def find(ptype: str, src: str, tgt: str | None, mode: str | None = None):  # type: ignore[no-untyped-def]
        for (t, m, s, g), v in got.items():
            if t == ptype and s == src and g == tgt and (mode is None or m == mode):
                return v
        raise AssertionError(f"no {ptype} {src}->{tgt} ({mode}) in {sorted(got, key=str)}")

    request = find("REQUEST", "USA", "RUS")
    assert request.trigger.text == "طلب"
    assert request.evidence is not None and "طلب وزير الخارجية الاميركي جون كيري" in request.evidence.text
    call = find("CONSULT", "USA", "RUS", "phone")
    assert call.evidence is not None and "مكالمة هاتفية مع لافروف" in call.evidence.text
    visit = find("CONSULT", "IRN", "RUS", "visit")
    assert visit.evidence is not None and "بزيارة الى موسكو" in visit.evidence.text
    find("ACCUSE", "USA", "SYR")
    assault = next(v for v in doc.events if v.type == "ASSAULT" and _country(v.source) == "SYR")
    assert assault.location is not None and assault.location.text == "حلب"
    # the report the spokesman cannot confirm, and the sentence saying so, give no event
    denial = seed_text.index("لست في موقع لتأكيد")
    travelled = seed_text.index("سافر إلى روسيا")
    assert not [v for v in doc.events if travelled <= v.trigger.start < seed_text.index(".", denial)]
    for n, v in enumerate(doc.events, 1):
        assert v.id == f"v{n}"
        assert v.evidence is not None and len(v.evidence.text.split()) <= 15
        assert seed_text[v.trigger.start : v.trigger.end] == v.trigger.text
        assert v.evidence.start <= v.trigger.start and v.trigger.end <= v.evidence.end
    assert [v.trigger.start for v in doc.events] == sorted(v.trigger.start for v in doc.events)


@pytest.mark.slow
@pytest.mark.shared
def test_quality_floors(shared_dir: Path) -> None:
    """Pinned floors on the development data (tools/eval_events.py); raise them as the stage improves."""
    _full_pipeline()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    import eval_events

    up = eval_events.eval_up(eval_events.read_up(shared_dir / "data" / "universal-petrarch-ar"))
    assert up["type_found"] >= 0.90
    assert up["source_country_accuracy"] >= 0.70
    assert up["events_per_sentence"] <= 1.5
    gold = eval_events.eval_gold(eval_events.read_gold(shared_dir / "data"))
    assert gold["type_source_target"]["precision"] >= 0.60
    assert gold["type_source_target"]["recall"] >= 0.45


@pytest.mark.shared
def test_lexicon_cleaning_drops_noisy_verbs(shared_dir: Path) -> None:
    """UniversalPetrarch's verbs are kept only when their codes agree and an English gloss confirms them."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    import build_event_lexicon as build

    c2p = build.read_cameo2plover(build.C2P)
    english = build.read_english_codes(build.EN_DICT)
    kept, dropped = build.clean_up_verbs(c2p, english, covered=set())
    why = dict(dropped)
    assert "وضع" in why and "one PLOVER type" in why["وضع"]  # "put": coded 1124, 139 and 154 there
    assert "اخذ" in why  # "take" coded as a protest: no English gloss agrees
    assert "قدم" not in kept  # a light verb ("presented")
    for lemma, (ptype, _, code) in kept.items():
        assert build.plover_of(code, c2p) is not None and build.plover_of(code, c2p)[0] == ptype  # type: ignore[index]


@pytest.mark.parametrize(
    ("stem", "forms"), [("طلب", {"طلبت", "طلبوا", "طلبنا"}), ("التقي", {"التقت", "التقوا"})]
)
def test_perfect_forms(stem: str, forms: set[str]) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    import build_event_lexicon as build

    assert forms <= {f for f, _ in build.perfect_forms(stem)}


def test_imperfect_forms() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    import build_event_lexicon as build

    got = dict(build.imperfect_forms("يطالب"))
    assert {"يطالبون", "تطالب", "نطالب"} <= set(got)
    assert got["نطالب"] == "imp1"


@pytest.mark.parametrize(
    ("sentence", "entities", "expected"),
    [
        (
            "صعد المرشد الأعلى الإيراني آية الله علي خامنئي من لهجته ضد الولايات المتحدة",
            [("آية الله علي خامنئي", "PER", "IRNGOV", "IRN"), ("الولايات المتحدة", "LOC", "USAGOV", "USA")],
            ("ACCUSE", "IRNGOV", "USAGOV"),
        ),
        (
            "واستهجنت وزارة الخارجية البحرينية تصريحات المسؤول الإيراني",
            [
                ("وزارة الخارجية البحرينية", "ORG", "BHRGOV", "BHR"),
                ("المسؤول الإيراني", "PER", "IRNGOV", "IRN"),
            ],
            ("ACCUSE", "BHRGOV", "IRNGOV"),
        ),
        (
            "ولوحت واشنطن بفرض عقوبات جديدة على طهران",
            [("واشنطن", "LOC", "USAGOV", "USA"), ("طهران", "LOC", "IRNGOV", "IRN")],
            ("THREATEN", "USAGOV", "IRNGOV"),
        ),
        (
            "واعترضت الصين على زيارة رئيس الوزراء الياباني شينزو آبي",
            [("الصين", "LOC", "CHNGOV", "CHN"), ("شينزو آبي", "PER", "JPNGOV", "JPN")],
            ("REJECT", "CHNGOV", "JPNGOV"),
        ),
        (
            "وبعث خادم الحرمين الشريفين برقية عزاء إلى الرئيس الفرنسي فرانسوا هولاند",
            [("خادم الحرمين الشريفين", "PER", "SAUGOV", "SAU"), ("فرانسوا هولاند", "PER", "FRAGOV", "FRA")],
            ("SUPPORT", "SAUGOV", "FRAGOV"),
        ),
        (
            "وقدمت الولايات المتحدة دعما ماليا إلى الحكومة العراقية",
            [("الولايات المتحدة", "LOC", "USAGOV", "USA"), ("الحكومة العراقية", "ORG", "IRQGOV", "IRQ")],
            ("AID", "USAGOV", "IRQGOV"),
        ),
        (
            "وثمن الرئيس اليمني عبدربه منصور هادي جهود المملكة العربية السعودية في دعم الشرعية",
            [
                ("عبدربه منصور هادي", "PER", "YEMGOV", "YEM"),
                ("المملكة العربية السعودية", "LOC", "SAUGOV", "SAU"),
            ],
            ("SUPPORT", "YEMGOV", "SAUGOV"),
        ),
        (
            "وانتقد وزير الخارجية عادل الجبير سياسة إيران في المنطقة",
            [("عادل الجبير", "PER", "SAUGOV", "SAU"), ("إيران", "LOC", "IRNGOV", "IRN")],
            ("ACCUSE", "SAUGOV", "IRNGOV"),
        ),
        (
            "وجدد الرئيس فرانسوا هولاند ترحيبه بالعاهل السعودي",
            [("فرانسوا هولاند", "PER", "FRAGOV", "FRA"), ("العاهل السعودي", "PER", "SAUGOV", "SAU")],
            ("SUPPORT", "FRAGOV", "SAUGOV"),
        ),
    ],
)
def test_new_wording_codes_source_and_target(
    coder: EventCoder,
    sentence: str,
    entities: list[tuple[str, str, str | None, str | None]],
    expected: tuple[str, str | None, str | None],
) -> None:
    def iso(code: str | None) -> str | None:
        return None if code is None else code[:3]

    got = {(t, iso(s), iso(o)) for t, s, o in summary(coder(make_doc(sentence, entities)))}
    assert (expected[0], iso(expected[1]), iso(expected[2])) in got


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [
        (
            "وصل خالد مشعل إلى المملكة العربية السعودية.\nوقال الجبير إن زيارة مشعل إلى المملكة كانت لأداء العمرة",
            [
                ("خالد مشعل", "PER", "PSEREBHMS", "PSE"),
                ("المملكة العربية السعودية", "LOC", "SAUGOV", "SAU"),
                ("الجبير", "PER", "SAUGOV", "SAU"),
                ("مشعل", "PER", "PSEREBHMS", "PSE"),
            ],
            ("CONSULT", "PSE", "SAU"),
        ),
        (
            "وصل وزير الخارجية سامح شكري إلى السعودية أمس\nوثمنت مصر جهود المملكة في اليمن",
            [
                ("سامح شكري", "PER", "EGYGOV", "EGY"),
                ("السعودية", "LOC", "SAUGOV", "SAU"),
                ("مصر", "LOC", "EGYGOV", "EGY"),
                ("اليمن", "LOC", "YEMGOV", "YEM"),
            ],
            ("SUPPORT", "EGY", "SAU"),
        ),
    ],
)
def test_the_kingdom_alone_is_the_kingdom_the_article_names(
    coder: EventCoder,
    text: str,
    entities: list[tuple[str, str, str | None, str | None]],
    expected: tuple[str, str, str],
) -> None:
    got = {(t, s and s[:3], o and o[:3]) for t, s, o in summary(coder(make_doc(text, entities)))}
    assert expected in got


def test_an_adjective_after_a_victim_noun_is_the_victim_not_the_attacker() -> None:
    pipe = _full_pipeline()

    def assaults(text: str) -> list[tuple[str | None, str | None]]:
        doc = pipe.analyze(text)
        return [(_country(v.source), _country(v.target)) for v in doc.events if v.type == "ASSAULT"]

    assert assaults("أعربت الخارجية عن أسفها لمقتل الشاب الأميركي في المدينة.") == [(None, "USA")]
    assert assaults("ندد الوزير بالقصف الجوي التركي على مواقع الحزب.") == [("TUR", None)]


def test_actor_spans_keep_the_article_and_drop_proclitics() -> None:
    doc = _full_pipeline().analyze("ندد الوزير بالقصف الجوي التركي على مواقع الحزب.")
    (strike,) = [v for v in doc.events if v.type == "ASSAULT"]
    assert strike.source is not None and strike.source.text == "التركي"
    assert doc.text[strike.source.start : strike.source.end] == "التركي"
