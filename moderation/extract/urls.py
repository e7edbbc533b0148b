"""Links, with or without a scheme, as written, without trailing punctuation."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from moderation.text import Span

_URL_CHARS = r"[^\s<>\"'`\u00a0\ufeff\u200b\u2018\u2019\u201c\u201d|\\^{}]"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_TAIL = rf"(?:[/?#:]{_URL_CHARS}*)?"

# A scheme, or www., or a bare host.domain.tld whose TLD editors allow bare.
_SCHEMED = re.compile(rf"(?<![\w.+-])(?:https?|ftps?)://{_URL_CHARS}+", re.IGNORECASE)
_WWW = re.compile(rf"(?<![\w.@-])www\d{{0,3}}\.(?:{_LABEL}\.)*[a-z]{{2,24}}(?![a-z-]){_TAIL}",
                  re.IGNORECASE)
_TRAILING_ENTITY = re.compile(r"&(?:gt|lt|quot|apos|nbsp|#\d{1,6}|#x[0-9a-f]{1,6});$",
                              re.IGNORECASE)
_TRAILING = ".,;:!?*'\"”’)]}>"
# A bare host needs a dot between a word character and a letter ("mskcc.org").
_DOTTED_WORD = re.compile(r"\.(?<=[^\W_]\.)(?=[^\W\d_])")
# Besides letters and digits, the characters of a host name.
_HOST_PUNCT = "_.-"


def bare_domain_regex(tlds: Iterable[str]) -> re.Pattern[str]:
    """The pattern for hosts written without scheme or www, for the given TLDs."""
    alternation = "|".join(sorted({re.escape(t.lower().lstrip(".")) for t in tlds},
                                  key=len, reverse=True)) or "(?!)"
    return re.compile(
        rf"(?<![\w.@/:-])(?:{_LABEL}\.)+(?:{alternation})(?![\w@-]){_TAIL}",
        re.IGNORECASE,
    )


def _trim(url: str) -> str:
    while url:
        entity = _TRAILING_ENTITY.search(url)
        if entity:
            url = url[: entity.start()]
            continue
        last = url[-1]
        if last == ")" and url.count("(") >= url.count(")"):
            break
        if last in _TRAILING:
            url = url[:-1]
            continue
        break
    return url


def _is_capitalised_word_break(raw: str) -> bool:
    """'scared.It' is a missing space after a full stop, not a link."""
    host = raw.split("/", 1)[0]
    tld = host.rsplit(".", 1)[-1]
    return tld[:1].isupper() and not host.isupper() and "/" not in raw


def host_of(raw: str) -> str:
    """The lower-case host of a link as written (without www. or port)."""
    text = raw if "://" in raw else "http://" + raw
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        host = ""
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def is_offsite(host: str, domains: Iterable[str]) -> bool:
    """True when host is not one of the site's domains or their subdomains."""
    return not any(host == d or host.endswith("." + d) for d in domains)


def _www_links(text: str, low: str) -> Iterator[re.Match[str]]:
    """The matches of the www. pattern, as its finditer over the whole text would give
    them, tried only where the lower-case text has "www" (a case-insensitive search
    of the whole text costs several times more)."""
    if len(low) != len(text):  # lower-casing moved the offsets (rare letters)
        yield from _WWW.finditer(text)
        return
    resume = 0
    at = low.find("www")
    while at >= 0:
        m = _WWW.match(text, at)
        if m is not None:
            yield m
            resume = m.end()
        at = low.find("www", max(at + 1, resume))


class UrlFinder:
    """Finds links in text; bare hosts only for the configured TLDs."""

    def __init__(self, bare_tlds: Iterable[str]):
        self._bare = bare_domain_regex(bare_tlds)

    def find(self, text: str) -> list[tuple[str, Span]]:
        """Links in order of appearance, each once, with its span."""
        passes: list[tuple[Iterable[re.Match[str]], bool]] = []
        if "://" in text:
            passes.append((_SCHEMED.finditer(text), False))
        low = text.lower()
        if "www" in low:
            passes.append((_www_links(text, low), False))
        dots = _DOTTED_WORD.search(text)
        if dots:
            passes.append((self._bare_hosts(text, dots.start()), True))
        if not passes:
            return []
        found: list[tuple[str, Span]] = []
        taken: list[Span] = []
        for matches, check_case in passes:
            for m in matches:
                start = m.start()
                if any(s <= start < e for s, e in taken):
                    continue
                raw = _trim(m.group())
                if not raw or "." not in raw and "://" not in raw:
                    continue
                if raw.endswith("://") or (check_case and _is_capitalised_word_break(raw)):
                    continue
                span = (start, start + len(raw))
                taken.append(span)
                found.append((raw, span))
        found.sort(key=lambda item: item[1][0])
        seen: set[str] = set()
        unique = []
        for raw, span in found:
            if raw not in seen:
                seen.add(raw)
                unique.append((raw, span))
        return unique

    def _bare_hosts(self, text: str, first_dot: int) -> Iterator[re.Match[str]]:
        """The matches of the bare-host pattern, as its finditer over the whole text
        would give them, found by trying it only where one can start.

        A bare host holds a dot between a word character and a letter, and its name
        (word characters, dots and hyphens) reaches back to the start of the run of such
        characters around that dot: anything else before it blocks the match (the
        pattern's lookbehind). So each such dot points at the one place worth a try.
        Comments are long and links rare, so this skips almost all the text.
        """
        resume = 0  # finditer goes on after the end of each match
        dot: int | None = first_dot
        while dot is not None:
            start = dot
            while start > 0 and ((ch := text[start - 1]).isalnum() or ch in _HOST_PUNCT):
                start -= 1
            if start >= resume:
                m = self._bare.match(text, start)
                if m is not None:
                    yield m
                    resume = m.end()
            # The next dot beyond this one (and beyond the match, if any).
            nxt = _DOTTED_WORD.search(text, max(dot + 1, resume))
            dot = nxt.start() if nxt else None
