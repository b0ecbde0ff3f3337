"""One canonical person (or organisation) per name, every mention of it, and pronouns.

Names come from speaker phrases, introductions ('identified by his last name Ri') and
titled names anywhere ('Ms Davis'). Two names are one person when they share the last
word and the first word, or when one is a single word equal to the other's first or last
word ('Sharon Davis' = 'Ms Davis' = 'Davis'; 'Ri Yong Ho' = 'Ri'). The canonical name is
the fullest one seen. A 'he' or 'she' refers to the nearest person named before it, outside
quotations and possessives, of a compatible title-given gender, at most a few paragraphs
back (a speaker, introduced or titled name first, then a name only mentioned in passing);
'it' to the nearest organisation; anything else stays unresolved. A common-noun source that
reported speech marks as an institution ('the city's transport office') is credited to its
description.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from aligner.article.names import (
    DESCRIPTIVE,
    NAME,
    PRONOUN,
    Mention,
    name_mention,
    name_run,
)
from aligner.article.records import Person, Speaker
from aligner.article.speech import ArticleContext
from aligner.article.words import (
    CAP_FUNCTION,
    NOT_PERSON_WORDS,
    ORG_WORDS,
    PLACE_WORDS,
    PREPOSITIONS,
    TITLES,
)
from aligner.spans import Span

# How many paragraphs back a pronoun may find its person.
# How many paragraphs back a pronoun may find its person: further for a speaker or a titled
# name than for a name only mentioned in passing (those are noisier: teams, titles of works).
MAX_PRONOUN_DISTANCE = 8
MAX_WEAK_DISTANCE = 3
# A title that marks a person's name anywhere in the text: 'Ms Davis', 'Dr. Ford'.
NOT_PERSON = NOT_PERSON_WORDS | ORG_WORDS | PLACE_WORDS
# Where a clause starts inside a sentence: ', ', ' and ', '; ', ' but '.
_CLAUSE_START = re.compile(r", |; | and | but ")
# A list of names around a name: 'Moyes, ' or 'Keane and ' before it, ', David' after it.
_LIST_BEFORE = re.compile(r"[A-Z][\w'’-]*(?:, | and )$")
_LIST_AFTER = re.compile(r",? (?:and )?([A-Z][\w'’-]*)")
_NAME_AT = re.compile(r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*")
# The capitalised word just before a name: 'Sharon ' in 'Sharon Davis'.
_WORD_BEFORE = re.compile(r"\b([A-Z][\w'’-]*) $")
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame)\b(?=\.?\s+[A-Z])")


@dataclass(slots=True)
class _Entity:
    name: str  # the fullest surface form seen
    words: tuple[str, ...]
    org: bool
    gender: str
    first_seen: int
    strong: bool = True  # named as a speaker, introduced or titled (not only mentioned)
    surfaces: set[str] = field(default_factory=set)
    mentions: set[Span] = field(default_factory=set)


@dataclass(slots=True)
class People:
    """The registry of people and organisations of one article."""

    ctx: ArticleContext
    entities: list[_Entity] = field(default_factory=list)
    by_word: dict[str, list[int]] = field(default_factory=dict)
    antecedents: list[tuple[int, int, bool]] = field(default_factory=list)  # offset, entity, possessive
    resolved: dict[Span, int | None] = field(default_factory=dict)  # pronoun -> entity
    known_words: set[str] = field(default_factory=set)  # every word of every registered name

    @classmethod
    def build(cls, ctx: ArticleContext, speakers: Iterable[Mention]) -> People:
        """Register every named speaker, introduced name and titled name, then find mentions."""
        people = cls(ctx)
        speakers = list(speakers)
        names = [m for m in speakers if m.kind == NAME] + _introduced(ctx)
        for mention in sorted(set(names), key=lambda m: m.span.start):
            people.add(mention)
        for mention in _narration_names(ctx):
            people.add(mention, strong=False)
        people.known_words = {w for e in people.entities for w in e.words}
        people._scan()
        # In text order, so that a 'he' resolved early tells a later 'she' whom to skip.
        for span in sorted({m.span for m in speakers if m.kind == PRONOUN}):
            people.resolved[span] = people._resolve(span)
        return people

    def add(self, mention: Mention, strong: bool = True) -> int:
        """Register a name mention; return the index of its entity."""
        index = self._match(mention.name)
        surface = mention.span.of(self.ctx.text)
        if index is None:
            index = len(self.entities)
            self.entities.append(
                _Entity(surface, mention.name, mention.org, mention.gender, mention.span.start, strong)
            )
        entity = self.entities[index]
        if len(mention.name) > len(entity.words):
            entity.name, entity.words = surface, mention.name
        entity.org = entity.org or mention.org
        entity.gender = entity.gender or mention.gender
        entity.surfaces.add(surface)
        for word in {mention.name[0], mention.name[-1]}:
            if index not in self.by_word.setdefault(word, []):
                self.by_word[word].append(index)
        return index

    def _match(self, words: tuple[str, ...]) -> int | None:
        candidates = self.by_word.get(words[-1], []) + self.by_word.get(words[0], [])
        for index in sorted(set(candidates), reverse=True):
            known = self.entities[index].words
            if known == words or len(words) == 1 or len(known) == 1:
                return index
            if known[-1] == words[-1] and known[0] == words[0]:
                return index
        return None

    def _fuller_names(self) -> None:
        """Give a one-word person the fullest name the text has for it: 'Davis' -> 'Sharon Davis'."""
        text = self.ctx.text
        for index, entity in enumerate(self.entities):
            if len(entity.words) != 1 or entity.org:
                continue
            for start in _occurrences(text, entity.words[0]):
                before = _WORD_BEFORE.search(text, max(0, start - 40), start)
                if before is None or before.group(1).lower() in TITLES or before.group(1) in CAP_FUNCTION:
                    continue
                entity.name = text[before.start() : start + len(entity.words[0])]
                entity.words = (before.group(1), entity.words[0])
                entity.surfaces.add(entity.name)
                self.by_word.setdefault(before.group(1), []).append(index)
                break

    def _scan(self) -> None:
        """Find every mention of every registered name, longest name first (with ``str.find``:
        building one regex per article would cost more than the scans)."""
        self._fuller_names()
        surfaces: dict[str, int] = {}
        for index, entity in enumerate(self.entities):
            forms = set(entity.surfaces)
            if not entity.org and len(entity.words) > 1:
                forms.add(entity.words[-1])
            surfaces.update((form, index) for form in forms)
        text = self.ctx.text
        taken = bytearray(len(text))
        for surface in sorted(surfaces, key=len, reverse=True):
            for start in _occurrences(text, surface):
                end = start + len(surface)
                if taken[start] or taken[end - 1]:
                    continue
                taken[start:end] = b"\x01" * (end - start)
                self._mention(surfaces[surface], start, end)
        self.antecedents.sort()

    def _mention(self, index: int, start: int, end: int) -> None:
        self.entities[index].mentions.add(Span(start, end))
        if not self.ctx.inside_quote(start):
            possessive = self.ctx.text.startswith(("'s", "’s", "'", "’"), end)
            self.antecedents.append((start, index, possessive))

    def speaker(self, mention: Mention | None, inherited: bool = False) -> Speaker | None:
        """Return the Speaker record of a mention, its person resolved."""
        if mention is None:
            return None
        person: str | None = None
        if mention.kind == NAME:
            index = self._match(mention.name)
            person = self.entities[index].name if index is not None else None
        elif mention.kind == DESCRIPTIVE and mention.org:  # 'the city's transport office'
            person = mention.span.of(self.ctx.text)
        elif mention.kind == PRONOUN:
            index = self.resolved.get(mention.span)
            if index is not None:
                self.entities[index].mentions.add(mention.span)
                person = self.entities[index].name
        return Speaker(mention.span, person, mention.kind == PRONOUN, inherited)

    def _resolve(self, span: Span) -> int | None:
        """Return the entity a 'he', 'she' or 'it' refers to (see the module docstring)."""
        word = span.of(self.ctx.text).lower()
        if word not in ("he", "she", "it"):
            return None
        wanted = {"he": "m", "she": "f"}.get(word, "")
        found = self._nearest(span, word == "it", wanted)
        if found is not None:
            entity = self.entities[found]
            entity.gender = entity.gender or wanted
            # The pronoun now stands for the person: a later 'he' may find it.
            bisect.insort(self.antecedents, (span.start, found, False))
        return found

    def _nearest(self, span: Span, org: bool, gender: str) -> int | None:
        """The entity named nearest before ``span`` that fits: a speaker, introduced or titled
        name up to ``MAX_PRONOUN_DISTANCE`` paragraphs back, a name only mentioned in passing
        up to ``MAX_WEAK_DISTANCE`` and only as the subject of a clause (see ``_subject``)."""
        paragraph = self.ctx.paragraph_at(span.start)
        sentence = self.ctx.sentence(paragraph, span.start)
        k = bisect.bisect_left(self.antecedents, (span.start, -1, False)) - 1
        while k >= 0:
            offset, index, possessive = self.antecedents[k]
            k -= 1
            back = paragraph - self.ctx.paragraph_at(offset)
            if back > MAX_PRONOUN_DISTANCE:
                return None
            entity = self.entities[index]
            if possessive and offset < sentence.start:
                continue  # 'Theresa May's plan' is no antecedent beyond its sentence
            if not entity.strong and (back > MAX_WEAK_DISTANCE or not self._subject(offset)):
                continue
            if entity.org == org and entity.gender in ("", gender):
                return index
        return None

    def _subject(self, offset: int) -> bool:
        """True for a name that opens its clause, after at most two words ('Furyk himself has',
        'Former president Eduardo Rodríguez Veltzé', '… and coach Peter Murchie had'), and is
        not an item of a list ('include Dick Advocaat, David Moyes, …')."""
        sentence = self.ctx.sentence(self.ctx.paragraph_at(offset), offset)
        lead = _CLAUSE_START.split(self.ctx.text[sentence.start : offset])[-1].split()
        if len(lead) > 2 or any(w.lower() in PREPOSITIONS for w in lead):
            return False
        return not self._listed(offset)

    def _listed(self, offset: int) -> bool:
        """True for a name in a list of names: after 'X, ' or 'X and ', or before ', Y'."""
        text = self.ctx.text
        before = _LIST_BEFORE.search(text, max(0, offset - 40), offset)
        name = _NAME_AT.match(text, offset)
        after = _LIST_AFTER.match(text, name.end() if name is not None else offset)
        return before is not None or (after is not None and after.group(1) in self.known_words)

    def persons(self) -> tuple[Person, ...]:
        """Return each person with its mentions, in order of first mention."""
        ordered = sorted(
            self.entities, key=lambda e: min((m.start for m in e.mentions), default=e.first_seen)
        )
        return tuple(Person(e.name, tuple(sorted(e.mentions))) for e in ordered)


def _introduced(ctx: ArticleContext) -> list[Mention]:
    """Return introduced names ('identified by his last name Ri') and titled ones ('Ms Davis')."""
    found: list[Mention] = []
    starts = sorted({*ctx.intros, *(m.start() for m in _TITLED.finditer(ctx.text))})
    for start in starts:
        paragraph = ctx.paragraph_at(start)
        tokens = ctx.tokens(paragraph)
        i = ctx.index(paragraph, start)
        if i == len(tokens) or tokens[i].start != start:
            continue
        titled = start not in ctx.intros
        end = name_run(tokens, i, len(tokens))
        if end > i + titled:
            mention = name_mention(tokens, i, end, ctx.intros.get(start, ""))
            if mention.kind == NAME:
                found.append(mention)
    return found


# Two or three capitalised words in narration, a person's name perhaps: 'coach Peter Murchie had'.
_PERSON_LIKE = re.compile(
    r"\b[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?: [A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:-[A-Za-zÀ-ÿ]+|['’][A-Z][a-z]+)?){1,3}\b(?!['’])"
)


def _narration_names(ctx: ArticleContext) -> list[Mention]:
    """Return names of people that are only mentioned (weak antecedents for pronouns)."""
    found: list[Mention] = []
    for match in _PERSON_LIKE.finditer(ctx.text):
        words = match.group().split()
        start = match.start()
        titled = [i for i, w in enumerate(words[:-1]) if w.lower() in TITLES]
        drop = titled[-1] + 1 if titled else 0  # 'Massachusetts Senator Elizabeth Warren'
        while drop < len(words) and (words[drop] in CAP_FUNCTION or words[drop].endswith("ly")):
            drop += 1  # 'Eventually Mrs Ednan-Laperouse' -> 'Ednan-Laperouse'
        start += sum(len(w) + 1 for w in words[:drop])
        words = words[drop:]
        if len(words) < 2 or any(w.lower() in NOT_PERSON or w in CAP_FUNCTION for w in words):
            continue
        if ctx.inside_quote(start) or _title_case_line(ctx.text, start):
            continue
        found.append(Mention(Span(start, match.end()), NAME, tuple(words)))
    return found


_WORD = re.compile(r"[^\W\d_][\w'’-]*")
TITLE_CASE_SHARE = 0.7


def _title_case_line(text: str, pos: int) -> bool:
    """Return True for a headline in title case ('Regulators Approve New Bitcoin ETFs in Watershed
    Moment'): its capitalised runs are not names. At least three words of four letters or more,
    most of them capitalised, and no sentence end inside or at its end."""
    start, end = text.rfind("\n", 0, pos) + 1, text.find("\n", pos)
    line = text[start : end if end >= 0 else len(text)].strip()
    long: list[str] = [w for w in _WORD.findall(line) if len(w) >= 4]
    if len(long) < 3 or re.search(r"[.!?]\s", line) or line.endswith((".", '."', ".”")):
        return False
    capitalised = sum(1 for w in long if w[0].isupper())
    return capitalised >= TITLE_CASE_SHARE * len(long)


def _occurrences(text: str, word: str) -> Iterator[int]:
    """Yield where ``word`` stands as a whole word ('Ri' in 'Ri said', not in 'Rio' or 'Ri-Kim')."""
    size, i = len(word), text.find(word)
    while i >= 0:
        before = text[i - 1] if i else " "
        after = text[i + size] if i + size < len(text) else " "
        if not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-"):
            yield i
        i = text.find(word, i + 1)
