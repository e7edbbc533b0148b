"""Telephone numbers with the phonenumbers library, normalised to E.164."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

from moderation.text import Span

_DROP_DIGITS = str.maketrans("", "", "0123456789")
# 2.124.821.694 or 1,234,567 are counts, not numbers to call.
_GROUPED_COUNT = re.compile(r"^\d{1,3}(?:[.,]\d{3}){2,}$")
# Digits glued to letters or to more digits ("Help08714742804", "087123002209am"):
# the matcher will not look inside them, so a valid number at the front is recovered.
_GLUED = re.compile(r"(?:(?<=[^\W\d_])|(?<![\d+]))(\d{10,16})(?=[^\W\d_]|\d|\.\d|$|\W)")


def digit_count(text: str) -> int:
    """How many ASCII digits text holds (a cheap pre-filter)."""
    return len(text) - len(text.translate(_DROP_DIGITS))


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
    exclude = exclude or []

    def excluded(s: int, e: int) -> bool:
        return any(s < xe and xs < e for xs, xe in exclude)

    found: list[tuple[str, str, Span]] = []
    for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
        s, e = match.start, match.end
        if excluded(s, e) or _GROUPED_COUNT.match(match.raw_string):
            continue
        found.append((match.raw_string, e164(match.number), (s, e)))
    for glued in _GLUED.finditer(text):
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
