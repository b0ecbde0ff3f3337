"""Tests of the fidelity checks: forced decoding and back-translation with the tiny seed models.

The tiny models (models/tiny) memorise the seed article, so the seed's reference translations are
their own translations (margin 0, back-translation chrF 1) and a meaning change scores lower. That
shows the mechanism on real MarianMT code paths; thresholds for OPUS-MT weights come from
bench/calibrate_fidelity.py (docs/FIDELITY.md).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import math
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import REPO, Seed

from aligner.article.parse import parse_article
from aligner.article.records import Article
from aligner.check.checker import CheckReport, Severity, Status, check_translation
from aligner.check.fidelity import (
    BACK,
    CHECK,
    COMBINED,
    DEFAULTS,
    FORCED,
    THRESHOLDS_ENV,
    FidelityReport,
    PairScore,
    Thresholds,
    assess,
    combine,
    load_thresholds,
    score_fidelity,
    score_pairs,
    thresholds_for,
    thresholds_toml,
    with_fidelity,
)
from aligner.errors import UsageError
from aligner.report.serialize import fidelity_dict
from aligner.translate.engines.marian import MarianTranslator
from aligner.translate.registry import load_registry

LANGS = ("ko", "uk")
# One meaning change of one quotation per row (issue #5): a negation, a swapped entity, a changed
# object, in each quotation of the seed, for both languages. (lang, quote, kind, old, new)
EDITS = [
    ("ko", "q1", "negation", "모두 한국 군인이라고", "한국 군인이 아니라고"),
    ("ko", "q1", "entity", "한국 군인", "러시아 군인"),
    ("ko", "q1", "object", "드론 조종사들은", "포병들은"),
    ("ko", "q2", "negation", "신청할 겁니다", "신청하지 않을 겁니다"),
    ("ko", "q2", "entity", "우선 한국에", "우선 러시아에"),
    ("ko", "q2", "object", "난민 지위를", "시민권을"),
    ("uk", "q1", "negation", "це всі південнокорейські солдати", "це не південнокорейські солдати"),
    ("uk", "q1", "entity", "південнокорейські солдати", "російські солдати"),
    ("uk", "q1", "object", "пілоти українських військових дронів", "українські артилеристи"),
    ("uk", "q2", "negation", "Спершу я подам", "Спершу я не подам"),
    ("uk", "q2", "entity", "в Південній Кореї", "в Росії"),
    ("uk", "q2", "object", "статус біженця", "громадянство"),
]
EDIT_IDS = [f"{lang}-{quote}-{kind}" for lang, quote, kind, _, _ in EDITS]
# Where findings start in the unit tests below (not the built-in values).
PLAIN = Thresholds(-1.0, -0.5, 0.4, 0.6, 0.5, 0.7, weight=0.5, source="tests")


@pytest.fixture(scope="session")
def models(tiny_models: dict[str, Path]) -> dict[str, MarianTranslator]:
    """The four tiny models, each loaded once."""
    registry = load_registry()
    return {
        direction: MarianTranslator(
            registry.resolve(direction, str(folder)), device="cpu", beams=4, batch_size=8, threads=1
        ).load()
        for direction, folder in tiny_models.items()
    }


@pytest.fixture(scope="session")
def article(seed: Seed) -> Article:
    return parse_article(seed.en)


def fidelity(
    article: Article, text: str, lang: str, models: dict[str, MarianTranslator], *, back: bool = True
) -> tuple[CheckReport, FidelityReport]:
    report = check_translation(article, text, lang)
    return report, score_fidelity(report, models[f"en-{lang}"], models[f"{lang}-en"] if back else None)


@pytest.fixture(scope="session")
def baseline(
    seed: Seed, article: Article, models: dict[str, MarianTranslator]
) -> dict[str, tuple[CheckReport, FidelityReport]]:
    return {lang: fidelity(article, seed.text(lang), lang, models) for lang in LANGS}


def edited(seed: Seed, lang: str, old: str, new: str) -> str:
    text = seed.text(lang)
    assert text.count(old) == 1, f"{old!r} must occur once in the {lang} seed"
    return text.replace(old, new)


Variant = Callable[[str, str, str], tuple[CheckReport, FidelityReport]]


@pytest.fixture(scope="session")
def variant(seed: Seed, article: Article, models: dict[str, MarianTranslator]) -> Variant:
    """Check and score the seed with one edit (each edit once per session)."""

    @functools.cache
    def run(lang: str, old: str, new: str) -> tuple[CheckReport, FidelityReport]:
        return fidelity(article, edited(seed, lang, old, new), lang, models)

    return run


# --- the seed and its meaning-changed variants ----------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_seed_reference_translations_score_as_faithful(
    baseline: dict[str, tuple[CheckReport, FidelityReport]], lang: str
) -> None:
    report, scored = baseline[lang]
    assert [q.quote_id for q in scored.quotes] == ["q1", "q2"]
    for q in scored.quotes:
        # The tiny model reproduces the seed (models/tiny/build_report.json: exact_beam 1.0).
        assert q.own_translation == q.target_text
        assert q.margin == pytest.approx(0.0, abs=1e-6)
        assert q.back_translation == q.source_text
        assert q.back_chrf == pytest.approx(1.0)
        assert q.combined == pytest.approx(1.0)
        assert (q.findings, q.fired) == ((), ())
    merged = with_fidelity(report, scored)
    assert merged.quotes == report.quotes
    assert merged.summary == report.summary


@pytest.mark.parametrize(("lang", "quote", "kind", "old", "new"), EDITS, ids=EDIT_IDS)
def test_a_meaning_change_is_flagged_on_that_quote_and_only_that_quote(
    variant: Variant,
    baseline: dict[str, tuple[CheckReport, FidelityReport]],
    lang: str,
    quote: str,
    kind: str,
    old: str,
    new: str,
) -> None:
    report, scored = variant(lang, old, new)
    flagged = {q.quote_id: [f.severity for f in q.findings] for q in scored.quotes}
    assert flagged == {qid: [Severity.ERROR] if qid == quote else [] for qid in ("q1", "q2")}
    merged = with_fidelity(report, scored)
    before = baseline[lang][0]
    assert [q.status for q in merged.quotes] == [
        Status.ALTERED if q.id == quote else q.status for q in before.quotes
    ]
    assert merged.summary.altered == before.summary.altered + 1
    assert merged.summary.errors == report.summary.errors + 1


@pytest.mark.parametrize(("lang", "quote", "kind", "old", "new"), EDITS, ids=EDIT_IDS)
def test_the_forced_decoding_margin_alone_flags_each_change(
    seed: Seed,
    article: Article,
    models: dict[str, MarianTranslator],
    lang: str,
    quote: str,
    kind: str,
    old: str,
    new: str,
) -> None:
    _, scored = fidelity(article, edited(seed, lang, old, new), lang, models, back=False)
    assert scored.back is None and scored.chrf_signature is None
    for q in scored.quotes:
        assert (q.back_translation, q.back_chrf, q.combined) == (None, None, None)
        assert q.fired == ((FORCED,) if q.quote_id == quote else ())
        assert [f.severity for f in q.findings] == ([Severity.ERROR] if q.quote_id == quote else [])
    (finding,) = next(q for q in scored.quotes if q.quote_id == quote).findings
    assert finding.message.startswith("meaning may differ from the source: forced-decoding margin -")
    assert "model's own translation: “" in finding.message


@pytest.mark.parametrize(
    ("lang", "quote", "kind", "old", "new"), EDITS[:1] + EDITS[5:7], ids=EDIT_IDS[:1] + EDIT_IDS[5:7]
)
def test_a_finding_says_which_signal_fired_and_by_how_much(
    variant: Variant,
    lang: str,
    quote: str,
    kind: str,
    old: str,
    new: str,
) -> None:
    _, scored = variant(lang, old, new)
    q = next(q for q in scored.quotes if q.quote_id == quote)
    t = scored.thresholds
    assert q.combined is not None and q.back_chrf is not None
    (finding,) = q.findings
    assert finding.check == CHECK and finding.lqi_type == "mistranslation"
    assert (
        f"{COMBINED} {q.combined:.2f}, below the error threshold {t.combined_error:g} by " in finding.message
    )
    assert f"{FORCED} margin {q.margin:.2f} nats/token" in finding.message
    assert f"{BACK} chrF {100 * q.back_chrf:.2f}" in finding.message  # printed on 0-100
    assert f"back-translation: “{(q.back_translation or '')[:20]}" in finding.message
    fired = [COMBINED, *([FORCED] if q.margin < t.margin_warning else [])]
    assert q.fired == (*fired, *([BACK] if q.back_chrf < t.chrf_warning else []))


def test_a_missing_quotation_is_not_scored(
    seed: Seed, article: Article, models: dict[str, MarianTranslator]
) -> None:
    line = next(line for line in seed.lines("ko") if "80%" in line)
    text = seed.ko.replace(line, "리 씨는 인터뷰 중 기자에게 자신의 미래에 대해 물었다.")
    report, scored = fidelity(article, text, "ko", models)
    assert [q.status for q in report.quotes] == [Status.OK, Status.MISSING]
    assert [q.quote_id for q in scored.quotes] == ["q1"]
    assert with_fidelity(report, scored).quotes == report.quotes


class Counting:
    """A real translator that counts its calls (to show the batching, not to replace the model)."""

    def __init__(self, inner: MarianTranslator) -> None:
        self.inner = inner
        self.model_id, self.revision = inner.model_id, inner.revision
        self.calls: list[tuple[str, int]] = []

    def signature(self) -> str:
        return self.inner.signature()

    def translate(self, texts: Sequence[str]) -> list[str]:
        self.calls.append(("translate", len(texts)))
        return self.inner.translate(texts)

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        self.calls.append(("score", len(sources)))
        return self.inner.score(sources, targets)


def test_every_model_is_called_once_for_all_quotations(
    baseline: dict[str, tuple[CheckReport, FidelityReport]], models: dict[str, MarianTranslator]
) -> None:
    report = baseline["uk"][0]
    forward, back = Counting(models["en-uk"]), Counting(models["uk-en"])
    score_fidelity(report, forward, back)
    # Two quotations: their own translations in one call, then forced(target) and forced(own) in one
    # call (the two coincide on the seed, so they are scored once), then one back-translation call.
    assert forward.calls == [("translate", 2), ("score", 2)]
    assert back.calls == [("translate", 2)]


# --- the report -------------------------------------------------------------------------------


def test_the_json_carries_scores_thresholds_models_and_signatures(
    baseline: dict[str, tuple[CheckReport, FidelityReport]],
) -> None:
    doc = json.loads(json.dumps(fidelity_dict(baseline["ko"][1]), ensure_ascii=False))
    assert doc["forward_model"]["model_id"].endswith("models/tiny/en-ko")
    assert doc["forward_model"]["revision"] is None
    assert "beams:4" in doc["forward_model"]["signature"]
    assert doc["back_model"]["model_id"].endswith("models/tiny/ko-en")
    # sacrebleu's chrF signature with its default settings (chrF, not chrF++).
    assert doc["chrf_signature"].startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.")
    assert doc["thresholds"] == {
        "margin_error": DEFAULTS["ko"].margin_error,
        "margin_warning": DEFAULTS["ko"].margin_warning,
        "chrf_error": round(100 * DEFAULTS["ko"].chrf_error, 2),  # printed on 0-100
        "chrf_warning": round(100 * DEFAULTS["ko"].chrf_warning, 2),
        "combined_error": DEFAULTS["ko"].combined_error,
        "combined_warning": DEFAULTS["ko"].combined_warning,
        "weight": DEFAULTS["ko"].weight,
        "source": DEFAULTS["ko"].source,
        "models": list(DEFAULTS["ko"].models),
    }
    assert doc["thresholds_match"] is True
    assert doc["signature"].startswith("fwd:") and doc["signature"].endswith(f"|version:{_version()}")
    assert [q["id"] for q in doc["quotes"]] == ["q1", "q2"]
    assert {k: doc["quotes"][0][k] for k in ("margin", "back_chrf", "combined", "fired", "findings")} == {
        "margin": 0.0,
        "back_chrf": 100.0,
        "combined": 1.0,
        "fired": [],
        "findings": [],
    }


def _version() -> str:
    from aligner import __version__

    return __version__


def test_with_fidelity_puts_the_fidelity_settings_in_the_signature_before_the_version(
    baseline: dict[str, tuple[CheckReport, FidelityReport]],
) -> None:
    report, scored = baseline["uk"]
    signature = with_fidelity(report, scored).signature
    head = report.signature.rpartition("|version:")[0]
    assert signature == f"{head}|fidelity:{DEFAULTS['uk'].short()};fwd={scored.forward.model_id}@local;" + (
        f"back={scored.back.model_id if scored.back else ''}@local|version:{_version()}"
    )


def test_with_fidelity_refuses_a_fidelity_report_of_another_translation(
    baseline: dict[str, tuple[CheckReport, FidelityReport]],
) -> None:
    with pytest.raises(ValueError, match="another check report"):
        with_fidelity(baseline["ko"][0], baseline["uk"][1])


def test_thresholds_for_other_models_are_used_with_a_warning(
    baseline: dict[str, tuple[CheckReport, FidelityReport]],
    models: dict[str, MarianTranslator],
    caplog: pytest.LogCaptureFixture,
) -> None:
    opus = replace(DEFAULTS["ko"], models=("Helsinki-NLP/opus-mt-tc-big-en-ko",))
    scored = score_fidelity(baseline["ko"][0], models["en-ko"], thresholds=opus)
    assert scored.thresholds_match is False
    assert "calibrated for Helsinki-NLP/opus-mt-tc-big-en-ko" in caplog.text


# --- scores and thresholds without a model -------------------------------------------------------


@pytest.mark.parametrize(
    ("margin", "chrf", "weight", "expected"),
    [
        (0.0, 1.0, 0.5, 1.0),
        (0.3, 1.0, 0.5, 1.0),  # a target likelier than the model's own output counts as a ratio of 1
        (-math.log(2), 0.5, 0.5, 0.5),  # half the per-token probability, half the chrF
        (-math.log(4), 0.2, 0.75, 0.75 * 0.25 + 0.25 * 0.2),
        (-1.0, None, 0.5, None),  # no back-translation: no combined score
    ],
    ids=["faithful", "positive-margin", "halves", "weighted", "no-back"],
)
def test_combine(margin: float, chrf: float | None, weight: float, expected: float | None) -> None:
    assert combine(margin, chrf, weight) == (None if expected is None else pytest.approx(expected))


def pair(margin: float, chrf: float | None) -> PairScore:
    back = None if chrf is None else "back"
    return PairScore(margin - 0.1, "own", -0.1, margin, back, chrf)


# With PLAIN: combined = 0.5 * exp(margin) + 0.5 * chrF against 0.5 (error) / 0.7 (warning).
@pytest.mark.parametrize(
    ("margin", "chrf", "term", "severity", "fired"),
    [
        (-0.2, 0.9, False, None, ()),  # 0.859
        (-2.0, 0.9, False, Severity.WARNING, (COMBINED, FORCED)),  # 0.518
        (-2.0, 0.2, False, Severity.ERROR, (COMBINED, FORCED, BACK)),  # 0.168
        (-0.1, 0.3, False, Severity.WARNING, (COMBINED, BACK)),  # 0.602: the back-translation pulls it down
        (-0.7, None, False, Severity.WARNING, (FORCED,)),
        (-1.5, None, False, Severity.ERROR, (FORCED,)),
        (-1.5, None, True, Severity.WARNING, (FORCED,)),  # a term gets a warning at most
    ],
    ids=["ok", "combined-warning", "combined-error", "back-only", "margin-warning", "margin-error", "term"],
)
def test_assess(
    margin: float, chrf: float | None, term: bool, severity: Severity | None, fired: tuple[str, ...]
) -> None:
    _, got_fired, findings = assess(pair(margin, chrf), PLAIN, term=term)
    assert got_fired == fired
    assert [f.severity for f in findings] == ([] if severity is None else [severity])


def test_thresholds_refuse_an_error_above_its_warning_and_a_weight_outside_0_1() -> None:
    with pytest.raises(ValueError, match="at or below its warning"):
        replace(PLAIN, combined_error=0.8)
    with pytest.raises(ValueError, match="weight"):
        replace(PLAIN, weight=1.5)


def test_a_thresholds_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "fidelity.toml"
    written = replace(PLAIN, source='calibrated "here"', models=("org/en-ko", "org/ko-en"))
    path.write_text(thresholds_toml({"ko": written, "uk": PLAIN}, "a comment\nover two lines"), "utf-8")
    assert load_thresholds(path, "ko") == written
    assert load_thresholds(path, "uk") == PLAIN


SCHEMA = 'schema = "aligner.fidelity-thresholds/1"\n'
GOOD = "[ko]\n" + "".join(
    f"{k} = {v}\n"
    for k, v in zip(
        (
            "margin_error",
            "margin_warning",
            "chrf_error",
            "chrf_warning",
            "combined_error",
            "combined_warning",
        ),
        (-1, -0.5, 0.4, 0.6, 0.5, 0.7),
        strict=True,
    )
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read fidelity thresholds"),
        ("schema = [", "not valid TOML"),
        ('schema = "other/1"\n' + GOOD, "schema must be"),
        (SCHEMA + GOOD.replace("[ko]", "[uk]"), "no [ko] table"),
        (SCHEMA + GOOD.replace("chrf_error = 0.4\n", ""), "[ko] lacks chrf_error"),
        (SCHEMA + GOOD.replace("chrf_error = 0.4", 'chrf_error = "x"'), "could not convert"),
        (SCHEMA + GOOD.replace("chrf_error = 0.4", "chrf_error = 0.9"), "at or below its warning"),
    ],
    ids=["missing", "not-toml", "schema", "no-table", "no-field", "not-a-number", "inverted"],
)
def test_a_bad_thresholds_file_is_a_usage_error(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "fidelity.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_thresholds(path, "ko")
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_thresholds_come_from_the_option_then_the_environment_then_the_built_in_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    option, env = tmp_path / "option.toml", tmp_path / "env.toml"
    option.write_text(thresholds_toml({"ko": PLAIN}), encoding="utf-8")
    env.write_text(thresholds_toml({"ko": replace(PLAIN, weight=0.25)}), encoding="utf-8")
    monkeypatch.delenv(THRESHOLDS_ENV, raising=False)
    assert thresholds_for("ko") == DEFAULTS["ko"]
    monkeypatch.setenv(THRESHOLDS_ENV, str(env))
    assert thresholds_for("ko").weight == 0.25
    assert thresholds_for("ko", option) == PLAIN
    monkeypatch.delenv(THRESHOLDS_ENV)
    with pytest.raises(UsageError, match="no built-in fidelity thresholds for 'fr'"):
        thresholds_for("fr")


def test_the_module_imports_no_model_library() -> None:
    code = "import sys, aligner.check.fidelity; print(sorted({'torch', 'transformers'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"


# --- the calibration script -------------------------------------------------------------------


@pytest.fixture(scope="session")
def calibration() -> ModuleType:
    """bench/calibrate_fidelity.py, imported from its path (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "calibrate_fidelity", REPO / "bench" / "calibrate_fidelity.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


def test_the_calibration_edits_are_the_ones_tested_here(calibration: ModuleType) -> None:
    assert [(lang, *edit) for lang in LANGS for edit in calibration.SEED_EDITS[lang]] == EDITS


@pytest.mark.parametrize("lang", LANGS)
def test_the_built_in_thresholds_are_what_the_calibration_computes_on_the_seed(
    calibration: ModuleType, models: dict[str, MarianTranslator], lang: str
) -> None:
    cases = calibration.seed_cases(lang)
    pairs = score_pairs_of(cases, models, lang)
    got = calibration.calibrate([calibration.Scored(c, p) for c, p in zip(cases, pairs, strict=True)], "", ())
    want = DEFAULTS[lang]
    for name in ("margin_error", "margin_warning", "chrf_error", "chrf_warning", "combined_error"):
        assert getattr(got, name) == pytest.approx(getattr(want, name), abs=2e-3), name
    assert (got.combined_warning, got.weight) == (pytest.approx(want.combined_warning, abs=2e-3), want.weight)


def score_pairs_of(cases: Sequence[Any], models: dict[str, MarianTranslator], lang: str) -> list[PairScore]:
    sources = [c.source for c in cases]
    targets = [c.target for c in cases]
    return score_pairs(sources, targets, models[f"en-{lang}"], models[f"{lang}-en"])


# The rules of bench/calibrate_fidelity.py that alter quotations of other data than the seed.
MEANING_CHANGES = [
    ("ko", "negation", "모두 한국 군인이라고 말했다", "모두 한국 군인이 아니라고 말했다"),
    ("ko", "negation", "그는 학생입니다", "그는 학생이 아닙니다"),
    ("ko", "negation", "나는 의사입니다", "나는 의사가 아닙니다"),
    ("ko", "negation", "그는 갈 것입니다", None),  # the future 것입니다 is not a noun + copula
    ("ko", "negation", "우리는 이길 수 있다", "우리는 이길 수 없다"),
    ("ko", "negation", "그가 발표했다", "그가 발표하지 않았다"),
    ("ko", "negation", "그는 안 왔다", "그는 왔다"),
    ("ko", "entity", "미국에서 왔다", "중국에서 왔다"),
    ("ko", "object", "정부가 발표했다", "기업가 발표했다"),
    ("ko", "object", "물론 좋다", None),  # 물 is a noun only before a particle or a space
    ("uk", "negation", "це всі солдати", "це не всі солдати"),
    ("uk", "negation", "Ми можемо перемогти", "Ми не можемо перемогти"),
    ("uk", "negation", "Я не знаю", "Я знаю"),
    ("uk", "entity", "в Південній Кореї", "в Росії"),
    ("uk", "entity", "Росією", None),  # an unlisted case form is left alone
    ("uk", "object", "статус біженця", "громадянство"),
]


@pytest.mark.parametrize(
    ("lang", "kind", "text", "expected"),
    MEANING_CHANGES,
    ids=[f"{lang}-{kind}-{n}" for n, (lang, kind, _, _) in enumerate(MEANING_CHANGES)],
)
def test_calibration_meaning_changes(
    calibration: ModuleType, lang: str, kind: str, text: str, expected: str | None
) -> None:
    changed = calibration.perturb(text, lang, kind)
    assert (changed[0] if changed else None) == expected
