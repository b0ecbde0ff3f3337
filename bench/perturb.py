"""Build altered and benign variants of a translation, to measure what ``check`` catches.

Each ``Perturbation`` is the whole translation with one realistic edit: an alteration a checker
must flag (speaker swapped, number changed, quotation dropped or turned into indirect speech,
truncated, boundary moved, speech verb changed, quotation invented, quotation re-credited to
another person of the article, attribution source replaced by another place, organisation or
person) or a benign variant it must
not flag (other quotation-mark style, number formatting, honorifics and name endings,
attribution moved before or after the quotation, paraphrase outside the quotations). Edits are
placed from a baseline ``CheckReport`` of the unaltered translation (where each quotation, its
speaker and its verb are) and only touch items that report found ok.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from aligner.check.checker import AttributionResult, CheckReport, QuoteResult, Severity, Status
from aligner.lang.entities import Entity, find_entities, gazetteer, same_entity
from aligner.lang.names import find_name, is_pronoun
from aligner.lang.numbers import find_numbers
from aligner.spans import Span


class Kind(StrEnum):
    """What a perturbation does; the first ten alter, the rest are benign."""

    SPEAKER_SWAPPED = "speaker-swapped"
    NUMBER_CHANGED = "number-changed"
    QUOTE_DROPPED = "quote-dropped"
    INDIRECT_SPEECH = "indirect-speech"
    TRUNCATED = "quote-truncated"
    BOUNDARY_MOVED = "boundary-moved"
    VERB_CHANGED = "verb-changed"
    INVENTED = "quote-invented"
    RECREDITED = "quote-recredited"
    SOURCE_REPLACED = "source-replaced"
    MARK_STYLE = "mark-style"
    NUMBER_FORMAT = "number-format"
    NAME_FORM = "name-form"
    ATTRIBUTION_MOVED = "attribution-moved"
    PARAPHRASE = "paraphrase-outside"


BENIGN = frozenset(
    {Kind.MARK_STYLE, Kind.NUMBER_FORMAT, Kind.NAME_FORM, Kind.ATTRIBUTION_MOVED, Kind.PARAPHRASE}
)


@dataclass(frozen=True, slots=True)
class Perturbation:
    """One variant of a translation: its kind, the quotation or attribution id it alters (None for
    an invented quotation and for benign variants), the whole new text, and a note on the edit."""

    kind: Kind
    item: str | None
    text: str
    note: str

    @property
    def benign(self) -> bool:
        """Return True for a variant that must not be flagged."""
        return self.kind in BENIGN


def _apply(text: str, edits: Sequence[tuple[Span, str]]) -> str:
    """Return ``text`` with each span replaced (spans must not overlap)."""
    out, cursor = [], 0
    for span, new in sorted(edits, key=lambda e: (e[0].start, e[0].end)):
        if span.start < cursor:
            raise ValueError("overlapping edits")
        out.append(text[cursor : span.start])
        out.append(new)
        cursor = span.end
    out.append(text[cursor:])
    return "".join(out)


def _clean(report: CheckReport) -> list[QuoteResult]:
    """Return the quotations the baseline found ok, without an error, and with a target."""
    return [
        q
        for q in report.quotes
        if q.status is Status.OK
        and q.target_span is not None
        and not any(f.severity is Severity.ERROR for f in q.findings)
    ]


# --- Korean particles ------------------------------------------------------------------------

_HANGUL_BASE = 0xAC00
# Particle pairs (after a final consonant, after a vowel): 은/는, 이/가, 을/를, 과/와.
_PARTICLES = {"은": "는", "이": "가", "을": "를", "과": "와"}
_PARTICLE_AFTER = re.compile(r"\s?(씨|님)?(은|는|이|가|을|를|과|와)(?![가-힣])")


def _batchim(word: str) -> bool:
    """Return True when a Korean word ends in a final consonant (리 no, 김정은 yes)."""
    code = ord(word[-1]) - _HANGUL_BASE if word else -1
    return 0 <= code < 11172 and code % 28 != 0


def _particle(word: str, particle: str) -> str:
    """Return the form of a topic/subject/object particle that agrees with ``word``."""
    for hard, soft in _PARTICLES.items():
        if particle in (hard, soft):
            return hard if _batchim(word) else soft
    return particle


# --- alterations ---------------------------------------------------------------------------

# Role nouns that a careless translation puts where the speaker was ("the journalist").
_ROLE = {"ko": "기자", "uk": "журналіст"}
_HONORIFIC_AFTER = re.compile(
    r"\s?(씨|님|대통령|위원장|장관|총리|대변인|감독|의원|회장|대표|국무위원장|외무상|여사)"
)


def _renderings(report: CheckReport) -> dict[str, str]:
    """Return how the translation names each person of the article, where the baseline found it
    (a name, not a pronoun)."""
    text = report.target_text
    found: dict[str, str] = {}
    speakers = {q.id: q.speaker for q in report.article.quotes}
    for quote in report.quotes:
        speaker = speakers[quote.id]
        if quote.target_speaker and speaker and speaker.person and not speaker.pronoun:
            found.setdefault(speaker.person, quote.target_speaker.of(text))
    sources = {a.id: a.source for a in report.article.attributions}
    for result in report.attributions:
        source = sources[result.id]
        if result.target_span and source.person and not source.pronoun:
            found.setdefault(source.person, result.target_span.of(text))
    return {
        person: name.strip("()[] ")
        for person, name in found.items()
        if not is_pronoun(name.lower(), report.lang) and name.strip("()[] ")
    }


def _swap_speaker(report: CheckReport, quote: QuoteResult, rng: random.Random) -> Iterator[Perturbation]:
    """Put another person of the article, or the role noun "journalist", where the speaker is."""
    text, span = report.target_text, quote.target_speaker
    speaker = next(q.speaker for q in report.article.quotes if q.id == quote.id)
    if span is None or speaker is None or not speaker.person:
        return
    own = span.of(text)
    own_tokens = set(speaker.person.lower().replace("-", " ").split())
    others = sorted(
        name
        for person, name in _renderings(report).items()
        if person != speaker.person
        and not _same_name(name, own)
        and not own_tokens & set(person.lower().replace("-", " ").split())
    )
    choices = [("another person", rng.choice(others))] if others else []
    choices.append(("the journalist", _ROLE[report.lang]))
    whole = _name_extent(report, span, speaker.person)
    for label, name in choices:
        yield Perturbation(
            Kind.SPEAKER_SWAPPED,
            quote.id,
            _replace_name(text, whole, name, report.lang),
            f"speaker {whole.of(text)!r} -> {name!r} ({label})",
        )


_PREVIOUS_WORD = re.compile(r"(\S+)\s$")


def _name_extent(report: CheckReport, span: Span, person: str) -> Span:
    """Widen a found name to the whole mention: the given names before it, the name before a
    bracketed gloss, and a gloss after it (피터 마틴, 칼자딜라(Roberto Calzadilla))."""
    text = report.target_text
    tokens = [t for t in person.replace("-", " ").split() if len(t) > 1 and not t.endswith(".")]
    start, end = span.start, span.end
    if start > 0 and text[start - 1] == "(" and text[end : end + 1] == ")":
        word = _PREVIOUS_WORD.search(text, max(0, start - 40), start - 1) or re.search(
            r"(\S+)$", text[: start - 1]
        )
        start, end = (word.start(1) if word else start - 1), end + 1
    for _ in range(3):
        word = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
        if word is None or not any(
            find_name(t, text, report.lang, None, Span(word.start(1), word.end(1))) for t in tokens
        ):
            break
        start = word.start(1)
    gloss = re.match(r"\s?\([^)]{1,60}\)", text[end:])
    if gloss:
        end += gloss.end()
    return Span(start, end)


def _same_name(a: str, b: str) -> bool:
    return a[:2].lower() == b[:2].lower()


def _replace_name(text: str, span: Span, name: str, lang: str) -> str:
    """Replace a name mention; in Korean drop its honorific and make the particle agree."""
    end = span.end
    if lang == "ko":
        honorific = _HONORIFIC_AFTER.match(text, end)
        end = honorific.end() if honorific else end
        particle = re.match(r"(은|는|이|가|을|를|과|와)(?![가-힣])", text[end : end + 2])
        if particle:
            return _apply(text, [(Span(span.start, end + 1), name + _particle(name, particle.group(1)))])
    return _apply(text, [(Span(span.start, end), name)])


def _change_number(
    report: CheckReport, item: str, spans: Sequence[Span], lang: str
) -> Iterator[Perturbation]:
    """Change one digit of the first number written with digits inside ``spans``."""
    text = report.target_text
    for span in spans:
        for mention in find_numbers(text, lang, span):
            digits = [i for i in range(mention.span.start, mention.span.end) if text[i].isdigit()]
            if not digits:
                continue
            pos = digits[0]
            old = int(text[pos])
            new = (old + 1) % 10 if old < 9 else 8
            if new == 0 and (len(digits) == 1 or pos == mention.span.start):
                new = 2
            yield Perturbation(
                Kind.NUMBER_CHANGED,
                item,
                _apply(text, [(Span(pos, pos + 1), str(new))]),
                f"{mention.span.of(text)!r}: digit {old} -> {new}",
            )
            return


def _drop(report: CheckReport, quote: QuoteResult) -> Iterator[Perturbation]:
    """Remove the sentences that hold the quotation, attribution and all."""
    sentences = [
        s for s in report.alignment.target.sentences if any(s.overlaps(p) for p in quote.target_parts)
    ]
    others = [
        q
        for q in report.quotes
        if q.id != quote.id
        and q.target_span is not None
        and any(s.overlaps(q.target_span) for s in sentences)
    ]
    if not sentences or others:
        return
    text = report.target_text
    edits = []
    for s in sentences:
        end = s.end + 1 if s.end < len(text) and text[s.end] == " " else s.end
        edits.append((Span(s.start, end), ""))
    yield Perturbation(
        Kind.QUOTE_DROPPED, quote.id, _apply(text, edits), f"dropped {len(sentences)} sentence(s)"
    )


_MARKS = "\"'“”‘’«»„「」『』"
_FINAL_PUNCT = re.compile(r"[\s.!?…,]+$")
# What joins a Ukrainian quotation to an attribution after it: «…», — сказав він.
_UK_AFTER = re.compile(r"\s*[,.]?\s*[—–-]\s*")


def _mark_spans(text: str, parts: Sequence[Span]) -> list[Span]:
    """Return the one-character spans of the marks around ``parts``."""
    spans = []
    for part in parts:
        if part.start > 0 and text[part.start - 1] in _MARKS:
            spans.append(Span(part.start - 1, part.start))
        if part.end < len(text) and text[part.end] in _MARKS:
            spans.append(Span(part.end, part.end + 1))
    return spans


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _indirect(report: CheckReport, quote: QuoteResult) -> Iterator[Perturbation]:
    """Turn the quotation into indirect speech: marks gone, Ukrainian «…», — сказав X. becoming
    X сказав, що …, Korean “…다”고 becoming …다고."""
    text = report.target_text
    if len(quote.target_parts) != 1:
        yield Perturbation(
            Kind.INDIRECT_SPEECH,
            quote.id,
            _apply(text, [(m, "") for m in _mark_spans(text, quote.target_parts)]),
            "quotation marks removed",
        )
        return
    part = quote.target_parts[0]
    content = _FINAL_PUNCT.sub("", part.of(text))
    if report.lang == "uk" and quote.target_speaker and quote.target_verb:
        rewritten = _uk_indirect(text, part, content, quote.target_speaker, quote.target_verb)
        if rewritten is not None:
            yield Perturbation(Kind.INDIRECT_SPEECH, quote.id, rewritten, "«…», — сказав X -> X сказав, що …")
            return
    marks = _mark_spans(text, [part])
    edits = [(m, "") for m in marks if m.start != part.end]
    close = Span(part.start, part.end + 1) if any(m.start == part.end for m in marks) else part
    edits.append((close, content))
    yield Perturbation(Kind.INDIRECT_SPEECH, quote.id, _apply(text, edits), "quotation marks removed")


def _uk_indirect(text: str, part: Span, content: str, speaker: Span, verb: Span) -> str | None:
    sentence_end = text.find(".", max(speaker.end, verb.end))
    close = part.end + 1
    joint = _UK_AFTER.match(text, close)
    if joint is None or not (close <= min(speaker.start, verb.start)) or sentence_end < 0:
        return None
    if text.find("\n", close, sentence_end) >= 0:
        return None
    conj = "чи" if part.of(text).rstrip().endswith("?") else "що"
    rest = text[joint.end() : sentence_end]
    for span in sorted((speaker, verb), key=lambda s: -s.start):
        rest = rest[: span.start - joint.end()] + rest[span.end - joint.end() :]
    rest = " ".join(rest.split())
    new = f"{speaker.of(text)} {verb.of(text)}{' ' + rest if rest else ''}, {conj} {_lower_first(content)}"
    return _apply(text, [(Span(part.start - 1, sentence_end), new)])


_SENTENCE_CUT = re.compile(r"(?<=[.!?…])\s+")
_CLAUSE_CUT = re.compile(r",\s+")


def _truncate(report: CheckReport, quote: QuoteResult) -> Iterator[Perturbation]:
    """Cut the end of the quotation: its last part when it has several (a paragraph, or the
    part after a Ukrainian dash attribution), else its last sentence, its last clause or its
    last words; the marks stay."""
    text = report.target_text
    parts = quote.target_parts
    if len(parts) >= 2:
        yield from _drop_last_part(report, quote)
        return
    part = parts[-1]
    inner = part.of(text)
    cut = _cut_point(inner)
    if cut is None:
        return
    kept = inner[:cut].rstrip(" ,;:—–-")
    ending = inner[len(inner.rstrip(".!?…")) :] if not kept.endswith((".", "!", "?")) else ""
    yield Perturbation(
        Kind.TRUNCATED,
        quote.id,
        _apply(text, [(part, kept + ending)]),
        f"kept {len(kept)} of {len(inner)} characters",
    )


def _drop_last_part(report: CheckReport, quote: QuoteResult) -> Iterator[Perturbation]:
    text = report.target_text
    prev, last = quote.target_parts[-2], quote.target_parts[-1]
    closing = next(
        (text[p.end] for p in reversed(quote.target_parts) if p.end < len(text) and text[p.end] in _MARKS),
        "»" if report.lang == "uk" else "”",
    )
    end = last.end + 1 if last.end < len(text) and text[last.end] in _MARKS else last.end
    between = text[prev.end : last.start]
    kept = prev.of(text).rstrip(" ,;:—–-")
    if "\n" not in between:  # «A, — сказав він, — B». -> «A», — сказав він.
        attribution = between.rstrip(" ,;:—–-\u00a0")
        comma = "," if prev.of(text).rstrip().endswith(",") else ""
        new = f"{kept}{closing}{comma}{attribution}"
        edits = [(Span(prev.start, end), new)]
    else:  # the quotation's last paragraph goes; the one before now closes it
        start = last.start - 1 if text[last.start - 1] in _MARKS else last.start
        line_start = text.rfind("\n", 0, last.start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if (text[line_start:start] + text[end:line_end]).strip(" .,—–-\u00a0"):
            edits = [(Span(start, end), "")]
        else:
            edits = [(Span(max(0, line_start - 1), line_end), "")]
        if not (prev.end < len(text) and text[prev.end] in _MARKS):
            edits.append((Span(prev.end, prev.end), closing))
    yield Perturbation(Kind.TRUNCATED, quote.id, _apply(text, edits), "last part of the quotation dropped")


def _cut_point(inner: str) -> int | None:
    size = len(inner)
    sentences = [m.start() for m in _SENTENCE_CUT.finditer(inner) if 0.3 * size < m.start() < 0.85 * size]
    if sentences:
        return sentences[-1]
    clauses = [m.start() for m in _CLAUSE_CUT.finditer(inner) if 0.3 * size < m.start() < 0.7 * size]
    if clauses:
        return clauses[-1]
    spaces = [i for i, c in enumerate(inner) if c == " " and 0.45 * size < i < 0.7 * size]
    return spaces[0] if spaces else None


def _move_boundary(report: CheckReport, quote: QuoteResult) -> Iterator[Perturbation]:
    """Move the closing mark: back into the quotation (its end left outside the marks), or on
    past the attribution (narration pulled inside); or the opening mark back over an attribution
    that precedes the quotation."""
    text = report.target_text
    part = quote.target_parts[-1]
    if part.end >= len(text) or text[part.end] not in _MARKS:
        return
    close = text[part.end]
    inner = part.of(text)
    cut = _cut_point(inner)
    if cut is not None:
        head, tail = inner[:cut].rstrip(" ,;:"), inner[cut:].lstrip(" ,;:")
        new = f"{head}{close} {tail}"
        yield Perturbation(
            Kind.BOUNDARY_MOVED,
            quote.id,
            _apply(text, [(Span(part.start, part.end + 1), new)]),
            "closing mark moved into the quotation",
        )
    sentence = next((s for s in report.alignment.target.sentences if s.start <= part.end < s.end), None)
    if sentence is None:
        return
    after = text[part.end + 1 : sentence.end]
    if len(after.strip(" .,—–-")) >= 4:
        body = after.rstrip()
        final = body[len(body.rstrip(".!?")) :]
        moved = body[: len(body) - len(final)]
        new = f"{moved}{final}{close}" if report.lang == "ko" else f"{moved}{close}{final}"
        yield Perturbation(
            Kind.BOUNDARY_MOVED,
            quote.id,
            _apply(text, [(Span(part.end, part.end + 1 + len(body)), new)]),
            "closing mark moved past the attribution",
        )
        return
    first = quote.target_parts[0]
    before = text[sentence.start : first.start - 1]
    if first.start > 0 and text[first.start - 1] in _MARKS and len(before.strip()) >= 4:
        opening = text[first.start - 1]
        yield Perturbation(
            Kind.BOUNDARY_MOVED,
            quote.id,
            _apply(text, [(Span(sentence.start, first.start), opening + before)]),
            "opening mark moved before the attribution",
        )


# Speech verbs by class, in the forms a swap needs: Korean plain and formal past; Ukrainian past
# masculine, feminine, plural and present.
_KO_VERBS = {
    "neutral": ("말했다", "말했습니다"),
    "question": ("물었다", "물었습니다"),
    "denial": ("부인했다", "부인했습니다"),
    "admission": ("인정했다", "인정했습니다"),
    "assertive": ("주장했다", "주장했습니다"),
    "warning": ("경고했다", "경고했습니다"),
}
_UK_VERBS = {
    "neutral": ("сказав", "сказала", "сказали", "каже"),
    "question": ("запитав", "запитала", "запитали", "запитує"),
    "denial": ("заперечив", "заперечила", "заперечили", "заперечує"),
    "admission": ("визнав", "визнала", "визнали", "визнає"),
    "assertive": ("наполягав", "наполягала", "наполягали", "наполягає"),
    "warning": ("попередив", "попередила", "попередили", "попереджає"),
}
# The class a swap puts in place of each source class: a neutral "said" turned into a loaded
# verb, and a question, denial, admission or claim flattened to "said".
_SWAP = {"neutral": ("denial", "assertive", "admission", "warning")}


def _change_verb(
    report: CheckReport, quote: QuoteResult, source_class: str, rng: random.Random
) -> Iterator[Perturbation]:
    text, span = report.target_text, quote.target_verb
    if span is None:
        return
    new_class = rng.choice(_SWAP.get(source_class, ("neutral",)))
    if new_class == source_class:
        return
    old = span.of(text)
    if report.lang == "ko":
        if not old.endswith("다"):
            return
        new = _KO_VERBS[new_class][1 if old.endswith("니다") else 0]
    else:
        forms = _UK_VERBS[new_class]
        new = (
            forms[1]
            if old.endswith("ла")
            else forms[2]
            if old.endswith("ли")
            else forms[0]
            if old.endswith(("в", "ло"))
            else forms[3]
        )
    yield Perturbation(
        Kind.VERB_CHANGED,
        quote.id,
        _apply(text, [(span, new)]),
        f"verb {old!r} ({source_class}) -> {new!r} ({new_class})",
    )


def _invent(report: CheckReport, rng: random.Random) -> Iterator[Perturbation]:
    """Make a narration sentence a quotation of a person of the article, and add a new quoted
    sentence built from a narration clause."""
    text = report.target_text
    quoted = [Span(max(0, p.start - 1), p.end + 1) for q in report.alignment.target.quotes for p in q.parts]
    narration = [
        s
        for p in report.alignment.target.paragraphs[1:]
        for s in p.sentences
        if not any(s.overlaps(q) for q in quoted)
        and len(s.of(text).split()) >= 6
        and s.of(text).endswith(".")
    ]
    if not narration:
        return
    names = [q.target_speaker.of(text) for q in report.quotes if q.target_speaker is not None]
    name = rng.choice(names) if names else ("그" if report.lang == "ko" else "він")
    sentence = rng.choice(narration)
    content = _FINAL_PUNCT.sub("", sentence.of(text))
    yield Perturbation(
        Kind.INVENTED,
        None,
        _apply(text, [(sentence, _quoted(report.lang, content, name))]),
        f"narration made a quotation of {name!r}",
    )
    clause = max(_CLAUSE_CUT.split(content), key=len)
    if len(clause.split()) >= 5:
        added = _quoted(report.lang, clause, "그" if report.lang == "ko" else "він", added=True)
        end = rng.choice(narration).end
        yield Perturbation(
            Kind.INVENTED, None, _apply(text, [(Span(end, end), " " + added)]), "a new quoted sentence added"
        )


def _quoted(lang: str, content: str, name: str, added: bool = False) -> str:
    if lang == "ko":
        verb = "덧붙였다" if added else "말했다"
        return f"{name}{_particle(name, '는')} “{content}”라고 {verb}."
    verb = "додав" if added else "сказав"
    return f"«{_upper_first(content)}», — {verb} {name}."


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- benign variants ---------------------------------------------------------------------------

_STYLES = {"ko": (("“", "”"), ('"', '"')), "uk": (("«", "»"), ('"', '"'), ("„", "“"))}


def _mark_styles(report: CheckReport) -> Iterator[Perturbation]:
    """Re-mark every double-quoted quotation in each other style of the language."""
    text = report.target_text
    quotes = [q for q in report.alignment.target.quotes if not q.single]
    for opening, closing in _STYLES[report.lang]:
        edits = []
        for quote in quotes:
            if opening == '"' and '"' in quote.span.of(text):
                continue
            for mark in _mark_spans(text, quote.parts):
                new = opening if any(mark.end == p.start for p in quote.parts) else closing
                if text[mark.start] in '"“”«»„' and text[mark.start] != new:
                    edits.append((mark, new))
        if edits:
            yield Perturbation(
                Kind.MARK_STYLE, None, _apply(text, edits), f"quotation marks as {opening}…{closing}"
            )


# Number rewritings that keep the value: group separators, Korean 만 units, percent, ranges.
_GROUPED = re.compile(r"^(\d{1,3})(?:[,\u00a0 ]\d{3})+$")
_PLAIN = re.compile(r"^\d{4,}$")
_PERCENT = re.compile(r"^(\d+(?:[.,]\d+)?)\s?%$")
_RANGE = re.compile(r"^(\d+)\s?[~–—-]\s?(\d+)$")


def _reformat(written: str, value: float, lang: str) -> str | None:
    """Return ``written`` in another format of the same value, or None."""
    if _GROUPED.match(written):
        digits = re.sub(r"\D", "", written)
        if lang == "ko" and int(digits) >= 10000 and int(digits) % 10000:
            return f"{int(digits) // 10000}만 {int(digits) % 10000}"
        return digits
    if _PLAIN.match(written) and not 1900 <= value <= 2100:
        return f"{int(value):,}".replace(",", "," if lang == "ko" else "\u00a0")
    match = _PERCENT.match(written)
    if match:
        return f"{match.group(1)}퍼센트" if lang == "ko" else f"{match.group(1)} %"
    match = _RANGE.match(written)
    if match:
        return (
            f"{match.group(1)}-{match.group(2)}"
            if "-" not in written
            else f"{match.group(1)}–{match.group(2)}"
        )
    return None


def _number_formats(report: CheckReport) -> Iterator[Perturbation]:
    text = report.target_text
    edits = []
    for mention in find_numbers(text, report.lang):
        new = _reformat(mention.span.of(text), mention.values[0], report.lang)
        if new is not None:
            edits.append((mention.span, new))
    if edits:
        yield Perturbation(
            Kind.NUMBER_FORMAT, None, _apply(text, edits), f"{len(edits)} number(s) reformatted"
        )


_NK_INITIAL = {"리": "이", "이": "리", "룡": "용", "용": "룡", "로": "노", "노": "로"}
_UK_TITLE = re.compile(r"(?:пан|пані|містер|місіс)\s+$")


def _name_forms(report: CheckReport, quote: QuoteResult) -> Iterator[Perturbation]:
    """Vary the speaker's honorific, particle, North Korean initial or Ukrainian title."""
    text, span = report.target_text, quote.target_speaker
    if span is None:
        return
    name = span.of(text)
    if report.lang == "ko":
        yield from _ko_name_forms(text, span, name, quote.id)
        return
    title = _UK_TITLE.search(text, max(0, span.start - 8), span.start)
    if title:
        yield Perturbation(
            Kind.NAME_FORM, None, _apply(text, [(Span(title.start(), span.start), "")]), "title removed"
        )
    elif name[:1].isupper():
        yield Perturbation(
            Kind.NAME_FORM, None, _apply(text, [(Span(span.start, span.start), "пан ")]), "title пан added"
        )


