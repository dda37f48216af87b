"""Named entities (PER, ORG, LOC, MISC): a CRF over clitic-aware features, clusters, gazetteers and
word profiles, averaged with a small BiLSTM-CRF.

``load_ner()`` gives the pipeline stage (loaded once per process).  The model, the word clusters
and the gazetteers live in ``data/``; ``MODEL_CARD.md`` says how they were built and how well
the model does.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from marsad.ner.stage import NerStage, load_packaged, read_titles, strip_titles
from marsad.text.normalize import match_form

__all__ = ["NerStage", "load_ner"]


@lru_cache(maxsize=1)
def _default() -> NerStage:
    return load_packaged(_kb_names())


def _kb_names() -> list[Iterable[tuple[str, str]]]:
    """Names from the actor knowledge base, if this build has one.

    The English names of all its entries (``John Kerry``, ``Geneva``: Latin-script names in Arabic
    text, which ANERcorp hardly has), and the Arabic names of people, with any leading title (``data/titles.tsv``) taken off, as the model's convention
    leaves titles out; the knowledge base's names of places and bodies include descriptive forms
    (``الجيش اللبناني``, ``قطاع غزة``) that the convention leaves out or shortens, so adding them
    costs more than it finds (measured on the ANERcorp dev block).
    """
    try:
        from marsad.kb import KnowledgeBase
    except ImportError:
        return []
    titles = read_titles()
    kb = KnowledgeBase.load()
    names: list[tuple[str, str]] = []
    for e in kb:
        if e.name_en and e.name_en.isascii() and e.name_en[:1].isupper():
            names.append((e.name_en, e.type))
        if e.kind != "person":
            continue
        for alias in e.aliases:
            name = strip_titles(alias, titles)
            words = name.split()
            if len(words) == 1 and name != alias:
                # a title's one-word complement (الرئيس أسد, الملك المؤسس) names the person only
                # after the title; alone it is often a common word (أسد "lion", شي "thing")
                continue
            # a multi-word alias that still starts with an article is a description (المخلوع ...)
            if words and (len(words) == 1 or not match_form(words[0]).startswith("ال")):
                names.append((name, e.type))
    return [names]


def load_ner(*extra_names: Iterable[tuple[str, str]], model: Path | None = None) -> NerStage:
    """The ``ner`` stage.  Without arguments it is built once and cached.

    ``extra_names`` are further trusted ``(name, type)`` sources (added to ``data/names.tsv`` and
    the knowledge base's people); ``model`` is another model file (with its ``.json`` beside it,
    as ``tools/train_ner.py --save-dev`` writes) to use instead of the packaged one.  Either
    builds a new stage.
    """
    if not extra_names and model is None:
        return _default()
    return load_packaged([*_kb_names(), *extra_names], model=model)
