"""The pipeline end to end on the seed post, and its structural guarantees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moderation.errors import ModerationError
from moderation.models import Comment
from moderation.pipeline import Pipeline
from moderation.ruleset.loader import load_ruleset

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed_comments.jsonl"
SEED_RECORDS = [json.loads(line) for line in SEED.read_text(encoding="utf-8").splitlines()]
PRECEDENCE = ["crisis", "personal_medical_question", "condolence", "expert_question", "thanks"]


def _comment(record: dict) -> Comment:
    fields = {k: v for k, v in record.items() if k not in ("labels", "urls", "phones", "emails")}
    return Comment(**fields)


def test_seed_fixture_covers_the_post() -> None:
    readers = [r for r in SEED_RECORDS if not r["is_staff"]]
    staff = [r for r in SEED_RECORDS if r["is_staff"]]
    assert len(readers) == 33 and len(staff) == 13
    assert all(r["parent"].startswith("seed-") for r in staff)


@pytest.mark.parametrize("record", [r for r in SEED_RECORDS if not r["is_staff"]],
                         ids=lambda r: r["id"])
def test_seed_reader_gets_the_template_its_labels_imply(pipeline, record: dict) -> None:
    verdict = pipeline.classify(_comment(record))
    assert list(verdict.labels) == record["labels"]
    first = next((label for label in PRECEDENCE if label in record["labels"]), None)
    assert verdict.reply_template == first
    if first:
        assert verdict.reply is not None and verdict.reply.text


@pytest.mark.parametrize("record", [r for r in SEED_RECORDS if r["is_staff"]],
                         ids=lambda r: r["id"])
def test_seed_staff_reply_gets_no_suggestion(pipeline, record: dict) -> None:
    verdict = pipeline.classify(_comment(record))
    assert verdict.reply is None and verdict.labels == ()
    assert {p.e164 for p in verdict.entities.phones} == {p["e164"] for p in record["phones"]}
    assert not any(f.kind == "commenter_phone" for f in verdict.flags)


def test_personal_reply_gives_the_appointment_line(pipeline) -> None:
    verdict = pipeline.classify(Comment(
        id="x", author="Edward Smith",
        text="Last year I was diagnosed with prostate cancer. Is there any trial for me?"))
    assert verdict.reply_template == "personal_medical_question"
    assert "800-525-2225" in verdict.reply.text
    assert verdict.reply.text.startswith("Thank you for your comment, Edward.")


def test_expert_reply_names_the_expert_and_leaves_a_placeholder(pipeline) -> None:
    verdict = pipeline.classify(Comment(id="x", text="Dr. Sadelain, do you have any hope for "
                                                     "CLL patients?"))
    assert verdict.reply_template == "expert_question"
    assert "Dr. Michel Sadelain" in verdict.reply.text
    assert "[EXPERT'S ANSWER" in verdict.reply.text


def test_crisis_is_urgent_and_wins_precedence(pipeline) -> None:
    verdict = pipeline.classify(Comment(
        id="x", text="I have leukemia and I don't want to live anymore. What should I do?"))
    assert "crisis" in verdict.labels and verdict.urgent
    assert verdict.reply_template == "crisis"
    assert "988" in verdict.reply.text


def test_personal_question_suppresses_expert_question(pipeline) -> None:
    verdict = pipeline.classify(Comment(
        id="x", text="I have CLL and my counts keep rising. How long will the trials take?"))
    assert "personal_medical_question" in verdict.labels
    assert "expert_question" not in verdict.labels


def test_every_label_carries_its_rule_and_span(pipeline) -> None:
    for record in SEED_RECORDS:
        verdict = pipeline.classify(_comment(record))
        text = record["text"]
        for label in verdict.labels:
            evidence = [f for f in verdict.findings if f.label == label]
            assert evidence, (record["id"], label)
            for f in evidence:
                assert 0 <= f.start <= f.end <= len(text)
                assert text[f.start:f.end] == f.text
                assert f.rule in pipeline.ruleset.sources
                # The parts are in text order, apart, and within the text.
                assert f.parts and all(0 <= a < b <= len(text) for a, b in f.parts)
                assert all(b1 < a2 for (_, b1), (a2, _) in zip(f.parts, f.parts[1:], strict=False))


def test_a_finding_shows_every_condition_it_rests_on(pipeline) -> None:
    text = ("I would like to know if similar trials are planned for Advanced Breast Cancer. "
            "I have stage IV breast cancer with spread to bones and liver.")
    verdict = pipeline.classify(Comment(id="x", text=text))
    (finding,) = [f for f in verdict.findings if f.rule == "PMQ001"]
    pieces = [text[a:b] for a, b in finding.parts]
    # The request, the treatment word and the sentence of the commenter's own illness,
    # not only the first word the rule met.
    assert "would like to know" in pieces and "trials" in pieces
    assert "I have stage IV breast cancer with spread to bones and liver" in pieces
    assert (finding.start, finding.end) in finding.parts or any(
        a <= finding.start and finding.end <= b for a, b in finding.parts)
    evidence = next(e for e in verdict.to_record()["evidence"] if e["rule"] == "PMQ001")
    assert evidence["parts"] == [list(part) for part in finding.parts]


def test_a_finding_without_parts_is_written_with_its_main_span() -> None:
    from moderation.models import Finding, Verdict

    finding = Finding(label="thanks", rule="THX001", start=0, end=5, text="Thank")
    record = Verdict(comment_id="x", labels=("thanks",), findings=(finding,)).to_record()
    assert record["evidence"][0]["parts"] == [[0, 5]]


@pytest.mark.parametrize(("spans", "expected"), [
    ([], ()),
    ([(5, 9), (0, 3)], ((0, 3), (5, 9))),
    ([(0, 4), (2, 6), (6, 8), (10, 12)], ((0, 8), (10, 12))),
    ([(3, 9), (4, 5)], ((3, 9),)),
])
def test_joined_spans(spans, expected) -> None:
    from moderation.ruleset.compiled import joined

    assert joined(spans) == expected


def test_outside_links_and_commenter_numbers_are_flagged(pipeline) -> None:
    verdict = pipeline.classify(Comment(
        id="x", text="Look up www.example.com or call me at 917-386-0143. See mskcc.org too."))
    kinds = sorted((f.kind, f.value) for f in verdict.flags)
    assert kinds == [("commenter_phone", "+19173860143"), ("offsite_link", "www.example.com")]


def test_region_per_comment_overrides_the_default(pipeline) -> None:
    text = "call 020 7946 0958 today"
    assert pipeline.classify(Comment(id="a", text=text)).entities.phones == ()
    gb = pipeline.classify(Comment(id="b", text=text, region="GB"))
    assert [p.e164 for p in gb.entities.phones] == ["+442079460958"]


def test_verdict_records_the_ruleset_hash(pipeline) -> None:
    verdict = pipeline.classify(Comment(id="x", text="Thanks!"))
    assert verdict.ruleset_hash == pipeline.ruleset.hash and len(verdict.ruleset_hash) == 12


def test_stage_order_is_checked(rules_copy) -> None:
    labels = rules_copy / "labels.yaml"
    text = labels.read_text().replace(
        "  - personal_medical_question\n  - expert_question\n",
        "  - expert_question\n  - personal_medical_question\n")
    labels.write_text(text)
    with pytest.raises(ModerationError, match="stage 'expert_question' needs "
                                              "label.personal_medical_question"):
        Pipeline(load_ruleset(rules_copy))


def test_to_record_has_the_contract_shape(pipeline) -> None:
    record = pipeline.classify(Comment(id=7, text="Please call 800-525-2225. Thanks!")).to_record()
    assert record["id"] == "7"
    assert {"id", "labels", "reply_template", "urls", "phones", "emails", "evidence"} <= set(record)
    assert record["phones"] == [{"raw": "800-525-2225", "e164": "+18005252225"}]
    assert record["labels"] == sorted(record["labels"])


def test_exhaustive_mode_reports_every_rule_and_the_same_labels(pipeline) -> None:
    for record in SEED_RECORDS:
        comment = _comment(record)
        fast, full = pipeline.classify(comment), pipeline.classify(comment, exhaustive=True)
        assert fast.labels == full.labels and fast.reply == full.reply
        assert {f.rule for f in fast.findings} <= {f.rule for f in full.findings}
    text = "Great job! Keep up the great research. Thank you for your hard work."
    full = pipeline.classify(Comment(id="x", text=text), exhaustive=True)
    fast = pipeline.classify(Comment(id="x", text=text))
    assert len({f.rule for f in full.findings}) > len({f.rule for f in fast.findings}) == 1