def _ko_name_forms(text: str, span: Span, name: str, item: str) -> Iterator[Perturbation]:
    after = _PARTICLE_AFTER.match(text, span.end)
    if after and after.group(1):
        particle = after.group(2)
        new = name + _particle(name, particle)
        yield Perturbation(
            Kind.NAME_FORM,
            None,
            _apply(text, [(Span(span.start, after.end()), new)]),
            f"honorific dropped: {new}",
        )
    elif after:
        new = f"{name} 씨{_particle('씨', after.group(2))}"
        yield Perturbation(
            Kind.NAME_FORM,
            None,
            _apply(text, [(Span(span.start, after.end()), new)]),
            f"honorific added: {new}",
        )
    if name[:1] in _NK_INITIAL:
        swapped = _NK_INITIAL[name[0]] + name[1:]
        yield Perturbation(Kind.NAME_FORM, None, _apply(text, [(span, swapped)]), f"{name} -> {swapped}")


def _move_attribution(report: CheckReport, quote: QuoteResult) -> Iterator[Perturbation]:
    """Put the attribution on the other side of the quotation, as translators do."""
    text, speaker = report.target_text, quote.target_speaker
    if speaker is None or len(quote.target_parts) != 1:
        return
    part = quote.target_parts[0]
    if (
        part.start == 0
        or part.end >= len(text)
        or text[part.start - 1] not in _MARKS
        or text[part.end] not in _MARKS
    ):
        return
    sentence = next((s for s in report.alignment.target.sentences if s.start <= part.start < s.end), None)
    if sentence is None or not sentence.contains(speaker):
        return
    quoted = Span(part.start - 1, part.end + 1)
    if report.lang == "ko":
        new = _ko_moved(text, sentence, quoted, speaker)
    else:
        new = _uk_moved(text, sentence, quoted, speaker)
    if new is not None:
        yield Perturbation(Kind.ATTRIBUTION_MOVED, None, _apply(text, [(sentence, new)]), "attribution moved")


