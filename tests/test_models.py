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


@pytest.mark.parametrize("record", [
    {"id": 7, "text": "Hi", "extra": [1, 2], "author": "", "post": None},
    {"post": 3, "text": "", "id": "x", "created_at": "2013-01-15T10:00:00 ", "region": "gb",
     "is_staff": "yes", "author_email": 5, "z": None},
    {"text": "Hi", "id": "a", "parent": "p", "author_url": "http://x", "meta": "kept"},
])
def test_a_read_record_equals_the_validated_comment(record: dict) -> None:
    from datetime import datetime

    from moderation.formats.records import KNOWN_FIELDS, comment_from_mapping

    comment = comment_from_mapping(record, "f.jsonl", 1)
    fields = {k: v for k, v in record.items()
              if k in KNOWN_FIELDS and v is not None and (v != "" or k == "text")}
    fields.update({k: str(v) for k, v in fields.items()
                   if k in ("id", "post", "parent", "author_email")})
    if "region" in fields:
        fields["region"] = fields["region"].upper()
    if "created_at" in fields:
        fields["created_at"] = datetime.fromisoformat(fields["created_at"].strip())
    expected = Comment(**fields, meta={k: v for k, v in record.items() if k not in KNOWN_FIELDS})
    assert comment.model_dump() == expected.model_dump()
    assert list(comment.model_dump()) == list(Comment.model_fields)  # in field order
    assert comment.model_fields_set == set(fields) | {"meta"}
