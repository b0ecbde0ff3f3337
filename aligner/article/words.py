"""Word lists and the fast word-alternation regex of the English article parser.

Closed classes (prepositions, auxiliaries, determiners), titles that are not part of a
name, and words that make a capitalised run an organisation, a place or a thing. Sources:
the attributions of ntrex-dev and newsroom style guides; each list is small on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def word_pattern(words: Sequence[str]) -> str:
    """Return a regex matching any of ``words``, factored by prefix so that it scans fast
    (Python's ``re`` tries each branch of a flat alternation at every offset):
    ['said', 'says', 'say'] -> 'sa(?:id|y(?:s)?)'. A longer word is tried first."""
    if "" in words and len(words) == 1:
        return ""
    heads: dict[str, list[str]] = {}
    for word in words:
        if word:
            heads.setdefault(word[0], []).append(word[1:])
    branches = [re.escape(head) + word_pattern(tails) for head, tails in sorted(heads.items())]
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in words else body


def words(text: str) -> frozenset[str]:
    """Return the space-separated words of ``text`` as a set: 'he she' -> {'he', 'she'}."""
    return frozenset(text.split())


PRONOUNS = words("he she they it we i you")
# Titles and roles stripped from the front of a name ("Russian Energy Minister Aleksandr Novak").
TITLES = words(
    "mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend father fr sister brother "
    "president vice prime minister secretary senator sen rep representative congressman congresswoman "
    "gov governor mayor judge justice chancellor general gen colonel col lieutenant lt sergeant sgt "
    "captain capt commander cmdr admiral adm major maj marshal officer chief director manager chairman "
    "chairwoman chair commissioner ambassador spokesman spokeswoman spokesperson king queen prince "
    "princess pope leader coach deputy attorney foreign defence defense interior finance energy health "
    "business home trade labor labour education transport state dean pastor bishop archbishop cardinal "
    "rabbi imam sheikh detective inspector superintendent constable sheriff lawyer ceo chancellor pm"
)
MALE, FEMALE = (
    words("mr sir lord father brother king prince"),
    words("mrs ms miss dame lady sister queen princess"),
)
# Words that mark a name as an organisation rather than a person.
ORG_WORDS = words(
    "service center centre ministry department agency office committee council party union association "
    "institute institution university college school bank company corporation corp inc ltd group news "
    "times post journal herald tribune telegraph press police army navy forces force cross house "
    "government commission board court network organization organisation foundation federation fund "
    "authority administration bureau club team league command monitor reuters bloomberg hospital "
    "church parliament congress senate assembly republic kingdom media tv radio"
)
# Countries and capitals: entities that speak ('North Korea says') but are never 'he' or 'she'.
PLACE_WORDS = words(
    "korea china russia japan ukraine america britain england scotland wales ireland france germany "
    "iran iraq syria israel india pakistan afghanistan europe spain italy mexico canada australia "
    "turkey egypt taiwan kiev kyiv moscow beijing seoul pyongyang tokyo london paris berlin brussels "
    "washington states nations us uk eu un u.s u.k nato"
)
# Capitalised words that never start a name, mostly because a sentence starts with them.
CAP_FUNCTION = words(
    "The A An This That These Those He She It They We I You His Her Its Their Our My Your In On At For "
    "From By With To Of And But Or So If When While As After Before Since Meanwhile However Also Then "
    "Last Next Earlier Later According Despite Although Though Yet Still Now Today Yesterday Tomorrow "
    "Tonight There Here What Who Why How Where Which Another One Some Many Most All Both Each Every No "
    "Not Such Other Asked Speaking Like During Under Over Against Among Between Through Instead Even "
    "Just Only Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "June July August September October November December Twenty Thirty Forty Fifty Hundreds Thousands "
    "Dozens Several Few Additionally Moreover Furthermore Separately Similarly Previously Finally "
    "Eventually Initially Currently Recently Ultimately Notably Overall Already"
)
# Common nouns that open a sentence as a subject ('Sources said'), but may sit inside a name
# ('the Metropolitan Police', 'the Political Research Center').
COMMON_CAPS = words(
    "Sources Officials Police Experts Analysts Critics Others Witnesses Residents Survey Study Research "
    "Reports Data Figures Scientists Researchers Authorities Doctors Fans Users Investigators "
    "Prosecutors Lawyers Parents Students Voters Protesters Protestors Observers Officers Campaigners "
    "Activists Members Staff Workers People Someone Somebody Everyone Nobody Locals Diplomats Advocates "
    "Supporters Opponents Leaders Lawmakers Organisers Organizers Rescuers Volunteers Families Victims"
)
CAP_FUNCTION = CAP_FUNCTION | COMMON_CAPS
PREPOSITIONS = words(
    "of from by with in on at for to about into onto over under after before during since without "
    "within between among against through across toward towards upon via like near than as per amid "
    "despite following including outside inside"
)
AUX = words(
    "is are was were be been being has have had will would shall should can could may might must do does did"
)
ADVERBS = words(
    "also even then later previously reportedly once recently repeatedly earlier further again initially "
    "finally just only still now already never not too first"
)
SEGMENT_SKIP = PREPOSITIONS | words(
    "meanwhile however now nowadays today yesterday tonight later earlier instead therefore moreover "
    "still yet then again here there overall indeed nevertheless thus who whom whose which where when "
    "while although though because if whether identified asked speaking"
)
CONJUNCTIONS = words("and but or so")
CLAUSE_BOUNDARIES = words("that because while although though whereas but if when whether where ;")
NP_STOPS = PREPOSITIONS | AUX | words("who whom whose which that and or but said says close")
DETERMINERS = words(
    "a an the one another some several many his her their its our my your this these those every each "
    "any no someone somebody everyone nobody two three four five"
)
TIME_WORDS = words(
    "week weeks month months year years day days hour hours minute minutes decade decades morning "
    "afternoon evening night weekend time"
)
# Words that make a capitalised run a thing, not a person: 'World Cup', 'Premier League'.
NOT_PERSON_WORDS = words(
    "cup league championship championships games olympics award awards prize war day week festival show "
    "series election elections summit forum conference street road avenue square park bridge river lake "
    "mountain island airport station stadium hall hotel region province county city state district "
    "east west north south central facility jail prison museum town athletic academical premiership "
    "united rovers fc"
)
COLLECTIVE = words("police staff media military government management public")
PARTICLES = words("de van von bin al da del la le der den di du ibn of")
ABBREVIATED = words("mr mrs ms dr prof rev sen rep gov gen col lt sgt capt st jr sr")
