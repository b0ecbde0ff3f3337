"""Speech verbs in Korean and Ukrainian translations, and which verb classes count as kept.

:func:`find_speech_verbs` finds attribution verbs (말했다, 주장하며, 밝혔다; сказав,
заявила, наголошують …) with their lemma and :class:`~aligner.article.records.VerbClass`;
:func:`compatible` says whether a target verb keeps the force of the source verb
(``COMPATIBLE`` is the table, with the reasons next to it). Lookups are per word against
precomputed form tables, so a scan costs one regex pass over the text.

Ukrainian: the lexicon (which verbs, which class) stays hand-written, as no library classes speech
verbs by force; their forms come from two places. The table's past stems and common present forms
are matched directly (fast, and the tested core); any other word with a verb ending goes to
pymorphy3 (``aligner.lang.morph``), whose lemma is looked up among the table's infinitives of
both aspects (заперечила -> заперечити, заперечувала -> заперечувати, казатиме -> казати). That
replaces listing the future, imperfective and participle forms by hand. Korean stays
hand-written: a verb is a 하다 noun or a stem plus endings, which the stem table covers, and no
maintained Korean analyser ships as a light wheel.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from aligner.lang.morph import uk_verb_lemmas
from aligner.spans import Span


class VerbClass(StrEnum):
    """The force of a speech verb; translation must keep the class."""

    NEUTRAL = "neutral"  # say, tell, add, note, comment
    QUESTION = "question"  # ask, wonder
    ASSERTIVE = "assertive"  # claim, insist, argue
    EMPHASIS = "emphasis"  # stress, emphasise, underline, assure
    ADMISSION = "admission"  # admit, confess, concede
    DENIAL = "denial"  # deny, dispute
    REPORT = "report"  # report, reveal, announce
    WARNING = "warning"  # warn, threaten
    PROMISE = "promise"  # promise, vow, pledge
    ANSWER = "answer"  # reply, respond, answer
    EMOTIVE = "emotive"  # shout, scream, whisper, cry


# The English speech-verb lexicon: lemma -> (class, every inflected form). Sources: the
# attribution verbs of ntrex-dev and of newsroom style guides (CONVENTIONS.md §2).
SPEECH_VERBS: dict[str, tuple[VerbClass, tuple[str, ...]]] = {
    "say": (VerbClass.NEUTRAL, ("say", "says", "said", "saying")),
    "tell": (VerbClass.NEUTRAL, ("tell", "tells", "told", "telling")),
    "add": (VerbClass.NEUTRAL, ("add", "adds", "added", "adding")),
    "note": (VerbClass.NEUTRAL, ("note", "notes", "noted", "noting")),
    "comment": (VerbClass.NEUTRAL, ("comment", "comments", "commented", "commenting")),
    "mention": (VerbClass.NEUTRAL, ("mention", "mentions", "mentioned", "mentioning")),
    "explain": (VerbClass.NEUTRAL, ("explain", "explains", "explained", "explaining")),
    "state": (VerbClass.NEUTRAL, ("states", "stated", "stating")),
    "write": (VerbClass.NEUTRAL, ("write", "writes", "wrote", "written", "writing")),
    "continue": (VerbClass.NEUTRAL, ("continue", "continues", "continued", "continuing")),
    "remark": (VerbClass.NEUTRAL, ("remark", "remarks", "remarked", "remarking")),
    "observe": (VerbClass.NEUTRAL, ("observe", "observes", "observed", "observing")),
    "recall": (VerbClass.NEUTRAL, ("recall", "recalls", "recalled", "recalling")),
    "tweet": (VerbClass.NEUTRAL, ("tweet", "tweets", "tweeted", "tweeting")),
    "post": (VerbClass.NEUTRAL, ("posted",)),
    "suggest": (VerbClass.NEUTRAL, ("suggest", "suggests", "suggested", "suggesting")),
    "point out": (VerbClass.NEUTRAL, ("pointed",)),
    "reiterate": (VerbClass.NEUTRAL, ("reiterate", "reiterates", "reiterated", "reiterating")),
    "ask": (VerbClass.QUESTION, ("ask", "asks", "asked", "asking")),
    "wonder": (VerbClass.QUESTION, ("wonder", "wonders", "wondered", "wondering")),
    "inquire": (VerbClass.QUESTION, ("inquire", "inquires", "inquired", "enquired")),
    "claim": (VerbClass.ASSERTIVE, ("claim", "claims", "claimed", "claiming")),
    "insist": (VerbClass.ASSERTIVE, ("insist", "insists", "insisted", "insisting")),
    "argue": (VerbClass.ASSERTIVE, ("argue", "argues", "argued", "arguing")),
    "maintain": (VerbClass.ASSERTIVE, ("maintain", "maintains", "maintained")),
    "assert": (VerbClass.ASSERTIVE, ("assert", "asserts", "asserted", "asserting")),
    "contend": (VerbClass.ASSERTIVE, ("contend", "contends", "contended")),
    "stress": (VerbClass.EMPHASIS, ("stressed", "stressing")),
    "emphasise": (VerbClass.EMPHASIS, ("emphasise", "emphasised", "emphasize", "emphasized", "emphasizes")),
    "underline": (VerbClass.EMPHASIS, ("underlined", "underlining")),
    "assure": (VerbClass.EMPHASIS, ("assure", "assures", "assured", "assuring")),
    "declare": (VerbClass.ASSERTIVE, ("declare", "declares", "declared", "declaring")),
    "allege": (VerbClass.ASSERTIVE, ("allege", "alleges", "alleged")),
    "admit": (VerbClass.ADMISSION, ("admit", "admits", "admitted", "admitting")),
    "confess": (VerbClass.ADMISSION, ("confess", "confesses", "confessed", "confessing")),
    "concede": (VerbClass.ADMISSION, ("concede", "concedes", "conceded", "conceding")),
    "acknowledge": (VerbClass.ADMISSION, ("acknowledge", "acknowledges", "acknowledged", "acknowledging")),
    "deny": (VerbClass.DENIAL, ("deny", "denies", "denied", "denying")),
    "dispute": (VerbClass.DENIAL, ("disputes", "disputed")),
    "report": (VerbClass.REPORT, ("report", "reports", "reported", "reporting")),
    "reveal": (VerbClass.REPORT, ("reveal", "reveals", "revealed", "revealing")),
    "announce": (VerbClass.REPORT, ("announce", "announces", "announced", "announcing")),
    "disclose": (VerbClass.REPORT, ("disclose", "discloses", "disclosed")),
    "confirm": (VerbClass.REPORT, ("confirm", "confirms", "confirmed", "confirming")),
    "cite": (VerbClass.REPORT, ("cite", "cites", "cited", "citing")),
    "warn": (VerbClass.WARNING, ("warn", "warns", "warned", "warning")),
    "threaten": (VerbClass.WARNING, ("threaten", "threatens", "threatened")),
    "caution": (VerbClass.WARNING, ("cautioned", "cautions")),
    "promise": (VerbClass.PROMISE, ("promise", "promises", "promised", "promising")),
    "vow": (VerbClass.PROMISE, ("vow", "vows", "vowed", "vowing")),
    "pledge": (VerbClass.PROMISE, ("pledge", "pledges", "pledged", "pledging")),
    "swear": (VerbClass.PROMISE, ("swear", "swears", "swore", "sworn")),
    "reply": (VerbClass.ANSWER, ("reply", "replies", "replied", "replying")),
    "respond": (VerbClass.ANSWER, ("respond", "responds", "responded", "responding")),
    "answer": (VerbClass.ANSWER, ("answer", "answers", "answered")),
    "retort": (VerbClass.ANSWER, ("retort", "retorts", "retorted")),
    "shout": (VerbClass.EMOTIVE, ("shout", "shouts", "shouted", "shouting")),
    "scream": (VerbClass.EMOTIVE, ("scream", "screams", "screamed", "screaming")),
    "whisper": (VerbClass.EMOTIVE, ("whisper", "whispers", "whispered")),
    "cry": (VerbClass.EMOTIVE, ("cried",)),
    "yell": (VerbClass.EMOTIVE, ("yell", "yells", "yelled", "yelling")),
    "exclaim": (VerbClass.EMOTIVE, ("exclaim", "exclaims", "exclaimed")),
    "chant": (VerbClass.EMOTIVE, ("chanted", "chanting")),
    "sigh": (VerbClass.EMOTIVE, ("sighed",)),
    "joke": (VerbClass.EMOTIVE, ("joked", "jokes")),
    "complain": (VerbClass.EMOTIVE, ("complain", "complains", "complained", "complaining")),
    "boast": (VerbClass.EMOTIVE, ("boast", "boasts", "boasted", "boasting")),
    "plead": (VerbClass.EMOTIVE, ("plead", "pleads", "pleaded", "pled")),
    "quip": (VerbClass.EMOTIVE, ("quipped",)),
    # fiction dialogue (wmt-dev literary); muttering and grumbling are a manner of saying, not
    # a stance: fiction translators write буркнув, 중얼거렸다 for "said" (neutral)
    "mutter": (VerbClass.NEUTRAL, ("mutter", "mutters", "muttered", "muttering")),
    "murmur": (VerbClass.NEUTRAL, ("murmur", "murmurs", "murmured", "murmuring")),
    "mumble": (VerbClass.NEUTRAL, ("mumble", "mumbles", "mumbled", "mumbling")),
    "grumble": (VerbClass.NEUTRAL, ("grumble", "grumbles", "grumbled", "grumbling")),
    "snap": (VerbClass.EMOTIVE, ("snapped",)),
}
# Every inflected form -> (lemma, class): 'said' -> ('say', NEUTRAL).
VERB_FORMS: dict[str, tuple[str, VerbClass]] = {
    form: (lemma, verb_class) for lemma, (verb_class, forms) in SPEECH_VERBS.items() for form in forms
}


LANGS = ("en", "ko", "uk")

_N, _Q, _A = VerbClass.NEUTRAL, VerbClass.QUESTION, VerbClass.ASSERTIVE
_ADM, _D, _R = VerbClass.ADMISSION, VerbClass.DENIAL, VerbClass.REPORT
_W, _P, _ANS, _E = VerbClass.WARNING, VerbClass.PROMISE, VerbClass.ANSWER, VerbClass.EMOTIVE
_EM = VerbClass.EMPHASIS


@dataclass(frozen=True, slots=True)
class TargetVerb:
    """A speech verb found in a translation: the whole word, its dictionary form and class."""

    span: Span
    lemma: str
    verb_class: VerbClass


# --- Korean ------------------------------------------------------------------------------------

# 하다 verbs by class: the noun part, conjugated as 말했다, 말한다, 말하며, 말합니다, 말해.
# Classes follow aligner.article.records.SPEECH_VERBS for the English verb each one translates
# (강조하다 = stress, emphasis; 확인하다 = confirm, report; 불평하다 = complain, emotive).
_KO_HADA: dict[VerbClass, tuple[str, ...]] = {  # fmt: skip
    _N: (
        "말",
        "말씀",
        "설명",
        "언급",
        "이야기",
        "얘기",
        "지적",
        "평가",
        "논평",
        "회상",
        "부연",
        "발언",
        "첨언",
        "표명",
    ),
    _R: ("전", "발표", "보도", "폭로", "확인", "공개", "보고"),
    _Q: ("질문", "반문"),
    _EM: ("강조", "역설"),
    _A: ("주장", "단언", "확언", "강변", "선언", "공언", "장담", "비난"),
    _ADM: ("인정", "시인", "고백", "자백", "실토"),
    _D: ("부인", "일축", "반박"),
    _W: ("경고", "위협"),
    _P: ("약속", "다짐", "맹세"),
    _ANS: ("답", "대답", "답변", "응답", "응수"),
    _E: ("토로", "호소", "한탄", "불평", "농담", "탄식", "자랑"),
}
_HADA_SYLLABLES = ("했", "한", "하", "합", "해")
# Other verbs: lemma -> (class, the stems their forms start with).
_KO_OTHER: dict[str, tuple[VerbClass, tuple[str, ...]]] = {
    "밝히다": (_R, ("밝혔", "밝힌", "밝히", "밝힙")),
    "알리다": (_R, ("알렸", "알린다", "알리며", "알리면서", "알립")),
    "덧붙이다": (_N, ("덧붙였", "덧붙인", "덧붙이", "덧붙입")),
    "알려주다": (_N, ("알려줬", "알려준", "알려주")),
    "쓰다": (_N, ("썼", "쓴다", "씁니다")),  # "…"라고 썼다: 6 of 10 ntrex-dev "wrote"
    "궁금하다": (_Q, ("궁금했", "궁금해했", "궁금해하")),
    "묻다": (_Q, ("물었", "묻는", "물으", "묻자", "묻고", "물어", "묻습", "되물었", "되묻")),
    "털어놓다": (_ADM, ("털어놓", "털어놨", "털어놔")),
    "외치다": (_E, ("외쳤", "외친", "외치", "외칩")),
    "소리치다": (_E, ("소리쳤", "소리친", "소리치")),
    "속삭이다": (_E, ("속삭였", "속삭인", "속삭이")),
    "울부짖다": (_E, ("울부짖",)),
    # fiction dialogue (wmt-dev literary)
    "중얼거리다": (_N, ("중얼거렸", "중얼거린", "중얼거리", "중얼댔", "중얼대")),
    "투덜거리다": (_N, ("투덜거렸", "투덜거린", "투덜거리", "투덜댔", "투덜대")),
    "소리지르다": (_E, ("소리질렀", "소리지른", "소리지르")),
    "고함치다": (_E, ("고함쳤", "고함친", "고함치")),
    "대꾸하다": (_ANS, ("대꾸했", "대꾸한", "대꾸하", "대꾸합")),
    "트윗하다": (_N, ("트윗했", "트윗한", "트윗하", "트윗합", "트위터했")),  # "tweeted"
    "맞받다": (_ANS, ("맞받았", "맞받아쳤", "맞받아")),
}
_KO_STEMS: dict[str, tuple[str, VerbClass]] = {
    **{
        noun + s: (noun + "하다", cls)
        for cls, nouns in _KO_HADA.items()
        for noun in nouns
        for s in _HADA_SYLLABLES
    },
    **{stem: (lemma, cls) for lemma, (cls, stems) in _KO_OTHER.items() for stem in stems},
    # 부정한 is also the adjective "unjust": only the past and formal forms deny.
    "부정했": ("부정하다", _D),
    "부정합": ("부정하다", _D),
}
_KO_MAX_STEM = max(len(s) for s in _KO_STEMS)
_KO_FIRST = frozenset(s[0] for s in _KO_STEMS)
_KO_WORD = re.compile(r"[가-힣]+")
# "…"라고 했다 / "…다"고 했다: the bare 하다 after a quotative ending is "said".
_KO_QUOTATIVE_HADA_FORMS = ("했", "한다", "합니다", "하며", "하면서")


def _ko_lookup(word: str) -> tuple[str, VerbClass] | None:
    if word[0] not in _KO_FIRST:
        return None
    for length in range(min(len(word), _KO_MAX_STEM), 0, -1):
        found = _KO_STEMS.get(word[:length])
        if found is not None:
            return found
    return None


def _ko_verbs(text: str, start: int, end: int) -> list[TargetVerb]:
    verbs: list[TargetVerb] = []
    previous = ""
    for match in _KO_WORD.finditer(text, start, end):
        word = match.group()
        found = _ko_lookup(word)
        if found is None and _quotative(previous) and word.startswith(_KO_QUOTATIVE_HADA_FORMS):
            found = ("하다", _N)  # "…"라고 했다
        if found is not None and _glued_to_word(text, match.start()):
            found = None  # part of a longer word: 완전한, 안전하다
        if found is not None:
            verbs.append(TargetVerb(Span(*match.span()), *found))
        previous = word
    return verbs


def _quotative(word: str) -> bool:
    """Return True for a word ending in the quotative 고 (라고, 다고, 냐고), not 그리고 (and)."""
    return word.endswith("고") and word not in ("그리고", "하고", "그러고")


def _glued_to_word(text: str, start: int) -> bool:
    """Return True if a Korean word starts right after a letter or digit (not after a mark)."""
    return start > 0 and text[start - 1].isalnum()


# --- Ukrainian ---------------------------------------------------------------------------------

# lemma -> (class, past stems, other forms). A past stem takes в/ла/ло/ли and the gerund
# вши (сказав, сказала, сказали, сказавши); a stem ending in "ся" is reflexive (зізнався,
# зізналася, зізналась). Other forms are the present tense and irregular pasts.
_UK_VERBS: dict[str, tuple[VerbClass, tuple[str, ...], tuple[str, ...]]] = {
    "сказати": (_N, ("сказа",), ("скаже", "скажуть")),
    "казати": (_N, ("каза",), ("каже", "кажуть", "кажучи")),
    "заявити": (_N, ("заяви", "заявля"), ("заявляє", "заявляють", "заявляючи")),
    "зазначити": (_N, ("зазначи", "зазнача"), ("зазначає", "зазначають", "зазначаючи")),
    "додати": (_N, ("дода", "додава"), ("додає", "додають", "додаючи")),
    "розповісти": (_N, ("розпові", "розповіда"), ("розповідає", "розповідають", "розповідаючи")),
    "пояснити": (_N, ("поясни", "пояснюва"), ("пояснює", "пояснюють", "пояснюючи")),
    "зауважити": (_N, ("зауважи",), ("зауважує", "зауважують")),
    "відзначити": (_N, ("відзначи",), ("відзначає", "відзначають")),
    "прокоментувати": (_N, ("прокоментува", "коментува"), ("коментує", "коментують")),
    "написати": (_N, ("написа",), ("пише", "пишуть")),
    "говорити": (_N, ("говори",), ("говорить", "говорять")),
    "згадати": (_N, ("згада", "згадува"), ("згадує", "згадують")),
    "уточнити": (_N, ("уточни",), ("уточнює", "уточнюють")),
    "продовжити": (_N, ("продовжи", "продовжува"), ("продовжує", "продовжують")),
    "поділитися": (_N, ("поділися",), ("ділиться",)),
    "сказано": (_N, (), ("сказано",)),
    "повідомити": (_R, ("повідоми", "повідомля"), ("повідомляє", "повідомляють")),
    "оголосити": (_R, ("оголоси",), ("оголошує", "оголошують")),
    "підтвердити": (_R, ("підтверди",), ("підтверджує", "підтверджують")),
    "запитати": (_Q, ("запита", "запитува"), ("запитує", "запитують")),
    "спитати": (_Q, ("спита",), ()),
    "питати": (_Q, ("пита",), ("питає", "питають")),
    "поцікавитися": (_Q, ("поцікавися",), ("цікавиться",)),
    "наполягати": (_A, ("наполяга",), ("наполягає", "наполягають", "наполіг", "наполягла", "наполягли")),
    "стверджувати": (_A, ("стверджува",), ("стверджує", "стверджують")),
    "наголосити": (_EM, ("наголоси", "наголошува"), ("наголошує", "наголошують")),
    "підкреслити": (_EM, ("підкресли", "підкреслюва"), ("підкреслює", "підкреслюють")),
    "запевнити": (_EM, ("запевни",), ("запевняє", "запевняють")),
    "визнати": (_ADM, ("визна", "визнава"), ("визнає", "визнають")),
    "зізнатися": (_ADM, ("зізнася",), ("зізнається", "зізнаються")),
    "заперечити": (_D, ("заперечи", "заперечува"), ("заперечує", "заперечують")),
    "спростувати": (_D, ("спростува",), ("спростовує", "спростовують")),
    "відкинути": (_D, ("відкину",), ("відкидає",)),
    "звинуватити": (_A, ("звинувати", "звинувачува"), ("звинувачує", "звинувачують")),
    "попередити": (_W, ("попереди", "попереджа"), ("попереджає", "попереджають")),
    "застерегти": (_W, (), ("застеріг", "застерегла", "застерегли", "застерігає")),
    "погрожувати": (_W, ("погрожува", "пригрози"), ("погрожує", "погрожують")),
    "пообіцяти": (_P, ("пообіця", "обіця"), ("обіцяє", "обіцяють")),
    "поклястися": (_P, ("покляся",), ("клянеться",)),
    "відповісти": (_ANS, ("відпові", "відповіда"), ("відповідає", "відповідають")),
    "парирувати": (_ANS, ("парирува",), ("парирує",)),
    "вигукнути": (_E, ("вигукну", "вигукува"), ("вигукує", "вигукують")),
    "закричати": (_E, ("закрича", "крича"), ("кричить", "кричать")),
    "прошепотіти": (_E, ("прошепоті",), ("шепоче",)),
    "поскаржитися": (_E, ("поскаржися",), ("скаржиться", "скаржаться")),
    "пожартувати": (_E, ("пожартува",), ("жартує",)),
    "зітхнути": (_E, ("зітхну",), ()),
    "благати": (_E, ("блага",), ("благає",)),
    # fiction dialogue (wmt-dev literary): «…», – відгукнувся Кохрен; – мовив він
    "відгукнутися": (_ANS, ("відгукнуся",), ("відгукується",)),
    "озватися": (_N, ("озвася",), ("озивається",)),
    "промовити": (_N, ("промови", "промовля"), ("промовляє",)),
    "мовити": (_N, ("мови",), ("мовить",)),
    "докинути": (_N, ("докину",), ()),
    "перепитати": (_Q, ("перепита", "перепитува"), ("перепитує",)),
    "гукнути": (_E, ("гукну", "гука"), ("гукає",)),
    "буркнути": (_N, ("буркну",), ()),
    "пробурмотіти": (_N, ("пробурмоті", "бурмоті"), ("бурмоче",)),
    "відрізати": (_ANS, ("відріза",), ()),
    "відказати": (_ANS, ("відказа",), ("відказує",)),
    "твітнути": (_N, ("твітну",), ("твітить",)),  # "she tweeted"
    "скрикнути": (_E, ("скрикну",), ("скрикує",)),
}


def _uk_past(stem: str) -> tuple[str, ...]:
    if stem.endswith("ся"):
        base = stem[:-2]
        return (base + "вся", base + "лася", base + "лась", base + "лося", base + "лися", base + "лись")
    return (stem + "в", stem + "ла", stem + "ло", stem + "ли", stem + "вши")


_UK_FORMS: dict[str, tuple[str, VerbClass]] = {
    form: (lemma, cls)
    for lemma, (cls, stems, others) in _UK_VERBS.items()
    for form in (*(f for s in stems for f in _uk_past(s)), *others)
}
_UK_WORD = re.compile(r"[А-ЯҐЄІЇа-яґєії]+(?:['’ʼ][А-ЯҐЄІЇа-яґєії]+)*")


def _uk_infinitive(stem: str) -> str:
    """The infinitive of a past stem: сказа -> сказати, заперечува -> заперечувати, зізнася -> зізнатися."""
    return stem[:-2] + "тися" if stem.endswith("ся") else stem + "ти"


# Every infinitive of the table -> (lemma, class), both aspects: заперечити and заперечувати.
_UK_LEMMAS: dict[str, tuple[str, VerbClass]] = {
    **{_uk_infinitive(s): (lemma, cls) for lemma, (cls, stems, _) in _UK_VERBS.items() for s in stems},
    **{lemma: (lemma, cls) for lemma, (cls, _, _) in _UK_VERBS.items()},
}
# Endings of the verb forms the table does not spell out (future, imperfective, gerund,
# participles in -но/-то): only such words are sent to pymorphy3.
_UK_VERB_ENDING = re.compile(
    r"(?:в|ла|ло|ли|вши|сь|ся|е|є|уть|ють|ать|ять|ить|ме|муть|учи|ючи|ачи|ячи|но|то)$"
)


def _uk_lookup(word: str) -> tuple[str, VerbClass] | None:
    """Return the lemma and class of a Ukrainian word: the table's forms first, then pymorphy3's
    lemmas (казатиме, заперечувала, наголошуватимуть) looked up among the table's infinitives."""
    found = _UK_FORMS.get(word)
    if found is not None or len(word) < 4 or not _UK_VERB_ENDING.search(word):
        return found
    return next((_UK_LEMMAS[lemma] for lemma in uk_verb_lemmas(word) if lemma in _UK_LEMMAS), None)