def _ko_moved(text: str, sentence: Span, quoted: Span, speaker: Span) -> str | None:
    subject = _PARTICLE_AFTER.match(text, speaker.end)
    if subject is None or subject.group(2) not in ("은", "는", "이", "가"):
        return None
    subj = Span(speaker.start, subject.end())
    if quoted.start == sentence.start and subj.start > quoted.end:
        rest = (text[quoted.end : subj.start] + text[subj.end : sentence.end]).replace("  ", " ")
        return f"{subj.of(text)} {quoted.of(text)}{rest.rstrip()}"
    if subj.end <= quoted.start:
        head = text[sentence.start : subj.start] + text[subj.end : quoted.start]
        tail = text[quoted.end : sentence.end]
        glue = re.match(r"[가-힣]*", tail)
        glued = glue.group() if glue else ""
        return f"{head.strip()} {quoted.of(text)}{glued} {subj.of(text)}{tail[len(glued) :]}".strip()
    return None


def _uk_moved(text: str, sentence: Span, quoted: Span, speaker: Span) -> str | None:
    """«…», — сказав Рі. <-> Рі сказав: «…». (only for short attributions, which move whole)."""
    if quoted.start == sentence.start and speaker.start > quoted.end:
        joint = _UK_AFTER.match(text, quoted.end)
        if joint is None:
            return None
        if text[joint.end() : sentence.end].rstrip().endswith(("—", "–")):
            return None  # the quotation goes on below: «…», — сказав він. —
        attribution = text[joint.end() : sentence.end].rstrip(" .,—–-")
        local = Span(speaker.start - joint.end(), speaker.end - joint.end())
        if local.start < 0 or local.end > len(attribution):
            return None
        rest = " ".join((attribution[: local.start] + attribution[local.end :]).split()).strip(" ,")
        if not rest or len(rest.split()) > 6:
            return None
        return f"{speaker.of(text)} {rest}: {quoted.of(text)}."
    colon = text.rfind(":", sentence.start, quoted.start)
    if speaker.end <= quoted.start and colon > speaker.end:
        verb = " ".join(text[speaker.end : colon].split())
        head = " ".join(text[sentence.start : speaker.start].split())
        if not verb or len(verb.split()) > 3 or "," in verb or len(head.split()) > 2:
            return None
        inner = quoted.of(text)
        punct = "" if inner[-2:-1] in "?!" else ","
        subject = f"{head} {speaker.of(text)}".strip()
        return f"{inner}{punct} — {verb} {subject}."
    return None


