"""Links: with and without scheme, trimmed, and what must not be taken for one."""

from __future__ import annotations

import pytest

from moderation.extract.urls import UrlFinder, host_of, is_offsite

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
