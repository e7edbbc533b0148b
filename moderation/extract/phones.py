"""Telephone numbers with the phonenumbers library, normalised to E.164."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

from moderation.text import Span

# A run of digits and the separators people put in numbers; a number needs one with at
# least `min_digits` digits, so most comments (years, ages, prices) skip the matcher.
# The lookahead lets the engine skip to the characters a run can start with.
_DIGIT_RUN = re.compile(r"(?=[+(\d])(?:\+?\(?\d[\d \t().\-/]{3,}\d|\d{5,})")
# Runs that are plainly dates or year ranges (2012-10-27, 03/27/2011, 1992/1993): the
# matcher would refuse them too, but need not be asked.
_DATE_LIKE = re.compile(r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
                        r"|(?:19|20)\d\d\s*[-/]\s*(?:19|20)?\d\d)")
# 2.124.821.694 or 1,234,567 are counts, not numbers to call.
_GROUPED_COUNT = re.compile(r"^\d{1,3}(?:[.,]\d{3}){2,}$")
# Digits glued to letters or to more digits ("Help08714742804", "087123002209am"):
# the matcher will not look inside them, so a valid number at the front is recovered.
_GLUED = re.compile(r"(?:(?<=[^\W\d_])|(?<![\d+]))(\d{10,16})(?=[^\W\d_]|\d|\.\d|$|\W)")


def digit_count(text: str) -> int:
    """How many ASCII digits text holds (a cheap pre-filter)."""
    return sum(map(text.count, "0123456789"))


_CONTEXT = 24
_TEN_DIGITS = re.compile(r"\d{10}")


def _windows(runs: list[Span], length: int) -> list[Span]:
    """Merged windows of text around the runs of digits."""
    merged: list[list[int]] = []
    for s, e in runs:
        s, e = max(0, s - _CONTEXT), min(length, e + _CONTEXT)
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def e164(number: phonenumbers.PhoneNumber) -> str:
    """The E.164 form of a parsed number."""
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def normalise_phone(raw: str, region: str) -> str | None:
    """E.164 of a number written by the site's staff, or None if it is not valid."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(number) or phonenumbers.is_possible_number(number):
        return e164(number)
    return None


def find_phones(text: str, region: str, min_digits: int = 7,
                exclude: list[Span] | None = None) -> list[tuple[str, str, Span]]:
    """Numbers in text as (raw, e164, span), skipping spans inside links or e-mails."""
    if digit_count(text) < min_digits:
        return []
    runs = [m.span() for m in _DIGIT_RUN.finditer(text)
            if digit_count(m.group()) >= min_digits and not _DATE_LIKE.fullmatch(m.group().strip())]
    if not runs:
        return []
    exclude = exclude or []

    def excluded(s: int, e: int) -> bool:
        return any(s < xe and xs < e for xs, xe in exclude)

    found: list[tuple[str, str, Span]] = []
    for w_start, w_end in _windows(runs, len(text)):
        # The matcher costs time in proportion to the text it reads: give it only the
        # neighbourhood of runs of digits, with enough context for its checks.
        for match in PhoneNumberMatcher(text[w_start:w_end], region, leniency=Leniency.VALID):
            s, e = w_start + match.start, w_start + match.end
            if excluded(s, e) or _GROUPED_COUNT.match(match.raw_string):
                continue
            found.append((match.raw_string, e164(match.number), (s, e)))
    long_runs = [span for span in runs if _TEN_DIGITS.search(text, span[0], span[1])]
    for glued in (g for w in _windows(long_runs, len(text))
                  for g in _GLUED.finditer(text, w[0], w[1])):
        s, e = glued.span(1)
        if excluded(s, e) or any(s < fe and fs < e for _, _, (fs, fe) in found):
            continue
        run = glued.group(1)
        for length in range(min(len(run), 12), 8, -1):
            try:
                number = phonenumbers.parse(run[:length], region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                found.append((run[:length], e164(number), (s, s + length)))
                break
    found.sort(key=lambda item: item[2][0])
    return found
