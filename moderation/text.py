"""Text features computed once per comment and shared by every stage.

A `Doc` wraps one comment's text. Each feature (sentences, questions, term hits,
sentiment, part-of-speech tags) is computed the first time a rule asks for it
and cached, so a comment that no rule needs tagging is never tagged.
"""

from __future__ import annotations

import re
from bisect import bisect_right
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
    "dr mr mrs ms st vs etc eg ie no jr sr prof dept approx fig inc ltd co mt ft jan feb "  # noqa: SIM905
    "mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun u.s e.g i.e a.m "
    "p.m".split()
)

# A sentence ends at . ! ? or an ellipsis followed by space; at ? or ! glued to the next
# word ("cancer?Is"); at a period glued to a capitalised word after a lower-case word
# ("chemotherapy.The"); and at line breaks.
_BOUNDARY = re.compile(
    # Every branch starts with one of . ! ? … or a newline, so the engine can skip ahead
    # to those characters instead of trying each position.
    r"""(?:[.!?\u2026]+['"\u2019\u201d)\]]*(?:\s+|$))"""
    r"""|(?:[?!]+(?=[^\W\d_]))|(?:(?:\.{2,}|\u2026)(?=[A-Z]))"""
    r"""|(?:\.(?<=[a-z]{2}\.)(?=[A-Z][a-z]))"""
    r"""|(?:\n\s*)"""
)
_BOUNDARY_CHAR = re.compile(r"[.!?\u2026\n]")
_LAST_WORD = re.compile(r"([\w.]+)$")


def split_sentences(text: str) -> list[Span]:
    """Spans of the sentences of text, trimmed of surrounding space."""
    spans: list[Span] = []
    start = pos = 0
    # Looking for the next boundary character, then matching there, is faster than
    # letting the pattern's alternation try every position.
    while (candidate := _BOUNDARY_CHAR.search(text, pos)) is not None:
        at = candidate.start()
        m = _BOUNDARY.match(text, at)
        if m is None:
            pos = at + 1
            continue
        pos = m.end()
        if text[at] == "." and text[at + 1:at + 2] != ".":
            # "Dr. Smith", "e.g. this", "J. Doe": no sentence ends at the period of an
            # abbreviation or an initial. They are short, so 8 characters show the word.
            last = _LAST_WORD.search(text, max(start, at - 8), at)
            word = last.group(1).lower().rstrip(".") if last else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        _append_trimmed(text, start, pos, spans)
        start = pos
    _append_trimmed(text, start, len(text), spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, out: list[Span]) -> None:
    piece = text[start:end]
    body = piece.strip()
    if body:
        lead = start + len(piece) - len(piece.lstrip())
        out.append((lead, lead + len(body)))


# ---------------------------------------------------------------------------------------
# Term index: every word list of every rule in one Aho-Corasick automaton


_NON_WORD = re.compile(r"[\W_]")
_WORDY_TERM = re.compile(r"[^\W_]+(?:[ '\-.][^\W_]+)*")


_ASCII_NON_WORD = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


def word_view(norm: str) -> str:
    """The normalised text with every non-word character turned into a space (same length)."""
    if norm.isascii():
        return norm.translate(_ASCII_NON_WORD)
    return _NON_WORD.sub(" ", norm)


def _is_letter(ch: str) -> bool:
    """A word character that is no decimal digit: what the pattern [^\\W\\d_] takes."""
    return ch.isalnum() and not ch.isdecimal()


def _word_endings(norm: str, padded: str, found: list[tuple[int, int, Any]],
                  hits: dict[str, list[Span]]) -> None:
    """Turn automaton hits of word endings ("itis" at the end of "arthritis") into the
    spans of their words: the ending must close a run of letters that has at least three
    more letters before it; a word counts once per list, whichever endings it has."""
    n = len(norm)
    seen: set[tuple[str, int]] = set()
    for end, length, entries in found:
        # The automaton ran over padded, one character ahead of norm.
        word_end = end
        if word_end < n and _is_letter(norm[word_end]):
            continue
        first = word_end - length
        word_start = padded.rfind(" ", 0, first + 1)
        if not norm[word_start:first].isalpha():
            word_start = first
            while word_start > 0 and _is_letter(norm[word_start - 1]):
                word_start -= 1
        for list_id, ending_length in entries:
            if word_end - word_start - ending_length >= 3 and (list_id, word_start) not in seen:
                seen.add((list_id, word_start))
                hits.setdefault(list_id, []).append((word_start, word_end))


