"""Text features computed once per comment and shared by every stage.

A `Doc` wraps one comment's text. Each feature (sentences, questions, term hits,
sentiment, part-of-speech tags) is computed the first time a rule asks for it
and cached, so a comment that no rule needs tagging is never tagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import ahocorasick

Span = tuple[int, int]

_QUOTE_MAP = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                            "`": "'", "\u00a0": " ", "\t": " ", "\r": " ", "\n": " ",
                            "\u2028": " ", "\u2029": " ", "\ufeff": " "})


def normalise(text: str) -> str:
    """Lower-case text with plain quotes and spaces, the same length as the input."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join((c.lower()[:1] or c) for c in text)
    return low.translate(_QUOTE_MAP)


def is_word_char(ch: str) -> bool:
    """True for letters and digits in any script (Unicode-aware word boundaries)."""
    return ch.isalnum()


# ---------------------------------------------------------------------------------------
# Sentences


_ABBREVIATIONS = frozenset(
    "dr mr mrs ms st vs etc eg ie no jr sr prof dept approx fig inc ltd co mt ft "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun u.s "
    "e.g i.e a.m p.m".split()
)

# A sentence ends at . ! ? or an ellipsis followed by space; at ? or ! glued to the next
# word ("cancer?Is"); at a period glued to a capitalised word after a lower-case word
# ("chemotherapy.The"); and at line breaks.
_BOUNDARY = re.compile(
    r"""(?:[.!?\u2026]+['"\u2019\u201d)\]]*(?:\s+|$))"""
    r"""|(?:[?!]+(?=[^\W\d_]))|(?:(?:\.{2,}|\u2026)(?=[A-Z]))"""
    r"""|(?:(?<=[a-z]{2})\.(?=[A-Z][a-z]))"""
    r"""|(?:\s*\n\s*)"""
)
_LAST_WORD = re.compile(r"([\w.]+)$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence's span in the comment and whether it asks something."""

    start: int
    end: int
    is_question: bool


def split_sentences(text: str) -> list[Span]:
    """Spans of the sentences of text, trimmed of surrounding space."""
    spans: list[Span] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        cut = m.end()
        piece = text[start:m.start()]
        if m.group().startswith(".") and not m.group().startswith(".."):
            last = _LAST_WORD.search(piece)
            word = last.group(1).lower().rstrip(".") if last else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        _append_trimmed(text, start, cut, spans)
        start = cut
    _append_trimmed(text, start, len(text), spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, out: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


# ---------------------------------------------------------------------------------------
# Term index: every word list of every rule in one Aho-Corasick automaton


class TermIndex:
    """Finds every listed word or phrase in one pass, at Unicode word boundaries.

    A term ending in ``*`` matches any ending ("diagnos*" finds "diagnosed").
    Matching is case-insensitive and treats curly and straight quotes alike.
    """

    def __init__(self, lists: dict[str, Sequence[str]]):
        table: dict[str, list[tuple[str, bool]]] = {}
        for list_id, terms in lists.items():
            for term in terms:
                is_prefix = term.endswith("*")
                key = " ".join(normalise(term.rstrip("*")).split())
                if key:
                    table.setdefault(key, []).append((list_id, is_prefix))
        self._automaton: Any = ahocorasick.Automaton()
        for key, entries in table.items():
            self._automaton.add_word(key, (len(key), tuple(entries)))
        self.size = len(table)
        if table:
            self._automaton.make_automaton()

    def scan(self, norm: str) -> dict[str, list[Span]]:
        """Map each list id to the spans of its terms in the normalised text."""
        hits: dict[str, list[Span]] = {}
        if not self.size:
            return hits
        n = len(norm)
        for end, (length, entries) in self._automaton.iter(norm):
            start = end - length + 1
            if start > 0 and is_word_char(norm[start - 1]):
                continue
            after = end + 1
            whole = after >= n or not is_word_char(norm[after])
            for list_id, is_prefix in entries:
                if is_prefix:
                    stop = after
                    while stop < n and is_word_char(norm[stop]):
                        stop += 1
                    hits.setdefault(list_id, []).append((start, stop))
                elif whole:
                    hits.setdefault(list_id, []).append((start, after))
        return hits


# ---------------------------------------------------------------------------------------
# The per-comment document


class Analysers:
    """Shared, lazily built analysers (TextBlob's pattern sentiment and tagger)."""

    def __init__(self) -> None:
        self._sentiment: Any = None
        self._tagger: Any = None

    def sentiment(self, text: str) -> tuple[float, float]:
        """Polarity and subjectivity from TextBlob's PatternAnalyzer (no corpora)."""
        if self._sentiment is None:
            from textblob.en.sentiments import PatternAnalyzer

            self._sentiment = PatternAnalyzer()
        result = self._sentiment.analyze(text)
        return (float(result.polarity), float(result.subjectivity))

    def tag(self, text: str) -> list[tuple[str, str]]:
        """Part-of-speech tags from TextBlob's PatternTagger (no NLTK data)."""
        if self._tagger is None:
            from textblob.en.taggers import PatternTagger

            self._tagger = PatternTagger()
        return [(str(w), str(t)) for w, t in self._tagger.tag(text, tokenize=True)]


@dataclass(frozen=True)
class QuestionCues:
    """Words that open a question when a sentence has no question mark."""

    wh_words: frozenset[str]
    auxiliaries: frozenset[str]
    subjects: frozenset[str]
    lead_ins: frozenset[str]


_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


class Doc:
    """One comment's text and its features, each computed at most once."""

    __slots__ = ("text", "norm", "_index", "_cues", "_analysers", "__dict__")

    def __init__(self, text: str, index: TermIndex, cues: QuestionCues, analysers: Analysers):
        self.text = text
        self.norm = normalise(text)
        self._index = index
        self._cues = cues
        self._analysers = analysers

    @cached_property
    def hits(self) -> dict[str, list[Span]]:
        """Spans of every word-list term, keyed by list id."""
        return self._index.scan(self.norm)

    @cached_property
    def sentences(self) -> list[Sentence]:
        """The sentences, each marked as a question or not."""
        return [Sentence(s, e, self._is_question(s, e)) for s, e in split_sentences(self.text)]

    @cached_property
    def sentiment(self) -> tuple[float, float]:
        """TextBlob polarity and subjectivity of the whole comment."""
        return self._analysers.sentiment(self.text)

    @cached_property
    def tags(self) -> list[tuple[int, int, str]]:
        """Part-of-speech tags with the span of each tagged word."""
        out: list[tuple[int, int, str]] = []
        pos = 0
        for word, tag in self._analysers.tag(self.text):
            found = self.text.find(word, pos)
            if found < 0:
                continue
            out.append((found, found + len(word), tag))
            pos = found + len(word)
        return out

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence that contains offset."""
        for sent in self.sentences:
            if sent.start <= offset < sent.end:
                return sent
        return None

    def _is_question(self, start: int, end: int) -> bool:
        body = self.norm[start:end].rstrip(" \"')]}*:;.~-")
        if "?" in body[-3:]:
            return True
        # No question mark: a clause that opens like a question ("how long will ...",
        # "hi michael, is there a way ...") still asks one.
        return any(_opens_question(_WORD.findall(clause), self._cues)
                   for clause in _CLAUSE.split(self.norm[start:end]))


# Exclamations that open like questions: "what a day", "how nice".
_NOT_AFTER_WHAT = frozenset({"a", "an"})
_HOW_QUESTION = frozenset(
    "do does did can could would will should is are was were long much many often soon "
    "to about come far old big bad likely common effective safe".split()
)
_CLAUSE = re.compile(r"[,;:]\s+|\s+-+\s+")


def _opens_question(words: list[str], cues: QuestionCues) -> bool:
    i = 0
    while i < len(words) - 1 and i < 3 and words[i] in cues.lead_ins:
        i += 1
    if len(words) - i < 2:
        return False
    first, second = words[i], words[i + 1]
    if f"{first} {second}" in cues.wh_words:
        return True
    if first in cues.wh_words:
        if first == "what" and second in _NOT_AFTER_WHAT:
            return False
        if first == "how" and second not in _HOW_QUESTION:
            return False
        return len(words) - i >= 3
    return first in cues.auxiliaries and second in cues.subjects


def in_range(spans: Iterable[Span], start: int, end: int) -> list[Span]:
    """The spans that lie within [start, end)."""
    return [s for s in spans if s[0] >= start and s[1] <= end]
