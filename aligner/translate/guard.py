"""Detect Marian's failure modes in a translated unit: empty, looping, truncated, padded or copied output.

Pure string checks; the pipeline retries a failed unit with other decoding settings and reports
what still fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A word or a run of Hangul/Cyrillic/Latin letters; punctuation is ignored for loop detection.
_WORD = re.compile(r"\w+", re.UNICODE)
# Latin letters, for "the output is an untranslated copy" ("Ri said." -> "Ri said.").
_LATIN = re.compile(r"[A-Za-z]")
_TARGET_SCRIPT = {"ko": re.compile(r"[\uac00-\ud7a3]"), "uk": re.compile(r"[\u0400-\u04ff]")}

# Target/source length ratios in characters outside which an output is suspect. Korean is
# denser than English (seed: 137 source chars -> 48 target chars, ratio 0.35); Ukrainian is
# a little longer (seed: ratio 0.99). Bounds are loose on purpose: they catch loops and
# truncation, not style.
LENGTH_RATIO = {"ko": (0.12, 2.0), "uk": (0.35, 2.8)}
# Shortest source (characters) for which length ratios and copies are judged: "Yes." -> "Так."
MIN_JUDGED = 12
# A token repeated this many times in a row, or an n-gram this many times, is a loop.
MAX_RUN = 4
MAX_NGRAM_REPEATS = 3


@dataclass(frozen=True, slots=True)
class GuardIssue:
    """Why a unit's output is suspect."""

    code: str  # empty | loop | too-short | too-long | untranslated
    message: str


def _loop(words: list[str]) -> str | None:
    run = 1
    for prev, cur in zip(words, words[1:], strict=False):
        run = run + 1 if cur == prev else 1
        if run >= MAX_RUN:
            return f"'{cur}' repeated {run} times"
    for n in (2, 3, 4):
        counts: dict[tuple[str, ...], int] = {}
        for i in range(len(words) - n + 1):
            gram = tuple(words[i : i + n])
            counts[gram] = counts.get(gram, 0) + 1
            if counts[gram] >= MAX_NGRAM_REPEATS and len(words) >= n * MAX_NGRAM_REPEATS * 2:
                return f"'{' '.join(gram)}' repeated {counts[gram]} times"
    return None


def inspect(source: str, output: str, lang: str) -> tuple[GuardIssue, ...]:
    """Return the failure modes ``output`` shows as a translation of ``source`` into ``lang``."""
    if not output.strip():
        return (GuardIssue("empty", "empty output"),)
    issues = []
    loop = _loop([w.lower() for w in _WORD.findall(output)])
    if loop:
        issues.append(GuardIssue("loop", f"repeated n-grams: {loop}"))
    if len(source.strip()) >= MIN_JUDGED:
        low, high = LENGTH_RATIO.get(lang, (0.2, 3.0))
        ratio = len(output.strip()) / len(source.strip())
        if ratio < low:
            issues.append(GuardIssue("too-short", f"output {ratio:.2f}× the source length (< {low})"))
        elif ratio > high:
            issues.append(GuardIssue("too-long", f"output {ratio:.2f}× the source length (> {high})"))
        script = _TARGET_SCRIPT.get(lang)
        if script and not script.search(output) and _LATIN.search(output):
            issues.append(GuardIssue("untranslated", "no target-script letters: an untranslated copy"))
    return tuple(issues)