class TermIndex:
    """Finds every listed word or phrase in one pass, at Unicode word boundaries.

    A term ending in ``*`` matches any ending ("diagnos*" finds "diagnosed"); a term
    starting with ``*`` matches any word of at least three more letters with that ending
    ("*itis" finds "arthritis"). Matching is case-insensitive and treats curly and
    straight quotes alike.

    Terms made of words are looked up, padded with spaces, in a view of the text where
    every non-word character is a space, so the automaton only reports whole words
    ("i" is not reported inside "this"). Terms with other characters ("/s", "£*") go
    to a second automaton whose matches are checked for boundaries one by one.
    """

    def __init__(self, lists: dict[str, Sequence[str]]):
        words: dict[str, list[str]] = {}
        raw: dict[str, list[tuple[str, bool]]] = {}
        endings: dict[str, list[str]] = {}
        for list_id, terms in lists.items():
            for term in terms:
                if term.startswith("*"):
                    ending = normalise(term.strip("*").strip())
                    if ending:
                        endings.setdefault(list_id, []).append(ending)
                    continue
                is_prefix = term.endswith("*")
                key = " ".join(normalise(term.rstrip("*")).split())
                if not key:
                    continue
                if _WORDY_TERM.fullmatch(key):
                    padded = " " + word_view(key) + ("" if is_prefix else " ")
                    words.setdefault(padded, []).append(list_id)
                else:
                    raw.setdefault(key, []).append((list_id, is_prefix))
        # Word endings of letters ride in the same automaton, unpadded: a hit there is
        # checked for the end of its word and the three letters before it.
        ending_lists: dict[str, list[tuple[str, int]]] = {}
        other_endings: dict[str, list[str]] = {}
        for list_id, alts in endings.items():
            for ending in dict.fromkeys(alts):
                if ending.isalpha():
                    ending_lists.setdefault(ending, []).append((list_id, len(ending)))
                else:
                    other_endings.setdefault(list_id, []).append(ending)
        self._words: Any = ahocorasick.Automaton()
        for key, ids in words.items():
            self._words.add_word(key, (len(key), key[-1] != " ", tuple(dict.fromkeys(ids))))
        for key, lengths in ending_lists.items():
            self._words.add_word(key, (len(key), None, tuple(lengths)))
        self._raw: Any = ahocorasick.Automaton()
        for key, entries in raw.items():
            self._raw.add_word(key, (len(key), tuple(entries)))
        self._has_words, self._has_raw = bool(words or ending_lists), bool(raw)
        if self._has_words:
            self._words.make_automaton()
        if raw:
            self._raw.make_automaton()
        self._endings = [(lid, tuple(sorted(set(alts)))) for lid, alts in other_endings.items()]
        self._all_endings = tuple(sorted({e for alts in other_endings.values() for e in alts}))
        self._shortest_word = 3 + min((len(e) for a in endings.values() for e in a), default=3)
        self._long_word = re.compile(rf"[^\W\d_]{{{self._shortest_word},}}")
        self._long_ascii_word = re.compile(rf"[a-z]{{{self._shortest_word},}}")
        self.size = len(words) + len(raw) + sum(len(a) for a in endings.values())

    def scan(self, norm: str) -> dict[str, list[Span]]:
        """Map each list id to the spans of its terms in the normalised text."""
        hits: dict[str, list[Span]] = {}
        if self._has_words:
            padded = " " + word_view(norm) + " "
            endings: list[tuple[int, int, Any]] = []
            for end, (length, is_prefix, ids) in self._words.iter(padded):
                if is_prefix is None:
                    endings.append((end, length, ids))
                    continue
                start = end - length + 1  # in norm: the padding space sits at start - 1
                stop = padded.find(" ", end + 1) - 1 if is_prefix else end - 1
                span = (start, stop)
                for list_id in ids:
                    bucket = hits.get(list_id)
                    if bucket is None:
                        hits[list_id] = [span]
                    else:
                        bucket.append(span)
            if endings:
                _word_endings(norm, padded, endings, hits)
        if self._has_raw:
            self._scan_raw(norm, hits)
        if self._endings:
            self._scan_endings(norm, hits)
        for bucket in hits.values():
            bucket.sort()
        return hits

    def _scan_endings(self, norm: str, hits: dict[str, list[Span]]) -> None:
        # Long words only, then a C-level endswith over each list's endings.
        finder = self._long_ascii_word if norm.isascii() else self._long_word
        all_endings = self._all_endings
        for m in finder.finditer(norm):
            word = m.group()
            if not word.endswith(all_endings):
                continue
            for list_id, ends in self._endings:
                if word.endswith(ends) and any(
                        word.endswith(e) and len(word) - len(e) >= 3 for e in ends):
                    hits.setdefault(list_id, []).append(m.span())

    def _scan_raw(self, norm: str, hits: dict[str, list[Span]]) -> None:
        n = len(norm)
        for end, (length, entries) in self._raw.iter(norm):
            start = end - length + 1
            if start > 0 and is_word_char(norm[start - 1]) and is_word_char(norm[start]):
                continue
            after = end + 1
            whole = after >= n or not (is_word_char(norm[after]) and is_word_char(norm[end]))
            for list_id, is_prefix in entries:
                if is_prefix:
                    stop = after
                    while stop < n and is_word_char(norm[stop]):
                        stop += 1
                    hits.setdefault(list_id, []).append((start, stop))
                elif whole:
                    hits.setdefault(list_id, []).append((start, after))


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

    @cached_property
    def openings(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """The compiled patterns of question openings: at the start of a sentence, and
        after a comma, semicolon, colon or dash inside it."""
        return question_opening_regexes(self.wh_words, self.auxiliaries, self.subjects,
                                        self.lead_ins)


class Doc:
    """One comment's text and its features, each computed at most once.

    Term hits are computed when the Doc is made (every rule needs them); sentences,
    sentiment and tags only when first asked for.
    """

    __slots__ = ("text", "norm", "hits", "_cues", "_analysers", "_sentences", "_starts",
                 "_sentiment", "_tags", "_with_hits", "_questions", "timed_out")

    def __init__(self, text: str, index: TermIndex, cues: QuestionCues, analysers: Analysers):
        self.text = text
        self.norm = normalise(text)
        self.hits: dict[str, list[Span]] = index.scan(self.norm)
        self._cues = cues
        self._analysers = analysers
        self._sentences: list[Span] | None = None
        self._questions: dict[int, bool] = {}
        self.timed_out = False  # a risky pattern ran out of its budget on this comment
        self._starts: list[int] = []
        self._sentiment: tuple[float, float] | None = None
        self._tags: list[tuple[int, int, str]] | None = None
        self._with_hits: dict[tuple[str, ...], list[Span]] = {}

    @property
    def sentences(self) -> list[Span]:
        """The spans of the sentences."""
        if self._sentences is None:
            self._sentences = split_sentences(self.text)
            self._starts = [start for start, _ in self._sentences]
        return self._sentences

    def is_question(self, sentence: Span) -> bool:
        """Whether a sentence asks something (worked out the first time it is asked)."""
        known = self._questions.get(sentence[0])
        if known is None:
            known = self._questions[sentence[0]] = self._is_question(*sentence)
        return known

    def sentences_in(self, start: int, end: int) -> list[Span]:
        """The sentences that lie within [start, end)."""
        sents = self.sentences
        if start == 0 and end >= len(self.text):
            return sents
        i = max(bisect_right(self._starts, start) - 1, 0)
        out = []
        while i < len(sents) and sents[i][0] < end:
            if sents[i][0] >= start and sents[i][1] <= end:
                out.append(sents[i])
            i += 1
        return out

    def sentences_with(self, list_ids: tuple[str, ...]) -> list[Span]:
        """The sentences holding a hit of any of the lists (all sentences if none given)."""
        if not list_ids:
            return self.sentences
        cached = self._with_hits.get(list_ids)
        if cached is not None:
            return cached
        sents = self.sentences
        starts = self._starts
        chosen: set[int] = set()
        for lid in list_ids:
            for s, _ in self.hits.get(lid, ()):
                i = bisect_right(starts, s) - 1
                if i >= 0 and sents[i][0] <= s < sents[i][1]:
                    chosen.add(i)
        result = [sents[i] for i in sorted(chosen)]
        self._with_hits[list_ids] = result
        return result

    def sentences_with_all(self, gates: Sequence[tuple[str, ...]]) -> list[Span]:
        """The sentences holding a hit of each gate (each a tuple of list ids, any of
        which will do); every sentence when there are no gates."""
        if not gates:
            return self.sentences
        found = self.sentences_with(gates[0])
        for gate in gates[1:]:
            if not found:
                break
            allowed = set(self.sentences_with(gate))
            found = [sent for sent in found if sent in allowed]
        return found

    @property
    def sentiment(self) -> tuple[float, float]:
        """TextBlob polarity and subjectivity of the whole comment."""
        if self._sentiment is None:
            self._sentiment = self._analysers.sentiment(self.text)
        return self._sentiment

    @property
    def tags(self) -> list[tuple[int, int, str]]:
        """Part-of-speech tags with the span of each tagged word."""
        if self._tags is None:
            out: list[tuple[int, int, str]] = []
            pos = 0
            for word, tag in self._analysers.tag(self.text):
                found = self.text.find(word, pos)
                if found < 0:
                    continue
                out.append((found, found + len(word), tag))
                pos = found + len(word)
            self._tags = out
        return self._tags

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence that contains offset."""
        sents = self.sentences
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and sents[i][0] <= offset < sents[i][1]:
            return sents[i]
        return None

    def _is_question(self, start: int, end: int) -> bool:
        body = self.norm[start:end]
        tail = body.rstrip(" \"')]}*:;.~-")
        if "?" in tail[-3:]:
            return True
        # No question mark: a clause that opens like a question ("how long will ...",
        # "hi michael, is there a way ...") still asks one. Most sentences have no
        # comma or dash, so only their start needs looking at.
        at_start, in_clause = self._cues.openings
        if at_start.match(body) is not None:
            return True
        return ("," in body or ";" in body or ":" in body or "-" in body) and \
            in_clause.search(body) is not None


# Exclamations that open like questions: "what a day", "how nice".
_HOW_QUESTION = (
    "do does did can could would will should is are was were long much many often soon "  # noqa: SIM905
    "to about come far old big bad likely common effective safe".split()
)


_HAVE_FORMS = frozenset({"has", "have", "had", "hasn't", "haven't", "hadn't"})
_HAVE_SUBJECTS = ("anyone", "anybody", "someone", "you", "they", "he", "she", "it", "we", "i",
                  "there", "this", "that", "u", "y'all", "any")


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True)) or "(?!)"


def question_opening_regexes(wh_words: Iterable[str], auxiliaries: Iterable[str],
                             subjects: Iterable[str], lead_ins: Iterable[str],
                             ) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The ways a clause can open a question without a question mark: one pattern to
    match at the start of a sentence, one to search for inside it.

    A clause starts the text or follows ", ", "; ", ": " or " - "; up to three lead-ins
    ("hi", "so", "thanks") may come first. Then either a wh-word and two more words
    (not "what a ...", and "how" only before "do", "long", "much" ...), or an auxiliary
    followed by a subject ("can you", "is this", "do they").
    """
    word = r"[^\W_]+(?:'[^\W_]+)?"
    sep = r"[^\w']+"
    wh = [w for w in wh_words if " " not in w]
    wh_phrases = [w for w in wh_words if " " in w]
    lead = rf"(?:(?:{_alternation(lead_ins)}){sep}){{0,3}}"
    def wh_part(words: list[str]) -> str:
        return (rf"(?:(?:{_alternation(wh_phrases)})(?![\w'])"
                rf"|(?!what{sep}an?(?![\w']))(?!how{sep}(?!(?:{_alternation(_HOW_QUESTION)})"
                rf"(?![\w'])))(?:{_alternation(words)}){sep}{word}{sep}{word})")

    # After a comma, "which", "who", "where" and "when" usually start a relative
    # clause ("the site, which would ..."), so only what/how/why open a question there.
    inner_wh = [w for w in wh if w.split("'")[0] in ("what", "whats", "how", "hows", "why")]
    # "has/have/had" open statements too ("had the best time"): only pronouns after them.
    have = [a for a in auxiliaries if a in _HAVE_FORMS]
    others = [a for a in auxiliaries if a not in _HAVE_FORMS]
    aux_part = (rf"(?:(?:{_alternation(others)}){sep}(?:{_alternation(subjects)})"
                rf"|(?:{_alternation(have)}){sep}(?:{_alternation(_HAVE_SUBJECTS)}))(?![\w'])")
    return (re.compile(rf"[^\w']*{lead}(?:{wh_part(wh)}|{aux_part})"),
            re.compile(rf"(?:[,;:]\s+|\s+-+\s+)[^\w']*{lead}(?:{wh_part(inner_wh)}|{aux_part})"))


def in_range(spans: Iterable[Span], start: int, end: int) -> list[Span]:
    """The spans that lie within [start, end)."""
    return [s for s in spans if s[0] >= start and s[1] <= end]
