"""Property tests: ``parse_article``, ``align`` and ``check_translation`` never crash.

They read untrusted text, so Hypothesis feeds them random text over every quotation-mark
character and dash, sentence-like text built from the constructs that broke them before (sports
scores "2-1", apostrophes at line starts, quotations at paragraph ends) and mutated real
articles (the seed and ``tests/data``). Every span they return must slice the text it indexes.

The example count is bounded: ``HYPOTHESIS_PROFILE=dev`` (the default) tries 200 examples per
test; ``ci`` 1,000; ``long`` 20,000 for a local hunt (about 10 minutes per test on one core).
Crashes found here are kept as regression cases in ``REGRESSIONS`` below.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aligner.align.quotes import align
from aligner.article.parse import parse_article
from aligner.article.records import Article
from aligner.check.checker import check_translation

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("dev", max_examples=200, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("ci", max_examples=1000, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("long", max_examples=20000, **_COMMON)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

DATA = Path(__file__).resolve().parent / "data"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"

MARKS = "“”‘’«»„‚\"'「」『』‹›"
DASHES = "—–-‒―"
_ALPHABET = MARKS + DASHES + " \n\t.,;:!?…()0123456789%abcAZ리다고라는것점ІіЇїаЄє"

# Words and constructs of news and fiction: scores, times, apostrophes at a word's or line's
# start, attribution frames, Ukrainian dialogue dashes, capitalised name particles.
_TOKENS = (
    "said",
    "says",
    "told",
    "asked",
    "he",
    "she",
    "Smith",
    "Mr. Adams",
    "the coach",
    "2-1",
    "3-0",
    "'",
    "'em",
    "'90s",
    "rock 'n' roll",
    "O'Neill",
    "The Den",  # a capitalised particle alone as a name: the crash of the held-out sports story
    "La",
    "Van",
    "de",
    "players'",
    "0500",
    "5:00",
    "a year",
    "every year",
    "1,000",
    "50%",
    "won",
    "—",
    "–",
    "-",
    " - ",
    ",",
    ".",
    "?",
    "!",
    ":",
    "\n",
    "\n\n",
    "...",
    "…",
    *MARKS,
    "— сказав він.",
    "— Ще текст.",
    "라고 말했다.",
    "것",
    "점",
    "이라고",
)

_SEED_EN = (SEEDS / "nk-soldier.en.txt").read_text(encoding="utf-8")
_SEED_TARGETS = {
    lang: (SEEDS / f"nk-soldier.{lang}.txt").read_text(encoding="utf-8") for lang in ("ko", "uk")
}
_REAL = [_SEED_EN, *(p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.en.txt")))]
_REAL_TARGETS = [
    *_SEED_TARGETS.values(),
    *(p.read_text(encoding="utf-8") for lang in ("ko", "uk") for p in sorted(DATA.glob(f"*.{lang}.txt"))),
]
_PAIRS = [(_SEED_EN, text, lang) for lang, text in _SEED_TARGETS.items()] + [
    (
        p.read_text(encoding="utf-8"),
        p.with_name(p.name.replace(".en.", f".{lang}.")).read_text(encoding="utf-8"),
        lang,
    )
    for p in sorted(DATA.glob("*.en.txt"))
    for lang in ("ko", "uk")
]

random_text = st.text(alphabet=_ALPHABET, max_size=300)
token_text = st.lists(st.sampled_from(_TOKENS), max_size=60).map(" ".join)


@st.composite
def mutated(draw: st.DrawFn, texts: list[str]) -> str:
    """A real text with a few edits: a mark, dash or token inserted, a stretch deleted or
    repeated, a line break added."""
    text = draw(st.sampled_from(texts))
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(("insert", "delete", "repeat", "token")))
        if op == "insert":
            text = text[:pos] + draw(st.sampled_from(MARKS + DASHES + "\n")) + text[pos:]
        elif op == "token":
            text = text[:pos] + draw(st.sampled_from(_TOKENS)) + text[pos:]
        else:
            end = min(len(text), pos + draw(st.integers(1, 40)))
            text = text[:pos] + (text[pos:end] * 2 if op == "repeat" else "") + text[end:]
    return text


any_text = st.one_of(random_text, token_text, mutated(_REAL))

# Crashes found by these tests (or reported), kept as examples of every test below.
REGRESSIONS: list[tuple[str, str]] = [
    # a capitalised particle alone as a name ("Den", "La", "Van") made an empty name run:
    # ValueError: invalid span [4, 3) (the held-out Reuters sports story's Millwall ground)
    ('The Den said: "We won 2-1."', "particle-name-the-den"),
    ('"We won 2-1," said Den coach Smith.', "particle-name-before-title"),
    ('"We are happy," La said.', "particle-name-la"),
    ('"It was tough," Van told reporters after the 2-1 win.', "particle-name-van"),
    ('Holly Willoughby has left Dragons" Den star Peter Jones fuming.', "straight-mark-apostrophe-den"),
]


def _spans_valid(article: Article) -> None:
    size = len(article.text)
    for quote in article.quotes:
        for part in quote.parts:
            assert 0 <= part.start <= part.end <= size


def _with_regressions(test):  # type: ignore[no-untyped-def]
    for text, _why in REGRESSIONS:
        test = example(text)(test)
    return test


@_with_regressions
@given(any_text)
def test_parse_article_never_crashes(text: str) -> None:
    _spans_valid(parse_article(text))


@given(any_text, st.one_of(random_text, token_text, mutated(_REAL_TARGETS)), st.sampled_from(("ko", "uk")))
def test_align_never_crashes(source: str, target: str, lang: str) -> None:
    alignment = align(parse_article(source), target, lang)
    for qa in alignment.quotes:
        for part in qa.target_parts:
            assert 0 <= part.start <= part.end <= len(target)


@given(st.sampled_from(_PAIRS), st.data())
def test_check_translation_never_crashes(pair: tuple[str, str, str], data: st.DataObject) -> None:
    source, target, lang = pair
    source = data.draw(st.one_of(st.just(source), mutated([source])))
    target = data.draw(st.one_of(mutated([target]), random_text, token_text))
    article = parse_article(source)
    report = check_translation(article, target, lang)
    assert len(report.quotes) == len(article.quotes)


@pytest.mark.parametrize(("text", "why"), REGRESSIONS, ids=[why for _, why in REGRESSIONS])
def test_regressions_check(text: str, why: str) -> None:
    article = parse_article(text)
    for lang, target in _SEED_TARGETS.items():
        check_translation(article, target, lang)
