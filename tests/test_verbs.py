"""Tests for aligner.lang.verbs: speech verbs in Korean and Ukrainian and verb-class compatibility."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.article.records import VerbClass
from aligner.lang.verbs import COMPATIBLE, compatible, find_speech_verbs
from aligner.spans import Span

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
N, Q, A, ADM, D = (
    VerbClass.NEUTRAL,
    VerbClass.QUESTION,
    VerbClass.ASSERTIVE,
    VerbClass.ADMISSION,
    VerbClass.DENIAL,
)
R, W, P, ANS, E = VerbClass.REPORT, VerbClass.WARNING, VerbClass.PROMISE, VerbClass.ANSWER, VerbClass.EMOTIVE
EM = VerbClass.EMPHASIS

# (id, lang, text, expected [(surface, lemma, class)])
FIND_CASES: list[tuple[str, str, str, list[tuple[str, str, VerbClass]]]] = [
    # Korean: the attribution verbs of CONVENTIONS.md §2.1 and the brief, in their press forms.
    ("ko-malhaetda", "ko", '"…"라고 말했다.', [("말했다", "말하다", N)]),
    ("ko-malhanda", "ko", "그는 이렇게 말한다", [("말한다", "말하다", N)]),
    ("ko-malhamyeo", "ko", '"…"라고 말하며 "…"', [("말하며", "말하다", N)]),
    ("ko-formal", "ko", "라고 말했습니다.", [("말했습니다", "말하다", N)]),
    ("ko-honorific", "ko", "라고 말씀하셨다", [("말씀하셨다", "말씀하다", N)]),
    ("ko-balkhyeotda", "ko", "고 밝혔다.", [("밝혔다", "밝히다", R)]),
    ("ko-jeonhaetda", "ko", "고 전했다.", [("전했다", "전하다", R)]),
    ("ko-deotbutyeotda", "ko", "라고 덧붙였다.", [("덧붙였다", "덧붙이다", N)]),
    ("ko-seolmyeong", "ko", "라고 설명했다", [("설명했다", "설명하다", N)]),
    ("ko-mureotda", "ko", '"…?"라고 물었다.', [("물었다", "묻다", Q)]),
    ("ko-jilmun", "ko", "라고 질문했다", [("질문했다", "질문하다", Q)]),
    ("ko-jujang", "ko", "라고 주장했다", [("주장했다", "주장하다", A)]),
    ("ko-jujang-connective", "ko", '"…"고 주장하며 "…"', [("주장하며", "주장하다", A)]),
    ("ko-gangjo", "ko", "고 강조했다", [("강조했다", "강조하다", EM)]),
    ("ko-yeokseol", "ko", "고 역설했다", [("역설했다", "역설하다", EM)]),
    ("ko-injeong", "ko", "고 인정했다", [("인정했다", "인정하다", ADM)]),
    ("ko-siin", "ko", "고 시인했다", [("시인했다", "시인하다", ADM)]),
    ("ko-gobaek", "ko", "고 고백했다", [("고백했다", "고백하다", ADM)]),
    ("ko-teoreonoatda", "ko", "고 털어놓았다", [("털어놓았다", "털어놓다", ADM)]),
    ("ko-teoreonwatda", "ko", "고 털어놨다", [("털어놨다", "털어놓다", ADM)]),
    ("ko-buin", "ko", "고 부인했다", [("부인했다", "부인하다", D)]),
    ("ko-bujeong", "ko", "고 부정했다", [("부정했다", "부정하다", D)]),
    ("ko-bujeong-adjective", "ko", "부정한 방법으로", []),
    ("ko-wife-not-denial", "ko", "그의 부인은", []),
    ("ko-gyeonggo", "ko", "고 경고했다", [("경고했다", "경고하다", W)]),
    ("ko-yaksok", "ko", "고 약속했다", [("약속했다", "약속하다", P)]),
    ("ko-dap", "ko", "라고 답했다", [("답했다", "답하다", ANS)]),
    ("ko-daedap", "ko", "라고 대답했다", [("대답했다", "대답하다", ANS)]),
    ("ko-oechyeotda", "ko", "라고 외쳤다", [("외쳤다", "외치다", E)]),
    ("ko-sseotda", "ko", "라고 썼습니다", [("썼습니다", "쓰다", N)]),
    ("ko-quotative-hada", "ko", '"…"라고 했다', [("했다", "하다", N)]),
    ("ko-hada-not-after-quote", "ko", "운동을 했다", []),
    ("ko-hada-after-and", "ko", "그리고 했다", []),
    ("ko-ramyeo-not-verb", "ko", '"…"라며 웃었다', []),
    ("ko-claim-noun", "ko", "그의 주장은", []),
    ("ko-inside-word", "ko", "완전한 안전한", []),
    (
        "ko-two",
        "ko",
        '"…"라고 말하며 "…"라고 덧붙였다',
        [("말하며", "말하다", N), ("덧붙였다", "덧붙이다", N)],
    ),
    # Ukrainian: genders, numbers, tenses (CONVENTIONS.md §2.2 and the brief).
    ("uk-skazav", "uk", "— сказав він.", [("сказав", "сказати", N)]),
    ("uk-skazala", "uk", "— сказала вона.", [("сказала", "сказати", N)]),
    ("uk-skazaly", "uk", "сказали вони", [("сказали", "сказати", N)]),
    ("uk-kazhe", "uk", "— каже Рі.", [("каже", "казати", N)]),
    ("uk-kazav", "uk", "казав він", [("казав", "казати", N)]),
    ("uk-zayavyv", "uk", "заявив Зеленський", [("заявив", "заявити", N)]),
    ("uk-zayavyla", "uk", "Заявила вона", [("Заявила", "заявити", N)]),
    ("uk-zaznachyv", "uk", "зазначив він", [("зазначив", "зазначити", N)]),
    ("uk-dodav", "uk", "додав він", [("додав", "додати", N)]),
    ("uk-dodaye", "uk", "додає він", [("додає", "додати", N)]),
    ("uk-rozpoviv", "uk", "розповів він", [("розповів", "розповісти", N)]),
    ("uk-rozpovila", "uk", "розповіла вона", [("розповіла", "розповісти", N)]),
    ("uk-poyasnyv", "uk", "пояснив він", [("пояснив", "пояснити", N)]),
    ("uk-povidomyv", "uk", "повідомив він", [("повідомив", "повідомити", R)]),
    ("uk-povidomlyayut", "uk", "повідомляють ЗМІ", [("повідомляють", "повідомити", R)]),
    ("uk-zapytav", "uk", "запитав Рі", [("запитав", "запитати", Q)]),
    ("uk-spytala", "uk", "спитала вона", [("спитала", "спитати", Q)]),
    ("uk-napolyahav", "uk", "наполягав він", [("наполягав", "наполягати", A)]),
    ("uk-napolih", "uk", "наполіг він", [("наполіг", "наполягати", A)]),
    ("uk-stverdzhuye", "uk", "стверджує вона", [("стверджує", "стверджувати", A)]),
    ("uk-naholosyv", "uk", "наголосив він", [("наголосив", "наголосити", EM)]),
    # fiction dialogue (wmt-dev literary)
    ("uk-vidhuknuvsia", "uk", "«Угу», – відгукнувся Кохрен.", [("відгукнувся", "відгукнутися", ANS)]),
    ("uk-promovyly", "uk", "– промовили Айворі", [("промовили", "промовити", N)]),
    ("uk-burknuv", "uk", "– буркнув він", [("буркнув", "буркнути", N)]),
    ("uk-perepytala", "uk", "– перепитала вона", [("перепитала", "перепитати", Q)]),
    ("ko-jungeolgeoryeotda", "ko", "라고 그가 중얼거렸다", [("중얼거렸다", "중얼거리다", N)]),
    ("ko-daekkuhaetda", "ko", "라고 그가 대꾸했다", [("대꾸했다", "대꾸하다", ANS)]),
    ("uk-tvitnula", "uk", "– твітнула вона у вересні", [("твітнула", "твітнути", N)]),
    ("ko-teuwit", "ko", "라고 트윗했다", [("트윗했다", "트윗하다", N)]),
    ("uk-vyznav", "uk", "визнав він", [("визнав", "визнати", ADM)]),
    ("uk-ziznavsya", "uk", "зізнався солдат", [("зізнався", "зізнатися", ADM)]),
    ("uk-ziznalas", "uk", "зізналась вона", [("зізналась", "зізнатися", ADM)]),
    ("uk-zaperechyv", "uk", "заперечив він", [("заперечив", "заперечити", D)]),
    ("uk-sprostuvala", "uk", "спростувала вона", [("спростувала", "спростувати", D)]),
    ("uk-poperedyv", "uk", "попередив він", [("попередив", "попередити", W)]),
    ("uk-poobitsyav", "uk", "пообіцяв він", [("пообіцяв", "пообіцяти", P)]),
    ("uk-vidpoviv", "uk", "відповів він", [("відповів", "відповісти", ANS)]),
    ("uk-vidpovidaye", "uk", "відповідає вона", [("відповідає", "відповісти", ANS)]),
    ("uk-vyhuknuv", "uk", "вигукнув він", [("вигукнув", "вигукнути", E)]),
    ("uk-zakrychala", "uk", "закричала вона", [("закричала", "закричати", E)]),
    ("uk-gerund", "uk", "додавши:", [("додавши", "додати", N)]),
    ("uk-not-a-verb", "uk", "заява сказка казарма", []),
    # English uses aligner.article.records.VERB_FORMS.
    ("en-said", "en", "Ri said.", [("said", "say", N)]),
]


@pytest.mark.parametrize(
    ("lang", "text", "expected"), [c[1:] for c in FIND_CASES], ids=[c[0] for c in FIND_CASES]
)
def test_find_speech_verbs(lang: str, text: str, expected: list[tuple[str, str, VerbClass]]) -> None:
    found = find_speech_verbs(text, lang)
    assert [(v.span.of(text), v.lemma, v.verb_class) for v in found] == expected


def test_region_and_offsets() -> None:
    text = "리는 말했다. 그리고 물었다."
    found = find_speech_verbs(text, "ko", Span(7, len(text)))
    assert [(v.span, v.lemma) for v in found] == [(Span(12, 15), "묻다")]


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="unsupported language 'fr'"):
        find_speech_verbs("dit", "fr")


# (id, language, gold verb of seeds/nk-soldier.gold.json q1/q2)
SEED_CASES = [("ko", "말했다", N), ("ko", "물었다", Q), ("uk", "сказав", N), ("uk", "запитав", Q)]


@pytest.mark.parametrize(
    ("lang", "surface", "verb_class"), SEED_CASES, ids=[f"{c[0]}-{c[1]}" for c in SEED_CASES]
)
def test_seed_gold_verbs(lang: str, surface: str, verb_class: VerbClass) -> None:
    text = (SEEDS / f"nk-soldier.{lang}.txt").read_text(encoding="utf-8")
    assert (surface, verb_class) in {(v.span.of(text), v.verb_class) for v in find_speech_verbs(text, lang)}


# (id, source class, target class, kept) — the table in aligner/verbs.py COMPATIBLE.
COMPATIBLE_CASES = [
    ("said-malhaetda", N, N, True),
    ("said-balkhyeotda", N, R, True),  # 밝혔다 for "said": 4 of 126 ntrex-dev ko lines
    ("said-answer", N, ANS, True),
    ("replied-said", ANS, N, True),
    ("revealed-said", R, N, True),
    ("said-claimed", N, A, False),  # 주장했다 for "said" adds force
    ("claimed-said", A, N, False),  # and "claimed" -> 말했다 drops the reporter's distance
    ("claimed-insisted", A, A, True),
    ("asked-said", Q, N, False),
    ("asked-asked", Q, Q, True),
    ("said-asked", N, Q, False),
    ("denied-said", D, N, False),
    ("denied-denied", D, D, True),
    ("admitted-said", ADM, N, False),
    ("admitted-admitted", ADM, ADM, True),
    ("said-admitted", N, ADM, False),
    ("warned-said", W, N, False),
    ("promised-said", P, N, False),
    ("shouted-said", E, N, True),
    ("said-shouted", N, E, False),
    ("added-stressed", N, EM, True),  # ntrex-dev: "added" -> 강조했습니다, "said" -> запевнив
    ("stressed-said", EM, N, True),
    ("stressed-insisted", EM, A, True),
    ("claimed-stressed", A, EM, True),
    ("denied-stressed", D, EM, False),
    ("said-claimed-not-stressed", EM, D, False),
]


@pytest.mark.parametrize(
    ("source", "target", "kept"), [c[1:] for c in COMPATIBLE_CASES], ids=[c[0] for c in COMPATIBLE_CASES]
)
def test_compatible(source: VerbClass, target: VerbClass, kept: bool) -> None:
    assert compatible(source, target) is kept


def test_every_class_keeps_itself() -> None:
    assert set(COMPATIBLE) == set(VerbClass)
    assert all(compatible(c, c) for c in VerbClass)


# Forms the hand-written table does not spell out, found through pymorphy3 lemmas (future,
# imperfective in every gender and number); the class is the table's for the lemma.
MORPH_CASES = [
    ("future-neutral", "вона казатиме", ("казатиме", "казати", VerbClass.NEUTRAL)),
    ("imperfective-denial", "вони заперечували це", ("заперечували", "заперечити", VerbClass.DENIAL)),
    ("future-assertive", "вони наголошуватимуть", ("наголошуватимуть", "наголосити", VerbClass.EMPHASIS)),
    ("perfective-report", "міністерство підтвердило", ("підтвердило", "підтвердити", VerbClass.REPORT)),
    ("plural-denial", "вони заперечили", ("заперечили", "заперечити", VerbClass.DENIAL)),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in MORPH_CASES], ids=[c[0] for c in MORPH_CASES])
def test_ukrainian_forms_through_pymorphy3(text: str, expected: tuple[str, str, VerbClass]) -> None:
    verbs = find_speech_verbs(text, "uk")
    assert [(v.span.of(text), v.lemma, v.verb_class) for v in verbs] == [expected]


def test_ukrainian_non_verbs_stay_out() -> None:
    text = "Будинок стоїть біля річки, а заява лежить на столі."
    assert find_speech_verbs(text, "uk") == ()
