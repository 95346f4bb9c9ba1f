"""Suggestions for names the alias tables do not know: the closest known names, each with its reason.

Plain string similarity misleads (issue 11): "BLUF" is 95% like "BLF" and "Jaish-e-Islam" 90% like
"Islamic State", yet they are different groups. The rules here:

1. **Same words, spelled differently.** A known name is offered only if every distinctive word of the
   unknown name matches a word of one of its spellings and the other way round. Words match when equal,
   or, for words of 5 letters or more, when spelled alike (Tehreek/Tehrik, Baloch/Balochistan). Short
   words (acronyms: BLUF, BLF) must be equal. Filler words (e, i, ul, al, of, the, group, Pakistan) do not
   count. So "Baloch Liberation United Front" is never offered "Balochistan Liberation Front".
2. **Never a state force for a non-state name, nor the reverse.** A name that reads as a state force
   (military, police, army of, security forces, Frontier Corps ...) is offered only state forces of the
   country it names; an unidentified actor ("unknown gunmen") only the unidentified entry; every other name
   only militant, communal and political groups.
3. At most three suggestions, best first, each with its reason. Below ``DEFAULT_THRESHOLD`` the page's
   default is "keep as a new name"; at or above it, the suggestion is preselected (the analyst confirms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from dashboard.ingest.names import AliasTable, alias_key

DEFAULT_THRESHOLD = 90.0
FILLER = {"the", "of", "and", "e", "i", "ul", "al", "el", "a", "group", "faction", "in", "wing", "pakistan",
          "pakistani", "province", "division", "district", "region", "territory", "chapter"}
_STATE = re.compile(r"\b(military|police|army of|armed forces|security forces|frontier corps|rangers|levies|"
                    r"government|paramilitary|counter terrorism department|air force|navy|intelligence)\b")
_UNIDENTIFIED = re.compile(r"\b(unidentified|unknown|gunmen|assailants|unnamed)\b")
_COUNTRY_WORDS = {"pakistan": "pakistan", "pakistani": "pakistan", "india": "india", "indian": "india"}


@dataclass(frozen=True)
class Suggestion:
    name: str
    score: float  # 0-100
    reason: str


def actor_kind(raw: str) -> str:
    """'state', 'unidentified' or 'non-state', read from the words of a name."""
    key = alias_key(raw)
    if _STATE.search(key) and not re.search(r"\b(liberation|republican|baloch|sindhudesh|jaish|lashkar)\b", key):
        return "state"
    if _UNIDENTIFIED.search(key):
        return "unidentified"
    return "non-state"


def _words(key: str) -> list[str]:
    return [w for w in key.split() if w not in FILLER]


def _alike(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    return a.startswith(b) or b.startswith(a) or fuzz.ratio(a, b) >= 80


def same_words(raw_key: str, known_key: str) -> bool:
    """Every distinctive word of each name has a like word in the other (rule 1)."""
    left, right = _words(raw_key), _words(known_key)
    if not left or not right:
        return False
    return all(any(_alike(a, b) for b in right) for a in left) and \
        all(any(_alike(b, a) for a in left) for b in right)


def _allowed(table: AliasTable, kind: str, name: str) -> bool:
    known = table.kinds.get(name, "")
    if kind == "state":
        return known == "state"
    if kind == "unidentified":
        return known == "unidentified"
    return known not in ("state", "unidentified")


def suggest(table: AliasTable, raw: str, limit: int = 3) -> tuple[Suggestion, ...]:
    """The known names that may be ``raw``, best first, with their reasons (rules in the module text)."""
    if table.entity == "platform":
        return _by_similarity(table, raw, limit)
    key = alias_key(raw)
    kind = actor_kind(raw) if table.entity == "group" else "non-state"
    best: dict[str, Suggestion] = {}
    if table.entity == "group" and kind == "state":
        for word, country in _COUNTRY_WORDS.items():
            if word in key.split():
                for name in table.canonical:
                    if table.kinds.get(name) == "state" and country in alias_key(name).split():
                        best[name] = Suggestion(name, 90.0, f"a state force of {country.title()}: all of its "
                                                            f"forces load as “{name}”")
    # The word rule is exact but slow in Python: it runs on the spellings rapidfuzz finds closest (C speed).
    near = process.extract(key, list(table.by_key), scorer=fuzz.token_set_ratio, limit=40, score_cutoff=40)
    for spelling, _, _ in near:
        name = table.by_key[spelling]
        if (table.entity == "group" and not _allowed(table, kind, name)) or not same_words(key, spelling):
            continue
        score = round(float(fuzz.token_sort_ratio(key, spelling)), 1)
        if name not in best or score > best[name].score:
            best[name] = Suggestion(name, score, f"the same words as the known spelling “{spelling}” "
                                                 f"({score:.0f}% alike)")
    return tuple(sorted(best.values(), key=lambda s: -s.score)[:limit])


def _by_similarity(table: AliasTable, raw: str, limit: int) -> tuple[Suggestion, ...]:
    """Whole-name similarity (platforms). No partial matching: a short spelling ("wa", "ig") inside a longer
    name ("Hotel Hideaway", "Kleinanzeigen") is no evidence, so spellings of three characters or fewer
    count only when they are the name itself."""
    key = alias_key(raw)
    squeezed = key.replace(" ", "")

    def score_of(spelling: str) -> float:  # word order and spacing do not matter ("Whats app")
        return max(fuzz.token_sort_ratio(key, spelling), fuzz.ratio(squeezed, spelling.replace(" ", "")))

    scored = sorted(((s, score_of(s)) for s in table.by_key if len(s) > 3 or s == key), key=lambda p: -p[1])
    best: dict[str, Suggestion] = {}
    for spelling, score in scored[: limit * 4]:
        name = table.by_key[spelling]
        if name not in best or score > best[name].score:
            best[name] = Suggestion(name, round(float(score), 1), f"spelled like “{spelling}” ({score:.0f}% alike)")
    return tuple(sorted(best.values(), key=lambda s: -s.score)[:limit])


def default_choice(suggestions: tuple[Suggestion, ...]) -> str | None:
    """The preselected name: the best suggestion at or above the threshold, else None (keep as new)."""
    return suggestions[0].name if suggestions and suggestions[0].score >= DEFAULT_THRESHOLD else None
