"""Property-based tests: any Unicode text classifies, and every span points into it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.models import Comment
from moderation.text import normalise, split_sentences

WORDS = st.sampled_from([
    "I", "my", "husband", "have", "cancer", "died", "thanks", "for", "the", "great", "work",
    "?", ".", "!", "call", "800-525-2225", "www.example.com", "http://a.co/x(y)", "a@b.io",
    "want", "to", "die", "sorry", "loss", "how", "long", "will", "trials", "take", "\n",
    "Dr.", "Müller", "İ", "😀", "\u0000", "\ufeff", "’", "&amp;", "<a href='x.com'>",
])
MIXED = st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=60).map(" ".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=MIXED, staff=st.booleans(), region=st.sampled_from([None, "US", "GB", "DE"]))
def test_any_text_classifies_and_spans_point_into_it(pipeline, text: str, staff: bool,
                                                     region: str | None) -> None:
    verdict = pipeline.classify(Comment(id="p", text=text, is_staff=staff, region=region))
    assert list(verdict.labels) == sorted(set(verdict.labels))
    for f in (*verdict.findings, *verdict.vetoes):
        assert 0 <= f.start <= f.end <= len(text) and text[f.start:f.end] == f.text
    ents = verdict.entities
    for item in (*ents.urls, *ents.phones, *ents.emails):
        assert 0 <= item.start < item.end <= len(text)
        assert text[item.start:item.end] == item.raw
    for flag in verdict.flags:
        assert 0 <= flag.start < flag.end <= len(text)
    if staff:
        assert verdict.reply is None and verdict.labels == ()
    record = verdict.to_record()
    assert record["id"] == "p"


@given(st.text(max_size=300))
def test_normalise_keeps_length(text: str) -> None:
    assert len(normalise(text)) == len(text)


@given(st.text(max_size=300))
def test_sentences_are_ordered_non_overlapping_and_trimmed(text: str) -> None:
    last = 0
    for start, end in split_sentences(text):
        assert last <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        last = end
