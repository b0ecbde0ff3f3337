"""Quote blocks and their rendering in Korean and Ukrainian typography (no model: the units are
filled from a table, so the composition rules are tested on their own)."""

from __future__ import annotations

import pytest

from aligner.article.parse import parse_article
from aligner.translate.quoting import Narration, QuoteBlock, compose, plan_article

PLAN_CASES = [
    # (id, article, expected segments as (kind, sentences-or-text, frame, frame_first))
    ("after", '"We will win," Kim said.\n', [("q", ("We will win,",), "Kim said.", False)]),
    ("said name", '"We will win," said Kim.\n', [("q", ("We will win,",), "said Kim.", False)]),
    ("before colon", 'Kim said: "We will win."\n', [("q", ("We will win.",), "Kim said.", True)]),
    (
        "split quote is one block",
        '"We will win," he said, "and we will stay."\n',
        [("q", ("We will win, and we will stay.",), "he said.", False)],
    ),
    (
        "multi-sentence quote",
        '"I am sure. I will apply. Will they accept me?" Ri asked.\n',
        [("q", ("I am sure.", "I will apply.", "Will they accept me?"), "Ri asked.", False)],
    ),
    (
        "narration around",
        'Ri was hurt. "It was bad," he said.\n',
        [("n", "Ri was hurt."), ("q", ("It was bad,",), "he said.", False)],
    ),
    ("headline quote", '"We will win"\n', [("q", ("We will win",), None, False)]),
]


def _shape(segment: Narration | QuoteBlock) -> tuple[object, ...]:
    if isinstance(segment, Narration):
        return ("n", segment.text)
    return ("q", segment.sentences, segment.frame, segment.frame_first)


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in PLAN_CASES], ids=[c[0] for c in PLAN_CASES])
def test_plan_article(text: str, expected: list[tuple[object, ...]]) -> None:
    plan = plan_article(parse_article(text))
    segments = [s for p in plan.paragraphs for s in p.segments]
    assert [_shape(s) for s in segments] == expected


# Units for the rendering table: what a model would return for each English unit.
KO = {
    "We will win,": "우리는 이길 것이다",
    "We will win.": "우리는 이길 것이다.",
    "Will they accept me?": "받아줄까요?",
    "Kim said.": "김 위원장은 말했다.",
    "Ri asked.": "리 씨는 물었다.",
    "We will win": "우리는 이긴다",
    'He said "no" twice.': '그는 "아니"라고 두 번 말했다',
}
UK = {
    "We will win,": "Ми переможемо",
    "We will win.": "Ми переможемо.",
    "Will they accept me?": "Мене приймуть?",
    "Kim said.": "Сказав Кім.",
    "Ri asked.": "Запитав Рі.",
    "We will win": "Ми переможемо",
    'He said "no" twice.': "Він двічі сказав «ні»",
}

RENDER_CASES = [
    (
        "ko after, 다 takes 고",
        "ko",
        '"We will win," Kim said.\n',
        "“우리는 이길 것이다”고 김 위원장은 말했다.\n",
    ),
    (
        "ko question takes 라고",
        "ko",
        '"Will they accept me?" Ri asked.\n',
        "“받아줄까요?”라고 리 씨는 물었다.\n",
    ),
    ("ko before colon", "ko", 'Kim said: "We will win."\n', "“우리는 이길 것이다”고 김 위원장은 말했다.\n"),
    ("ko headline", "ko", '"We will win"\n', "“우리는 이긴다”\n"),
    (
        "uk after: comma and dash, verb lowered",
        "uk",
        '"We will win," Kim said.\n',
        "«Ми переможемо», — сказав Кім.\n",
    ),
    ("uk question: no comma", "uk", '"Will they accept me?" Ri asked.\n', "«Мене приймуть?» — запитав Рі.\n"),
    ("uk before colon", "uk", 'Kim said: "We will win."\n', "Сказав Кім: «Ми переможемо».\n"),
    ("uk headline: period outside", "uk", '"We will win"\n', "«Ми переможемо».\n"),
]


@pytest.mark.parametrize(
    ("lang", "text", "expected"), [c[1:] for c in RENDER_CASES], ids=[c[0] for c in RENDER_CASES]
)
def test_compose_renders_target_typography(lang: str, text: str, expected: str) -> None:
    plan = plan_article(parse_article(text))
    table = KO if lang == "ko" else UK
    composed = compose(plan, {u: table[u] for u in plan.units()}, lang)
    assert composed.text == expected
    (span,) = composed.quote_spans["q1"]
    opening = "“" if lang == "ko" else "«"
    assert composed.text[span.start - 1] == opening


def test_inner_double_marks_become_inner_quotes() -> None:
    text = '"He said "no" twice," Ri said.\n'
    article = parse_article(text)
    plan = plan_article(article)
    sentences = [s for p in plan.paragraphs for s in p.segments if isinstance(s, QuoteBlock)][0].sentences
    ko = compose(
        plan, {**dict.fromkeys(sentences, KO['He said "no" twice.']), "Ri said.": "리 씨는 말했다."}, "ko"
    )
    assert "‘아니’" in ko.text and ko.text.count("“") == 1
    uk = compose(
        plan, {**dict.fromkeys(sentences, UK['He said "no" twice.']), "Ri said.": "Сказав Рі."}, "uk"
    )
    assert "„ні“" in uk.text and uk.text.count("«") == 1


def test_multi_paragraph_quote_opens_each_paragraph_and_closes_once() -> None:
    text = '"First paragraph of the speech.\n"Second and last," Kim said.\n'
    plan = plan_article(parse_article(text))
    table = {
        "First paragraph of the speech.": "Перший абзац промови.",
        "Second and last,": "Другий і останній",
        "Kim said.": "Сказав Кім.",
    }
    composed = compose(plan, {u: table[u] for u in plan.units()}, "uk")
    assert composed.text == "«Перший абзац промови.\n«Другий і останній», — сказав Кім.\n"
    assert len(composed.quote_spans["q1"]) == 2


def test_paragraph_structure_and_crlf_are_kept() -> None:
    text = "Title\r\n\r\nRi was hurt.\r\n"
    plan = plan_article(parse_article(text))
    composed = compose(plan, {"Title": "제목", "Ri was hurt.": "리 씨는 다쳤다."}, "ko")
    assert composed.text == "제목\r\n\r\n리 씨는 다쳤다.\r\n"
