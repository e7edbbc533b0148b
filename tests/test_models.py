"""The value types' trusted constructor, used on the hot path instead of validation."""

from __future__ import annotations

import pytest

from moderation.models import Comment, Entities, Finding, Verdict


def test_trusted_equals_validated_construction() -> None:
    values = {"label": "thanks", "rule": "THX001", "start": 0, "end": 6, "text": "Thanks"}
    assert Finding.trusted(**values) == Finding(**values)
    assert Finding.trusted(**values).model_dump() == Finding(**values).model_dump()


def test_trusted_fills_defaults_in_field_order() -> None:
    comment = Comment.trusted(id="1", text="hi")
    assert comment == Comment(id="1", text="hi")
    assert list(comment.model_dump()) == list(Comment.model_fields)
    assert comment.meta == {} and comment.meta is not Comment.trusted(id="2", text="").meta
    assert comment.model_fields_set == {"id", "text"}


def test_trusted_refuses_unknown_fields() -> None:
    with pytest.raises(TypeError, match="Verdict has no field labls"):
        Verdict.trusted(comment_id="1", labls=(), findings=())


def test_trusted_values_stay_frozen() -> None:
    entities = Entities.trusted()
    with pytest.raises(ValueError, match="frozen"):
        entities.urls = ()  # type: ignore[misc]


def test_trusted_refuses_missing_required_fields() -> None:
    with pytest.raises(TypeError, match="Finding needs end, start"):
        Finding.trusted(label="thanks", rule="THX001", text="x")


def test_record_flags_carry_every_field_of_a_flag() -> None:
    from moderation.models import Flag

    flag = Flag(kind="email", value="a@b.org", start=3, end=10)
    verdict = Verdict(comment_id="1", labels=(), findings=(), flags=(flag,))
    assert verdict.to_record()["flags"] == [flag.model_dump()]