# Synonyms swapped in narration (outside every quotation), both ways.
_SYNONYMS = {
    "ko": (
        ("그러나", "하지만"),
        ("또한", "아울러"),
        ("최근", "근래"),
        ("한편", "그런가 하면"),
        ("약 ", "대략 "),
        ("했다.", "하였다."),
        ("이후", "다음"),
    ),
    "uk": (
        ("також", "теж"),
        ("однак", "проте"),
        ("Тим часом", "Водночас"),
        ("нещодавно", "недавно"),
        ("близько", "приблизно"),
        ("зокрема", "серед іншого"),
        ("дуже", "надзвичайно"),
        ("після", "по"),
    ),
}


def _paraphrase(report: CheckReport) -> Iterator[Perturbation]:
    """Swap narration words for synonyms, never inside a quotation or a speaker's name."""
    text = report.target_text
    keep = [Span(max(0, p.start - 1), p.end + 1) for q in report.alignment.target.quotes for p in q.parts]
    keep += [q.target_speaker for q in report.quotes if q.target_speaker is not None]
    keep += [q.target_verb for q in report.quotes if q.target_verb is not None]
    edits: list[tuple[Span, str]] = []
    for first, second in _SYNONYMS[report.lang]:
        for old, new in ((first, second), (second, first)):
            for match in re.finditer(re.escape(old), text):
                span = Span(match.start(), match.end())
                if not any(span.overlaps(k) for k in keep) and not any(span.overlaps(e[0]) for e in edits):
                    edits.append((span, new))
    if edits:
        yield Perturbation(
            Kind.PARAPHRASE, None, _apply(text, edits), f"{len(edits)} narration word(s) swapped"
        )


