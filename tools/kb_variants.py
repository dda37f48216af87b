"""Spelling variants the knowledge base generates from curated names.

Hamza, ta marbuta and alef maqsura spellings need no variants: every lookup folds them
(``match_form``).  What is generated here is what folding cannot reach:

* ``عبد الله`` / ``عبدالله`` and ``أبو ظبي`` / ``أبوظبي`` (compounds written apart or together),
* an Arab name without ال on its last word (``عادل جبير``) and without the ``بن`` chain
  (``عادل بن أحمد الجبير`` → ``عادل الجبير``),
* غ written ج in transliterated foreign names (``سيرغي`` → ``سيرجي``),
* every form of a nisba adjective: masculine, feminine, plural, dual, with and without ال.
"""

from __future__ import annotations

_COMPOUND_HEADS = ("عبد", "أبو", "ابو")
_BOUND = ("عبد", "أبو", "ابو", "بن", "ابن", "بنت", "آل", "ال", "أم", "ام")


def compound_variants(name: str) -> set[str]:
    """``عبد الله`` ↔ ``عبدالله``, ``أبو ظبي`` ↔ ``أبوظبي``."""
    words = name.split()
    out: set[str] = set()
    joined: list[str] = []
    i = 0
    changed = False
    while i < len(words):
        w = words[i]
        if w in _COMPOUND_HEADS and i + 1 < len(words):
            joined.append(w + words[i + 1])
            i += 2
            changed = True
            continue
        joined.append(w)
        i += 1
    if changed:
        out.add(" ".join(joined))
    split_words: list[str] = []
    changed = False
    for w in words:
        if w.startswith("عبدال") and len(w) > 6:
            split_words.extend(["عبد", w[3:]])
            changed = True
        elif w.startswith(("أبو", "ابو")) and len(w) > 4 and w[3:].startswith("ال"):
            split_words.extend([w[:3], w[3:]])
            changed = True
        else:
            split_words.append(w)
    if changed:
        out.add(" ".join(split_words))
    return out


def arab_name_variants(name: str) -> set[str]:
    """Variants of an Arab person's full name (two words or more)."""
    words = name.split()
    out: set[str] = set()
    if len(words) < 2 or words[-2] in _BOUND:
        return out  # the last word is bound to the one before it (عبد العزيز، آل ثاني)
    if words[-1].startswith("ال") and len(words[-1]) > 4:
        out.add(" ".join([*words[:-1], words[-1][2:]]))
    if len(words) >= 4 and words[1] in ("بن", "ابن", "بنت"):
        # first name + family name: عادل بن أحمد الجبير → عادل الجبير; تميم بن حمد آل ثاني → تميم آل ثاني
        family = words[-2:] if words[-2] == "آل" else words[-1:]
        if words[-2] in _BOUND and words[-2] != "آل":
            return out
        if words[-1] not in ("بن", "ابن") and (len(family) == 2 or family[0].startswith("ال")):
            out.add(" ".join([words[0], *family]))
    return out


def foreign_variants(name: str) -> set[str]:
    """غ for a Latin G is also written ج: ``سيرغي لافروف`` → ``سيرجي لافروف``."""
    return {name.replace("غ", "ج")} - {name} if "غ" in name else set()


def person_variants(name: str, foreign: bool) -> set[str]:
    out = compound_variants(name)
    if foreign:
        out |= foreign_variants(name)
    else:
        for v in [name, *out]:
            out |= arab_name_variants(v)
    for v in list(out):
        out |= compound_variants(v)
    out.discard(name)
    return out


def _inflect(word: str) -> dict[str, str]:
    """Forms of one nisba word ending in ي (``أمريكي``)."""
    if not word.endswith("ي"):
        return {"m": word}
    return {
        "m": word,
        "f": word + "ة",
        "mpl": word + "ون",
        "mpl_obl": word + "ين",
        "fpl": word + "ات",
        "dual": word + "ان",
        "fdual": word + "تان",
        "fdual_obl": word + "تين",
    }


def adjective_forms(nisba: str) -> list[tuple[str, str]]:
    """Every written form of a (possibly two-word) nisba with its grammatical tag.

    ``كوري شمالي`` → ``الكورية الشمالية`` ...; each form bare, with ال on every word, and with ال
    on the first word only (``الجنوب أفريقي``).
    """
    per_word = [_inflect(w) for w in nisba.split()]
    tags = list(per_word[-1])
    out: list[tuple[str, str]] = []
    for tag in tags:
        forms = [pw.get(tag, pw["m"]) for pw in per_word]
        variants = [forms, ["ال" + f for f in forms]]
        if len(forms) > 1:
            variants.append(["ال" + forms[0], *forms[1:]])
        for v in variants:
            out.append((" ".join(v), tag))
    return out


def broken_plural_forms(plural: str) -> list[tuple[str, str]]:
    return [(plural, "pl"), ("ال" + plural, "pl")]
