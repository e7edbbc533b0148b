"""The queue through the library: order, filters, decisions, undo, audit, export, stats."""

from __future__ import annotations

import pytest

from moderation.errors import DecisionError, ModerationError, NotFound
from moderation.formats import read_inputs
from moderation.formats.records import Located
from moderation.models import Comment
from moderation.store import queue as q
from moderation.store.privacy import mask_email, mask_phone, masked_item

from .conftest import SEED


def _by_comment(db, comment_id: str):
    return next(i for i in q.list_items(db) if i.comment_id == comment_id)


def _state(item):
    return item.model_dump(exclude={"version"})


def test_ingest_counts_and_is_idempotent(database, pipeline) -> None:
    first = q.ingest(database, pipeline, read_inputs([str(SEED)]), lambda r: "seed", "x",
                     batch_size=7)
    assert (first.read, first.queued, first.already_queued, first.rejected) == (46, 46, 0, 0)
    again = q.ingest(database, pipeline, read_inputs([str(SEED)]), lambda r: "seed", "x")
    assert (again.queued, again.already_queued) == (0, 46)
    other = q.ingest(database, pipeline, read_inputs([str(SEED)]), lambda r: "other", "x")
    assert other.queued == 46  # idempotence is per (source, comment id)
    assert q.count_items(database, q.ItemFilter()) == 92


def test_duplicates_within_one_input_are_queued_once(database, pipeline) -> None:
    records = [Located("f", i + 1, Comment(id="same", text=f"Thanks {i}!")) for i in range(3)]
    summary = q.ingest(database, pipeline, records, lambda r: "f", "x")
    assert (summary.queued, summary.already_queued) == (1, 2)


def test_every_enqueued_item_has_one_enqueued_event(seeded) -> None:
    for item in q.list_items(seeded):
        events = q.history(seeded, item.id)
        assert [e.event for e in events] == ["enqueued"]
        assert events[0].ruleset_hash == item.ruleset_hash


def test_queue_order_is_priority_then_oldest(seeded, pipeline) -> None:
    q.ingest(seeded, pipeline, [Located("m", 1, Comment(
        id="c1", text="I don't want to live anymore.", created_at="2020-01-01T00:00:00"))],
        lambda r: "m", "x")
    items = list(q.list_items(seeded, q.ItemFilter(status="pending")))
    assert items[0].comment_id == "c1" and items[0].urgent
    priorities = [i.priority for i in items]
    assert priorities == sorted(priorities)
    for level in set(priorities):
        dates = [i.created_at for i in items if i.priority == level]
        assert dates == sorted(dates)
    precedence = list(pipeline.ruleset.labels.precedence)
    first_pmq = next(i for i in items if "personal_medical_question" in i.labels)
    assert first_pmq.priority == precedence.index("personal_medical_question")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (q.ItemFilter(label="thanks"), 15),
        (q.ItemFilter(label="condolence"), 4),
        (q.ItemFilter(status="approved"), 0),
        (q.ItemFilter(post="car-t-leukemia"), 46),
        (q.ItemFilter(post="other"), 0),
        (q.ItemFilter(flag="commenter_phone"), 0),
    ],
)
def test_filters(seeded, filters, expected: int) -> None:
    assert len(list(q.list_items(seeded, filters))) == expected == q.count_items(seeded, filters)


def test_unknown_status_is_refused() -> None:
    with pytest.raises(ModerationError, match="unknown status 'bogus'"):
        q.ItemFilter(status="bogus")


def test_approve_reject_and_decide_twice(seeded) -> None:
    item = _by_comment(seeded, "seed-19")
    done = q.approve(seeded, item.id, "ann")
    assert (done.status, done.final_reply, done.decided_by) == (
        "approved", item.suggested_reply, "ann")
    with pytest.raises(DecisionError, match="already approved"):
        q.approve(seeded, item.id, "bob")
    with pytest.raises(DecisionError, match="already approved"):
        q.reject(seeded, item.id, "bob", "no")
    other = _by_comment(seeded, "seed-20")
    rejected = q.reject(seeded, other.id, "ann", "duplicate")
    assert (rejected.status, rejected.reason, rejected.final_reply) == ("rejected",
                                                                        "duplicate", None)
    with pytest.raises(ModerationError, match="needs a reason"):
        q.reject(seeded, _by_comment(seeded, "seed-21").id, "ann", "  ")


def test_edit_is_recorded(seeded) -> None:
    item = _by_comment(seeded, "seed-04")
    done = q.approve(seeded, item.id, "ann", reply="Please call 800-525-2225, Edward.")
    assert done.edited and done.final_reply == "Please call 800-525-2225, Edward."
    edit = q.history(seeded, item.id)[-1]
    assert (edit.event, edit.reply_before, edit.reply_after) == (
        "edited", item.suggested_reply, done.final_reply)


def test_other_template(seeded, pipeline) -> None:
    item = _by_comment(seeded, "seed-19")
    done = q.approve(seeded, item.id, "ann", template="condolence", replies=pipeline.replies)
    assert done.final_template == "condolence" and "sorry for your loss" in done.final_reply


def test_undo_restores_the_exact_prior_state(seeded) -> None:
    item = _by_comment(seeded, "seed-05")
    before = q.get_item(seeded, item.id)
    q.approve(seeded, item.id, "ann", reply="An edited answer.")
    restored = q.undo(seeded, "ann")
    assert _state(restored) == _state(before)
    assert restored.version == before.version + 2
    events = q.history(seeded, item.id)
    assert [e.event for e in events] == ["enqueued", "edited", "undone"]
    assert events[-1].undoes == events[-2].id
    with pytest.raises(DecisionError, match="nothing to undo"):
        q.undo(seeded, "ann")