# --- who is credited ---------------------------------------------------------------------------


def _people_renderings(report: CheckReport) -> dict[str, str]:
    """Return how the translation names each person of the article (not places or organisations),
    where it names them at all."""
    text, lang = report.target_text, report.lang
    found = dict(_renderings(report))
    for person in report.article.people:
        if person.name not in found:
            span = find_name(person.name, text, lang)
            if span is not None and not is_pronoun(span.of(text).lower(), lang):
                found[person.name] = span.of(text)
    return {p: name for p, name in found.items() if not _known_place(p)}


def _known_place(name: str) -> bool:
    entity = gazetteer().lookup(name)
    return entity is not None and entity.kind in ("place", "organisation")


def _recredit(report: CheckReport, quote: QuoteResult, rng: random.Random) -> Iterator[Perturbation]:
    """Put another person of the article where the translation names the quotation's speaker."""
    text, span = report.target_text, quote.target_speaker
    speaker = next(q.speaker for q in report.article.quotes if q.id == quote.id)
    if span is None or speaker is None or not speaker.person or speaker.pronoun:
        return
    own_tokens = set(speaker.person.lower().replace("-", " ").split())
    others = sorted(
        name
        for person, name in _people_renderings(report).items()
        if person != speaker.person
        and not _same_name(name, span.of(text))
        and not own_tokens & set(person.lower().replace("-", " ").split())
    )
    if not others:
        return
    name = rng.choice(others)
    whole = _name_extent(report, span, speaker.person)
    yield Perturbation(
        Kind.RECREDITED,
        quote.id,
        _replace_name(text, whole, name, report.lang),
        f"speaker {whole.of(text)!r} -> {name!r} (another person of the article)",
    )


