"""Reply templates: variables checked at load, a sandbox, strict rendering."""

from __future__ import annotations

import pytest

from moderation.errors import TemplateError
from moderation.models import Comment
from moderation.replies import ReplyBook, check_template, first_name, pick_expert
from moderation.ruleset.schema import Expert, Template


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{{ site.appointment_phone }}", None),
        ("{% if comment.first_name %}{{ comment.first_name }}{% endif %}", None),
        ("{{ site.crisis_line.phone }}", None),
        ("{{ site.phone }}", "unknown variable 'site.phone'"),
        ("{{ site.crisis_line.number }}", "unknown variable 'site.crisis_line.number'"),
        ("{{ nobody }}", "unknown variable 'nobody'"),
        ("{% for x in labels %}{{ x }}{% endfor %}", None),
        ("{% if %}", "template syntax error"),
        ("{{ site.__class__.__mro__ }}", "unknown variable 'site.__class__'"),
    ],
)
def test_check_template(text: str, problem: str | None) -> None:
    problems = check_template(text)
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems


def test_sandbox_blocks_unsafe_access(ruleset) -> None:
    book = ReplyBook({"t": Template(label="thanks", text="{{ labels.__class__.__mro__ }}")},
                     ruleset.site)
    with pytest.raises(TemplateError):
        book.render("t", Comment(id="1", text="x"), ("thanks",))


def test_unknown_template_is_an_error(ruleset) -> None:
    book = ReplyBook(ruleset.replies.templates, ruleset.site)
    with pytest.raises(TemplateError, match="unknown template 'nope'"):
        book.render("nope", Comment(id="1", text="x"), ())


@pytest.mark.parametrize(
    ("author", "expected"),
    [("Catherine Hepprich", "Catherine"), (None, None), ("", None), ("@handle", None),
     ("jane@example.com", None), ("Carole of Kate's Team", "Carole")],
)
def test_first_name(author: str | None, expected: str | None) -> None:
    assert first_name(author) == expected


def test_pick_expert_prefers_the_one_named() -> None:
    experts = [Expert(name="Dr. A", aliases=["Aaa"]), Expert(name="Dr. B", aliases=["Bbb"])]
    assert pick_expert("ask bbb please", experts).name == "Dr. B"
    assert pick_expert("no name here", experts).name == "Dr. A"
    assert pick_expert("x", []) is None
