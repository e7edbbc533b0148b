"""Telephone numbers: formats, regions, glued digits, and decoys."""

from __future__ import annotations

import pytest

from moderation.extract.phones import find_phones, normalise_phone


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("please call 800-525-2225.", "US", [("800-525-2225", "+18005252225")]),
        ("Leukemia Service at 212-639-5279 for more", "US", [("212-639-5279", "+12126395279")]),
        ("call (212) 639-5279 or +1 800 525 2225", "US",
         [("(212) 639-5279", "+12126395279"), ("+1 800 525 2225", "+18005252225")]),
        ("ring +44 20 7946 0958 today", "US", [("+44 20 7946 0958", "+442079460958")]),
        ("CALL 09071512433 b4 050703", "GB", [("09071512433", "+449071512433")]),
        ("OptOut txt STOP Help08714742804", "GB", [("08714742804", "+448714742804")]),
        ("claim call 087123002209am-7pm", "GB", [("08712300220", "+448712300220")]),
    ],
)
def test_finds_numbers(text: str, region: str, expected: list[tuple[str, str]]) -> None:
    assert [(raw, e164) for raw, e164, _ in find_phones(text, region)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "I was diagnosed with this cancer oct 27th 2012",
        "on 2012-10-27 and 03/27/2011",
        "patient of Dr Bosl, 1992/1993",
        "trial 09-036 is open",
        "she is 27 years old and paid $1,250.00",
        "how can there be 2.124.821.694 views",
        "txt SPEEDCHAT to 80155",
        "",
    ],
)
def test_decoys_are_not_numbers(text: str) -> None:
    assert find_phones(text, "US") == []


def test_numbers_inside_links_are_skipped() -> None:
    text = "http://example.com/photos/2125551234/8005252225"
    assert find_phones(text, "US", exclude=[(0, len(text))]) == []


def test_span_points_at_the_number() -> None:
    text = "call 800-525-2225 now"
    [(raw, _, (s, e))] = find_phones(text, "US")
    assert text[s:e] == raw


def test_normalise_phone() -> None:
    assert normalise_phone("800-525-2225", "US") == "+18005252225"
    assert normalise_phone("not a number", "US") is None
