"""Calibrate the fidelity thresholds of ``aligner/fidelity.py`` on faithful and meaning-changed quotations.

For each target language: the faithful pairs are the (source quotation, human translation of it)
pairs that ``aligner check`` aligns without an error; the altered pairs are the same human
translations with one meaning change (a negation added or removed, an entity swapped, an object
changed). Each pair gets both fidelity signals (``fidelity.score_pairs``); the thresholds are placed
where faithful and altered scores part (rules under ``cut`` and ``pick_weight``). Quotations paired
with another quotation's translation ("unrelated") are scored and shown but not used to calibrate.

    # the built-in defaults: the seed article with the tiny seed models (models/tiny)
    python bench/calibrate_fidelity.py
    # real OPUS-MT weights on real human translations, thresholds written for `aligner check`
    python bench/calibrate_fidelity.py --model ko=Helsinki-NLP/opus-mt-tc-big-en-ko \\
        --back-model ko=Helsinki-NLP/opus-mt-tc-big-ko-en \\
        --data ../shared/eval/ntrex-dev --out fidelity.toml

Prints markdown tables (scores per pair, thresholds and rates, the weight search) and the TOML;
``--out`` writes the TOML that ``aligner check --fidelity-thresholds`` or ``$ALIGNER_FIDELITY_THRESHOLDS``
reads; ``--json`` writes every scored pair.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from aligner.article.parse import parse_article
from aligner.article.records import QuoteKind
from aligner.check.checker import Severity, Status, check_translation
from aligner.check.fidelity import (
    PairScore,
    Thresholds,
    assess,
    combine,
    quote_texts,
    score_pairs,
    thresholds_toml,
)
from aligner.translate.engines.marian import MarianTranslator
from aligner.translate.registry import load_registry

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("ko", "uk")
# At most this share of faithful quotations may get an error (a warning) at the chosen thresholds.
ERROR_FPR = 0.01
WARNING_FPR = 0.05
# Forced-decoding share of the combined score, searched on this grid; both signals keep at least a
# quarter of the say, so neither model alone decides.
WEIGHTS = tuple(round(0.25 + 0.05 * i, 2) for i in range(11))
MEANING = ("negation", "entity", "object")
SIGNALS = ("margin", "back chrF", "fidelity")
# Below this AUC a signal is reported as not separating faithful from meaning-changed quotations.
MIN_AUC = 0.7

# --- meaning changes ---------------------------------------------------------------------------

# The seed's edits, one realistic meaning change per (quotation, kind): (quote id, kind, old, new).
SEED_EDITS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "ko": (
        ("q1", "negation", "모두 한국 군인이라고", "한국 군인이 아니라고"),
        ("q1", "entity", "한국 군인", "러시아 군인"),
        ("q1", "object", "드론 조종사들은", "포병들은"),
        ("q2", "negation", "신청할 겁니다", "신청하지 않을 겁니다"),
        ("q2", "entity", "우선 한국에", "우선 러시아에"),
        ("q2", "object", "난민 지위를", "시민권을"),
    ),
    "uk": (
        ("q1", "negation", "це всі південнокорейські солдати", "це не південнокорейські солдати"),
        ("q1", "entity", "південнокорейські солдати", "російські солдати"),
        ("q1", "object", "пілоти українських військових дронів", "українські артилеристи"),
        ("q2", "negation", "Спершу я подам", "Спершу я не подам"),
        ("q2", "entity", "в Південній Кореї", "в Росії"),
        ("q2", "object", "статус біженця", "громадянство"),
    ),
}

_HANGUL = "[가-힣]"
_KO_NOUN_END = r"(?=[을를이가은는도에의와과로만]|\s|$|[.,!?”\"])"


def _ko_subject(noun: str) -> str:
    """``noun`` with 이 after a final consonant, 가 after a vowel (아니다 takes a subject particle)."""
    return noun + ("이" if (ord(noun[-1]) - 0xAC00) % 28 else "가")


# Rules tried in order; the first whose pattern occurs in the quotation is applied once.
# Korean: 했다 -> 하지 않았다, 있다 -> 없다, 군인이라고 -> 군인이 아니라고, and dropping 안/못.
_KO_NEGATION: tuple[tuple[str, str | Callable[[re.Match[str]], str]], ...] = (
    # A noun + copula, not the future "할 것입니다" (할 것이 아닙니다 is not Korean).
    (rf"({_HANGUL}+)(?<!것)이라고", lambda m: f"{m[1]}이 아니라고"),
    (rf"({_HANGUL}+)(?<!것)입니다", lambda m: f"{_ko_subject(m[1])} 아닙니다"),
    (rf"({_HANGUL}+)(?<!것)이다(?={_HANGUL}|\W|$)", lambda m: f"{m[1]}이 아니다"),
    (r"수 있", "수 없"),
    (r"(?<!고 )있(습니다|다|었다|었습니다|을|는)", r"없\1"),
    (rf"({_HANGUL}+)했습니다", r"\1하지 않았습니다"),
    (rf"({_HANGUL}+)했다", r"\1하지 않았다"),
    (rf"({_HANGUL}+)합니다", r"\1하지 않습니다"),
    (rf"({_HANGUL}+)한다", r"\1하지 않는다"),
    (rf"({_HANGUL}+)할 (것|겁니다)", r"\1하지 않을 \2"),
    (r"(?<=\s)(안|못) (?=[가-힣])", ""),
)
_UK_VERBS = (
    "є може можуть можемо можу буде будуть був була було були мав мала мали має мають маю хочу хоче "
    "хочуть хотів хотіла хотіли треба потрібно знаю знає знають вірю думаю вважаю вважає вважають бачу "
    "бачив бачили каже кажуть сказав сказала сказали говорить підтримує підтримують працює працюють "
    "живе живуть робить роблять планує планують повинен повинна повинні зможе зможуть"
).split()
# Ukrainian: "не" before a common finite verb or after це, or an existing "не" dropped.
_UK_NEGATION: tuple[tuple[str, str | Callable[[re.Match[str]], str]], ...] = (
    (r"\bце\b(?!\s+не\b)", "це не"),
    (rf"(?<!\bне )\b({'|'.join(_UK_VERBS)})\b", r"не \1"),
    (r"\b[Нн]е\s+", ""),
)
_KO_ENTITIES = (
    "한국:러시아 러시아:한국 미국:중국 중국:미국 영국:프랑스 프랑스:영국 일본:독일 독일:일본 트럼프:바이든 "
    "바이든:트럼프 오바마:부시 공화당:민주당 민주당:공화당 런던:파리 워싱턴:베이징 뉴욕:시카고 "
    "캘리포니아:텍사스 텍사스:캘리포니아 유럽:아시아"
)
_UK_ENTITIES = (
    "Південної_Кореї:Росії Південній_Кореї:Росії Південна_Корея:Росія південнокорейські:російські "
    "південнокорейських:російських Росії:України Росія:Україна України:Росії Україні:Росії Україна:Росія "
    "США:КНР Америки:Європи Америці:Європі Америка:Європа американці:європейці американців:європейців "
    "Британії:Франції Британія:Франція Лондоні:Парижі Лондона:Парижа Лондон:Париж Китаю:Японії Китай:Японія "
    "Трампа:Байдена Трампом:Байденом Трампу:Байдену Трамп:Байден Обами:Буша Обама:Буш "
    "республіканці:демократи республіканців:демократів демократи:республіканці демократів:республіканців "
    "Вашингтоні:Пекіні Вашингтон:Пекін Нью-Йорку:Чикаго Нью-Йорк:Чикаго Каліфорнії:Техасу Техасі:Каліфорнії "
    "Європі:Азії Європи:Азії"
)
_KO_OBJECTS = (
    "난민_지위:시민권 돈:시간 학교:병원 병원:학교 아이들:노인들 어린이:노인 학생들:교사들 학생:교사 "
    "정부:기업 경찰:군대 집:사무실 음식:물 일자리:집 세금:임금 전쟁:선거 선거:전쟁 의사:변호사 "
    "여성:남성 남성:여성 가족:친구 친구:가족 회사:정부 도시:나라 나라:도시 "
    "사람들:관리들 게임:시험 선수들:팬들 팬들:선수들 경기:훈련 백신:약"
)
_UK_OBJECTS = (
    "статус_біженця:громадянство гроші:час грошей:часу школа:лікарня школи:лікарні школі:лікарні "
    "школу:лікарню діти:старі дітей:літніх_людей дітям:літнім_людям уряд:бізнес уряду:бізнесу "
    "поліція:армія поліції:армії поліцію:армію будинок:автомобіль вода:їжа воду:їжу води:їжі "
    "податки:зарплати податків:зарплат лікарі:юристи лікарів:юристів жінки:чоловіки жінок:чоловіків "
    "чоловіки:жінки люди:чиновники людей:чиновників гра:іспит гри:іспиту команда:компанія команди:компанії "
    "гравці:вболівальники гравців:вболівальників студенти:викладачі студентів:викладачів роботу:житло "
    "роботи:житла місто:село міста:села місті:селі країна:місто країни:міста"
)


def _swaps(table: str, lang: str) -> tuple[tuple[str, str], ...]:
    """``"a_b:c"`` words to (pattern, replacement) rules; Korean nouns end at a particle or a space."""
    rules = []
    for item in table.split():
        old, new = (side.replace("_", " ") for side in item.split(":"))
        pattern = (
            rf"(?<!{_HANGUL}){re.escape(old)}{_KO_NOUN_END}" if lang == "ko" else rf"\b{re.escape(old)}\b"
        )
        rules.append((pattern, new))
    return tuple(rules)


RULES = {
    "ko": {
        "negation": _KO_NEGATION,
        "entity": _swaps(_KO_ENTITIES, "ko"),
        "object": _swaps(_KO_OBJECTS, "ko"),
    },
    "uk": {
        "negation": _UK_NEGATION,
        "entity": _swaps(_UK_ENTITIES, "uk"),
        "object": _swaps(_UK_OBJECTS, "uk"),
    },
}


def perturb(text: str, lang: str, kind: str) -> tuple[str, str] | None:
    """Return ``text`` with the first fitting rule of ``kind`` applied once, and a note (None: none fits)."""
    for pattern, new in RULES[lang][kind]:
        match = re.search(pattern, text)
        if match is not None:
            replaced = match.expand(new) if isinstance(new, str) else new(match)
            return text[: match.start()] + replaced + text[match.end() :], f"{match[0]} -> {replaced}"
    return None


# --- cases ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    """One (source quotation, target) pair to score: faithful, altered by ``kind``, or unrelated."""

    lang: str
    doc: str
    quote_id: str
    kind: str
    source: str
    target: str
    note: str = ""


def faithful_cases(doc: str, en: str, target: str, lang: str) -> list[Case]:
    """The quotations ``aligner check`` aligns without an error, as (source, human translation) pairs."""
    report = check_translation(parse_article(en), target, lang)
    cases = []
    for quote in report.quotes:
        source, text = quote_texts(report, quote)
        if quote.status is Status.OK and quote.kind is not QuoteKind.TERM and text.strip():
            if not any(f.severity is Severity.ERROR for f in quote.findings):
                cases.append(Case(lang, doc, quote.id, "faithful", source, text))
    return cases


def seed_cases(lang: str) -> list[Case]:
    """The seed article's quotations and the hand-made meaning changes of ``SEED_EDITS``."""
    seeds = ROOT / "seeds"
    en, target = (seeds / f"nk-soldier.{code}.txt" for code in ("en", lang))
    faithful = faithful_cases("nk-soldier", en.read_text(encoding="utf-8"), target.read_text("utf-8"), lang)
    by_id = {case.quote_id: case for case in faithful}
    altered = []
    for quote_id, kind, old, new in SEED_EDITS[lang]:
        base = by_id[quote_id]
        if old not in base.target:
            raise ValueError(f"seed edit {old!r} is not in {quote_id} ({lang})")
        text = base.target.replace(old, new, 1)
        altered.append(Case(lang, base.doc, quote_id, kind, base.source, text, f"{old} -> {new}"))
    return [*faithful, *altered, *_unrelated(faithful)]