def test_undo_is_per_moderator_and_last_first(seeded) -> None:
    a, b = _by_comment(seeded, "seed-19"), _by_comment(seeded, "seed-20")
    q.approve(seeded, a.id, "ann")
    q.approve(seeded, b.id, "ann")
    q.approve(seeded, _by_comment(seeded, "seed-24").id, "bob")
    assert q.undo(seeded, "ann").id == b.id
    assert q.undo(seeded, "ann").id == a.id
    with pytest.raises(DecisionError):
        q.undo(seeded, "ann")
    assert q.undo(seeded, "bob").comment_id == "seed-24"


def test_bulk_decisions(seeded) -> None:
    filters = q.ItemFilter(label="thanks")
    assert q.bulk(seeded, filters, "ann", "approve") == 15
    assert q.bulk(seeded, filters, "ann", "approve") == 0  # nothing twice
    assert q.count_items(seeded, q.ItemFilter(status="approved")) == 15


def test_missing_item(seeded) -> None:
    with pytest.raises(NotFound, match="no queue item 9999"):
        q.get_item(seeded, 9999)
    with pytest.raises(NotFound):
        q.approve(seeded, 9999, "ann")


def test_next_item_holds_and_skips(seeded) -> None:
    first = q.next_item(seeded, "ann")
    assert first is not None and first.holder == "ann"
    assert q.get_item(seeded, first.id).holder == "ann"
    other = q.next_item(seeded, "bob")
    assert other is not None and other.id != first.id  # ann holds the first
    assert q.next_item(seeded, "ann").id == first.id    # ann keeps hers
    second = q.next_item(seeded, "ann", skip=[first.id])
    assert second.id not in (first.id, other.id)
    q.release(seeded, first.id, "ann")
    assert q.get_item(seeded, first.id).holder is None
    assert [e.event for e in q.history(seeded, first.id)] == ["enqueued", "held", "released"]


def test_export_and_stats(seeded) -> None:
    a, b = _by_comment(seeded, "seed-19"), _by_comment(seeded, "seed-20")
    q.approve(seeded, a.id, "ann", reply="Thanks a lot!")
    q.reject(seeded, b.id, "bob", "spam")
    exported = list(q.export(seeded, "approved"))
    assert [(e["comment_id"], e["status"], e["reply"], e["moderator"]) for e in exported] == [
        ("seed-19", "approved", "Thanks a lot!", "ann")]
    assert set(exported[0]) >= {"comment_id", "status", "reply", "template", "moderator",
                                "decided_at"}
    assert len(list(q.export(seeded, None))) == 2
    data = q.stats(seeded)
    assert data["by_status"] == {"pending": 44, "approved": 1, "rejected": 1}
    assert data["by_label"]["thanks"] == 15
    thanks = data["templates"]["thanks"]
    assert (thanks["edited"], thanks["rejected"], thanks["pending"]) == (1, 1, 10)


def test_masking() -> None:
    assert mask_email("jane.doe@example.com") == "j•••••••@example.com"
    assert mask_phone("(917) 386-0143") == "(•••) •••-••43"


def test_masked_item_hides_commenters_contacts(database, pipeline) -> None:
    text = "Call me at 917-386-0143 or write to jane@example.com, thanks!"
    q.ingest(database, pipeline, [Located("m", 1, Comment(id="p", text=text,
                                                          author_email="jane@example.com"))],
             lambda r: "m", "x")
    item = next(q.list_items(database))
    shown = masked_item(item)
    assert "386-0143" not in shown.text and "jane@" not in shown.text
    assert len(shown.text) == len(text) and shown.author_email == "j•••@example.com"


@pytest.mark.parametrize("paramstyle", ["qmark", "named"])
def test_bulk_insert_with_any_parameter_style(tmp_path, paramstyle: str) -> None:
    """Drivers whose parameter style the tuple path does not write get the Core insert;
    both store the same values, datetimes in the dialect's own form."""
    from datetime import datetime

    from sqlalchemy import create_engine, select

    from moderation.store.db import open_database

    path = tmp_path / "q.db"
    open_database(str(path), create=True).close()
    engine = create_engine(f"sqlite:///{path}", paramstyle=paramstyle)
    bulk = q._BulkInsert(q.ITEMS, q._ITEM_COLUMNS, engine.dialect)
    assert (bulk.sql is None) == (paramstyle == "named")
    at = datetime(2024, 5, 6, 7, 8, 9, 123456)
    values = {c: None for c in q._ITEM_COLUMNS} | {
        "source": "s", "comment_id": "c", "text": "t", "enqueued_at": at, "sort_at": at,
        "labels": ",", "flags": ",", "urgent": True, "priority": 2, "verdict": "{}",
        "ruleset_hash": "h", "status": "pending", "edited": False, "version": 1}
    with engine.begin() as conn:
        bulk.run(conn, [tuple(values[c] for c in q._ITEM_COLUMNS)])
        row = conn.execute(select(q.ITEMS)).mappings().one()
        stored = conn.exec_driver_sql("SELECT enqueued_at FROM queue_item").scalar()
    assert {c: row[c] for c in q._ITEM_COLUMNS} == values
    assert stored == "2024-05-06 07:08:09.123456"
    engine.dispose()