def _uk_verbs(text: str, start: int, end: int) -> list[TargetVerb]:
    verbs = []
    for match in _UK_WORD.finditer(text, start, end):
        found = _uk_lookup(match.group().lower())
        if found is not None:
            verbs.append(TargetVerb(Span(*match.span()), *found))
    return verbs


_EN_WORD = re.compile(r"[A-Za-z]+")


def _en_verbs(text: str, start: int, end: int) -> list[TargetVerb]:
    verbs = []
    for match in _EN_WORD.finditer(text, start, end):
        found = VERB_FORMS.get(match.group().lower())
        if found is not None:
            verbs.append(TargetVerb(Span(*match.span()), *found))
    return verbs


_SCANNERS = {"en": _en_verbs, "ko": _ko_verbs, "uk": _uk_verbs}


def find_speech_verbs(text: str, lang: str, region: Span | None = None) -> tuple[TargetVerb, ...]:
    """Return the speech verbs of ``text`` (within ``region``) in text order.

    Args:
        text: The whole text.
        lang: "ko" or "uk" ("en" uses ``aligner.article.records.VERB_FORMS``).
        region: Only look inside this part of ``text``.

    Returns:
        One ``TargetVerb`` per verb word; the span covers the whole word (말했다, 주장하며,
        сказала), the lemma is its dictionary form (말하다, сказати).

    Raises:
        ValueError: If ``lang`` is not supported.
    """
    scanner = _SCANNERS.get(lang)
    if scanner is None:
        raise ValueError(f"unsupported language {lang!r}; expected one of {', '.join(LANGS)}")
    start, end = (0, len(text)) if region is None else (region.start, min(region.end, len(text)))
    return tuple(scanner(text, start, end))


