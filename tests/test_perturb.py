"""Tests for perturb: the variants it builds from the seed translations, and what the
checker makes of them."""

from __future__ import annotations

import pytest
from conftest import Seed
from perturb import BENIGN, Kind, Perturbation, _apply, _particle, perturbations

from aligner.article.parse import parse_article
from aligner.check.checker import CheckReport, Severity, check_translation
from aligner.spans import Span


def _report(seed: Seed, lang: str) -> CheckReport:
    return check_translation(parse_article(seed.en), seed.text(lang), lang)


def _errors(report: CheckReport) -> set[tuple[str, str]]:
    found = {
        (r.id, f.check)
        for r in [*report.quotes, *report.attributions]
        for f in r.findings
        if f.severity is Severity.ERROR
    }
    return found | {
        ("extra", f.check) for e in report.extra_quotes for f in e.findings if f.severity is Severity.ERROR
    }


@pytest.fixture(scope="module", params=["ko", "uk"])
def suite(request: pytest.FixtureRequest, seed: Seed) -> tuple[CheckReport, tuple[Perturbation, ...]]:
    report = _report(seed, request.param)
    return report, perturbations(report)


def test_every_kind_is_built_on_the_seed(suite: tuple[CheckReport, tuple[Perturbation, ...]]) -> None:
    _, variants = suite
    assert {v.kind for v in variants} == set(Kind)


def test_variants_are_real_edits(suite: tuple[CheckReport, tuple[Perturbation, ...]]) -> None:
    report, variants = suite
    for variant in variants:
        assert variant.text != report.target_text
        assert variant.benign == (variant.kind in BENIGN)
        if variant.benign or variant.kind is Kind.INVENTED:
            assert variant.item is None
        else:
            assert variant.item in {q.id for q in report.quotes} | {a.id for a in report.attributions}


def test_benign_variants_raise_no_error(
    seed: Seed, suite: tuple[CheckReport, tuple[Perturbation, ...]]
) -> None:
    report, variants = suite
    article = parse_article(seed.en)
    for variant in variants:
        if variant.benign:
            after = check_translation(article, variant.text, report.lang)
            assert _errors(after) == set(), variant.note


@pytest.mark.parametrize(
    "kind",
    [
        Kind.SPEAKER_SWAPPED,
        Kind.NUMBER_CHANGED,
        Kind.QUOTE_DROPPED,
        Kind.INDIRECT_SPEECH,
        Kind.VERB_CHANGED,
        Kind.INVENTED,
        Kind.BOUNDARY_MOVED,
    ],
    ids=lambda k: k.value,
)
def test_alterations_are_caught_on_the_seed(
    seed: Seed, suite: tuple[CheckReport, tuple[Perturbation, ...]], kind: Kind
) -> None:
    report, variants = suite
    article = parse_article(seed.en)
    chosen = [v for v in variants if v.kind is kind]
    assert chosen
    for variant in chosen:
        new = _errors(check_translation(article, variant.text, report.lang)) - _errors(report)
        expected = "extra" if kind is Kind.INVENTED else variant.item
        assert any(item == expected for item, _ in new), variant.note


def test_truncation_keeps_the_marks(suite: tuple[CheckReport, tuple[Perturbation, ...]]) -> None:
    report, variants = suite
    marks = report.target_text.count("«") + report.target_text.count("“")
    for variant in variants:
        if variant.kind is Kind.TRUNCATED:
            assert variant.text.count("«") + variant.text.count("“") == marks
            assert len(variant.text) < len(report.target_text)


@pytest.mark.parametrize(
    ("word", "particle", "expected"),
    [
        ("리", "는", "는"),
        ("리", "은", "는"),
        ("김정은", "는", "은"),
        ("기자", "이", "가"),
        ("트럼프", "을", "를"),
    ],
    ids=["ri-neun", "ri-eun", "kim-eun", "gija-ga", "trump-reul"],
)
def test_korean_particles_agree(word: str, particle: str, expected: str) -> None:
    assert _particle(word, particle) == expected


def test_apply_rejects_overlapping_edits() -> None:
    assert _apply("abcdef", [(Span(0, 1), "X"), (Span(3, 3), "Y")]) == "XbcYdef"
    with pytest.raises(ValueError, match="overlapping"):
        _apply("abcdef", [(Span(0, 3), ""), (Span(2, 4), "")])