def data_cases(data: Path, lang: str, limit: int | None = None) -> list[Case]:
    """Faithful quotations of every document of ``data`` (``DOC.en.txt`` + ``DOC.LANG.txt``) and the
    automatic meaning changes of ``RULES`` (each kind where a rule fits)."""
    docs = sorted({p.name.rsplit(".", 2)[0] for p in data.glob("*.en.txt")})[:limit]
    faithful = [
        case
        for doc in docs
        for case in faithful_cases(
            doc,
            (data / f"{doc}.en.txt").read_text("utf-8"),
            (data / f"{doc}.{lang}.txt").read_text("utf-8"),
            lang,
        )
    ]
    altered = []
    for base in faithful:
        for kind in MEANING:
            changed = perturb(base.target, lang, kind)
            if changed is not None:
                altered.append(Case(lang, base.doc, base.quote_id, kind, base.source, *changed))
    return [*faithful, *altered, *_unrelated(faithful)]


def _unrelated(faithful: Sequence[Case]) -> list[Case]:
    """Each source quotation paired with the next quotation's translation (a wholly wrong translation)."""
    if len(faithful) < 2:
        return []
    return [
        Case(
            a.lang, a.doc, a.quote_id, "unrelated", a.source, b.target, f"translation of {b.doc}/{b.quote_id}"
        )
        for a, b in zip(faithful, [*faithful[1:], faithful[0]], strict=True)
    ]


