"""Failure modes of raw MT output."""

from __future__ import annotations

import pytest

from aligner.translate.guard import inspect

CASES = [
    # (id, source, output, lang, expected codes)
    (
        "fine ko",
        "Ri suffered severe injuries to his jaw and arm.",
        "리 씨는 턱과 팔에 중상을 입었다.",
        "ko",
        (),
    ),
    (
        "fine uk",
        "Ri suffered severe injuries to his jaw and arm.",
        "Рі отримав важкі поранення щелепи та руки.",
        "uk",
        (),
    ),
    ("empty", "Ri said.", "  ", "ko", ("empty",)),
    ("token loop", "He said it was fine.", "그는 그는 그는 그는 괜찮다고 말했다.", "ko", ("loop",)),
    (
        "ngram loop",
        "The soldiers were sent to the front to support the Russian invasion of Ukraine.",
        "війська війська на фронт на фронт на фронт на фронт на фронт на фронт",
        "uk",
        ("loop",),
    ),
    (
        "truncated",
        "Officials from North Korea's Ministry of Security told us the truth.",
        "북",
        "ko",
        ("too-short",),
    ),
    (
        "copy",
        "Officials from North Korea's Ministry of Security told us.",
        "Officials from North Korea's Ministry.",
        "uk",
        ("untranslated",),
    ),
    ("short source not judged", "Yes.", "Так, безумовно, так і є.", "uk", ()),
    ("padded", "He left.", "Він пішов, і потім він пішов, а потім знову пішов додому.", "uk", ()),
    (
        "padded judged",
        "He left the room.",
        "Він вийшов з кімнати, а потім довго розповідав усім присутнім про свої плани на майбутнє.",
        "uk",
        ("too-long",),
    ),
]


@pytest.mark.parametrize(
    ("source", "output", "lang", "codes"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_inspect(source: str, output: str, lang: str, codes: tuple[str, ...]) -> None:
    assert tuple(issue.code for issue in inspect(source, output, lang)) == codes
