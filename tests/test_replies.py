"""Reply templates: variables checked at load, a sandbox, strict rendering."""

from __future__ import annotations

import pytest

from moderation.errors import TemplateError
from moderation.models import Comment
from moderation.replies import (
    ReplyBook,
    check_template,
    first_name,
    pick_expert,
    template_inputs,
)
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


@pytest.mark.parametrize(
    ("text", "inputs"),
    [
        ("Hi {{ comment.first_name }}, call {{ site.appointment_phone }}.",
         (("comment", "first_name"),)),
        ("{{ expert.name }} says: {{ expert.answer }}", (("expert", "answer"), ("expert", "name"))),
        ("{% if 'thanks' in labels %}Thanks{% endif %} {{ comment.author|upper }}",
         (("comment", "author"), ("labels",))),
        ("Same text for everyone.", ()),
        ("{{ comment }}", None),  # the whole comment: anything may matter
        ("{{ comment['author'] }}", None),
        ("{{ ['Hi', 'Hello']|random }}", None),
        ("{{ lipsum(1) }}", None),
        ("{% for comment in labels %}{{ comment }}{% endfor %}", None),
    ],
)
def test_template_inputs(text: str, inputs: tuple[tuple[str, ...], ...] | None) -> None:
    assert template_inputs(text) == inputs


def test_rendered_replies_are_kept_by_what_the_template_reads(ruleset) -> None:
    book = ReplyBook({"t": Template(label="thanks", text="Thanks, {{ comment.first_name }}!"),
                      "u": Template(label="thanks", text="{{ comment }}")}, ruleset.site)
    ann1 = book.render("t", Comment(id="1", text="x", author="Ann Lee"), ("thanks",))
    ann2 = book.render("t", Comment(id="2", text="y", author="Ann Roe"), ("thanks",))
    bob = book.render("t", Comment(id="3", text="z", author="Bob Lee"), ("thanks",))
    assert (ann1.text, ann2.text, bob.text) == ("Thanks, Ann!", "Thanks, Ann!", "Thanks, Bob!")
    assert ann2 is ann1 and len(book._rendered) == 2
    # A template that reads the whole comment is rendered every time.
    first = book.render("u", Comment(id="1", text="x"), ("thanks",))
    second = book.render("u", Comment(id="2", text="x"), ("thanks",))
    assert "'id': '1'" in first.text and "'id': '2'" in second.text
    assert len(book._rendered) == 2


def test_kept_replies_are_bounded(ruleset, monkeypatch) -> None:
    monkeypatch.setattr(ReplyBook, "CACHE", 3)
    book = ReplyBook({"t": Template(label="thanks", text="Hi {{ comment.first_name }}")},
                     ruleset.site)
    for name in ("Ann", "Bob", "Cy", "Di", "Ed"):
        assert book.render("t", Comment(id=name, text="x", author=name), ()).text == f"Hi {name}"
    assert 1 <= len(book._rendered) <= 3