# --- thresholds ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scored:
    """A case and both of its signals."""

    case: Case
    pair: PairScore


def low_quantile(values: Sequence[float], share: float) -> float:
    """The value with at most ``share`` of ``values`` strictly below it (the lowest when share * n < 1)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.floor(share * len(ordered)))]


def cut(faithful: Sequence[float], altered: Sequence[float], share: float) -> float:
    """The threshold that flags at most ``share`` of the faithful scores and as many altered ones as that
    allows, placed midway between the ``share`` quantile of faithful scores and the highest altered score
    below it (so the cut sits in the gap, not on a sample)."""
    q = low_quantile(faithful, share)
    below = [a for a in altered if a < q]
    return (q + max(below)) / 2 if below else q


def separates(faithful: Sequence[float], altered: Sequence[float]) -> bool:
    """True when some altered score lies below the ``ERROR_FPR`` quantile of the faithful scores."""
    q = low_quantile(faithful, ERROR_FPR)
    return any(a < q for a in altered)


def thresholds_of(
    faithful: Sequence[float], altered: Sequence[float], unrelated: Sequence[float] = ()
) -> tuple[float, float]:
    """(error, warning): error by ``cut`` at ``ERROR_FPR``; warning halfway between the error threshold
    and the ``WARNING_FPR`` quantile of faithful scores (never below the error threshold).

    When no meaning change moves the signal below the faithful scores, the cut is placed from the
    unrelated pairs instead, so the signal still flags a wholly wrong translation.
    """
    basis = altered if separates(faithful, altered) else [*altered, *unrelated]
    error = cut(faithful, basis, ERROR_FPR)
    warning = max(error, (error + low_quantile(faithful, WARNING_FPR)) / 2)
    return round(error, 4), round(warning, 4)


def auc(faithful: Sequence[float], altered: Sequence[float]) -> float:
    """P(faithful score > altered score), ties counted half."""
    wins = sum((f > a) + 0.5 * (f == a) for f in faithful for a in altered)
    return wins / (len(faithful) * len(altered))


def _combined(rows: Sequence[Scored], weight: float) -> list[float]:
    return [combine(r.pair.margin, r.pair.back_chrf, weight) or 0.0 for r in rows]


def weight_search(
    faithful: Sequence[Scored], altered: Sequence[Scored]
) -> list[tuple[float, float, float, float]]:
    """(weight, AUC, recall at the error cut, gap under the faithful quantile) for each of ``WEIGHTS``."""
    rows = []
    for weight in WEIGHTS:
        f, a = _combined(faithful, weight), _combined(altered, weight)
        error = cut(f, a, ERROR_FPR)
        q = low_quantile(f, ERROR_FPR)
        below = [x for x in a if x < q]
        rows.append((weight, auc(f, a), sum(x < error for x in a) / len(a), q - max(below) if below else 0.0))
    return rows


def pick_weight(search: Sequence[tuple[float, float, float, float]]) -> float:
    """The weight with the best AUC, then recall, then the widest gap (the first such weight on ties)."""
    return max(search, key=lambda row: row[1:])[0]


def split(scored: Sequence[Scored]) -> tuple[list[Scored], list[Scored], list[Scored]]:
    """The faithful, meaning-changed and unrelated cases."""
    return (
        [s for s in scored if s.case.kind == "faithful"],
        [s for s in scored if s.case.kind in MEANING],
        [s for s in scored if s.case.kind == "unrelated"],
    )


def signal(rows: Sequence[Scored], name: str, weight: float) -> list[float]:
    """The values of one signal (``margin``, ``back chrF`` or ``fidelity``) over ``rows``."""
    if name == "margin":
        return [r.pair.margin for r in rows]
    if name == "back chrF":
        return [r.pair.back_chrf or 0.0 for r in rows]
    return _combined(rows, weight)


def calibrate(scored: Sequence[Scored], source: str, models: tuple[str, ...]) -> Thresholds:
    """Thresholds from the faithful, meaning-changed (and, as a fallback, unrelated) cases of one language."""
    faithful, altered, unrelated = split(scored)
    if not faithful or not altered:
        raise SystemExit(
            f"calibration needs faithful and altered quotations ({len(faithful)}, {len(altered)})"
        )
    weight = pick_weight(weight_search(faithful, altered))
    (m_e, m_w), (c_e, c_w), (f_e, f_w) = (
        thresholds_of(*(signal(rows, name, weight) for rows in (faithful, altered, unrelated)))
        for name in SIGNALS
    )
    return Thresholds(m_e, m_w, c_e, c_w, f_e, f_w, weight=weight, source=source, models=models)


# --- report --------------------------------------------------------------------------------------


def _verdict(pair: PairScore, t: Thresholds) -> str:
    _, fired, findings = assess(pair, t)
    return findings[0].severity.value if findings else "ok"


def _margin_only(pair: PairScore) -> PairScore:
    return PairScore(pair.forced_logprob, pair.own_translation, pair.own_logprob, pair.margin, None, None)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def cases_table(scored: Sequence[Scored], t: Thresholds) -> Iterator[str]:
    """One row per scored pair, with the verdict under ``t`` (both signals, and the margin alone)."""
    yield (
        "| lang | doc/quote | kind | edit | forced | own | margin | back chrF | fidelity | verdict "
        "| margin only |"
    )
    yield "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"
    for s in scored:
        c, p = s.case, s.pair
        fid = combine(p.margin, p.back_chrf, t.weight)
        yield (
            f"| {c.lang} | {c.doc}/{c.quote_id} | {c.kind} | {c.note[:48]} | {p.forced_logprob:.3f} | "
            f"{p.own_logprob:.3f} | {p.margin:.3f} | {_num(p.back_chrf)} | {_num(fid)} | "
            f"{_verdict(p, t)} | {_verdict(_margin_only(p), t)} |"
        )


def thresholds_table(lang: str, t: Thresholds, scored: Sequence[Scored]) -> Iterator[str]:
    """Per signal: the thresholds, where faithful and altered scores lie, and what each threshold flags."""
    faithful, altered, unrelated = split(scored)
    limits = [(t.margin_error, t.margin_warning), (t.chrf_error, t.chrf_warning)]
    limits.append((t.combined_error, t.combined_warning))
    for name, (error, warning) in zip(SIGNALS, limits, strict=True):
        f, a = signal(faithful, name, t.weight), signal(altered, name, t.weight)
        basis = "meaning changes" if separates(f, a) else "unrelated"
        caught = f"{sum(x < error for x in a)}/{sum(x < warning for x in a)} of {len(a)}"
        flagged = f"{sum(x < error for x in f)}/{sum(x < warning for x in f)} of {len(f)}"
        yield (
            f"| {lang} | {name} | {error:g} | {warning:g} | {basis} | {min(f):.3f} | "
            f"{low_quantile(f, WARNING_FPR):.3f} | {max(a):.3f} | {auc(f, a):.3f} | {caught} | {flagged} |"
        )


def kinds_table(lang: str, t: Thresholds, scored: Sequence[Scored]) -> Iterator[str]:
    """Per kind of pair: how many get an error, a warning or nothing (both signals; margin alone)."""
    for kind in ("faithful", *MEANING, "unrelated"):
        rows = [s for s in scored if s.case.kind == kind]
        both = [_verdict(s.pair, t) for s in rows]
        alone = [_verdict(_margin_only(s.pair), t) for s in rows]
        counts = "/".join(str(both.count(v)) for v in ("error", "warning", "ok"))
        counts_alone = "/".join(str(alone.count(v)) for v in ("error", "warning", "ok"))
        yield f"| {lang} | {kind} | {len(rows)} | {counts} | {counts_alone} |"


# --- main ----------------------------------------------------------------------------------------


def _pairs(values: Sequence[str], option: str) -> dict[str, str]:
    out = {}
    for value in values:
        lang, sep, model = value.partition("=")
        if not sep or lang not in LANGS or not model:
            raise SystemExit(f"{option} {value!r}: write LANG=HUB_ID_OR_DIR with LANG in {', '.join(LANGS)}")
        out[lang] = model
    return out


def _model_key(model_id: str) -> str:
    return "/".join(Path(model_id).parts[-2:])


def _translator(direction: str, model: str, args: argparse.Namespace) -> MarianTranslator:
    """Load ``model`` for ``direction`` once (``default``: the registry's pinned default)."""
    entry = load_registry().resolve(direction, None if model == "default" else model)
    return MarianTranslator(entry, device=args.device, beams=args.beams, batch_size=args.batch_size).load()


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", action="append", default=[], help="LANG=ID_OR_DIR|default, en->LANG")
    parser.add_argument("--back-model", action="append", default=[], help="LANG=ID_OR_DIR|default, LANG->en")
    parser.add_argument("--data", type=Path, help="folder of DOC.en.txt + DOC.LANG.txt (default: the seed)")
    parser.add_argument("--limit", type=int, help="first N documents of --data only")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--beams", type=int, default=4, help="as `aligner check` will decode (default 4)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--out", type=Path, help="write the thresholds TOML here")
    parser.add_argument("--json", type=Path, help="write every scored pair here")
    return parser.parse_args(argv)


def run_lang(lang: str, args: argparse.Namespace) -> tuple[Thresholds, list[Scored], list[str]]:
    """Load the two models of ``lang`` once, score every case in one batch per model, calibrate."""
    forward_id = _pairs(args.model, "--model").get(lang, str(ROOT / "models" / "tiny" / f"en-{lang}"))
    back_id = _pairs(args.back_model, "--back-model").get(lang, str(ROOT / "models" / "tiny" / f"{lang}-en"))
    forward, back = _translator(f"en-{lang}", forward_id, args), _translator(f"{lang}-en", back_id, args)
    cases = data_cases(args.data, lang, args.limit) if args.data else seed_cases(lang)
    pairs = score_pairs([c.source for c in cases], [c.target for c in cases], forward, back)
    scored = [Scored(c, p) for c, p in zip(cases, pairs, strict=True)]
    data = f"{args.data.name} ({args.limit or 'all'} docs)" if args.data else "seeds/nk-soldier"
    n_f = sum(c.kind == "faithful" for c in cases)
    n_a = sum(c.kind in MEANING for c in cases)
    source = (
        f"bench/calibrate_fidelity.py on {data}: {n_f} faithful, {n_a} altered quotations, {date.today()}"
    )
    t = calibrate(scored, source, (_model_key(forward.model_id), _model_key(back.model_id)))
    notes = [f"{lang} forward: {forward.signature()}", f"{lang} back: {back.signature()}"]
    return t, scored, notes


def weak_signals(lang: str, t: Thresholds, scored: Sequence[Scored]) -> list[str]:
    """A warning for each signal whose AUC on faithful vs meaning-changed pairs is below ``MIN_AUC``."""
    faithful, altered, _ = split(scored)
    lines = []
    for name in SIGNALS:
        value = auc(signal(faithful, name, t.weight), signal(altered, name, t.weight))
        if value < MIN_AUC:
            lines.append(
                f"WARNING: {lang} {name}: AUC {value:.3f} < {MIN_AUC}: with these models and data this "
                "signal does not reliably tell faithful from meaning-changed quotations"
            )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Calibrate each language, print the tables and the TOML, write ``--out`` and ``--json``."""
    args = arguments(argv)
    langs = sorted(_pairs(args.model, "--model")) or list(LANGS)
    results = {lang: run_lang(lang, args) for lang in langs}
    print(report(results))
    weak = [line for lang, (t, scored, _) in results.items() for line in weak_signals(lang, t, scored)]
    for line in weak:
        print(line, file=sys.stderr)
    notes = [note for _, _, n in results.values() for note in n] + weak
    toml = thresholds_toml(
        {lang: t for lang, (t, _, _) in results.items()},
        "\n".join(["written by bench/calibrate_fidelity.py", *notes]),
    )
    print(toml)
    if args.out:
        args.out.write_text(toml, encoding="utf-8")
    if args.json:
        rows = [{**asdict(s.case), **asdict(s.pair)} for _, scored, _ in results.values() for s in scored]
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


_THRESHOLDS_HEAD = (
    "lang | signal | error | warning | cut from | faithful min | faithful 5% | altered max | AUC "
    "| altered caught (err/warn) | faithful flagged (err/warn)"
)


def _section(title: str, head: str, rows: Iterable[str]) -> list[str]:
    cells = head.split(" | ")
    return ["", f"## {title}", "", f"| {head} |", "| " + " | ".join("---" for _ in cells) + " |", *rows]


def _weights(lang: str, t: Thresholds, scored: Sequence[Scored]) -> Iterator[str]:
    faithful, altered, _ = split(scored)
    for w, a, r, g in weight_search(faithful, altered):
        mark = " (chosen)" if w == t.weight else ""
        yield f"| {lang} | {w:.2f}{mark} | {a:.3f} | {r:.3f} | {g:.4f} |"


def report(results: dict[str, tuple[Thresholds, list[Scored], list[str]]]) -> str:
    """The markdown tables of every language."""
    items = [(lang, t, scored) for lang, (t, scored, _) in results.items()]
    lines = ["## Scores per pair", ""]
    for _, t, scored in items:
        lines += [*cases_table(scored, t), ""]
    lines += _section("Thresholds", _THRESHOLDS_HEAD, (r for i in items for r in thresholds_table(*i)))
    lines += _section(
        "Verdicts per kind (error/warning/ok)",
        "lang | kind | n | both signals | margin only",
        (r for i in items for r in kinds_table(*i)),
    )
    lines += _section(
        "Weight search (forced-decoding share of the fidelity score)",
        "lang | weight | AUC | recall at error | gap",
        (r for i in items for r in _weights(*i)),
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