# --- compatibility -------------------------------------------------------------------------------

# Which target classes keep a source class. Neutral, report and answer verbs are one group:
# human translators render "said" as 밝혔다/전했다 and заявив/повідомив, and "told" as
# 대답했다. In ntrex-dev lines with one English attribution verb "said" (126 lines), the
# Korean verb was neutral 108, report 5, emphasis 3 (강조했다), none 10; the Ukrainian
# neutral 107, report 7, emphasis 3 (запевнив), other 3, none 10. Emphasis (stressed,
# 강조했다, наголосив, підкреслив, запевнив) marks how a statement was made, not the reporter's
# distance from it: news translators use it for "said" and "added" (ntrex-dev: "added" ->
# 강조했습니다, "said" -> запевнив), so it keeps, and is kept by, the saying group and a claim.
# A verb that adds or drops the reporter's distance is not kept: "said" -> 주장했다/наполягав
# turns a statement into a claim, and "claimed" -> 말했다 drops it. Questions, admissions,
# denials, warnings and promises keep only their own class; an emotive verb (shout, whisper)
# may be rendered as a neutral one, but a neutral verb must not become emotive.
_SAYING = frozenset({_N, _R, _ANS, _EM})
COMPATIBLE: Mapping[VerbClass, frozenset[VerbClass]] = MappingProxyType(
    {
        _N: _SAYING,
        _R: _SAYING,
        _ANS: _SAYING,
        _EM: _SAYING | {_A},
        _Q: frozenset({_Q}),
        _A: frozenset({_A, _EM}),
        _ADM: frozenset({_ADM}),
        _D: frozenset({_D}),
        _W: frozenset({_W}),
        _P: frozenset({_P}),
        _E: frozenset({_E, _N}),
    }
)


def compatible(source_class: VerbClass, target_class: VerbClass) -> bool:
    """Return True if a target verb of ``target_class`` keeps a source verb of ``source_class``."""
    return target_class in COMPATIBLE[source_class]
