"""The one place that knows the order of the stages of a translation:
parse → plan quote blocks → translate units (batched, guarded, retried) → keep names consistent →
compose → check the output.

Translators are injected, so everything here runs with any engine (MarianMT, CTranslate2, a cache).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from aligner.article.records import Article, QuoteKind
from aligner.lang.names import Glossary, default_glossary, find_name
from aligner.protocols import TokenCounter, Translator, unwrap
from aligner.spans import Span
from aligner.translate.guard import GuardIssue, inspect
from aligner.translate.quoting import Composed, Narration, Plan, compose, plan_article

# Safe points to cut a sentence that is longer than the model's input, best first:
# "…; …", "…: …", "…, but …", "…, …".
_SAFE_CUTS = (
    re.compile(r"(?<=;)\s+"),
    re.compile(r"(?<=:)\s+"),
    re.compile(r"(?<=,)\s+(?=(?:and|but|or|while|which|who|as|because|although)\b)"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+"),
)
# Double quotation marks of any style, to see whether a partial quotation kept its marks.
_QUOTE_PAIR = re.compile(r"[\"“”«»„‘’'].+?[\"“”«»„‘’']")
# Input budget when the translator cannot count tokens: a token is ~4 characters of English.
_CHARS_PER_TOKEN = 4
# Units sent to the engine in one call: a long article is translated in runs of whole paragraphs
# of about this many units, so that the engine's inputs, batches and outputs in flight stay
# bounded by the run, not the article (an ordinary article is one run, as before).
STREAM_UNITS = 512


@dataclass(frozen=True, slots=True)
class UnitResult:
    """One translated source string and what the guard still found wrong with it."""

    source: str
    target: str
    pieces: int  # > 1 when the source was cut at safe points to fit the model's input
    attempts: int
    issues: tuple[GuardIssue, ...]


@dataclass(frozen=True, slots=True)
class ArticleTranslation:
    """A translated article: the text, each quotation's target spans, and the unit log."""

    article: Article
    lang: str
    text: str
    quote_spans: dict[str, tuple[Span, ...]]
    units: tuple[UnitResult, ...]
    problems: tuple[str, ...]
    signature: str
    seconds: float


def split_long(text: str, limit: int, count: Callable[[str], int]) -> list[str]:
    """Cut ``text`` at the safest points until every piece fits ``limit`` tokens.

    Never drops text: the pieces joined with single spaces give the whitespace-normalised input.
    """
    if count(text) <= limit:
        return [text]
    for cut in _SAFE_CUTS:
        bounds = [m.end() for m in cut.finditer(text)]
        if not bounds:
            continue
        middle = min(bounds, key=lambda b: abs(b - len(text) / 2))
        head, tail = text[:middle].strip(), text[middle:].strip()
        if head and tail:
            return split_long(head, limit, count) + split_long(tail, limit, count)
    return [text[i : i + limit * _CHARS_PER_TOKEN] for i in range(0, len(text), limit * _CHARS_PER_TOKEN)]


def _token_counter(translator: Translator) -> Callable[[str], int]:
    engine = unwrap(translator)
    if isinstance(engine, TokenCounter):
        return engine.count_tokens
    return lambda text: len(text) // _CHARS_PER_TOKEN + 1


def _input_limit(translator: Translator) -> int:
    engine = unwrap(translator)
    limit = engine.max_input_tokens if isinstance(engine, TokenCounter) else 512
    return max(8, limit - 8)  # room for the target token and </s>


def translate_units(
    units: Sequence[str], translator: Translator, lang: str, retry: Translator | None = None
) -> dict[str, UnitResult]:
    """Translate every unit once (long ones in pieces), then retry what the guard rejects.

    Args:
        units: Distinct source strings.
        translator: The engine.
        lang: Target language, for the guard's length bounds and script check.
        retry: An engine with other decoding settings for rejected units, or None.

    Returns:
        A result per unit.
    """
    count, limit = _token_counter(translator), _input_limit(translator)
    pieces = {unit: split_long(unit, limit, count) for unit in units}
    flat = list(dict.fromkeys(p for unit in units for p in pieces[unit]))
    outputs = dict(zip(flat, translator.translate(flat), strict=True))
    results = {}
    for unit in units:
        target = " ".join(outputs[p].strip() for p in pieces[unit])
        results[unit] = UnitResult(unit, target, len(pieces[unit]), 1, inspect(unit, target, lang))
    failed = [unit for unit, result in results.items() if result.issues]
    if retry is not None and failed:
        again = dict(zip(failed, retry.translate(failed), strict=True))
        for unit in failed:
            issues = inspect(unit, again[unit], lang)
            if len(issues) < len(results[unit].issues):
                results[unit] = UnitResult(unit, again[unit], 1, 2, issues)
            else:
                results[unit] = UnitResult(
                    unit, results[unit].target, results[unit].pieces, 2, results[unit].issues
                )
    return results


