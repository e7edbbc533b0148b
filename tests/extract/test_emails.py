"""E-mail addresses."""

from __future__ import annotations

import pytest

from moderation.extract.emails import find_emails


@pytest.mark.parametrize(
    ("text", "emails"),
    [
        ("email support@fiftythree.com.", ["support@fiftythree.com"]),
        ("tddnewsletter@emc1.co.uk (More games", ["tddnewsletter@emc1.co.uk"]),
        ("a.b+tag@sub.example.org, c_d@x.io", ["a.b+tag@sub.example.org", "c_d@x.io"]),
        ("no address @ here, nor me@localhost or @handle", []),
        ("", []),
    ],
)
def test_emails(text: str, emails: list[str]) -> None:
    assert [raw for raw, _ in find_emails(text)] == emails
