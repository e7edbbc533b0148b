"""Sentences, questions and the term index."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.text import TermIndex, normalise, split_sentences


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two? Three!", ["One.", "Two?", "Three!"]),
        ("We spoke with Dr. Brentjens today. He agreed.",
         ["We spoke with Dr. Brentjens today.", "He agreed."]),
        ("received chemotherapy.The treatment is not helping",
         ["received chemotherapy.", "The treatment is not helping"]),
        ("Is this possible?Is there a hospital closer", ["Is this possible?",
                                                         "Is there a hospital closer"]),
        ("first line\nsecond line", ["first line", "second line"]),
        ("a year ago.....I sure wish", ["a year ago.....", "I sure wish"]),
        ("B. Smith wrote this.", ["B. Smith wrote this."]),
        ("", []),
        ("   ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "is_question"),
    [
        ("How long will the clinical trials take?", True),
        ("Is this a potential treatment for CML.", True),
        ("Hi Michael, is there a way to save a colour", True),
        ("any chance one of these geniuses start working on a cure for als", True),
        ("Do you have any hope for CLL patients", True),
        ("Great post - can you share the data", True),
        ("I read it twice; how long will the trial run", True),
        ("A well-known clinic: what a place.", False),
        ("What a time to be alive.", False),
        ("How wonderful this is.", False),
        ("Have a great day!", False),
        ("Can't wait to read more.", False),
        ("Thank you so much.", False),
    ],
)
def test_question_detection(pipeline, text: str, is_question: bool) -> None:
    doc = pipeline.doc(text)
    assert doc.is_question(doc.sentences[0]) is is_question


def test_term_index_word_boundaries_and_prefixes() -> None:
    index = TermIndex({"a": ["cancer", "my husband", "diagnos*"], "b": ["all"]})
    text = normalise("My husband's cancer was diagnosed; cancerous? overall ALL")
    hits = index.scan(text)
    spans = {lid: [text[s:e] for s, e in v] for lid, v in hits.items()}
    assert spans["a"] == ["my husband", "cancer", "diagnosed"]
    assert spans["b"] == ["all"]  # "overall" is not "all"


def test_term_index_is_unicode_aware() -> None:
    index = TermIndex({"x": ["müller", "crème"]})
    text = normalise("Dr. Müller and Crème brûlée, not Müllerstraße")
    assert [text[s:e] for s, e in index.scan(text)["x"]] == ["müller", "crème"]


def test_normalise_keeps_offsets() -> None:
    text = "İstanbul’s “quotes”\nand tabs\t"
    assert len(normalise(text)) == len(text)
    assert normalise("It’s") == "it's"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("arthritis and bronchitis", ["arthritis", "bronchitis"]),
        ("itis alone, or otitis", []),  # three letters must come before the ending
        ("anaemia (both -emia and -aemia end it) counts once", ["anaemia"]),
        ("arthritis2 and 2arthritis", ["arthritis", "arthritis"]),  # digits end words
        ("arthritises is no match", []),
        ("Gastritis? Hépatitis!", ["gastritis", "hépatitis"]),
        ("atorvastatin, lisinopril", ["atorvastatin", "lisinopril"]),
    ],
)
def test_term_index_word_endings(text: str, expected: list[str]) -> None:
    index = TermIndex({"cond": ["*itis", "*emia", "*aemia"], "drug": ["*statin", "*pril"]})
    norm = normalise(text)
    hits = index.scan(norm)
    assert sorted(norm[s:e] for spans in hits.values() for s, e in spans) == sorted(expected)


_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _endings_reference(norm: str, endings: list[str]) -> list[tuple[int, int]]:
    """What a word ending means, written the slow, obvious way."""
    return [m.span() for m in _LETTER_RUN.finditer(norm)
            if any(m.group().endswith(e) and len(m.group()) - len(e) >= 3 for e in endings)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aemiostl itéß2_-.\u00b2", max_size=60))
def test_term_index_word_endings_match_the_reference(text: str) -> None:
    endings = ["itis", "emia", "aemia", "osis", "ol"]
    index = TermIndex({"x": [f"*{e}" for e in endings]})
    norm = normalise(text)
    assert index.scan(norm).get("x", []) == _endings_reference(norm, endings)