def _replace_source(
    report: CheckReport, result: AttributionResult, rng: random.Random
) -> Iterator[Perturbation]:
    """Put another place or organisation (one the article never names) where the translation
    names a place or organisation source, and another person of the article where it names a
    person."""
    text, span = report.target_text, result.target_span
    source = next(a.source for a in report.article.attributions if a.id == result.id)
    if span is None or not source.person or source.pronoun or span.of(text).lower() in ("he", "she"):
        return
    entity = gazetteer().lookup(source.person)
    if entity is not None and entity.kind in ("place", "organisation"):
        named = {m.entity.name for m in find_entities(report.article.text, "en")}
        pool = [e for e in _SUBSTITUTES[entity.kind]() if e.name not in named and e.renderings(report.lang)]
        if not pool:
            return
        name = rng.choice(pool).renderings(report.lang)[0]
        span = _entity_extent(report, result, entity) or span
    else:
        others = sorted(n for p, n in _people_renderings(report).items() if p != source.person)
        if not others:
            return
        name = rng.choice(others)
    yield Perturbation(
        Kind.SOURCE_REPLACED,
        result.id,
        _replace_name(text, span, name, report.lang),
        f"source {span.of(text)!r} -> {name!r}",
    )


def _entity_extent(report: CheckReport, result: AttributionResult, entity: Entity) -> Span | None:
    """Return the whole mention of a place or organisation in the attribution's sentences, with a
    bracketed gloss after it: 국가정보원(국정원), Національна розвідувальна служба (NIS)."""
    text = report.target_text
    for sentence in result.target_sentences:
        for mention in find_entities(text, report.lang, sentence):
            if same_entity(mention.entity, entity):
                gloss = re.match(r"\s?\([^)]{1,40}\)", text[mention.span.end :])
                return Span(mention.span.start, mention.span.end + (gloss.end() if gloss else 0))
    return None


