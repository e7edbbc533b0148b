"""The value types that carry data between layers: frozen pydantic models."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator

LABELS: tuple[str, ...] = (
    "crisis",
    "personal_medical_question",
    "expert_question",
    "condolence",
    "thanks",
)


_setattr = object.__setattr__


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def trusted(cls, **values: Any) -> Self:
        """A value built from data this program computed itself: no validation.

        Like pydantic's `model_construct`, at a fraction of its cost on the hot path (it
        takes no aliases). Unknown field names and missing required fields are refused,
        so a typo cannot slip past the model.
        """
        fields = cls.__pydantic_fields__
        given = set(values)
        if len(values) != len(fields) or not values.keys() <= fields.keys():
            values = _completed(cls, values)
        model = cls.__new__(cls)
        _setattr(model, "__dict__", values)
        _setattr(model, "__pydantic_fields_set__", given)
        _setattr(model, "__pydantic_extra__", None)
        _setattr(model, "__pydantic_private__", None)
        return model

    @classmethod
    def trusted_fields(cls, values: dict[str, Any]) -> Self:
        """Like trusted(), for a dict of field values the caller has already limited
        to the model's own fields with every required one (a reader that checked its
        record): only the defaults are filled in."""
        template, factories, _ = _plan(cls)
        full = template.copy()
        full.update(values)
        for name, factory in factories:
            if name not in values:
                full[name] = factory()
        return cls._built(full, set(values))

    @classmethod
    def _built(cls, values: dict[str, Any], given: set[str]) -> Self:
        # trusted() does the same steps inline: it runs several times a comment, and
        # this call would add about 0.12 µs to each (measured with timeit).
        model = cls.__new__(cls)
        _setattr(model, "__dict__", values)
        _setattr(model, "__pydantic_fields_set__", given)
        _setattr(model, "__pydantic_extra__", None)
        _setattr(model, "__pydantic_private__", None)
        return model


# Per model: every field with its default (in field order), the fields whose default
# comes from a factory, and the required fields.
_PLANS: dict[type[BaseModel], tuple[dict[str, Any], tuple[tuple[str, Any], ...],
                                    frozenset[str]]] = {}


def _plan(cls: type[BaseModel]) -> tuple[dict[str, Any], tuple[tuple[str, Any], ...],
                                        frozenset[str]]:
    plan = _PLANS.get(cls)
    if plan is None:
        fields = cls.__pydantic_fields__
        plan = _PLANS[cls] = (
            {name: None if f.is_required() or f.default_factory else f.default
             for name, f in fields.items()},
            tuple((name, f.default_factory) for name, f in fields.items() if f.default_factory),
            frozenset(name for name, f in fields.items() if f.is_required()))
    return plan


def _completed(cls: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    """values with the defaults of the fields not given, in the model's field order."""
    template, factories, required = _plan(cls)
    unknown = values.keys() - template.keys()
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
    missing = required - values.keys()
    if missing:
        raise TypeError(f"{cls.__name__} needs {', '.join(sorted(missing))}")
    out = template.copy()
    out.update(values)
    for name, factory in factories:
        if name not in values:
            out[name] = factory()
    return out


