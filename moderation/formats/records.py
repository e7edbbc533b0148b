"""Comment records (CONTRACT.md) turned into Comment values, with clear rejections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import phonenumbers

from moderation.errors import InputError
from moderation.models import Comment

KNOWN_FIELDS = ("id", "text", "author", "author_email", "author_url", "created_at", "post",
                "parent", "is_staff", "region")
_KNOWN = frozenset(KNOWN_FIELDS)
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}


@dataclass(frozen=True)
class Rejected:
    """A record that could not be read, with where it was and why."""

    source: str
    line: int
    reason: str
    raw: str | None = None

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


@dataclass(frozen=True)
class Located:
    """A comment and where it was read."""

    source: str
    line: int
    comment: Comment


Record = Located | Rejected


def _flag(value: Any, source: str, line: int) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(source, line, f"expected true or false, got {value!r}", field="is_staff")


def comment_from_mapping(data: dict[str, Any], source: str, line: int) -> Comment:
    """Validate one record; raise InputError naming the field at fault."""
    ident, text = data.get("id"), data.get("text")
    if ident is None or ident == "":
        raise InputError(source, line, _absent(data, "id"), field="id")
    if text is None:
        raise InputError(source, line, _absent(data, "text"), field="text")
    if not isinstance(text, str):
        raise InputError(source, line, f"must be a string, got {type(text).__name__}",
                         field="text")
    # One pass over the record: our fields (an empty value counts as absent, but for
    # the text), and everything else kept as it came, in `meta`.
    fields: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _KNOWN:
            meta[key] = value
        elif value is not None and (value != "" or key == "text"):
            fields[key] = value
    if "is_staff" in fields:
        fields["is_staff"] = _flag(fields["is_staff"], source, line)
    if "region" in fields:
        region = str(fields["region"]).strip().upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise InputError(source, line, f"unknown phone region {fields['region']!r}",
                             field="region")
        fields["region"] = region
    if "created_at" in fields and isinstance(fields["created_at"], str):
        try:
            fields["created_at"] = datetime.fromisoformat(fields["created_at"].strip())
        except ValueError:
            raise InputError(source, line, f"not an ISO 8601 date: {fields['created_at']!r}",
                             field="created_at") from None
    elif "created_at" in fields and not isinstance(fields["created_at"], datetime):
        raise InputError(source, line, "expected an ISO 8601 date string", field="created_at")
    for key in ("author", "author_email", "author_url"):
        if key in fields and not isinstance(fields[key], str):
            fields[key] = str(fields[key])
    for key in ("id", "parent", "post"):
        if key in fields:
            fields[key] = _identifier(fields[key], key, source, line)
    fields["meta"] = meta
    # Every field was checked above, so the model is built without validating again.
    return Comment.trusted_fields(fields)


def _absent(data: dict[str, Any], field: str) -> str:
    """Why a required field has no value: not there, null, or empty."""
    if field not in data:
        return "missing required field"
    return f"{'null' if data[field] is None else 'empty'}; every comment needs its {field}"


def _identifier(value: Any, field: str, source: str, line: int) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InputError(source, line, f"must be a string or an integer, got "
                         f"{type(value).__name__}", field=field)
    text = str(value)
    if not text.strip():
        raise InputError(source, line, "must not be empty", field=field)
    return text