def _places() -> list[Entity]:
    """Capitals that news cites as sources (indeclinable in Ukrainian or in the nominative)."""
    wanted = ("Tokyo", "Beijing", "Moscow", "Paris", "London", "Washington")
    return [e for name in wanted if (e := gazetteer().lookup(name)) is not None]


def _organisations() -> list[Entity]:
    from aligner.lang.entities import organisations

    return list(organisations())


_SUBSTITUTES = {"place": _places, "organisation": _organisations}


# --- all together -------------------------------------------------------------------------------


def perturbations(report: CheckReport, *, seed: int = 0) -> tuple[Perturbation, ...]:
    """Return every variant of the report's translation: alterations of each quotation and
    attribution the baseline found ok, plus the benign variants.

    Args:
        report: The check report of the unaltered translation.
        seed: Seeds the few random choices (which other person, which verb class, which sentence).
    """
    rng = random.Random(seed)
    found: list[Perturbation] = []
    by_id = {q.id: q for q in report.article.quotes}
    for quote in _clean(report):
        source = by_id[quote.id]
        found += _swap_speaker(report, quote, rng)
        found += _recredit(report, quote, rng)
        found += _change_number(report, quote.id, quote.target_parts, report.lang)
        found += _drop(report, quote)
        found += _indirect(report, quote)
        found += _truncate(report, quote)
        found += _move_boundary(report, quote)
        if source.verb is not None:
            found += _change_verb(report, quote, source.verb.verb_class.value, rng)
        found += _name_forms(report, quote)
        found += _move_attribution(report, quote)
    for attribution in report.attributions:
        if attribution.status is Status.OK and attribution.target_sentences:
            found += _change_number(report, attribution.id, attribution.target_sentences, report.lang)
            found += _replace_source(report, attribution, rng)
    found += _invent(report, rng)
    found += _mark_styles(report)
    found += _number_formats(report)
    found += _paraphrase(report)
    return tuple(p for p in found if p.text != report.target_text)
