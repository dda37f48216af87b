"""The pipeline end to end: the seed article's structure, and invariants over the samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import marsad
from marsad.document import Document
from marsad.pipeline import Pipeline, default_pipeline, stage
from marsad.serialize import to_record

ROOT = Path(__file__).resolve().parent.parent


def test_seed_structure(seed_text: str) -> None:
    doc = marsad.analyze(seed_text)
    assert doc.text is seed_text or doc.text == seed_text
    assert doc.header.source_name == "المغرب اليوم"
    assert doc.header.dateline is not None and doc.header.dateline.text == "واشنطن"
    assert len(doc.paragraphs) == 8
    starts = [p.text.split()[0] for p in doc.paragraphs]
    assert starts == ["طلب", "وقال", "واوضح", "واضاف", "واضاف", "وتابع", "وياتي", "وكانت"]
    # every sentence lies inside one paragraph, and the paragraphs are covered in order
    for s in doc.sentences:
        assert any(p.start <= s.start and s.end <= p.end for p in doc.paragraphs)
        assert seed_text[s.start:s.end] == s.text
    assert len(doc.sentences) > len(doc.paragraphs)
    # the glued stop in paragraph 3 ("... النار".واضاف) ends a sentence
    assert any(s.text.endswith('لوقف اطلاق النار".') for s in doc.sentences)
    rec = to_record(doc)
    assert rec["source"] == {"name": "المغرب اليوم", "start": 9, "end": 21}
    assert rec["dateline"]["start"] == 0 and rec["dateline"]["end"] == 6


def test_record_offsets_on_samples() -> None:
    lines = (ROOT / "samples" / "saudinewsnet-sample.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines[:40]:
        rec = json.loads(line)
        doc = marsad.analyze(rec["text"], id=rec["id"])
        out = to_record(doc, tokens=True)
        text = out["text"]
        assert text == rec["text"]
        for t in out["tokens"]:
            assert text[t["start"]:t["end"]] == t["text"]
            assert t["start"] <= t["stem"]["start"] <= t["stem"]["end"] <= t["end"]
        for s in out["sentences"] + out["paragraphs"]:
            assert 0 <= s["start"] < s["end"] <= len(text)
        for key in ("source", "dateline"):
            span = out[key]
            if span and span.get("start") is not None:
                assert text[span["start"]:span["end"]] in (span.get("name"), span.get("place")) or key == "source"


def test_stage_order_is_checked() -> None:
    @stage("needs_entities", requires=("entities",), provides=("quotes",))
    def s(doc: Document) -> Document:
        return doc

    with pytest.raises(ValueError, match="needs_entities"):
        Pipeline([s])


def test_default_pipeline_is_built_once() -> None:
    assert default_pipeline() is default_pipeline()


def test_analyze_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        marsad.analyze(b"bytes")  # type: ignore[arg-type]


def _failing_pipeline() -> Pipeline:
    """Upper-cases text; fails on a text with BOOM, and its batch method on any batch holding one."""

    @stage("upper", requires=("text",), provides=("title",))
    def upper(doc: Document) -> Document:
        if "BOOM" in doc.text:
            raise ValueError("boom")
        return doc.replace(title=doc.text.upper())

    class Batched:
        name, requires, provides = "batched", ("title",), ("source_hint",)
        calls = 0

        def __call__(self, doc: Document) -> Document:
            if "bad" in doc.text:
                raise RuntimeError("bad")
            return doc.replace(source_hint=f"{doc.title}!")

        def many(self, docs: list[Document]) -> list[Document]:
            Batched.calls += 1
            return [self(d) for d in docs]

    return Pipeline([upper, Batched()])


def test_run_many_gives_each_document_what_it_gets_alone() -> None:
    pipe = _failing_pipeline()
    docs = [Document(text=t) for t in ("one", "a BOOM", "two", "bad three", "four")]
    got = pipe.run_many(docs)
    assert [d.source_hint for d in got if isinstance(d, Document)] == ["ONE!", "TWO!", "FOUR!"]
    assert isinstance(got[1], ValueError) and isinstance(got[3], RuntimeError)
    for d, g in zip(docs, got, strict=True):
        if isinstance(g, Document):
            assert g == pipe(d)
        else:
            with pytest.raises(type(g)):
                pipe(d)
    assert pipe.run_many([]) == []
