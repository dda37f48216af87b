"""The quotes stage: direct and reported speech, speakers, carried-over and nested attributions.

Documents are tokenised for real; entities are given as NER would give them and linked with the
small knowledge base of ``test_link`` so each test states the facts it relies on.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_link import analysed, small_kb

from marsad.document import Document, Quote
from marsad.link import Linker
from marsad.quotes import SCARE_WORDS, QuoteStage, find_quotes, load_quotes
from marsad.quotes.lexicon import packaged_lexicon, read_cues, read_words
from marsad.quotes.marks import find_quoted
from marsad.text.tokenize import tokenize


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker(small_kb())


def quotes(linker: Linker, text: str, people: tuple[str, ...] = ()) -> tuple[Quote, ...]:
    doc = load_quotes()(linker(analysed(text, people)))
    for q in doc.quotes:
        assert text[q.start : q.end] == q.text
        assert q.cue is not None and text[q.cue.start : q.cue.end] == q.cue.text
        if q.speaker is not None:
            assert text[q.speaker.start : q.speaker.end] == q.speaker.text
    return doc.quotes


def said(qs: tuple[Quote, ...]) -> list[tuple[str, str | None, bool]]:
    return [(q.text, q.speaker.text if q.speaker else None, q.direct) for q in qs]


def test_reported_speech_after_inna_with_an_anonymous_official(linker: Linker) -> None:
    text = "قال مسؤول بوزارة الخارجية التركية اليوم لوكالة رويترز، إن زيارة الوزير أجلت، ولم يذكر المسؤول تفاصيل أخرى."
    (q,) = quotes(linker, text)
    assert (q.text, q.direct, q.cue.text if q.cue else None) == ("زيارة الوزير أجلت", False, "قال")
    assert q.speaker is not None and q.speaker.text == "مسؤول بوزارة الخارجية التركية"
    assert q.speaker.actor == "TURGOV"


def test_direct_quote_spanning_sentences_with_the_speaker_named_by_role(linker: Linker) -> None:
    text = (
        "وقال المتحدث باسم الخارجية الأميركية جون كيربي إن الاتصال جرى. "
        'واضاف المتحدث "لقد اثار كيري ذلك خلال الاتصال. لست في موقع لتأكيد ما اذا كان هذا صحيحا".'
    )
    qs = quotes(linker, text, ("جون كيربي", "كيري"))
    direct = [q for q in qs if q.direct]
    assert [q.text for q in direct] == [
        "لقد اثار كيري ذلك خلال الاتصال. لست في موقع لتأكيد ما اذا كان هذا صحيحا"
    ]
    assert direct[0].speaker is not None and direct[0].speaker.entity == next(
        e.id for e in linker(analysed(text, ("جون كيربي", "كيري"))).entities if e.text == "جون كيربي"
    )


def test_speaker_carried_over_to_waadaf(linker: Linker) -> None:
    text = "وقال جون كيري إن الهدنة صامدة في معظم المناطق. وأضاف أن الولايات المتحدة تنتظر من روسيا الكثير."
    qs = quotes(linker, text, ("جون كيري",))
    assert [(t, s) for t, s, _ in said(qs)] == [
        ("الهدنة صامدة في معظم المناطق", "جون كيري"),
        ("الولايات المتحدة تنتظر من روسيا الكثير", "جون كيري"),
    ]
    assert all(q.speaker is not None and q.speaker.name_en == "John Kerry" for q in qs)


def test_a_said_that_b_told_c_gives_the_quote_to_b_and_keeps_a_for_later(linker: Linker) -> None:
    text = (
        "وقال المتحدث باسم الخارجية الأميركية جون كيربي ان كيري اجرى مكالمة هاتفية مع سيرغي لافروف ابلغه خلالها ان "
        '"الولايات المتحدة تنتظر من روسيا حض النظام على الالتزام بالهدنة". '
        'واضاف ان القوات الموالية للأسد "تتلقى مساعدة من الضربات الجوية الروسية".'
    )
    people = ("جون كيربي", "كيري", "سيرغي لافروف")
    ids = {e.text: e.id for e in linker(analysed(text, people)).entities}
    qs = quotes(linker, text, people)
    assert [(q.text.split()[0], q.speaker.entity if q.speaker else None, q.direct) for q in qs] == [
        ("الولايات", ids["كيري"], True),
        ("تتلقى", ids["جون كيربي"], True),
    ]
    assert qs[0].cue is not None and qs[0].cue.text == "ابلغه"


def test_according_to_takes_the_clause_before(linker: Linker) -> None:
    text = "سيطرت القوات الحكومية على مدينة حلب بعد معارك عنيفة، بحسب مصادر عسكرية."
    (q,) = quotes(linker, text)
    assert q.text == "سيطرت القوات الحكومية على مدينة حلب بعد معارك عنيفة"
    assert q.speaker is not None and q.speaker.text == "مصادر عسكرية"


def test_according_to_what_a_body_announced(linker: Linker) -> None:
    text = "وقصفت المدفعية مواقع المسلحين طوال الليل، وفق ما أفادت الأمم المتحدة أمس."
    (q,) = quotes(linker, text)
    assert q.cue is not None and q.cue.text == "وفق ما أفادت"
    assert q.speaker is not None and q.speaker.name_en == "United Nations"
    assert q.text == "وقصفت المدفعية مواقع المسلحين طوال الليل"


def test_participles_split_the_content_and_keep_the_speaker(linker: Linker) -> None:
    text = "وأكد جون كيري أن الهدنة ما زالت صامدة في معظم المناطق، مشيرا إلى أن الخروقات محدودة في الشمال."
    qs = quotes(linker, text, ("جون كيري",))
    assert [(t, s) for t, s, _ in said(qs)] == [
        ("الهدنة ما زالت صامدة في معظم المناطق", "جون كيري"),
        ("الخروقات محدودة في الشمال", "جون كيري"),
    ]
    assert qs[1].cue is not None and qs[1].cue.text == "مشيرا"


def test_a_named_person_in_apposition_is_the_speaker(linker: Linker) -> None:
    text = "وقال المسؤول الكبير في السفارة، الجنرال جون كيري، إن الطائرات ستصل هذا الخريف إلى القاهرة."
    (q,) = quotes(linker, text, ("جون كيري",))
    assert q.speaker is not None and q.speaker.name_en == "John Kerry"


def test_quoting_a_source_passes_the_word_to_it(linker: Linker) -> None:
    text = "انطلق القصف من مدينة دجلة واستهدف مواقع قرب الحدود، على ما أعلنته الأمم المتحدة نقلا عن شهود."
    (q,) = quotes(linker, text)
    assert q.speaker is not None and q.speaker.text == "شهود"
    assert q.text.startswith("انطلق القصف")


def test_a_reported_clause_with_an_opinion_inside_stays_with_its_speaker(linker: Linker) -> None:
    text = "وأكد مصدر دبلوماسي مصري مسؤول أن سوريا ترى في الحوار جزءا من الحل المنشود للأزمة."
    (q,) = quotes(linker, text)
    assert q.speaker is not None and q.speaker.text == "مصدر دبلوماسي مصري مسؤول"
    assert q.text.startswith("سوريا ترى")


def test_an_agency_reports_and_a_person_who_added(linker: Linker) -> None:
    text = (
        "ونقلت الأمم المتحدة أن الغارات أسفرت عن مقتل عشرة مسلحين. "
        "ووصل الوزير إلى المدينة، وفق ما قال جون كيري، الذي أضاف أن الزيارة ستستمر يومين."
    )
    qs = quotes(linker, text, ("جون كيري",))
    assert [(q.text.split()[0], q.speaker.text if q.speaker else None) for q in qs] == [
        ("الغارات", "الأمم المتحدة"),
        ("ووصل", "جون كيري"),
        ("الزيارة", "جون كيري"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        'ووصف الوزير الهجوم بأنه "إرهابي" أمس.',  # a scare quote and no reporting cue
        "ولم يذكر المسؤول تفاصيل أخرى عن الهجوم على القافلة.",  # a negated cue
        "وأعرب الوزير عن قلقه.",  # too little content
        "اطلعنا على التقارير التي تفيد بأن القوات تقدمت نحو المدينة.",  # the reports say it, not a speaker
        "وهي قصيدة يمكن أن يعبر عن معانيها كل شاعر.",  # a verb after يمكن أن
    ],
)
def test_what_is_not_a_quote(linker: Linker, text: str) -> None:
    assert quotes(linker, text) == ()


def test_scare_quotes_stay_inside_reported_speech(linker: Linker) -> None:
    text = 'وقال جون كيري إن تركيا "أنهت وحدها" وقف إطلاق النار في المنطقة.'
    (q,) = quotes(linker, text, ("جون كيري",))
    assert (q.text, q.direct) == ('تركيا "أنهت وحدها" وقف إطلاق النار في المنطقة', False)
    assert SCARE_WORDS == 3


def test_a_quote_embedded_in_a_longer_reported_clause_is_reported_speech(linker: Linker) -> None:
    text = "وقال جون كيري إن روسيا «أنهت من جانب واحد هذا الاتفاق» مع الولايات المتحدة قبل أسبوع."
    (q,) = quotes(linker, text, ("جون كيري",))
    assert not q.direct and q.text.startswith("روسيا «أنهت")


def test_speaker_of_a_second_person_introduced_without_quotes(linker: Linker) -> None:
    text = (
        "وقال سيرغي لافروف إن المحادثات مستمرة بين الجانبين. "
        "بدوره، يسعى الرئيس السوري بشار الأسد إلى التهدئة. وقال عقب اتصال هاتفي «ما من شك في أن الاتفاق سيصمد»."
    )
    qs = quotes(linker, text, ("سيرغي لافروف", "بشار الأسد"))
    assert [q.speaker.name_en if q.speaker else None for q in qs] == ["Sergey Lavrov", "Bashar al-Assad"]


def test_a_titled_name_ner_missed_and_a_body_asked_not_asking(linker: Linker) -> None:
    text = (
        "وقال صاحب السمو الأمير خالد الفيصل: إن المهرجان سيستمر عشرة أيام في المدينة. "
        "وطالب وزارة التجارة بدعم المواقع السياحية في المنطقة كلها."
    )
    qs = quotes(linker, text)
    assert [(q.text.split()[0], q.speaker.text if q.speaker else None) for q in qs] == [
        ("المهرجان", "خالد الفيصل"),
        ("بدعم", "خالد الفيصل"),
    ]


def test_the_speaker_named_after_the_quotation(linker: Linker) -> None:
    text = "«لن نتراجع عن دعم أصدقائنا في المنطقة»، قال جون كيري أمس في جنيف."
    (q,) = quotes(linker, text, ("جون كيري",))
    assert q.direct and q.text == "لن نتراجع عن دعم أصدقائنا في المنطقة"
    assert q.speaker is not None and q.speaker.name_en == "John Kerry"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("قال «لن نتراجع عن دعم أصدقائنا» أمس", ["لن نتراجع عن دعم أصدقائنا"]),
        ('أضاف "نحن قلقون جدا" ثم "هذا غير مقبول أبدا".', ["نحن قلقون جدا", "هذا غير مقبول أبدا"]),
        ("إلى “التشويش” على زيارة الوفد، التي وصفها بـ”الناجحة”، إلى الرياض", ["التشويش", "الناجحة"]),
        ("قال «عدوانا (...) «ينتهك» الشروط» أمس", ["عدوانا (...) «ينتهك» الشروط"]),
        ('قال "بداية بلا نهاية\n\n"فقرة ثانية" تم', ["بداية بلا نهاية", "فقرة ثانية"]),
    ],
)
def test_quotation_marks_pair_up(text: str, content: list[str]) -> None:
    found = find_quoted(text, tokenize(text))
    outer = [q for q in found if not any(o.open < q.open and q.close <= o.close for o in found)]
    assert [text[q.start : q.end] for q in outer] == content


def test_the_stage_contract() -> None:
    stage = load_quotes()
    assert isinstance(stage, QuoteStage)
    assert (stage.name, stage.requires, stage.provides) == (
        "quotes",
        ("tokens", "sentences", "entities"),
        ("quotes",),
    )
    empty = Document(text="")
    assert find_quotes(empty) == ()


def test_reporting_verbs_are_data() -> None:
    lex = packaged_lexicon()
    assert {"قال", "اضاف", "اوضح", "اكد", "اشار", "تابع", "اعلن", "مؤكدا", "مشيرا", "بحسب"} <= {
        c.lemma.replace("أ", "ا").replace("إ", "ا") for c in lex.cues.values()
    } | set(lex.cues)
    with pytest.raises(ValueError, match="cues.tsv:2"):
        read_cues("lemma\tkind\tframes\tforms\nقال\tshout\tthat\tقال\n")
    with pytest.raises(ValueError, match="frame"):
        read_cues("lemma\tkind\tframes\tforms\nقال\tverb\tloud\tقال\n")
    with pytest.raises(ValueError, match="words.tsv:2"):
        read_words("form\tclass\nإن\tverb\n")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "قال",
                "إن",
                "أن",
                "وأضاف",
                "«",
                "»",
                '"',
                "،",
                ".",
                "\n",
                "بحسب",
                "مصادر",
                "الوزير",
                "مؤكدا",
                "على",
                "ما",
                "نقلا",
                "عن",
                "شهود",
                "الحكومة",
                "جديدة",
                "تم",
                "كما",
            ]
        ),
        max_size=40,
    )
)
def test_any_text_gives_well_formed_quotes(words: list[str]) -> None:
    text = " ".join(words)
    from marsad.pipeline import structure, tokens

    doc = load_quotes()(tokens(structure(Document(text=text))))
    for q in doc.quotes:
        assert 0 <= q.start < q.end <= len(text) and text[q.start : q.end] == q.text
