"""Masking commenters' e-mail addresses and phone numbers in views and logs."""

from __future__ import annotations

from typing import Any

from moderation.extract.emails import find_emails
from moderation.models import QueueItem


def mask_email(address: str) -> str:
    """j•••@example.com: the same length, so that spans into the text stay valid."""
    local, at, domain = address.partition("@")
    return local[:1] + "•" * (len(local) - 1) + at + domain if at else "•" * len(address)


def mask_phone(raw: str) -> str:
    """Every digit but the last two replaced by a bullet, separators kept."""
    digits = sum(ch.isdigit() for ch in raw)
    out, seen = [], 0
    for ch in raw:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > digits - 2 else "•")
        else:
            out.append(ch)
    return "".join(out)


def mask_text(text: str, verdict: dict[str, Any]) -> str:
    """The text with the phone numbers and e-mail addresses the verdict found masked."""
    spans: list[tuple[int, int, str]] = []
    for flag in verdict.get("flags", []):
        if flag.get("kind") in ("commenter_phone", "email"):
            start, end = flag["start"], flag["end"]
            raw = text[start:end]
            spans.append((start, end, mask_email(raw) if flag["kind"] == "email"
                          else mask_phone(raw)))
    for raw, (start, end) in find_emails(text):
        if not any(s <= start < e for s, e, _ in spans):
            spans.append((start, end, mask_email(raw)))
    for start, end, masked in sorted(spans, reverse=True):
        text = text[:start] + masked + text[end:]
    return text


def masked_item(item: QueueItem) -> QueueItem:
    """The item as list views show it without --show-pii."""
    return item.model_copy(update={
        "text": mask_text(item.text, item.verdict),
        "author_email": mask_email(item.author_email) if item.author_email else None,
    })
