"""The ``ner`` pipeline stage: a CRF and a BiLSTM-CRF tag each sentence together (their marginals
averaged, :class:`marsad.ner.models.EnsembleModel`); spans become :class:`Entity` records.

After tagging, two passes over the whole document:

* *names*: a list of trusted names (``data/names.tsv`` and any extra sources, such as the actor
  knowledge base) adds a name where the model found nothing (``الخارجية الاميركية``,
  ``الحرس الثوري``) and completes a person's name the model found in part;
* *propagation*: a name the model found once is found at its other mentions in the same document
  (``كيري`` tagged in one sentence is tagged in the next).

Entity spans leave out attached proclitics (و ف ب ك ل): ``للافروف`` gives ``لافروف`` and
``والولايات المتحدة`` gives ``الولايات المتحدة``; the article ال stays.  On a word the tokeniser
left whole, the word profile tells a proclitic from a name's first letter (``وبورتسموث`` →
``بورتسموث``, but ``وليد``).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import pycrfsuite

from marsad.article import lookup_source
from marsad.document import Document, Entity
from marsad.ner.conll import to_iob2
from marsad.ner.features import Clusters, FeatureSettings, Featurizer, Profile
from marsad.ner.gazetteer import Gazetteer, data_text, read_gazetteer_file
from marsad.ner.models import CrfModel, CrfWeights, EnsembleModel, NerModel, NeuralModel, read_crf
from marsad.ner.neural import NeuralTagger
from marsad.text.normalize import match_form

__all__ = [
    "NerStage",
    "Span",
    "apply_names",
    "decode",
    "load_packaged",
    "propagate",
    "read_particles",
    "read_titles",
    "strip_titles",
]

Span = tuple[int, int, str]  # token start, token end (exclusive), type
Particles = frozenset[tuple[str, str]]
# A propagated mention, or a one-word trusted name, is kept when the model gives an entity there
# at least this probability.
MIN_ENTITY_PROB = 0.02


def decode(tags: Sequence[str]) -> list[Span]:
    """IOB2 tags → spans in order; a stray ``I-`` starts an entity."""
    spans: list[Span] = []
    start, typ = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if tag == "O" or tag[0] == "B" or tag[2:] != typ:
            if start >= 0:
                spans.append((start, i, typ))
            start, typ = (i, tag[2:]) if tag != "O" else (-1, "")
    return spans


def apply_names(
    norms: Sequence[str],
    spans: list[Span],
    names: Gazetteer,
    accept: Callable[[int, int], bool] | None = None,
) -> list[Span]:
    """Add the trusted names the model missed (where it found nothing overlapping), and complete
    people's names it found in part (``مون`` → ``بان كي مون``).

    ``accept(start, end)``, if given, vets one-word names, which are the ambiguous ones
    (``الأسد`` is also "the lion").  ``spans`` do not overlap (as :func:`decode` gives them).
    """
    if not names.size:
        return spans
    out = set(spans)
    # the span over each token: a name's overlaps are read from its own tokens, so that a long
    # sentence (text without punctuation) costs no more per name than a short one
    cover = _cover(len(norms), spans)
    for m in names.match(norms):
        if len(m.types) != 1:
            continue
        (typ,) = m.types
        inside = list(dict.fromkeys(sp for sp in cover[m.start : m.end] if sp is not None))
        if inside:
            if typ == "PER" and all(m.start <= s and e <= m.end and t == "PER" for s, e, t in inside):
                out.difference_update(inside)
                out.add((m.start, m.end, typ))
                cover[m.start : m.end] = [(m.start, m.end, typ)] * (m.end - m.start)
            continue
        if m.end - m.start == 1 and accept is not None and not accept(m.start, m.end):
            continue
        out.add((m.start, m.end, typ))
        cover[m.start : m.end] = [(m.start, m.end, typ)] * (m.end - m.start)
    return sorted(out)


def _cover(n: int, spans: Iterable[Span]) -> list[Span | None]:
    """Per token of a sentence of ``n``, the span (of non-overlapping ``spans``) that holds it."""
    cover: list[Span | None] = [None] * n
    for sp in spans:
        cover[sp[0] : sp[1]] = [sp] * (sp[1] - sp[0])
    return cover


def propagate(
    segments: Sequence[Sequence[str]],
    keys: Sequence[Sequence[str]],
    found: list[list[Span]],
    particles: Particles = frozenset(),
    accept: Callable[[int, int, int], bool] | None = None,
) -> list[list[Span]]:
    """Tag further mentions, in the same document, of names the model found (majority type).

    ``segments`` hold each token's matching form, ``keys`` the same without proclitics.  A
    person's last name (``كيري`` of ``جون كيري``) counts as a name of its own unless ``particles``
    mark it as part of a compound (``عبد الله``).  ``accept(segment, start, end)``, if given,
    vets each new mention (the stage asks the model whether an entity there is plausible).
    """
    votes: dict[str, Counter[str]] = {}
    for norms, ks, spans in zip(segments, keys, found):
        for s, e, t in spans:
            key = " ".join([ks[s], *norms[s + 1 : e]])
            if len(key) >= 3:
                votes.setdefault(key, Counter())[t] += 1
            if t == "PER" and e - s >= 2:
                last, before = norms[e - 1], norms[e - 2]
                if len(last) >= 3 and ("last", last) not in particles and ("before", before) not in particles:
                    votes.setdefault(last, Counter())["PER"] += 1
    if not votes:
        return found
    # the majority type (the first counted of equals, as Counter.most_common gives)
    known = Gazetteer.from_forms((tuple(k.split()), max(c, key=c.__getitem__)) for k, c in votes.items())
    out = []
    for i, (norms, spans) in enumerate(zip(segments, found)):
        new = list(spans)
        cover = _cover(len(norms), spans)
        for m in known.match(norms):
            free = all(sp is None for sp in cover[m.start : m.end])
            if free and (accept is None or accept(i, m.start, m.end)):
                (typ,) = m.types
                new.append((m.start, m.end, typ))
                cover[m.start : m.end] = [new[-1]] * (m.end - m.start)
        out.append(sorted(new))
    return out


def read_particles(text: str) -> Particles:
    """``word<TAB>role`` lines (role ``before`` or ``last``) → a set of (role, matching form)."""
    out: set[tuple[str, str]] = set()
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            word, role = line.split("\t")[:2]
            out.add((role, match_form(word)))
    return frozenset(out)


def read_titles() -> tuple[tuple[str, ...], ...]:
    """The titles of ``data/titles.tsv`` as word tuples in matching form, longest first."""
    raw = resources.files("marsad.ner").joinpath("data", "titles.tsv").read_text(encoding="utf-8")
    words = {
        tuple(match_form(w) for w in line.split())
        for line in raw.splitlines()
        if line.strip() and not line.startswith("#")
    }
    return tuple(sorted(words, key=len, reverse=True))


def strip_titles(name: str, titles: Sequence[tuple[str, ...]]) -> str:
    """``name`` without leading titles: ``الشيخ عبدالله بن زايد`` → ``عبدالله بن زايد``."""
    words = name.split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        forms = [match_form(w) for w in words]
        for t in titles:
            if len(t) < len(words) and tuple(forms[: len(t)]) == t:
                words = words[len(t) :]
                changed = True
                break
    return " ".join(words)


def _latin(words: Sequence[str]) -> bool:
    """All words written in Latin letters or digits (``John Kerry``, ``F-16``)."""
    return all(w.isascii() for w in words)


def _segments(doc: Document) -> list[tuple[int, int]]:
    """Token ranges to tag: the sentences, plus runs of tokens no sentence covers (the header)."""
    n = len(doc.tokens)
    ranges = sorted((s.first_token, s.last_token) for s in doc.sentences if s.last_token > s.first_token)
    out: list[tuple[int, int]] = []
    pos = 0
    for a, b in [*ranges, (n, n)]:
        if a > pos:  # uncovered tokens: split at line breaks
            start = pos
            for i in range(pos + 1, a):
                if "\n" in doc.text[doc.tokens[i - 1].end : doc.tokens[i].start]:
                    out.append((start, i))
                    start = i
            out.append((start, a))
        if b > a:
            out.append((a, b))
        pos = max(pos, b)
    return out


_PUNCT = frozenset(("punct", "symbol"))


class NerStage:
    """``Document -> Document`` with ``entities`` set; load with :func:`marsad.ner.load_ner`.

    Reads ``tokens`` and ``sentences`` (tokens outside every sentence, such as the header line,
    are tagged line by line) and, when the structure stage has run, the header's source.
    """

    name = "ner"
    requires: tuple[str, ...] = ("tokens", "sentences")
    provides: tuple[str, ...] = ("entities",)

    def __init__(
        self,
        model: NerModel,
        featurizer: Featurizer,
        names: Gazetteer,
        particles: Particles,
        info: dict[str, Any],
    ) -> None:
        self._model = model
        self.featurizer = featurizer
        self.names = names
        self.particles = particles
        self.info = info

    @classmethod
    def from_files(
        cls,
        model: Path,
        meta: dict[str, Any],
        clusters: Clusters,
        gazetteer: Gazetteer,
        names: Gazetteer,
        particles: Particles = frozenset(),
        profile: Profile | None = None,
        partner: bytes | None = None,
    ) -> NerStage:
        """``partner``: the network of an ensemble model (``meta["ensemble"]``), as bytes."""
        s = meta.get("settings", {})
        settings = FeatureSettings(**{k: v for k, v in s.items() if k in FeatureSettings.__slots__})
        if meta.get("kind") == "neural":
            try:
                net, _ = NeuralTagger.load(model.read_bytes(), Featurizer(clusters, gazetteer, settings))
            except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as exc:
                raise RuntimeError(
                    f"cannot read the NER model {model}: rebuild it with tools/train_ner_nn.py --final"
                ) from exc
            return cls(NeuralModel(net), net.inputs.featurizer, names, particles, meta)
        tagger = pycrfsuite.Tagger()
        try:
            # checked before crfsuite opens it: crfsuite trusts the file, and a truncated one
            # crashes the process
            info = read_crf(model.read_bytes(), str(model))
            tagger.open(str(model))
        except Exception as exc:  # crfsuite raises a bare ValueError/IOError
            raise RuntimeError(
                f"cannot read the NER model {model} ({exc}): rebuild it with tools/train_ner.py --final"
            ) from exc
        # Only attributes with weights are worth emitting: tagging cost grows with each one.
        known = info.state_attrs()
        featurizer = Featurizer(clusters, gazetteer, settings, known, profile=profile)
        crf = CrfModel(tagger, featurizer)
        ens = meta.get("ensemble")
        if not ens:
            return cls(crf, featurizer, names, particles, meta)
        if partner is None:
            raise RuntimeError(f"the NER model {model} is an ensemble: pass its network {ens.get('file')!r}")
        try:
            es = {k: v for k, v in ens.get("settings", {}).items() if k in FeatureSettings.__slots__}
            net, _ = NeuralTagger.load(
                partner,
                Featurizer(clusters, gazetteer, FeatureSettings(**es), profile=profile),
                source=featurizer,
            )
            both = EnsembleModel(
                crf, NeuralModel(net), float(ens["weight"]), CrfWeights(info), str(ens.get("pool", "mean"))
            )
        except (OSError, KeyError, TypeError, ValueError, EOFError, zipfile.BadZipFile) as exc:
            raise RuntimeError(
                f"cannot read the network {ens.get('file')!r} of the NER model {model} ({exc}): "
                "rebuild it with tools/train_ner_nn.py --final"
            ) from exc
        return cls(both, featurizer, names, particles, meta)

    @property
    def model(self) -> NerModel:
        """The tagging model (CRF, network or both) behind the stage."""
        return self._model

    def tag_words(self, words: Sequence[str]) -> list[str]:
        """IOB2 tags for one sentence given as word strings."""
        if not words:
            return []
        return to_iob2(self._model.run([words])[0])

    def spans(
        self, sentences: Iterable[Sequence[str]], *, names: bool = True, document: bool = True
    ) -> tuple[list[list[Span]], dict[tuple[int, int, int], float]]:
        """Entity spans (token indices) of a document given as sentences of word strings.

        Also returns the model's confidence in each span it tagged itself, keyed by
        ``(sentence, start, end)``: the mean marginal probability of its tokens' labels.
        """
        return self.spans_many([sentences], names=names, document=document)[0]

    def spans_many(
        self, documents: Iterable[Iterable[Sequence[str]]], *, names: bool = True, document: bool = True
    ) -> list[tuple[list[list[Span]], dict[tuple[int, int, int], float]]]:
        """:meth:`spans` of several documents: the model tags all their sentences in one run
        (faster than one run per document: its steps cover more sentences at once), and the passes
        after tagging read each document alone, so each result is the one :meth:`spans` gives."""
        docs = [[list(ws) for ws in sentences] for sentences in documents]
        labels = self._model.run([ws for segs in docs for ws in segs])
        out = []
        base = 0
        for segs in docs:
            out.append(self._document_spans(segs, labels[base : base + len(segs)], base, names, document))
            base += len(segs)
        return out

    def _document_spans(
        self, segs: list[list[str]], labels: list[list[str]], base: int, names: bool, document: bool
    ) -> tuple[list[list[Span]], dict[tuple[int, int, int], float]]:
        """One document's spans from the labels of its sentences, which the model's last run
        holds from index ``base`` on."""
        model = self._model
        found: list[list[Span]] = []
        conf: dict[tuple[int, int, int], float] = {}
        for i, labs in enumerate(labels):
            # ANERcorp has about a hundred Latin-script tokens: the model cannot read Latin text,
            # so its spans there are dropped and Latin names come from the trusted names alone
            spans = [sp for sp in decode(to_iob2(labs)) if not _latin(segs[i][sp[0] : sp[1]])]
            for s, e, _t in spans:
                conf[(i, s, e)] = sum(model.label_prob(base + i, j) for j in range(s, e)) / (e - s)
            found.append(spans)
        infos = [[self.featurizer.word(w) for w in ws] for ws in segs]
        norms = [[i.norm for i in seg] for seg in infos]
        verdicts: dict[tuple[int, int, int], bool] = {}

        def plausible(i: int, s: int, e: int) -> bool:
            key = (i, s, e)
            got = verdicts.get(key)
            if got is None:
                # a Latin-script name: the model knows no Latin text
                got = _latin(segs[i][s:e]) or model.entity_prob(base + i, s, e) >= MIN_ENTITY_PROB
                verdicts[key] = got
            return got

        if names:
            found = [
                apply_names(ns, sp, self.names, functools.partial(plausible, i))
                for i, (ns, sp) in enumerate(zip(norms, found))
            ]
        if document:
            keys = [[i.key for i in seg] for seg in infos]
            found = propagate(norms, keys, found, self.particles, plausible)
        return found, conf

    def __call__(self, doc: Document) -> Document:
        return self.many([doc])[0]

    def many(self, docs: Sequence[Document]) -> list[Document]:
        """``[self(doc) for doc in docs]``, faster: the model tags the documents' sentences
        together (:meth:`spans_many`)."""
        ranges = [_segments(doc) for doc in docs]
        texts = [[[t.text for t in doc.tokens[a:b]] for a, b in rs] for doc, rs in zip(docs, ranges)]
        results = self.spans_many(texts)
        return [self._entities(doc, rs, *got) for doc, rs, got in zip(docs, ranges, results)]

    def _loose_proclitics(self, word: str, typ: str) -> int:
        """Letters of proclitics the tokeniser left on the first word of a name of type ``typ``
        (``وبورتسموث``, ``لسامبدوريا``: it does not know the name): 1 or 2 when the news knows the
        word without them as a name of that type (``بورتسموث`` ORG3 in the word profile) and the
        word itself less (``وليد``, ``فلسطين``, ``لبنان`` stay whole)."""
        table = self.featurizer.profile.table
        if not table or len(word) < 5 or not word.isalpha():
            return 0
        strong = typ + "3"
        if strong in (table.get(match_form(word)) or ()):
            return 0
        for n in (1, 2):
            if word[n - 1] not in ("وفبلك" if n == 1 else "بلك") or (n == 2 and word[0] not in "وف"):
                break
            if (n == 1 or len(word) - n >= 5) and strong in (table.get(match_form(word[n:])) or ()):
                return n  # two letters only before a long rest: ولايتي is not و + ل + ايتي
        return 0

    def _entities(
        self,
        doc: Document,
        ranges: list[tuple[int, int]],
        found: list[list[Span]],
        conf: dict[tuple[int, int, int], float],
    ) -> Document:
        toks = doc.tokens
        entities: list[Entity] = []
        for k, ((a, _b), spans) in enumerate(zip(ranges, found)):
            for s0, e0, typ in spans:
                s, e = s0 + a, e0 + a
                while s < e and toks[s].kind in _PUNCT:
                    s += 1
                while e > s and toks[e - 1].kind in _PUNCT:
                    e -= 1
                if s == e:
                    continue
                start, end = toks[s].name_start, toks[e - 1].end
                if start == toks[s].start and toks[s].kind == "arabic":
                    start += self._loose_proclitics(toks[s].text, typ)
                if start >= end:
                    continue
                p = conf.get((k, s0, e0))
                entities.append(
                    Entity(
                        id="",
                        start=start,
                        end=end,
                        text=doc.text[start:end],
                        type=typ,
                        confidence=None if p is None else round(p, 3),
                    )
                )
        source = doc.header.source
        info = lookup_source(source.text) if source is not None else None
        if source is not None and source.text.strip() and (info is None or info.kind != "generic"):
            # the agency or paper named in the header is an organisation, whatever the model said;
            # a generic credit (وكالات "agencies") names none
            entities = [x for x in entities if x.end <= source.start or x.start >= source.end]
            entities.append(Entity(id="", start=source.start, end=source.end, text=source.text, type="ORG"))
        entities.sort(key=lambda x: (x.start, x.end))
        return doc.replace(
            entities=tuple(dataclasses.replace(x, id=f"e{i}") for i, x in enumerate(entities, 1))
        )


def load_packaged(
    extra_names: Iterable[Iterable[tuple[str, str]]] = (), model: Path | None = None
) -> NerStage:
    """The stage from the files in ``marsad/ner/data``; ``model`` (with its ``.json`` beside it)
    replaces the packaged model, to score a candidate."""
    data = resources.files("marsad.ner").joinpath("data")
    meta_text = (
        model.with_suffix(".json").read_text(encoding="utf-8")
        if model is not None
        else data.joinpath("model.json").read_text(encoding="utf-8")
        if data.joinpath("model.json").is_file()
        else None
    )
    if meta_text is None:
        raise RuntimeError(
            "the NER model is missing from marsad/ner/data: build it with tools/train_ner.py --final"
        )
    try:
        meta = json.loads(meta_text)
    except ValueError as exc:
        where = model.with_suffix(".json") if model is not None else "marsad/ner/data/model.json"
        raise RuntimeError(
            f"the NER model's settings {where} are not valid JSON ({exc}): "
            "rebuild them with tools/train_ner.py --final"
        ) from exc
    clusters = Clusters.packaged(meta["clusters"]) if meta.get("clusters") else Clusters.empty()
    gazetteer = (
        Gazetteer.packaged(files=(meta["gazetteer"],)) if meta.get("gazetteer") else Gazetteer.from_sources()
    )
    profile = Profile.empty()
    if meta.get("settings", {}).get("profile"):
        # the profile beside a model file given to score, else the packaged one
        name = meta.get("profile") or ""
        folder = model.parent if model is not None and (model.parent / name).is_file() else None
        try:
            profile = Profile.read(data_text(name, folder))
        except (OSError, ValueError) as exc:
            raise RuntimeError(
                f"the NER model uses word profiles but its profile {name!r} cannot be read ({exc}): "
                "rebuild the model with tools/train_ner.py --profile --final"
            ) from exc
    partner = None
    ens = meta.get("ensemble")
    if ens:
        # the network of an ensemble: beside a model file given to score, else the packaged one
        name = str(ens.get("file", ""))
        try:
            partner = (model.parent / name if model is not None else data.joinpath(name)).read_bytes()
        except OSError as exc:
            raise RuntimeError(
                f"the NER model is an ensemble but its network {name!r} cannot be read ({exc}): "
                "rebuild it with tools/train_ner_nn.py --final"
            ) from exc
    names_raw = data.joinpath("names.tsv").read_text(encoding="utf-8")
    names = Gazetteer.from_sources(read_gazetteer_file(names_raw), *extra_names)
    particles = read_particles(data.joinpath("name_particles.tsv").read_text(encoding="utf-8"))
    if model is not None:
        return NerStage.from_files(model, meta, clusters, gazetteer, names, particles, profile, partner)
    with resources.as_file(data.joinpath(meta.get("file", "model.crfsuite"))) as path:
        return NerStage.from_files(path, meta, clusters, gazetteer, names, particles, profile, partner)