def _house_rendering(name: str, lang: str, glossary: Glossary) -> str | None:
    listed = glossary.renderings(name, lang) if name in glossary else ()
    return listed[0] if listed else None


def harmonise_names(
    article: Article, targets: dict[str, str], lang: str, glossary: Glossary
) -> dict[str, str]:
    """Render each person's name the same way in every unit: the glossary's house form, or else the
    form the article first used. Korean forms are replaced whole (particles follow the name);
    Ukrainian forms keep their case ending.

    Returns:
        The unit translations with names made consistent.
    """
    fixed = dict(targets)
    for person in article.people:
        house = _house_rendering(person.name, lang, glossary)
        for source, target in fixed.items():
            if person.name.split()[-1] not in source:
                continue
            found = find_name(person.name, target, lang, glossary)
            if found is None:
                continue
            written = found.of(target)
            house = house or written
            if written == house or (lang == "uk" and written.startswith(house)):
                continue
            if lang == "uk":
                stem = next(
                    (v for v in glossary.renderings(person.name, lang) if written.startswith(v)), None
                )
                if person.name not in glossary or stem is None:
                    continue
                written_ending = written[len(stem) :]
                fixed[source] = target[: found.start] + house + written_ending + target[found.end :]
            else:
                fixed[source] = target[: found.start] + house + target[found.end :]
    return fixed


def _lost_partials(article: Article, plan: Plan, targets: dict[str, str]) -> list[str]:
    """Report quoted fragments and terms inside narration whose translation lost its marks."""
    problems = []
    narration = [[s.text for s in p.segments if isinstance(s, Narration)] for p in plan.paragraphs]
    for quote in article.quotes:
        if quote.kind is QuoteKind.DIRECT:
            continue
        fragment = article.of(quote.span)
        own = narration[quote.paragraph] if quote.paragraph < len(narration) else []
        host = next((text for text in own if fragment in text), None)  # its paragraph first: no scan
        if host is None:
            host = next((text for texts in narration for text in texts if fragment in text), None)
        if host is not None and not _QUOTE_PAIR.search(targets.get(host, "")):
            problems.append(f"{quote.id} ({quote.kind.value} “{fragment}”) lost its quotation marks")
    return problems


def translate_articles(
    articles: Sequence[Article],
    lang: str,
    translator: Translator,
    *,
    retry: Translator | None = None,
    glossary: Glossary | None = None,
) -> list[ArticleTranslation]:
    """Translate several articles together: every distinct unit of all of them goes to the engine in
    one call, so batches mix articles and repeated sentences cost nothing the second time.
    """
    glossary = glossary or default_glossary()
    started = time.perf_counter()
    plans = [plan_article(article) for article in articles]
    results: dict[str, UnitResult] = {}
    for run in _runs(plans):
        results.update(translate_units([u for u in run if u not in results], translator, lang, retry))
    seconds = (time.perf_counter() - started) / max(1, len(articles))
    out = []
    for article, plan in zip(articles, plans, strict=True):
        own = {u: results[u].target for u in plan.units()}
        targets = harmonise_names(article, own, lang, glossary)
        composed: Composed = compose(plan, targets, lang)
        problems = [f"unit “{u}”: {i.message}" for u in plan.units() for i in results[u].issues]
        problems += _lost_partials(article, plan, targets)
        out.append(
            ArticleTranslation(
                article=article,
                lang=lang,
                text=composed.text,
                quote_spans=composed.quote_spans,
                units=tuple(results[u] for u in plan.units()),
                problems=tuple(problems),
                signature=f"{translator.signature()}|{glossary.signature()}",
                seconds=seconds,
            )
        )
    return out


def _runs(plans: Sequence[Plan]) -> Iterator[list[str]]:
    """Yield the distinct units of ``plans`` in runs of whole paragraphs, each of about
    ``STREAM_UNITS`` units (one run when they all fit)."""
    run: dict[str, None] = {}
    for plan in plans:
        for paragraph in plan.paragraphs:
            if len(run) >= STREAM_UNITS:
                yield list(run)
                run = {}
            run.update(dict.fromkeys(Plan(paragraphs=(paragraph,), tail="").units()))
    if run:
        yield list(run)


def translate_article(
    article: Article,
    lang: str,
    translator: Translator,
    *,
    retry: Translator | None = None,
    glossary: Glossary | None = None,
) -> ArticleTranslation:
    """Translate one article (see ``translate_articles``)."""
    return translate_articles([article], lang, translator, retry=retry, glossary=glossary)[0]
