"""Tests for aligner.align.quotes: target quotation spans, target segmentation, sentence and quotation
alignment, on hand-made lines (in the shapes ntrex-dev's human translations take) and on the seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Seed

from aligner.align.quotes import align, find_target_quotes, segment_target
from aligner.article.parse import parse_article
from aligner.spans import Span

# (language, text, expected inside-the-marks text of each part, per quotation)
QUOTE_CASES = [
    ("ko", "“북한군이 왔다”고 리 씨는 말했다.", [["북한군이 왔다"]]),
    ("ko", '"역사적으로 바와 교회였습니다.” 아담 씨가 말했다.', [["역사적으로 바와 교회였습니다."]]),
    ("ko", "그는 ‘너무 끔찍하다’는 말을 반복한다.", [["너무 끔찍하다"]]),
    (
        "ko",
        '"정부가 “그렇습니다”라고 말하면, 우리는 개방합니다."',
        [["정부가 “그렇습니다”라고 말하면, 우리는 개방합니다."]],
    ),
    ("ko", '"A입니다."그는 말했다.”B입니다.”', [["A입니다."], ["B입니다."]]),
    ("uk", "«Ми не відступимо», — сказав Кім.", [["Ми не відступимо"]]),
    ("uk", "„Ми не відступимо“, — сказав Кім.", [["Ми не відступимо"]]),
    ("uk", '"Ми не відступимо", — сказав Кім.', [["Ми не відступимо"]]),
    (
        "uk",
        "«Більшість буде білою, — пояснив Адамс, — тому це прискорить день».",
        [["Більшість буде білою,", "тому це прискорить день"]],
    ),
    ("uk", "«Вона сказала: „Так“ — і пішла»", [["Вона сказала: „Так“ — і пішла"]]),
    ("uk", "Солдат дав інтерв'ю виданню Chosun Ilbo.", []),
    (
        "uk",
        "«Голос за суддю — це голос проти тактики», — заявив Трамп.",
        [["Голос за суддю — це голос проти тактики"]],
    ),
    # a dash parenthesis of the speaker's own words is not an attribution
    (
        "uk",
        '"Якби ми отримали, – обмежене в часі розслідування – ми б погодились".',
        [["Якби ми отримали, – обмежене в часі розслідування – ми б погодились"]],
    ),
    # issue 12: straight marks nested in straight ones, reversed pairs, a space-padded closer
    (
        "ko",
        '"그는 "안 된다"고 말했어요. 우리는 기다렸습니다"라고 김 씨는 말했다.',
        [['그는 "안 된다"고 말했어요. 우리는 기다렸습니다']],
    ),
    ("uk", '"Він сказав "ні", і ми чекали", - сказала Кім.', [['Він сказав "ні", і ми чекали']]),
    ("uk", "»Він сказав ні«, - сказала Кім.", [["Він сказав ні"]]),
    ("ko", "”우리는 기다렸습니다“라고 김 씨는 말했다.", [["우리는 기다렸습니다"]]),
    ("ko", '"우리는 기다렸습니다 "라고 김 씨는 말했다. "또"라고', [["우리는 기다렸습니다 "], ["또"]]),
    ("uk", '"A" і "B" і "C"', [["A"], ["B"], ["C"]]),
]

# Ukrainian dialogue with dashes (wmt25 rink_rats_chapter1, CUNI-SFT; issue 12): the speech is
# the quotation's parts, the author's words between dashes its inserts.
DIALOGUE_CASES = [
    (
        "attribution-last",
        "– Гей, Рі! Готовий? – покликав Кайл згори.",
        ["Гей, Рі! Готовий?"],
        ["покликав Кайл згори."],
    ),
    ("attribution-between", "— Текст, — сказав він. — Ще текст.", ["Текст,", "Ще текст."], ["сказав він."]),
    ("shout", "— ЦІЛИТИСЬ У ЇХНІ ГОЛОВИ! — крикнув він.", ["ЦІЛИТИСЬ У ЇХНІ ГОЛОВИ!"], ["крикнув він."]),
    ("nested-marks", "— Я читав «Кобзар», — сказав він.", ["Я читав «Кобзар»,"], ["сказав він."]),
    ("guillemets-left-to-marks", "— «Текст», — сказав він.", ["Текст"], []),
    ("dash-inside-speech", "— Це — правда.", ["Це — правда."], []),
    # wmt24 forever_snow, NVIDIA-NeMo: hyphens for dashes
    (
        "hyphens",
        "- Добре. Дитина може жити в палаці. - Почав він.",
        ["Добре. Дитина може жити в палаці."],
        ["Почав він."],
    ),
]


@pytest.mark.parametrize(
    ("text", "parts", "inserts"), [c[1:] for c in DIALOGUE_CASES], ids=[c[0] for c in DIALOGUE_CASES]
)
def test_ukrainian_dash_dialogue(text: str, parts: list[str], inserts: list[str]) -> None:
    (quote,) = find_target_quotes(text, "uk")
    assert ([p.of(text) for p in quote.parts], [i.of(text) for i in quote.inserts]) == (parts, inserts)


def test_dash_line_is_no_dialogue_in_korean() -> None:
    assert find_target_quotes("— 우리는 기다렸습니다.", "ko") == ()


@pytest.mark.parametrize(
    ("lang", "text", "expected"), QUOTE_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(QUOTE_CASES)]
)
def test_target_quotes_on_one_line(lang: str, text: str, expected: list[list[str]]) -> None:
    quotes = find_target_quotes(text, lang)
    assert [[p.of(text) for p in q.parts] for q in quotes] == expected


def test_ukrainian_dash_attribution_is_an_insert() -> None:
    text = "«Більшість буде білою, — пояснив Адамс, — тому це прискорить день»."
    (quote,) = find_target_quotes(text, "uk")
    assert [i.of(text) for i in quote.inserts] == ["пояснив Адамс"]
    assert quote.span == Span(1, len(text) - 2)


def test_korean_tail_particle_is_recorded() -> None:
    (quote,) = find_target_quotes("“북한군이 왔다”고 리 씨는 말했다.", "ko")
    assert (quote.opening, quote.closing, quote.tail) == ("“", "”", "고")


MULTILINE_CASES = [
    # English habit: each paragraph reopens, the last one closes
    ("ko", '"첫째 문단입니다.\n"둘째 문단입니다."\n', ["첫째 문단입니다.", "둘째 문단입니다."]),
    # marks only at the ends of a quotation over three lines
    ("ko", '"첫째입니다.\n둘째입니다.\n셋째입니다.”\n', ["첫째입니다.", "둘째입니다.", "셋째입니다."]),
    # the Ukrainian attribution at a line's end, the quotation going on below without a mark
    (
        "uk",
        "«Старі люди кажуть так», — розповідає пан Адамс. —\nТепер немає ні того, ні іншого».\n",
        ["Старі люди кажуть так", "Тепер немає ні того, ні іншого"],
    ),
    # … and the attribution on a line of its own
    (
        "uk",
        "«Чому він поступився?, —\nсказав Трамп, імітуючи ведучого. —\nЯ не поступався».\n",
        ["Чому він поступився?", "Я не поступався"],
    ),
]


@pytest.mark.parametrize(
    ("lang", "text", "parts"), MULTILINE_CASES, ids=["reopen", "bare-lines", "uk-dash", "uk-dash-line"]
)
def test_quotations_over_several_lines(lang: str, text: str, parts: list[str]) -> None:
    (quote,) = find_target_quotes(text, lang)
    assert [p.of(text) for p in quote.parts] == parts


def test_sentences_never_cut_a_quotation() -> None:
    text = "그는 말했다. “제 미래는 밝습니다. 우선 신청할 겁니다. 받아줄까요?”라고 리 씨는 물었다. 끝났다."
    target = segment_target(text, "ko")
    sentences = [s.of(text) for s in target.sentences]
    assert sentences == [
        "그는 말했다.",
        "“제 미래는 밝습니다. 우선 신청할 겁니다. 받아줄까요?”라고 리 씨는 물었다.",
        "끝났다.",
    ]


# A translation that opens on a quotation's closing mark (its opening one lost): MT output and
# sloppy human text do this; the quotation then starts at the text's first character.
UNOPENED = [
    (
        "ko",
        "안녕하세요.”라고 그가 말했다.\n두 번째 줄.",
        "안녕하세요.",
        ["안녕하세요.”라고 그가 말했다.", "두 번째 줄."],
    ),
    ("uk", "Він прийде.» — сказав він.", "Він прийде.", ["Він прийде.» — сказав він."]),
]


@pytest.mark.parametrize(("lang", "text", "quote", "sentences"), UNOPENED, ids=["ko", "uk"])
def test_quotation_without_opening_mark_at_text_start(
    lang: str, text: str, quote: str, sentences: list[str]
) -> None:
    target = segment_target(text, lang)
    assert [q.span.of(text) for q in target.quotes] == [quote]
    assert [s.of(text) for s in target.sentences] == sentences


def test_ukrainian_initials_do_not_end_sentences() -> None:
    text = "Музикант Діонісіо А. Лінд грав тут 18 років тому. Потім він пішов."
    assert len(segment_target(text, "uk").sentences) == 2


@pytest.mark.parametrize("lang", ["ko", "uk"])
def test_seed_quotations_align_to_gold_spans(seed: Seed, lang: str) -> None:
    # gold spans from seeds/nk-soldier.gold.json
    alignment = align(parse_article(seed.en), seed.text(lang), lang)
    got = {qa.quote_id: qa for qa in alignment.quotes}
    for gold in seed.gold["quotes"]:
        qa = got[gold["id"]]
        assert qa.target is not None and qa.target.to_list() == gold[f"{lang}_span"]
        assert qa.target.of(seed.text(lang)) == gold[lang]
        assert qa.method == "marks" and qa.confidence > 0.5


@pytest.mark.parametrize("lang", ["ko", "uk"])
def test_seed_sentences_pair_line_by_line(seed: Seed, lang: str) -> None:
    text = seed.text(lang)
    alignment = align(parse_article(seed.en), text, lang)
    for pair in alignment.sentences:
        assert pair.source and pair.target, "the seed translation keeps every sentence"
        source_lines = {seed.en.count("\n", 0, s.start) for s in pair.source}
        target_lines = {text.count("\n", 0, s.start) for s in pair.target}
        assert source_lines == target_lines


@pytest.mark.parametrize("lang", ["ko", "uk"])
def test_alignment_survives_a_reflowed_translation(seed: Seed, lang: str) -> None:
    """No line structure at all: the whole translation on one line."""
    flat = " ".join(line for line in seed.lines(lang) if line.strip())
    alignment = align(parse_article(seed.en), flat, lang)
    for gold, qa in zip(seed.gold["quotes"], alignment.quotes, strict=True):
        assert qa.target is not None and qa.target.of(flat) == gold[lang]


def test_dropped_quotation_sentence_is_unpaired_and_unaligned(seed: Seed) -> None:
    lines = seed.lines("uk")
    index = next(i for i, line in enumerate(lines) if line.startswith("«Представники"))
    lines[index] = ""
    text = "\n".join(lines)
    alignment = align(parse_article(seed.en), text, "uk")
    unpaired = [p for p in alignment.sentences if not p.target]
    assert [seed.en[p.source[0].start : p.source[0].start + 21] for p in unpaired] == [
        '"Officials from North'
    ]
    q1, q2 = alignment.quotes
    assert (q1.target, q1.method, q1.region) == (None, "none", ())
    assert q2.target is not None and q2.target.of(text).startswith("Я на 80%")


# wmt23 L0593-0597, ref: a short article whose translation leaves out its last but one paragraph, a
# quotation; a third of its text, so the whole-text length ratio would pair the last quotation's
# paragraph with that one's translation.
SHORT_EN = (
    "3.Be passionate about what you're doing and remember your purpose\n"
    "Up until spring of 2022, infectious disease specialist Céline Gounder worked 100 hours a week for "
    "seven days a week.\n"
    "Being on the frontlines during the pandemic ate up almost all of her time, but she avoided burnout "
    "by reminding herself about why her work is important.\n"
    "\"I don't think work feels like work when you feel like you're having an impact,\" says Gounder.\n"
    "\"If you're working crazy hours doing something that has no meaning to you, I think you really do "
    "need to step back and question what you're doing.\"\n"
)
SHORT_UK = (
    "3. Захоплюйтесь тим, що ви робите, й пам’ятайте про свою мету\n"
    "До весни 2022 року інфекціоніст Селін Гундер працювала по 100 годин та сім днів на тиждень.\n"
    "Перебування на передовій під час пандемії з’їдало майже весь її час, але вона уникла вигоряння, "
    "нагадуючи собі, чому її робота є важливою.\n"
    "«Я не думаю, що робота схожа на роботу, коли ти відчуваєш, що маєш вплив», – каже Гундер.\n"
    "«Якщо ви працюєте в шаленому темпі, роблячи щось, що не має для вас сенсу, я вважаю, що вам справді "
    "потрібно зупинитися й задуматися над тим, що ви робите».\n"
)


@pytest.mark.parametrize("dropped", [3, 4], ids=["first-quotation", "second-quotation"])
def test_paragraph_left_out_of_a_short_article_is_the_one_unpaired(dropped: int) -> None:
    lines = SHORT_UK.splitlines()
    lines[dropped] = ""
    alignment = align(parse_article(SHORT_EN), "\n".join(lines) + "\n", "uk")
    kept = [q.quote_id for q in alignment.quotes if q.target is not None]
    assert kept == [("q1", "q2")[4 - dropped]]


# wmt24 test-en-news_pa.52742, ref, its second quotation left out: the one left has about the
# length of either source quotation, and its Latin-script word (ETP) says which.
ETP_EN = (
    "The Securities and Exchange Commission begrudgingly approved exchange-traded funds that directly "
    "hold bitcoin Wednesday, a move long-awaited by fans of digital currencies and criticized by financial "
    "watchdogs skeptical of the crypto industry.\n"
    "The commission authorized 10 exchange-traded funds, or ETFs, that invest in bitcoin, including funds "
    "proposed by giants such as Blackrock and Fidelity as well as by smaller financial companies.\n"
    '"While we approved the listing and trading of certain spot Bitcoin ETP shares today, we did not '
    'approve or endorse Bitcoin," SEC Chair Gary Gensler said in a statement. "Investors should remain '
    'cautious about the myriad risks associated with Bitcoin and products whose value is tied to crypto."\n'
    "Gensler also added that the approval of the bitcoin funds did not imply the SEC would approve funds "
    "or exchange-traded products (ETPs) based on other digital currencies or assets.\n"
)
ETP_UK = (
    "У середу Комісія із цінних паперів і бірж неохоче схвалила біржові фонди, які безпосередньо "
    "володіють біткойнами – крок, на який довго чекали шанувальники цифрових валют і який критикували "
    "фінансові наглядові органи, що скептично ставляться до криптовалютної індустрії.\n"
    "Комісія схвалила 10 біржових фондів (ETF), які інвестують у біткойн, зокрема фонди, запропоновані "
    "гігантами, як-от Blackrock і Fidelity, а також меншими фінансовими компаніями.\n"
    "«Хоча ми схвалили сьогодні лістинг і торгівлю певними спотовими акціями біткойн-ETP, ми не схвалили "
    "й не підтримали біткойн», – сказав голова SEC Гері Генслер у своїй заяві.\n"
    "Генслер також додав, що схвалення біткойн-фондів не означає, що SEC схвалить фонди або біржові "
    "продукти (ETP), створені на основі інших цифрових валют або активів.\n"
)


def test_latin_word_tells_which_quotation_is_left() -> None:
    alignment = align(parse_article(ETP_EN), ETP_UK, "uk")
    assert [q.quote_id for q in alignment.quotes if q.target is not None] == ["q1"]


# ntrex-dev bbc.381789 (uk): the quotation's marks dropped; the club names the translator put in
# marks in the sentence before are no rendering of it.
CLUBS_EN = (
    "And Ross says he feels more comfortable now than he ever did during his playing career at Clyde, "
    "Hartlepool, Falkirk, St Mirren and Hamilton Academical.\n"
    '"It was probably a real crossroads," he recalled, of taking charge of Alloa.\n'
)
CLUBS_UK = (
    "За словами Росса, тепер він почувається більш комфортно, ніж будь-коли під час своєї ігрової "
    'кар’єри в ФК "Клайд", "Гартлпул", "Фолкерк","Сент-Міррен" і "Гамільтон Академікал".\n'
    'Я опинився на роздоріжжі, – згадує він, говорячи про перехід в ФК "Аллоа".\n'
)


def test_quoted_name_next_door_renders_no_quotation() -> None:
    (quote,) = align(parse_article(CLUBS_EN), CLUBS_UK, "uk").quotes
    assert (quote.target, quote.method) == (None, "none")


def test_a_term_may_be_rendered_by_a_capitalised_word() -> None:
    # wmt23 L0904-0928, GPT4-5shot: a headline's quoted term, its rendering capitalised
    text = "'Інтуїція' відсутньої жінки не в річці\n"
    (quote,) = align(parse_article("'Gut instinct' missing woman is not in river\n"), text, "uk").quotes
    assert quote.target is not None and quote.target.of(text) == "Інтуїція"


# (id, English, Ukrainian, the target parts of the first quotation): a quotation split in two by
# an attribution is one rendering; a quoted name after narration is not its second half.
SPLITS = [
    (
        "split-by-attribution",
        '"Yes. Good," he said.',
        "«Так», — сказав він. — «Добре».",
        ["Так", "Добре"],
    ),
    (
        # wmt24 the_other_side_stormfall, ref
        "term-after-narration",
        "“Yes sir. They should be on their way now,” At 0500 sharp, Exodus company assembled.",
        "«Так, пане. Вони вже мають бути в дорозі». Рівно о 05:00 підрозділ «Вихід» зібрався.",
        ["Так, пане. Вони вже мають бути в дорозі"],
    ),
]


@pytest.mark.parametrize(("en", "uk", "parts"), [c[1:] for c in SPLITS], ids=[c[0] for c in SPLITS])
def test_split_quotation_pieces(en: str, uk: str, parts: list[str]) -> None:
    from aligner.check.checker import check_translation

    report = check_translation(parse_article(en), uk, "uk")
    assert [p.of(report.target_text).strip(" ,.") for p in report.quotes[0].target_parts] == parts


def test_a_quotation_after_a_closed_one_with_a_trailing_dash_is_new() -> None:
    """wmt22 pa.10292, ref: «…», – сказав він із кривою посмішкою. – / «Як ми …?» is two
    quotations: the next line opens its own (a continuation below the dash has no opening mark)."""
    text = (
        "«Як завжди, ви ставите найкраще запитання», – сказав він. –\n«Як ми збираємося з цим працювати?»\n"
    )
    quotes = find_target_quotes(text, "uk")
    assert [[p.of(text) for p in q.parts] for q in quotes] == [
        ["Як завжди, ви ставите найкраще запитання"],
        ["Як ми збираємося з цим працювати?"],
    ]


def test_two_source_quotations_share_one_split_by_a_dash_attribution() -> None:
    """NTREX cbsnews.248384 (uk): «Я стою …, — сказала одна жінка. —» goes on below with the
    second source quotation; each gets its own part, neither is left without a target."""
    data = Path(__file__).parent / "data"
    article = parse_article((data / "ntrex.cbsnews.248384.excerpt.en.txt").read_text(encoding="utf-8"))
    target = (data / "ntrex.cbsnews.248384.excerpt.uk.txt").read_text(encoding="utf-8")
    alignment = align(article, target, "uk")
    rendered = [[p.of(target) for p in qa.target_parts] for qa in alignment.quotes]
    assert rendered[0] == ["Я стою прямо перед вами,"]
    assert rendered[1][0] == "Ви думаєте, він говорить правду країні?"


@pytest.mark.parametrize(
    ("line", "parts", "inserts"),
    [
        # wmt22 smh.com.au.12471: no closing mark; the dash attribution ends the quotation
        (
            "«Інтернет зараз у вогні, – прокоментував Адам Мейерс, аналітик компанії Crowdstrike.",
            ["Інтернет зараз у вогні,"],
            ["прокоментував Адам Мейерс, аналітик компанії Crowdstrike"],
        ),
        # the same with no comma before the dash
        (
            "«Мені важко уявити компанію, яка не ризикує – прокоментував Джо Салліван.",
            ["Мені важко уявити компанію, яка не ризикує"],
            ["прокоментував Джо Салліван"],
        ),
        # a dash inside the speaker's own words is no attribution: the quotation runs on
        (
            "«Ми чекали три роки – і нарешті дочекалися.",
            ["Ми чекали три роки – і нарешті дочекалися."],
            [],
        ),
    ],
)
def test_unclosed_quotation_ends_at_a_dash_attribution(
    line: str, parts: list[str], inserts: list[str]
) -> None:
    text = line + "\n«Друга цитата», – сказав він."
    quotes = find_target_quotes(text, "uk")
    assert [i.of(text) for i in quotes[0].inserts] == inserts
    if inserts:  # the quotation ends there; the next line's is a quotation of its own
        assert [p.of(text) for p in quotes[0].parts] == parts
        assert [p.of(text) for p in quotes[1].parts] == ["Друга цитата"]
    else:  # an unclosed quotation goes on with the next paragraph's (CONVENTIONS.md)
        assert [p.of(text) for p in quotes[0].parts] == [*parts, "Друга цитата"]
