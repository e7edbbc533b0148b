"""E-mail addresses."""

from __future__ import annotations

import re

from moderation.text import Span

# Local part and domain as people write them; the domain needs a dot and a letter TLD.
EMAIL_RE = re.compile(
    r"(?<![\w.+-])[a-z0-9](?:[a-z0-9._%+-]{0,62}[a-z0-9])?"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?![\w-])",
    re.IGNORECASE,
)


def find_emails(text: str) -> list[tuple[str, Span]]:
    """Every e-mail address in text with its span."""
    if "@" not in text:
        return []
    return [(m.group(), m.span()) for m in EMAIL_RE.finditer(text)]
