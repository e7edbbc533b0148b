"""Links: with and without scheme, trimmed, and what must not be taken for one."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from moderation.extract.urls import (
    _DOTTED_WORD,
    _WWW,
    UrlFinder,
    _www_links,
    host_of,
    is_offsite,
)

FINDER = UrlFinder(["com", "org", "net", "gov", "io", "co", "uk", "it", "de"])


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("info here: http://www.mskcc.org/cancer-care/trial/09-036 If you",
         ["http://www.mskcc.org/cancer-care/trial/09-036"]),
        ("see mskcc.org/cancer-care.", ["mskcc.org/cancer-care"]),
        ("go to www.example.com!", ["www.example.com"]),
        ("first http://a.com/x; then www.b.org, and c.co.uk.",
         ["http://a.com/x", "www.b.org", "c.co.uk"]),
        ("[my blog](http://mpron.github.io) :)", ["http://mpron.github.io"]),
        ("<http://aadm.github.io>", ["http://aadm.github.io"]),
        ("(https://en.wikipedia.org/wiki/A_(b))", ["https://en.wikipedia.org/wiki/A_(b)"]),
        ('<a href="http://a.com/x?a=1&amp;b=2">link</a>', ["http://a.com/x?a=1&amp;b=2"]),
        ("&lt;http://x.com/a&gt;", ["http://x.com/a"]),
        ("http//www.gr8prizes.com now", ["www.gr8prizes.com"]),
        ("TnCs www.Ldew.com1win150ppmx3age16", ["www.Ldew.com"]),
        ("HTTP://WWW.URAWINNER.COM THERE", ["HTTP://WWW.URAWINNER.COM"]),
        ("running at http://localhost:4000 now", ["http://localhost:4000"]),
        ("same http://a.com twice http://a.com", ["http://a.com"]),
        ("ClinicalTrials.gov - Question", ["ClinicalTrials.gov"]),
        ("Dr. Müller at müller.de", ["müller.de"]),
        ("link\ufeffhttps://binbox.io/DNCkM#qT4Q1JB1\ufeff", ["https://binbox.io/DNCkM#qT4Q1JB1"]),
    ],
)
def test_finds_links(text: str, urls: list[str]) -> None:
    assert [raw for raw, _ in FINDER.find(text)] == urls


@pytest.mark.parametrize(
    "text",
    [
        "I was scared.It was bad",
        "mail me at someone@example.com",
        "edit main.min.css and pygments.less",
        "e.g. this, i.e. that, 10 yrs.ago",
        "version 1.2.3 and 3.14",
        "http:// alone",
        "",
    ],
)
def test_does_not_find_links(text: str) -> None:
    assert FINDER.find(text) == []


def test_spans_point_at_the_link() -> None:
    text = "Visit www.example.com/path, please."
    [(raw, (s, e))] = FINDER.find(text)
    assert text[s:e] == raw == "www.example.com/path"


@pytest.mark.parametrize(
    ("raw", "host", "offsite"),
    [
        ("http://www.mskcc.org/cancer-care", "mskcc.org", False),
        ("mskcc.org/x", "mskcc.org", False),
        ("https://news.mskcc.org", "news.mskcc.org", False),
        ("http://notmskcc.org", "notmskcc.org", True),
        ("www.example.com", "example.com", True),
    ],
)
def test_host_and_offsite(raw: str, host: str, offsite: bool) -> None:
    assert host_of(raw) == host
    assert is_offsite(host, ["mskcc.org"]) is offsite


_PIECES = st.sampled_from([
    "a", "Z", "é", "ü", "7", "_", ".", "@", "/", ":", "-", " ", "\n", "(", ")", '"', "'",
    "?", "=", "&", "#", "+", ",", "!", "org", "com", "Com", "co.uk", "www.", "http://",
    "mskcc", "example", "x.it", "é.de", "..", "a.b", "my-site", "a_b", "-x", "x-",
])


@settings(max_examples=400)
@given(st.lists(_PIECES, max_size=40).map("".join))
@example("see my-site.org and a_b.com, x.com/a.org, 1.2.example.com or me@x.org")
def test_bare_hosts_are_found_as_a_scan_of_the_whole_text_finds_them(text: str) -> None:
    """Trying the bare-host pattern only at the start of runs with a dotted word must
    give exactly the matches of its finditer over the whole text."""
    expected = [m.span() for m in FINDER._bare.finditer(text)]
    first = _DOTTED_WORD.search(text)
    found = [m.span() for m in FINDER._bare_hosts(text, first.start())] if first else []
    assert found == expected


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["w", "W", "ww", "www.", "WWW3.", "x", "1", "-", ".", "@", " ",
                                 "com", "org", "İ", "é.de", "/a"]), max_size=30).map("".join))
@example("wwww.a.com www.b.org xwww.c.com WwW.d.com İ www.e.com")
def test_www_links_are_found_as_a_scan_of_the_whole_text_finds_them(text: str) -> None:
    expected = [m.span() for m in _WWW.finditer(text)]
    assert [m.span() for m in _www_links(text, text.lower())] == expected
