"""tools/eval_gold.py: how quotes and links are matched against gold analyses, and the floors kept."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from marsad.document import Document, Entity, Mention, Quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import eval_gold

TEXT = (
    "قال مسؤول بوزارة الخارجية التركية اليوم إن زيارة الوزير محمد جواد ظريف أجلت. "
    'وقال ظريف "الزيارة مدرجة على جدول الأعمال لكن تم تأجيلها".'
)
GOLD: dict[str, Any] = {
    "doc": "article.txt",
    "published": "2015-08-11",
    "entities": [
        {"text": "محمد جواد ظريف", "type": "PER", "name_en": "Mohammad Javad Zarif", "actor": "IRNGOV"},
        {"text": "الأمم المتحدة", "type": "ORG", "name_en": "United Nations", "actor": "IGOUNO"},
    ],
    "quotes": [
        {
            "speaker_en": "Turkish Foreign Ministry official",
            "speaker_text": "مسؤول بوزارة الخارجية التركية",
            "direct": False,
            "cue": "قال",
            "text_start": "زيارة الوزير",
            "text_end": "ظريف أجلت",
        },
        {
            "speaker_en": "Mohammad Javad Zarif",
            "speaker_text": "ظريف",
            "direct": True,
            "cue": "قال",
            "text_start": "الزيارة مدرجة",
            "text_end": "لكن تم تأجيلها",
        },
    ],
}


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Sergey Lavrov", "Sergei Lavrov", True),
        ("Islamic State (ISIS)", "Islamic State", True),
        ("Bashar al-Assad", "Bashar Al Assad", True),
        ("Prince Jalawi bin Abdulaziz", "Jalawi bin Abdulaziz", True),
        ("John Kerry", "John Kirby", False),
        (None, "John Kerry", False),
    ],
)
def test_names_match(a: str | None, b: str, same: bool) -> None:
    assert eval_gold.names_match(a, b) is same


def test_locate_finds_the_span_whatever_the_spelling() -> None:
    text = "وقال إنّ  الولايات المتحدة تنتظر من روسيا القيام بالأمر ذاته."
    span = eval_gold.locate(text, "الولايات المتحدة تنتظر", "القيام بالامر ذاته")
    assert (
        span is not None and text[span[0] : span[1]] == "الولايات المتحدة تنتظر من روسيا القيام بالأمر ذاته"
    )
    assert eval_gold.locate(text, "لا يوجد", "ذاته") is None


def test_a_named_speaker_needs_the_name_an_anonymous_one_the_words() -> None:
    named = [{"text": "محمد جواد ظريف", "name_en": "Mohammad Javad Zarif"}]
    zarif = {"speaker_en": "Mohammad Javad Zarif", "speaker_text": "ظريف"}
    assert eval_gold.speaker_matches({"text": "الوزير", "name_en": "Mohammad Javad Zarif"}, zarif, named)
    # not in the knowledge base: the Arabic name of the same gold entity will do, a title will not
    assert eval_gold.speaker_matches({"text": "ظريف", "name_en": None}, zarif, named)
    assert not eval_gold.speaker_matches({"text": "الوزير", "name_en": None}, zarif, named)
    by_id = {"e4": "محمد جواد ظريف"}
    assert eval_gold.speaker_matches({"text": "الوزير", "name_en": None, "entity": "e4"}, zarif, named, by_id)
    assert not eval_gold.speaker_matches({"text": "ظريف", "name_en": "Javad Karimi"}, zarif, named)
    source = {"speaker_en": "field military source", "speaker_text": "مصدر عسكري ميداني"}
    assert eval_gold.speaker_matches({"text": "مصدر عسكري", "name_en": None}, source, named)
    assert not eval_gold.speaker_matches({"text": "مصادر طبية", "name_en": None}, source, named)
    both = {"speaker_en": "Barack Obama and Recep Tayyip Erdogan", "speaker_text": "الرئيسان"}
    assert eval_gold.speaker_matches({"text": "الرئيسان", "name_en": None}, both, ["Barack Obama"])
    assert not eval_gold.speaker_matches({"text": "الرئيسان", "name_en": None}, zarif, named)
    assert not eval_gold.speaker_matches(None, zarif, named)


def fake_analyze(text: str, published: dt.date | None = None, id: str | None = None) -> Document:
    """One right quote, one with the wrong speaker, one extra; Zarif linked, the UN missing."""
    zs = text.index("محمد جواد ظريف")
    zarif = Entity(
        "e1", zs, zs + 14, text[zs : zs + 14], "PER", "p:zarif", "Mohammad Javad Zarif", "IRNGOV", "IRN"
    )
    qs = text.index("زيارة الوزير")
    qe = text.index("أجلت") + 4
    official = Mention(4, 33, text[4:33])
    ds = text.index("الزيارة مدرجة")
    de = text.index("تأجيلها") + 7
    wrong = official  # the Zarif quote given to the Turkish official
    quotes = (
        Quote("q1", qs, qe, text[qs:qe], False, None, official),
        Quote("q2", ds, de, text[ds:de], True, None, wrong),
        Quote("q3", 0, 3, text[0:3], False, None, None),
    )
    return Document(text=text, id=id, published=published, entities=(zarif,), quotes=quotes)


def test_evaluate_counts_hits_by_span_and_speaker(tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text(TEXT, encoding="utf-8")
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text(json.dumps(GOLD, ensure_ascii=False) + "\n", encoding="utf-8")
    result = eval_gold.evaluate(eval_gold.load_gold([gold_file]), analyze=fake_analyze, shared=tmp_path)
    q = result["quotes"]
    assert (q["tp"], q["predicted"], q["gold"]) == (1, 3, 2)
    assert q["precision"] == pytest.approx(1 / 3) and q["recall"] == pytest.approx(1 / 2)
    assert q["f1"] == pytest.approx(0.4)
    assert result["quotes_any_speaker"]["tp"] == 2
    assert result["linking"] == {"gold": 2, "found": 1, "right": 1, "accuracy": 0.5}
    assert result["name_en"]["right"] == 1
    assert "MISS" in eval_gold.details(result) and "FALSE" in eval_gold.details(result)
    assert "quotes (with speaker)" in eval_gold.report(result)


def test_missing_gold_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="--gold"):
        eval_gold.load_gold([tmp_path / "nope.jsonl"])


@pytest.mark.shared
def test_seed_gold_quotes_and_links(seed_gold: dict[str, Any]) -> None:
    result = eval_gold.evaluate([seed_gold])
    assert result["quotes"]["recall"] == 1.0  # all six quotes, each with its speaker
    assert result["linking"]["accuracy"] >= 0.9


@pytest.mark.shared
def test_dev_gold_floors(gold_dev: list[dict[str, Any]]) -> None:
    result = eval_gold.evaluate(gold_dev)
    assert result["quotes"]["f1"] >= 0.75
    assert result["linking"]["accuracy"] >= 0.9
