"""Build the evidence the clitic segmenter decides with (``marsad.text.tokenize.Segmenter``).

From ``../shared/data`` this writes, into ``src/marsad/text/data/``:

* ``lexicon.tsv.gz``: for each Arabic letter form, how often it is the stem of some reading of some
  SaudiNewsNet word (``stem``, every reading the clitic grammar allows counted); for each form seen often
  enough, the segmentation chosen with the full counts (``pre`` and ``enc``: letters of proclitics and
  enclitic); and a flag for forms beginning with ال that are not the article (written with a hamza,
  إلغاء ألمانيا, or themselves taking the article, الالكتروني);
* ``names.tsv``: person and place name tokens of ANERcorp (its first 80 % of sentences; the rest is
  held out for evaluation);
* ``lexicon.json``: the card: sources, licences, settings, the clitic priors estimated here, sizes and
  the held-out score.

Deterministic: corpus files in sorted order, fixed settings, sorted output, gzip without a timestamp.
Run from the repository root: ``python tools/build_lexicon.py`` (about a minute on one core).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from marsad.text.tokenize import _WORD_RE, Analysis, Segmenter, clear_caches, segment, word_skeleton

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "marsad" / "text" / "data"
HELD_OUT = ROOT / "tests" / "data" / "segmentation_heldout.tsv"


@dataclass(frozen=True)
class Settings:
    min_count: int = 2  # a form or stem seen fewer times is dropped from the shipped lexicon
    whole_bonus: float = 1.0  # predicted count granted to the unsegmented reading
    name_weight: int = 100  # a name of names.tsv counts as a stem seen this often at least
    hamza_share: float = 0.2  # an ال form written أل/إل at least this often is not the article
    article_share: float = 0.01  # ... nor one that takes the article (الالكتروني) at least this often
    rounds: int = 4  # re-estimations of stem counts and clitic priors from the choices made
    # Most a clitic's count may exceed its stem's other occurrences (see Segmenter.explains); set from
    # the spread of these ratios over SaudiNewsNet forms, per clitic (and for ب ل ك with the article).
    max_rate: dict[str, float] = field(
        default_factory=lambda: {
            "conj:و": 25,
            "conj:ف": 3,
            "prep:ب": 3,
            "prep:ب+det": 10,
            "prep:ل": 6,
            "prep:ل+det": 20,
            "prep:ك": 0.5,
            "prep:ك+det": 1,
            "prep:س": 1.5,
            "enc:ه": 2.5,
            "enc:ها": 2.5,
            "enc:هم": 2,
            "enc:هما": 1,
            "enc:هن": 1,
            "enc:ك": 0.3,
            "enc:كم": 0.5,
            "enc:كما": 0.5,
            "enc:كن": 0.3,
            "enc:ي": 1,
            "enc:نا": 1.5,
        }
    )
    names_share: float = 0.8  # first part of ANERcorp used for names; the rest is held out
    name_tags: tuple[str, ...] = ("PERS", "LOC")


SETTINGS = Settings()
BARE_SPAN = 3
Priors = dict[str, dict[str, float]]  # the article can begin at letter 0, 1 or 2 only (after و/ف and ب/ك)


def articles(folder: Path) -> Iterator[str]:
    for z in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(z) as f:
            for name in sorted(f.namelist()):
                for a in json.loads(f.read(name)):
                    yield a.get("title") or ""
                    yield a.get("content") or ""


def count_forms(folder: Path) -> Counter[tuple[str, frozenset[int]]]:
    """Arabic word forms as (letters, which of the first letters are bare alefs) with their counts."""
    written: Counter[str] = Counter()
    for text in articles(folder):
        written.update(m.group() for m in _WORD_RE.finditer(text))
    forms: Counter[tuple[str, frozenset[int]]] = Counter()
    for w, c in written.items():
        letters, _, bare = word_skeleton(w)
        forms[(letters, frozenset(i for i in bare if i < BARE_SPAN))] += c
    return forms


def non_article_forms(forms: Counter[tuple[str, frozenset[int]]]) -> frozenset[str]:
    total: Counter[str] = Counter()
    hamza: Counter[str] = Counter()
    for (letters, bare), c in forms.items():
        total[letters] += c
        if letters.startswith("ال") and 0 not in bare:
            hamza[letters] += c
    out = set()
    for w, c in total.items():
        if not w.startswith("ال"):
            continue
        with_article = total.get("ال" + w, 0)
        if hamza[w] >= SETTINGS.hamza_share * c or with_article >= max(2, SETTINGS.article_share * c):
            out.add(w)
        elif len(w) == 4 and total.get(w[2:], 0) < max(3, SETTINGS.article_share * c):
            out.add(w)  # القت الزم: two letters never seen alone are no noun (ألقت ألزم, hamza left out)
    return frozenset(out)


def anercorp_sentences(path: Path) -> list[list[tuple[str, str]]]:
    sents: list[list[tuple[str, str]]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if sents[-1]:
                sents.append([])
            continue
        word, _, tag = line.rpartition(" ")
        sents[-1].append((word, tag))
    return [s for s in sents if s]


def names_from(sents: list[list[tuple[str, str]]]) -> frozenset[str]:
    tags = set(SETTINGS.name_tags)
    out = set()
    for s in sents:
        for word, tag in s:
            if tag[2:] in tags and _WORD_RE.fullmatch(word):
                out.add(word_skeleton(word)[0])
    return frozenset(out)


def estimate(
    decided: dict[str, Analysis], counts: Counter[str], options: dict[str, tuple[str, ...]]
) -> Priors:
    """Clitic priors from the current choices, token-weighted, add-one smoothed."""
    slots: dict[str, Counter[str]] = defaultdict(Counter)
    for w, a in decided.items():
        c = counts[w]
        slots["conj"][a.conj] += c
        slots["prep"][a.prep] += c
        slots["det:" + a.prep][a.det] += c
        slots["enc"][a.enc] += c
    priors = {}
    for slot, forms in options.items():
        total = sum(slots[slot].values()) + len(forms)
        priors[slot] = {f: round((slots[slot][f] + 1) / total, 6) for f in forms}
    return priors


def slot_options(seg: Segmenter) -> dict[str, tuple[str, ...]]:
    dets = {p: ("", "ل") if p == "ل" else (("",) if p == "س" else ("", "ال")) for p in seg.prep}
    return {"conj": seg.conj, "prep": seg.prep, "enc": seg.enc, **{"det:" + p: d for p, d in dets.items()}}


def initial_priors(options: dict[str, tuple[str, ...]]) -> Priors:
    none = {"conj": 0.85, "prep": 0.9, "enc": 0.9}
    priors = {}
    for slot, forms in options.items():
        p0 = none.get(slot, 0.7)
        rest = (1 - p0) / max(len(forms) - 1, 1)
        priors[slot] = {f: (p0 if f == "" else rest) if len(forms) > 1 else 1.0 for f in forms}
    return priors


def held_out_score(path: Path) -> dict[str, float | int]:
    """Exact-segmentation accuracy of the shipped segmenter on hand-checked held-out ANERcorp names."""
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r and not r[0].startswith("#") and r[0] != "word"]
    types = tokens = ok_types = ok_tokens = ok_pro = ok_none = 0
    for word, pre, enc, freq, *_ in rows:
        n = int(freq)
        got = segment(word)
        ok_none += n * (pre == enc == "0")
        types += 1
        tokens += n
        if got == (int(pre), int(enc)):
            ok_types += 1
            ok_tokens += n
        if got[0] == int(pre):
            ok_pro += n
    return {
        "types": types,
        "tokens": tokens,
        "type_accuracy": round(ok_types / types, 4),
        "token_accuracy": round(ok_tokens / tokens, 4),
        "token_proclitic_accuracy": round(ok_pro / tokens, 4),
        "token_accuracy_unsegmented": round(ok_none / tokens, 4),  # the baseline of no segmentation
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared data folder")
    ap.add_argument("--out", type=Path, default=DATA, help="where to write the data files")
    args = ap.parse_args()
    news = args.shared / "data" / "saudinewsnet"
    aner = args.shared / "data" / "anercorp" / "train.txt"
    for p in (news, aner):
        if not p.exists():
            sys.exit(f"build_lexicon: {p} is missing; pass --shared pointing at the shared data folder")

    print("counting SaudiNewsNet word forms ...", file=sys.stderr)
    forms = count_forms(news)
    counts: Counter[str] = Counter()
    for (letters, _), c in forms.items():
        counts[letters] += c
    non_article = non_article_forms(forms)

    sents = anercorp_sentences(aner)
    cut = int(len(sents) * SETTINGS.names_share)
    names = names_from(sents[:cut])

    grammar = Segmenter.grammar(non_article=non_article)
    stems: Counter[str] = Counter()
    for (letters, bare), c in forms.items():
        for a in grammar.candidates(letters, bare):
            stems[a.stem] += c

    # Rounds: choose every form's reading, then count stems and clitics over the choices made.
    bare_union: dict[str, frozenset[int]] = defaultdict(frozenset)
    for letters, bare in forms:
        bare_union[letters] |= bare  # decide for the most permissive spelling (bare alefs where written so)
    options = slot_options(grammar)
    priors = initial_priors(options)
    assigned: dict[str, str] = {}
    decided: dict[str, Analysis] = {}
    for r in range(SETTINGS.rounds + 1):
        seg = Segmenter.grammar(
            names=names,
            non_article=non_article,
            stems=stems,
            counts=counts,
            assigned=assigned,
            priors=priors,
            max_rate=SETTINGS.max_rate,
            whole_bonus=SETTINGS.whole_bonus,
            name_weight=SETTINGS.name_weight,
        )
        previous = decided
        decided = {w: seg.choose(w, bare_union[w]) for w in counts}
        changed = sum(1 for w, a in decided.items() if previous.get(w) != a)
        split = sum(counts[w] for w, a in decided.items() if a.conj or a.prep or a.enc)
        print(
            f"round {r}: {split} of {sum(counts.values())} tokens with a conjunction, preposition or pronoun;"
            f" {changed} forms decided differently",
            file=sys.stderr,
        )
        # stems and priors as the choices made give them: the next round's evidence, or the shipped one
        assigned = {w: a.stem for w, a in decided.items()}
        stems = Counter()
        for w, a in decided.items():
            stems[a.stem] += counts[w]
        priors = estimate(decided, counts, options)

    least = SETTINGS.min_count
    lines = ["form\tstem\tpre\tenc\tnon_article"]
    for w in sorted(
        w for w in set(counts) | set(stems) if counts.get(w, 0) >= least or stems.get(w, 0) >= least
    ):
        t = stems.get(w, 0)
        pre = enc = ""
        if counts.get(w, 0) >= least:
            a = decided[w]
            pre, enc = str(a.pre_len), str(len(a.enc))
        lines.append(f"{w}\t{t if t >= least else ''}\t{pre}\t{enc}\t{'1' if w in non_article else ''}")
    keep = len(lines) - 1
    header = (
        "# Word-form evidence for marsad's clitic segmenter, built by tools/build_lexicon.py (see lexicon.json).\n"
        "# Counts derived from SaudiNewsNet (Alshehri, github.com/parallelfold/SaudiNewsNet @4e39239),\n"
        "# licence CC BY-NC-SA 4.0: these derived counts carry the same licence (non-commercial, share-alike).\n"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    payload = (header + "\n".join(lines) + "\n").encode("utf-8")
    (args.out / "lexicon.tsv.gz").write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))

    name_lines = [
        f"# Person and place name tokens (PERS, LOC) of ANERcorp, first {cut} of {len(sents)} sentences"
        + " of the CAMeL Lab training split, normalisation view; built by",
        "# tools/build_lexicon.py.  ANERcorp: Benajiba & Rosso 2007, free for research; CAMeL Lab re-release",
        "# CC BY-SA 4.0 (github HassanAzzam/Arabic-NER @056cbc1).  This list carries CC BY-SA 4.0.",
        "name",
        *sorted(names),
    ]
    (args.out / "names.tsv").write_text("\n".join(name_lines) + "\n", encoding="utf-8")

    card = {
        "what": "evidence for the clitic segmenter in marsad.text.tokenize",
        "built_by": "tools/build_lexicon.py",
        "sources": {
            "saudinewsnet": {
                "use": "word-form and stem counts (lexicon.tsv.gz)",
                "from": "github parallelfold/SaudiNewsNet @4e39239, 31,030 articles, title and content",
                "licence": "CC BY-NC-SA 4.0 (the derived counts carry it)",
            },
            "anercorp": {
                "use": f"PERS and LOC name tokens of sentences 1-{cut} (names.tsv); sentences {cut + 1}-"
                f"{len(sents)} held out",
                "from": "CAMeL Lab split of ANERcorp (Benajiba & Rosso 2007), github HassanAzzam/Arabic-NER @056cbc1",
                "licence": "free for research (Benajiba); CAMeL Lab re-release CC BY-SA 4.0",
            },
        },
        "settings": asdict(SETTINGS),
        "priors": priors,
        "sizes": {
            "forms": len(counts),
            "shipped_entries": keep,
            "names": len(names),
            "non_article": len(non_article),
            "tokens": sum(counts.values()),
            "tokens_split": split,
        },
    }
    (args.out / "lexicon.json").write_text(
        json.dumps(card, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    if HELD_OUT.exists() and args.out == DATA:
        clear_caches()
        card["held_out"] = {"file": str(HELD_OUT.relative_to(ROOT)), **held_out_score(HELD_OUT)}
        (args.out / "lexicon.json").write_text(
            json.dumps(card, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"held out: {card['held_out']}", file=sys.stderr)
    print(f"wrote {args.out}: {card['sizes']}", file=sys.stderr)


if __name__ == "__main__":
    main()
