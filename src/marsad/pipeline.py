"""The analysis pipeline: stages in order, each a plain callable ``Document -> Document``.

A stage declares what it ``requires`` and ``provides`` (names of Document fields); the pipeline
checks the order once when it is built.  Stateful stages (a model, the knowledge base) are made by
factories that load once and are cached, so building the default pipeline twice costs nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, cast, runtime_checkable

from .article import parse_header, split_paragraphs
from .document import Document
from .text.sentences import split_sentences
from .text.tokenize import tokenize

__all__ = ["Pipeline", "Stage", "analyze", "default_pipeline", "stage"]


@runtime_checkable
class Stage(Protocol):
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]

    def __call__(self, doc: Document) -> Document: ...


@dataclass(frozen=True, slots=True)
class _FunctionStage:
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    func: Callable[[Document], Document]

    def __call__(self, doc: Document) -> Document:
        return self.func(doc)


def stage(
    name: str, *, requires: Iterable[str] = (), provides: Iterable[str] = ()
) -> Callable[[Callable[[Document], Document]], Stage]:
    """Decorator turning a function ``Document -> Document`` into a named :class:`Stage`."""

    def wrap(func: Callable[[Document], Document]) -> Stage:
        return _FunctionStage(name, tuple(requires), tuple(provides), func)

    return wrap


@stage("structure", requires=("text",), provides=("header", "paragraphs", "published"))
def structure(doc: Document) -> Document:
    """Header (dateline, source, header date), paragraphs of the body, publication date."""
    header = parse_header(doc.text)
    paragraphs = tuple(split_paragraphs(doc.text, header.body_start))
    published = doc.published if doc.published is not None else header.date
    return doc.replace(header=header, paragraphs=paragraphs, published=published)


@stage("tokens", requires=("text", "paragraphs"), provides=("tokens", "sentences"))
def tokens(doc: Document) -> Document:
    """Tokens with clitics segmented, over the whole text; sentences over the body paragraphs."""
    toks = tokenize(doc.text)
    body = doc.header.body_start
    first = 0
    while first < len(toks) and toks[first].start < body:
        first += 1
    paras = [(p.start, p.end) for p in doc.paragraphs]
    sents = split_sentences(doc.text, toks[first:], paras)
    if first:
        sents = [s._replace(first_token=s.first_token + first, last_token=s.last_token + first) for s in sents]
    return doc.replace(tokens=tuple(toks), sentences=tuple(sents))


class Pipeline:
    """Stages run in order over a :class:`Document`."""

    def __init__(self, stages: Sequence[Stage]):
        have = {"text", "id", "title", "published", "source_hint"}
        for s in stages:
            missing = [r for r in s.requires if r not in have]
            if missing:
                raise ValueError(f"stage {s.name!r} needs {missing}, which no earlier stage provides")
            have.update(s.provides)
        self.stages: tuple[Stage, ...] = tuple(stages)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stages)

    def __call__(self, doc: Document) -> Document:
        for s in self.stages:
            doc = s(doc)
        return doc

    def run_many(self, docs: Sequence[Document]) -> list[Document | Exception]:
        """Each document through every stage, as ``self(doc)`` would take it, but stage by stage
        over all of them: a stage with a ``many`` method (``ner``) takes them together, which is
        faster.  A document whose analysis raises gets the exception in its place, and the others
        go on; so does a document after a ``many`` call that raised, which is then retried alone."""
        out: list[Document | Exception] = list(docs)
        for s in self.stages:
            live = [i for i, d in enumerate(out) if isinstance(d, Document)]
            many = getattr(s, "many", None)
            if many is not None and len(live) > 1:
                try:
                    done = many([out[i] for i in live])
                except Exception:  # noqa: BLE001 - which document failed shows below, one by one
                    done = None
                if done is not None:
                    for i, d in zip(live, done, strict=True):
                        out[i] = d
                    continue
            for i in live:
                try:
                    out[i] = s(cast(Document, out[i]))
                except Exception as exc:  # noqa: BLE001 - one document's failure is its own
                    out[i] = exc
        return out

    def analyze(
        self,
        text: str,
        *,
        published: dt.date | None = None,
        source: str | None = None,
        title: str | None = None,
        id: str | None = None,
    ) -> Document:
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        return self(Document(text=text, id=id, title=title, published=published, source_hint=source))


# The model-backed stages in order: (module, factory).  Each factory loads its model or data once
# and returns a Stage.  A module that is not part of this build is skipped.
_LATER_STAGES = (
    ("marsad.ner", "load_ner"),  # entities
    ("marsad.link", "load_linker"),  # kb, name_en, actor, country of entities
    ("marsad.quotes", "load_quotes"),  # quotes with speakers
    ("marsad.events", "load_events"),  # PLOVER events
)


def _later_stages() -> list[Stage]:
    found: list[Stage] = []
    for module_name, factory in _LATER_STAGES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        make = getattr(module, factory, None)
        if make is not None:
            found.append(make())
    return found


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    """The full pipeline with every stage marsad has; built once per process."""
    return Pipeline([structure, tokens, *_later_stages()])


def analyze(
    text: str,
    *,
    published: dt.date | None = None,
    source: str | None = None,
    title: str | None = None,
    id: str | None = None,
) -> Document:
    """Analyse one article with the default pipeline."""
    return default_pipeline().analyze(text, published=published, source=source, title=title, id=id)