class Comment(_Frozen):
    """One comment as read from an export: the text and what we know of it."""

    id: str
    text: str
    author: str | None = None
    author_email: str | None = None
    author_url: str | None = None
    created_at: datetime | None = None
    post: str | None = None
    parent: str | None = None
    is_staff: bool = False
    region: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)

    @field_validator("id", "parent", "post", mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("must be a string or an integer, not a boolean")
        if isinstance(value, int):
            return str(value)
        return value

    @field_validator("id")
    @classmethod
    def _id_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value


class Finding(_Frozen):
    """A rule that fired: the label it gives, its code, the span and a score.

    `start`/`end` is the rule's main span; `parts` are every piece of text its
    conditions matched (a word of a list, a pattern's match, a question), as
    (start, end) in text order, overlapping pieces joined, so that a reader sees all
    of why it fired.
    """

    label: str
    rule: str
    start: int
    end: int
    text: str
    score: float = 1.0
    veto: bool = False
    parts: tuple[tuple[int, int], ...] = ()


class UrlEntity(_Frozen):
    """A link as written in the text, with its host and whether it leaves the site."""

    raw: str
    start: int
    end: int
    host: str
    offsite: bool


class PhoneEntity(_Frozen):
    """A telephone number as written, normalised to E.164."""

    raw: str
    e164: str
    start: int
    end: int
    is_site: bool


class EmailEntity(_Frozen):
    """An e-mail address as written."""

    raw: str
    start: int
    end: int


class Flag(_Frozen):
    """Something a moderator should see whatever the labels: an outside link, a number."""

    kind: Literal["offsite_link", "commenter_phone", "email", "needs_review"]
    value: str
    start: int
    end: int


class Entities(_Frozen):
    """Everything the extraction stage found in one comment."""

    urls: tuple[UrlEntity, ...] = ()
    phones: tuple[PhoneEntity, ...] = ()
    emails: tuple[EmailEntity, ...] = ()


class SuggestedReply(_Frozen):
    """The reply a moderator would most likely send, rendered from a template."""

    template: str
    label: str
    text: str


class Verdict(_Frozen):
    """What the pipeline decided about one comment, with the evidence for it."""

    comment_id: str
    labels: tuple[str, ...]
    findings: tuple[Finding, ...]
    vetoes: tuple[Finding, ...] = ()
    entities: Entities = Entities()
    flags: tuple[Flag, ...] = ()
    urgent: bool = False
    reply: SuggestedReply | None = None
    ruleset_hash: str = ""

    @property
    def reply_template(self) -> str | None:
        """The id of the suggested template, or None."""
        return self.reply.template if self.reply else None

    def to_record(self) -> dict[str, Any]:
        """The stable output shape of CONTRACT.md, plus additive fields."""
        ents = self.entities
        return {
            "id": self.comment_id,
            "labels": list(self.labels),
            "reply_template": self.reply_template,
            "urls": [u.raw for u in ents.urls],
            "phones": [{"raw": p.raw, "e164": p.e164} for p in ents.phones],
            "emails": [e.raw for e in ents.emails],
            "evidence": [
                {
                    "label": f.label,
                    "rule": f.rule,
                    "start": f.start,
                    "end": f.end,
                    "text": f.text,
                    "score": f.score,
                    "parts": [list(part) for part in f.parts or ((f.start, f.end),)],
                }
                for f in self.findings
                if f.label in self.labels
            ],
            "urgent": self.urgent,
            "flags": [{"kind": f.kind, "value": f.value, "start": f.start, "end": f.end}
                      for f in self.flags],
            "reply": self.reply.text if self.reply else None,
            "ruleset": self.ruleset_hash,
        }


Status = Literal["pending", "approved", "rejected"]
STATUSES: tuple[str, ...] = ("pending", "approved", "rejected")


class QueueItem(_Frozen):
    """A queued comment with its verdict, suggestion and the moderator's decision."""

    id: int
    source: str
    comment_id: str
    post: str | None
    parent: str | None
    author: str | None
    author_email: str | None
    text: str
    created_at: datetime | None
    enqueued_at: datetime
    labels: tuple[str, ...]
    flags: tuple[str, ...]
    urgent: bool
    priority: int
    verdict: dict[str, Any]
    reply_template: str | None
    suggested_reply: str | None
    ruleset_hash: str
    status: Status
    final_reply: str | None
    final_template: str | None
    edited: bool
    reason: str | None
    decided_by: str | None
    decided_at: datetime | None
    holder: str | None
    held_until: datetime | None = None
    version: int
    meta: dict[str, Any] = Field(default_factory=dict)

    def held_by_someone(self, at: datetime) -> bool:
        """True while a claim on the item has not lapsed."""
        return self.holder is not None and (self.held_until is None or self.held_until > at)


class AuditEvent(_Frozen):
    """One entry of the append-only audit log."""

    id: int
    item_id: int
    event: str
    actor: str
    at: datetime
    ruleset_hash: str | None
    status_before: str | None
    status_after: str | None
    template_before: str | None
    template_after: str | None
    reply_before: str | None
    reply_after: str | None
    reason: str | None
    undoes: int | None
