"""The translation pipeline: units, guard and retry, long inputs, and the seed end to end on the
tiny seed-trained MarianMT models (real transformers code path; the models only know the seed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
import sacrebleu
from conftest import Seed

from aligner.article.parse import parse_article
from aligner.translate.engines.marian import MarianTranslator
from aligner.translate.pipeline import split_long, translate_article, translate_units
from aligner.translate.registry import load_registry


class ScriptedTranslator:
    """A translator double that answers from a table and counts calls: for the retry logic only."""

    model_id = "scripted"
    revision = None

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self.calls: list[list[str]] = []

    def translate(self, texts: Sequence[str]) -> list[str]:
        self.calls.append(list(texts))
        return [self.table[t] for t in texts]

    def signature(self) -> str:
        return "model:scripted"


@pytest.fixture(scope="module")
def marian(tiny_models: dict[str, Path]) -> dict[str, MarianTranslator]:
    registry = load_registry()
    return {
        lang: MarianTranslator(registry.resolve(f"en-{lang}", str(tiny_models[f"en-{lang}"])), beams=4).load()
        for lang in ("ko", "uk")
    }


SPLIT_CASES = [
    ("fits", "Short sentence.", 10, ["Short sentence."]),
    ("semicolon first", "aaaa bbbb; cccc dddd, eeee ffff", 3, ["aaaa bbbb;", "cccc dddd,", "eeee ffff"]),
    ("comma before and", "one two three, and four five six", 4, ["one two three,", "and four five six"]),
]


@pytest.mark.parametrize(
    ("text", "limit", "expected"), [c[1:] for c in SPLIT_CASES], ids=[c[0] for c in SPLIT_CASES]
)
def test_split_long_cuts_at_safe_points_and_keeps_every_word(
    text: str, limit: int, expected: list[str]
) -> None:
    pieces = split_long(text, limit, lambda s: len(s.split()))
    assert pieces == expected
    assert " ".join(pieces).split() == text.split()


def test_split_long_without_safe_points_still_fits_and_keeps_words() -> None:
    text = " ".join(f"w{i}" for i in range(37))
    pieces = split_long(text, 5, lambda s: len(s.split()))
    assert all(len(p.split()) <= 5 for p in pieces)
    assert " ".join(pieces) == text


def test_guard_retries_a_looping_unit_and_reports_what_still_fails() -> None:
    first = ScriptedTranslator({"He left the room.": "그는 그는 그는 그는 그는", "Ri said it again.": ""})
    retry = ScriptedTranslator({"He left the room.": "그는 방을 나갔다.", "Ri said it again.": ""})
    results = translate_units(["He left the room.", "Ri said it again."], first, "ko", retry)
    assert results["He left the room."].target == "그는 방을 나갔다."
    assert results["He left the room."].attempts == 2 and not results["He left the room."].issues
    assert [i.code for i in results["Ri said it again."].issues] == ["empty"]
    assert retry.calls == [["He left the room.", "Ri said it again."]]


def test_units_are_translated_once_across_articles() -> None:
    from aligner.translate.pipeline import translate_articles

    text = 'Ri was hurt.\n"We will win," Kim said.\n'
    table = {
        "Ri was hurt.": "리 씨는 다쳤다.",
        "We will win,": "우리는 이길 것이다",
        "Kim said.": "김 위원장은 말했다.",
    }
    engine = ScriptedTranslator(table)
    results = translate_articles([parse_article(text), parse_article(text)], "ko", engine)
    assert len(engine.calls) == 1 and sorted(engine.calls[0]) == sorted(table)
    assert (
        results[0].text == results[1].text == "리 씨는 다쳤다.\n“우리는 이길 것이다”고 김 위원장은 말했다.\n"
    )


@pytest.mark.parametrize("lang", ["ko", "uk"])
def test_seed_translation_matches_reference(
    seed: Seed, marian: dict[str, MarianTranslator], lang: str
) -> None:
    result = translate_article(parse_article(seed.en), lang, marian[lang])
    chrf = sacrebleu.metrics.CHRF().corpus_score(result.text.splitlines(), [seed.lines(lang)])
    assert chrf.score >= 90, result.text
    assert result.problems == ()
    assert len(result.text.splitlines()) == len(seed.lines(lang))
    for quote in seed.gold["quotes"]:
        (span,) = result.quote_spans[quote["id"]]
        assert span.of(result.text) == quote[lang]


def test_raw_model_output_loses_the_quotation_but_the_pipeline_keeps_it(
    seed: Seed, marian: dict[str, MarianTranslator]
) -> None:
    # A sentence the tiny model never saw whole: the last sentence of the seed's q2 quoted, with the
    # attribution of q1. Raw, the model loses the marks or the speaker; the pipeline translates the
    # quotation and the frame as units and renders one “…” with 리 after it.
    line = '"If I apply, will they accept me?" Ri said.'
    (raw,) = marian["ko"].translate([line])
    assert not ("“" in raw and "”" in raw and "리 씨는" in raw), raw
    result = translate_article(parse_article(line + "\n"), "ko", marian["ko"])
    assert result.text == "“신청하면 받아줄까요?”라고 리 씨는 말했다.\n"
    (uk_raw,) = marian["uk"].translate([line])
    assert not ("«" in uk_raw and "»" in uk_raw and "Рі" in uk_raw), uk_raw
    uk = translate_article(parse_article(line + "\n"), "uk", marian["uk"])
    assert uk.text == "«Якщо я подам заяву, мене приймуть?» — сказав Рі.\n"


def test_retry_variant_shares_the_model_and_names_its_settings(marian: dict[str, MarianTranslator]) -> None:
    base = marian["ko"]
    retry = base.variant(beams=6, no_repeat_ngram=3)
    assert retry._model is base._model
    assert "beams:6" in retry.signature() and "no_repeat:3" in retry.signature()
    assert retry.signature() != base.signature()
    title = "A North Korean Soldier Captured by Ukraine Thought He Was Fighting South Koreans"
    assert retry.translate([title]) == base.translate([title])  # the tiny model knows it either way
