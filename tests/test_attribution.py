"""Attribution identity: who a quotation or a reported statement is credited to in the translation.

Each altered case edits one attribution of a faithful translation (the seed's, or a short made-up
article's) and must give an error naming both the source's entity and the one put in its place;
the faithful translations must stay free of errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.article.parse import parse_article
from aligner.check.checker import Severity, check_translation
from aligner.report.serialize import finding_dict

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Made-up articles: a common-noun source ("according to the city's transport office") and a pronoun
# source ("He denied that …", resolved to the article's minister).
NOUN_EN = (
    "Bus fares to rise in Busan\n"
    "According to the city's transport office, bus fares will rise by 20% in March.\n"
    "The regional health office said that 1,200 new cases were recorded last week.\n"
)
NOUN = {
    "ko": "부산 버스 요금 인상\n시 교통국에 따르면 3월에 버스 요금이 20% 오른다.\n"
    "지역 보건소는 지난주 1,200명의 신규 확진자가 나왔다고 말했다.\n",
    "uk": "У Пусані подорожчає проїзд в автобусах\n"
    "За даними міського транспортного управління, у березні проїзд в автобусах подорожчає на 20%.\n"
    "Регіональне управління охорони здоров'я повідомило, що минулого тижня зафіксовано 1 200 нових випадків.\n",
}
PRONOUN_EN = (
    "President visits Busan\n"
    "President Yoon Suk-yeol visited Busan on Monday with Moon Jae-in.\n"
    "He denied that the government would cut 3,000 jobs.\n"
)
PRONOUN = {
    "ko": "대통령 부산 방문\n윤석열 대통령은 월요일 문재인과 함께 부산을 방문했다.\n"
    "그는 정부가 일자리 3,000개를 줄일 것이라는 보도를 부인했다.\n",
    "uk": "Президент відвідав Пусан\n"
    "Президент Юн Сок Йоль у понеділок відвідав Пусан разом із Мун Чже Іном.\n"
    "Він заперечив, що уряд скоротить 3 000 робочих місць.\n",
}


# A country credited with a statement, and a city of another country the article names: Moscow may
# stand for Russia (metonymy), not for Syria (ntrex-dev euronews-en.153799).
PLACE_EN = "Refugees fled to Moscow last year.\nSyria says it is ready for the return of refugees.\n"
PLACE = {
    "ko": "난민들은 작년에 모스크바로 피신했다.\n시리아는 난민들의 귀환을 받아들일 준비가 되어 있다고 말했다.\n",
    "uk": "Торік біженці втекли до Москви.\nУ Сирії заявляють, що готові до повернення біженців.\n",
}
CAPITAL_EN = PLACE_EN.replace("Syria says", "Russia says")
CAPITAL = {
    "ko": PLACE["ko"].replace("시리아는", "모스크바는"),
    "uk": PLACE["uk"].replace("У Сирії", "У Москві"),
}

# A source that its own claim names again (ntrex-dev reuters.218932): replaced where it stands as
# the source, it is still named inside the claim (그리스 영토, територію Греції).
CLAIM_EN = (
    "Greece, which has a province called Macedonia, has maintained that its northern neighbour's name "
    "represents a claim on its territory.\n"
)
CLAIM = {
    "ko": "마케도니아라는 지방이 있는 그리스는 북쪽 이웃의 이름이 그리스 영토에 대한 소유권 주장이라는 "
    "입장을 유지해 왔다.\n",
    "uk": "Греція, яка має провінцію Македонія, наполягає, що назва її північного сусіда є претензією на "
    "територію Греції.\n",
}

# A person source with a title, and another person of the article (wmt22 guardian.44781).
GIVEN_EN = (
    "Matt Hancock resigned last year.\n"
    "According to Keir Starmer, the Labour leader, the party broke the rules.\n"
)
GIVEN = {
    "ko": "맷 핸콕은 작년에 사임했다.\n노동당 대표 키어 스타머에 따르면 당은 규정을 어겼다.\n",
    "uk": "Метт Хенкок пішов у відставку торік.\nЗа словами Кіра Стармера, лідера лейбористів, партія порушила правила.\n",
}

# Two coordinated subjects (ntrex-dev reuters.218861), and a person the source sentence names
# besides the source (ntrex-dev reuters.218914: "Mickelson has 18 wins, though Furyk said …").
PAIR_EN = (
    "North Korea tested a missile.\nChina and Russia argue that the sanctions should be eased.\n"
    "Jim Furyk picked Phil Mickelson for the team.\nMickelson has 18 wins, though Furyk said his presence helped the team.\n"
)
PAIR = {
    "ko": "북한이 미사일을 시험했다.\n중국과 러시아는 제재를 완화해야 한다고 주장한다.\n"
    "짐 퓨릭은 필 미켈슨을 팀에 뽑았다.\n미켈슨은 18승을 기록하고 있지만 퓨릭은 그의 존재가 팀에 도움이 되었다고 말했다.\n",
    "uk": "Північна Корея випробувала ракету.\nКитай і Росія наполягають, що санкції слід послабити.\n"
    "Джим Фюрик обрав Філа Мікельсона до команди.\nМікельсон має 18 перемог, хоча Фюрик сказав, що його присутність допомогла команді.\n",
}

# A quotation that names another person of the article (ntrex-dev newsweek.51328).
INSIDE_EN = (
    "Brett Kavanaugh was confirmed on Saturday.\n"
    '"It is also about the way they treated Kavanaugh," Guy Cecil, director of Priorities USA, said.\n'
)
INSIDE = {
    "ko": "브렛 캐버노는 토요일에 인준되었다.\n"
    '"그것은 또한 그들이 캐버노를 대한 방식에 관한 것"이라고 프라이오리티스 USA의 가이 세실 국장이 말했다.\n',
    "uk": "Бретта Кавано затвердили в суботу.\n"
    "«Справа також у тому, як вони поводилися з Кавано», – сказав Гай Сесіл, директор Priorities USA.\n",
}


def _seed(lang: str) -> tuple[str, str]:
    return (SEEDS / "nk-soldier.en.txt").read_text("utf-8"), (SEEDS / f"nk-soldier.{lang}.txt").read_text(
        "utf-8"
    )


def _errors(en: str, target: str, lang: str) -> list[str]:
    report = check_translation(parse_article(en), target, lang)
    return [f.message for f in report.findings() if f.severity is Severity.ERROR]


# An organisation credited with "У X кажуть" (at X they say; wmt22 dailymail.co.uk.54769, the
# reference, cut short).
OFFICE_EN = (
    "This year's trend for a second Christmas tree in the bedroom sends sales of smaller spruces soaring\n"
    "Among those buying into the trend, which started in the US, are Carole Middleton, mother of the "
    "Duchess of Cambridge, who gets a second tree for grandchildren George, Louis and Charlotte at her "
    "home in Bucklebury, West Berkshire.\n"
    "British Garden Centres said sales of smaller trees are up 50 per cent this year across its 58 sites.\n"
)
OFFICE = {
    "uk": "Цьогорічний тренд другої різдвяної ялинки в спальні сприяє різкому зростанню продажів "
    "маленьких ялинок\n"
    "Серед тих, хто слідує за трендом, який зародився в США, Керол Міддлтон, мати герцогині "
    "Кембриджської, яка купила другу ялинку для онуків Джорджа, Луї та Шарлотти в свій будинок в "
    "Баклбері, Західний Беркшир.\n"
    "У British\u00a0Garden\u00a0Centres кажуть, що в 58\u00a0центрах продажі маленьких ялинок цього "
    "року зросли на 50\u00a0відсотків.\n",
}

FAITHFUL = [
    ("seed", "ko"),
    ("seed", "uk"),
    ("noun", "ko"),
    ("noun", "uk"),
    ("pronoun", "ko"),
    ("pronoun", "uk"),
    ("place", "ko"),
    ("place", "uk"),
    ("capital", "ko"),
    ("capital", "uk"),
    ("given", "ko"),
    ("given", "uk"),
    ("pair", "ko"),
    ("pair", "uk"),
    ("inside", "ko"),
    ("inside", "uk"),
    ("claim", "ko"),
    ("claim", "uk"),
    ("office", "uk"),
]


def _texts(article: str, lang: str) -> tuple[str, str]:
    if article == "seed":
        return _seed(lang)
    if article == "noun":
        return NOUN_EN, NOUN[lang]
    if article == "place":
        return PLACE_EN, PLACE[lang]
    if article == "capital":
        return CAPITAL_EN, CAPITAL[lang]
    if article == "given":
        return GIVEN_EN, GIVEN[lang]
    if article == "pair":
        return PAIR_EN, PAIR[lang]
    if article == "inside":
        return INSIDE_EN, INSIDE[lang]
    if article == "claim":
        return CLAIM_EN, CLAIM[lang]
    if article == "office":
        return OFFICE_EN, OFFICE[lang]
    return PRONOUN_EN, PRONOUN[lang]


@pytest.mark.parametrize(("article", "lang"), FAITHFUL, ids=[f"{a}-{lang}" for a, lang in FAITHFUL])
def test_faithful_translations_have_no_error(article: str, lang: str) -> None:
    en, target = _texts(article, lang)
    assert _errors(en, target, lang) == []


# (article, lang, old, new, words the error must hold: the source's name and the substitute's).
ALTERED = [
    ("seed", "ko", "키이우가 공개한", "모스크바가 공개한", ("Kiev", "모스크바")),
    ("seed", "uk", "які Київ оприлюднив", "які Москва оприлюднила", ("Kiev", "Москва")),
    ("seed", "ko", "쿠르스크에 배치된", "모스크바에 배치된", ("Kursk", "모스크바")),
    ("seed", "uk", "розгорнутих у Курську", "розгорнутих у Москві", ("Kursk", "Москві")),
    ("seed", "ko", "한편 서울에서는", "한편 도쿄에서는", ("Seoul", "도쿄")),
    ("seed", "uk", "із Сеула повідомляють", "із Токіо повідомляють", ("Seoul", "Токіо")),
    (
        "seed",
        "ko",
        "국가정보원(국정원)은",
        "합동참모본부(합참)는",
        ("National Intelligence Service", "합동참모본부"),
    ),
    (
        "seed",
        "uk",
        "Національна розвідувальна служба (NIS) повідомила",
        "Служба безпеки України повідомила",
        ("National Intelligence Service", "Служба безпеки України"),
    ),
    ("seed", "ko", "”고 리 씨는 말했다", "”고 김정은 위원장은 말했다", ("Ri", "김정은")),
    ("seed", "uk", "— сказав Рі.", "— сказав Кім Чен Ин.", ("Ri", "Кім Чен Ин")),
    ("seed", "ko", "그는 자신이 속한 대대원", "김정은은 자신이 속한 대대원", ("Ri", "김정은")),
    ("seed", "uk", "Він розповів, що більшість", "Кім Чен Ин розповів, що більшість", ("Ri", "Кім Чен Ин")),
    ("seed", "ko", "믿었다고 밝혔다", "믿었다고 부인했다", ("revealed", "부인했다")),
    (
        "seed",
        "uk",
        "розповів в інтерв'ю виданню Chosun Ilbo",
        "заперечив в інтерв'ю виданню Chosun Ilbo",
        ("revealed", "заперечив"),
    ),
    ("noun", "ko", "시 교통국에 따르면", "서울시 교통국에 따르면", ("city's transport office", "서울")),
    (
        "noun",
        "uk",
        "За даними міського транспортного управління",
        "За даними транспортного управління Харкова",
        ("city's transport office", "Харкова"),
    ),
    ("noun", "ko", "요금이 20% 오른다", "요금이 30% 오른다", ("20",)),
    ("noun", "uk", "подорожчає на 20%", "подорожчає на 30%", ("20",)),
    ("pronoun", "ko", "보도를 부인했다", "보도를 확인했다", ("denied", "확인했다")),
    ("pronoun", "uk", "Він заперечив", "Він підтвердив", ("denied", "підтвердив")),
    ("pronoun", "ko", "그는 정부가", "문재인은 정부가", ("Yoon Suk-yeol", "문재인")),
    ("pronoun", "uk", "Він заперечив", "Мун Чже Ін заперечив", ("Yoon Suk-yeol", "Мун Чже Ін")),
    ("pronoun", "ko", "3,000개를", "5,000개를", ("3000",)),
    ("pronoun", "uk", "3 000 робочих", "5 000 робочих", ("3000",)),
    ("place", "ko", "시리아는", "모스크바는", ("Syria", "모스크바")),
    ("place", "uk", "У Сирії заявляють", "У Москві заявляють", ("Syria", "Москві")),
    # the surname replaced, the given name left: Кіра Хенкока
    ("given", "uk", "Кіра Стармера", "Кіра Хенкока", ("Keir Starmer", "Хенкока")),
    # a title between the frame and the name: за словами пана X; and "зі слів X"
    ("given", "uk", "За словами Кіра Стармера", "За словами пана Хенкока", ("Keir Starmer", "Хенкока")),
    ("given", "uk", "За словами Кіра Стармера", "Зі слів Хенкока", ("Keir Starmer", "Хенкока")),
    ("given", "ko", "키어 스타머에", "키어 핸콕에", ("Keir Starmer", "핸콕")),
    ("pair", "ko", "중국과 러시아는", "런던과 러시아는", ("China", "런던")),
    ("pair", "uk", "Китай і Росія", "Лондон і Росія", ("China", "Лондон")),
    ("pair", "ko", "있지만 퓨릭은", "있지만 미켈슨은", ("Furyk", "미켈슨")),
    ("pair", "uk", "хоча Фюрик сказав", "хоча Мікельсон сказав", ("Furyk", "Мікельсон")),
    # the speaker replaced by a person the quotation itself names
    ("inside", "uk", "сказав Гай Сесіл", "сказав Бретт Кавано", ("Guy Cecil", "Кавано")),
    ("inside", "ko", "가이 세실 국장이", "브렛 캐버노 국장이", ("Guy Cecil", "캐버노")),
    # the source replaced where it stands as the source; its name left inside the claim
    ("claim", "ko", "있는 그리스는", "있는 모스크바는", ("Greece", "모스크바")),
    ("claim", "uk", "Греція, яка має", "Москва, яка має", ("Greece", "Москва")),
    # "у X кажуть": at an organisation or someone's office, with a plural speech verb
    (
        "office",
        "uk",
        "У British\u00a0Garden\u00a0Centres кажуть",
        "У Міддлтон кажуть",
        ("British Garden", "Міддлтон"),
    ),
]


@pytest.mark.parametrize(
    ("article", "lang", "old", "new", "named"),
    ALTERED,
    ids=[f"{a}-{lang}-{k}" for k, (a, lang, *_) in enumerate(ALTERED)],
)
def test_altered_attribution_is_an_error_naming_both(
    article: str, lang: str, old: str, new: str, named: tuple[str, ...]
) -> None:
    en, target = _texts(article, lang)
    assert target.count(old) == 1, "the case must edit exactly one place"
    errors = _errors(en, target.replace(old, new), lang)
    assert any(all(word in message for word in named) for message in errors), errors


# (lang, old, new, the evidence's labels, the source side's text and the target side's text).
EVIDENCE = [
    ("ko", "키이우가 공개한", "모스크바가 공개한", ["source", "credited"], "Kiev", "모스크바"),
    ("uk", "розповів в інтерв'ю виданню", "заперечив в інтерв'ю виданню", ["verb"], "revealed", "заперечив"),
    ("ko", "약 5,000명이", "약 6,000명이", ["numbers"], "According to data", "키이우가 공개한"),
]


@pytest.mark.parametrize(
    ("lang", "old", "new", "labels", "source", "target"),
    EVIDENCE,
    ids=["source-ko", "verb-uk", "numbers-ko"],
)
def test_evidence_travels_into_json(
    lang: str, old: str, new: str, labels: list[str], source: str, target: str
) -> None:
    en, text = _seed(lang)
    report = check_translation(parse_article(en), text.replace(old, new), lang)
    finding = next(f for a in report.attributions for f in a.findings if f.severity is Severity.ERROR)
    evidence = finding_dict(finding)["evidence"]
    assert [e["what"] for e in evidence] == labels
    spans = [e["source_span"] for e in evidence if e["source_span"]]
    targets = [e["target_span"] for e in evidence if e["target_span"]]
    assert report.article.text[spans[0][0] : spans[0][1]].startswith(source)
    assert report.target_text[targets[-1][0] : targets[-1][1]].startswith(target)


# A quotation that continues the one before it (its own paragraph, no attribution of its own) is
# credited where that one is (ntrex bbc.381789, cut short). The narration after it names the
# speaker ("Ross's predecessors …"), which credits nothing.
CONTINUED_EN = (
    "Jack Ross: 'My ultimate ambition is to manage Scotland'\n"
    'Sunderland boss Jack Ross says his "ultimate ambition" is to become the Scotland manager at some stage.\n'
    "The Scot, 42, is relishing the challenge of reviving the North-East club, who currently sit third "
    "place in League One, three points off the top.\n"
    "He moved to the Stadium of Light this summer after guiding St Mirren back to the Scottish "
    "Premiership last season.\n"
    '"I wanted to play for my country as a player.\n'
    "I got a B cap and that was it,\" Ross told BBC Scotland's Sportsound.\n"
    '"But I grew up watching Scotland at Hampden a lot with my dad as a kid, and it is always something '
    "that has drawn me back.\n"
    'That opportunity would only come, though, if I am successful in club management."\n'
    "Ross's predecessors as Sunderland manager include Dick Advocaat, David Moyes, Sam Allardyce, "
    "Martin O'Neill, Roy Keane, Gus Poyet and Paulo Di Canio.\n"
)
CONTINUED_KO = (
    "잭 로스, '최종 목표는 스코틀랜드 감독'\n"
    '선덜랜드 감독으로 선임된 잭 로스 감독은 그가 추구하는 "최종 목표"는 적절한 시기에 스코틀랜드 감독이 되는 '
    "것이라고 말했다.\n"
    "스코틀랜드 출신의 42세 로스 감독은 노스-이스트 클럽을 승격시킨 기쁨을 누리고 있는데, 이 클럽은 현재 1부 "
    "리그에서 1등과 3점 차로 3위를 달리고 있다.\n"
    "그는 지난 시즌에 세인트 미렌을 스코틀랜드 프리미어십으로 복귀시킨 후 이번 여름에 스타디움 오브 라이트로 "
    "옮겨갔다.\n"
    '{who} BBC 스코틀랜드 스포츠사운드와의 인터뷰에서 "운동 선수로서 조국을 위해 뛰고 싶었습니다.\n'
    '그러나 저는 이류 선수였고 더 이상 올라갈 수 없었습니다."\n'
    '"어릴 때부터 아버지와 햄프던에서 스코틀랜드 팀의 경기를 자주 관람하며 자랐고 언제나 저를 끌어당기는 '
    "무언가가 있었습니다.\n"
    '클럽을 성공적으로 운영하는 것이 기회를 포착할 수 있는 유일한 길입니다."{own}\n'
    "로스 이전에는 딕 아드보카트, 데이비드 모예스, 샘 앨러다이스, 마틴 오닐, 로이 킨, 거스 포예트, 파울로 디 "
    "카니오가 선덜랜드 감독을 맡았다.\n"
)


@pytest.mark.parametrize(
    ("who", "own", "errors"),
    [
        ("로스 감독은", "", {}),  # faithful
        ("카니오는", "", {"q3": "카니오", "q4": "카니오"}),  # both credited to Di Canio
        ("카니오는", "라고 로스는 덧붙였다.", {"q3": "카니오"}),  # the second credited anew, by its verb
    ],
)
def test_a_continued_quotation_is_credited_where_the_one_before_is(
    who: str, own: str, errors: dict[str, str]
) -> None:
    text = CONTINUED_KO.format(who=who, own=own)
    report = check_translation(parse_article(CONTINUED_EN), text, "ko")
    found = {
        q.id: f.message
        for q in report.quotes
        for f in q.findings
        if f.check == "speaker" and f.severity is Severity.ERROR
    }
    assert sorted(found) == sorted(errors)
    for qid, name in errors.items():
        assert name in found[qid] and "Jack Ross" in found[qid]
