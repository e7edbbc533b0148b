"""Several cores and several machines give the same output as one process."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from moderation.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed_comments.jsonl"
EXPORTS = ROOT / "fixtures" / "exports"


def _corpus(tmp_path: Path) -> Path:
    """The seed comments 20 times over with distinct ids, and a bad line among them."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for copy in range(20):
            for line in lines:
                out.write(line.replace('"id": "seed', f'"id": "c{copy}-seed') + "\n")
            if copy == 7:
                out.write("not json\n")
    return path


def test_workers_give_the_same_output_in_the_same_order(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    one = CliRunner().invoke(main, ["classify", str(corpus)])
    two = CliRunner().invoke(main, ["classify", str(corpus), "--workers", "2"])
    assert one.exit_code == two.exit_code == 1  # the bad line is reported by both
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) == 920
    assert "read 921, classified 920, rejected 1" in two.stderr


def test_ingest_with_workers(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "q.db"), "ingest", str(corpus),
                                       "--workers", "2", "--rejects",
                                       str(tmp_path / "r.jsonl")])
    assert result.exit_code == 1
    assert result.stdout.strip() == "read 921, queued 920, already queued 0, rejected 1"
    # The workers work out the verdict's columns: the rows must be those of one process.
    alone = CliRunner().invoke(main, ["--db", str(tmp_path / "one.db"), "ingest", str(corpus)])
    assert alone.exit_code == 1
    assert _items(tmp_path / "q.db") == _items(tmp_path / "one.db")


def _items(path: Path) -> list[tuple]:
    import sqlite3

    # Every column but the times of queueing, which differ from run to run.
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT source, comment_id, post, parent, author, author_email, text, created_at, "
            "labels, flags, urgent, priority, verdict, reply_template, suggested_reply, meta, "
            "ruleset_hash, status, edited, version FROM queue_item ORDER BY id").fetchall()


def test_dask_local_cluster_matches_moderation_classify(tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    from moderation.distributed import classify_files

    inputs = [str(SEED), str(EXPORTS / "seed.wxr.xml"), str(EXPORTS / "seed.disqus.xml"),
              str(_corpus(tmp_path))]
    out_dir = tmp_path / "out"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        results = classify_files(client, inputs, str(out_dir))
    assert [r.input for r in results] == inputs
    for result in results:
        expected = CliRunner().invoke(main, ["classify", result.input])
        assert Path(result.output).read_text(encoding="utf-8") == expected.stdout
        assert result.read == result.classified + result.rejected
    assert results[-1].rejected == 1
    assert "invalid JSON" in Path(results[-1].rejects).read_text()


def _awkward(tmp_path: Path) -> Path:
    """Lines a block reader can get wrong: a BOM, blank and CRLF lines, bad JSON, an empty
    text, repeated ids (near and far), one line longer than the smallest blocks, and no
    newline at the end."""
    seed = SEED.read_text(encoding="utf-8").splitlines()
    long_text = "I have had leukemia for years and " * 30 + "what can I take?"
    lines = [
        "\ufeff" + seed[0], "", seed[1], "   ", seed[2].rstrip() + "\r",
        "{not json", '{"id": "empty", "text": "  "}', seed[1], '{"id": "cut", "text": "half a',
        json.dumps({"id": "long", "text": long_text}), *seed[3:12], seed[0],
        '{"id": "last", "text": "Thank you all so much!"}',
    ]
    path = tmp_path / "awkward.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8"))
    return path


@pytest.mark.parametrize("block_bytes", [1, 17, 400, 1 << 17])
def test_workers_read_blocks_exactly_as_one_process_reads_lines(
        tmp_path: Path, block_bytes: int) -> None:
    from moderation.parallel import classify_jsonl_files

    path = _awkward(tmp_path)
    one = CliRunner().invoke(main, ["classify", str(path)])
    out: list[bytes] = []
    rejected: list[str] = []
    counts = classify_jsonl_files([str(path)], 2, out.append, lambda r: rejected.append(
        f"rejected: {r}"), block_bytes=block_bytes)
    assert b"".join(out).decode("utf-8") == one.stdout
    assert rejected == one.stderr.splitlines()[:-1]
    assert one.stderr.splitlines()[-1] == "read {}, classified {}, rejected {}".format(*counts)
    assert counts == (19, 14, 5)
    assert f"{path}:9: invalid JSON: unexpected end of data (column 30)" in one.stderr
    assert [json.loads(line)["id"] for line in one.stdout.splitlines()][-1] == "last"


def test_workers_read_standard_input(tmp_path: Path) -> None:
    path = _awkward(tmp_path)
    one = CliRunner().invoke(main, ["classify", str(path)])
    two = CliRunner().invoke(main, ["classify", "-", "--workers", "2"],
                             input=path.read_bytes())
    assert two.exit_code == one.exit_code == 1
    assert two.stdout == one.stdout
    assert two.stderr.replace("<stdin>", str(path)) == one.stderr


def _rejects(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("block_bytes", [1, 17, 400, 1 << 17])
def test_ingest_workers_read_blocks_exactly_as_one_process_reads_lines(
        tmp_path: Path, block_bytes: int) -> None:
    from moderation.parallel import queue_entries_jsonl
    from moderation.store.db import open_database
    from moderation.store.queue import enqueue

    path = _awkward(tmp_path)
    one = CliRunner().invoke(main, ["--db", str(tmp_path / "one.db"), "ingest", str(path),
                                    "--rejects", str(tmp_path / "one.jsonl")])
    assert one.exit_code == 1
    assert one.stdout.strip() == "read 19, queued 14, already queued 0, rejected 5"
    rejected: list[dict] = []
    db = open_database(str(tmp_path / "two.db"), create=True)
    try:
        entries = queue_entries_jsonl([str(path)], 2, lambda source: Path(source).name,
                                      block_bytes=block_bytes)
        summary = enqueue(db, entries, "tester", 4, lambda r: rejected.append(
            {"source": r.source, "line": r.line, "reason": r.reason, "raw": r.raw}))
    finally:
        db.close()
    assert (summary.read, summary.queued, summary.rejected) == (19, 14, 5)
    assert _items(tmp_path / "two.db") == _items(tmp_path / "one.db")
    assert rejected == _rejects(tmp_path / "one.jsonl")


def test_ingest_workers_from_standard_input_and_again(tmp_path: Path) -> None:
    path = _awkward(tmp_path)
    db = ["--db", str(tmp_path / "q.db")]
    rejects = ["--rejects", str(tmp_path / "r.jsonl")]
    first = CliRunner().invoke(main, [*db, "ingest", "-", "--workers", "2", *rejects],
                               input=path.read_bytes())
    assert first.exit_code == 1
    assert first.stdout.strip() == "read 19, queued 14, already queued 0, rejected 5"
    assert {row[0] for row in _items(tmp_path / "q.db")} == {"stdin"}
    assert [r["source"] for r in _rejects(tmp_path / "r.jsonl")] == ["<stdin>"] * 5
    # Queued once: the same input again is counted as already queued, item by item.
    again = CliRunner().invoke(main, [*db, "ingest", "-", "--workers", "2", *rejects],
                               input=path.read_bytes())
    assert again.stdout.strip() == "read 19, queued 0, already queued 14, rejected 5"


@pytest.mark.parametrize("command", ["classify", "ingest"])
def test_workers_refuse_a_bad_encoding_as_one_process_does(tmp_path: Path,
                                                           command: str) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("kept\n")
    args = ["--db", str(tmp_path / "q.db"), command, str(SEED), "--encoding", "nope"]
    if command == "classify":
        args += ["--output", str(out)]
    for workers in ("1", "2"):
        result = CliRunner().invoke(main, [*args, "--workers", workers])
        assert result.exit_code == 2, result.output
        assert "unknown encoding 'nope'" in result.stderr
    # Refused before anything was opened for writing.
    assert out.read_text() == "kept\n" and not (tmp_path / "q.db").exists()


class _DiesOn:
    """A pipeline whose classify kills its own process on one comment: a worker killed
    mid-run, as the kernel's out-of-memory killer would. Forked workers inherit it."""

    def __init__(self, comment_id: str):
        from moderation.pipeline import Pipeline

        self.pipeline = Pipeline.from_directory()
        real = self.pipeline.classify

        def classify(comment, exhaustive=False):  # type: ignore[no-untyped-def]
            if comment.id == comment_id and multiprocessing.parent_process() is not None:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(comment, exhaustive)

        self.pipeline.classify = classify  # type: ignore[method-assign]


@pytest.fixture()
def alarm():  # type: ignore[no-untyped-def]
    """Fail instead of hanging for ever if a lost worker is waited for."""
    def hung(signum: int, frame: object) -> None:
        raise AssertionError("the run waited for a dead worker")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="the dying pipeline reaches workers by fork")


@needs_fork
def test_a_killed_worker_stops_classify_with_a_clear_error(tmp_path: Path, alarm: None) -> None:
    from moderation.errors import WorkerLost
    from moderation.parallel import classify_jsonl_files

    corpus = _corpus(tmp_path)
    out: list[bytes] = []
    with pytest.raises(WorkerLost, match="a worker process stopped before finishing"):
        classify_jsonl_files([str(corpus)], 2, out.append, lambda r: None, block_bytes=4096,
                             pipeline=_DiesOn("c12-seed-05").pipeline)
    # What was written is whole lines, in order, the start of the full output.
    full = CliRunner().invoke(main, ["classify", str(corpus)]).stdout.encode()
    written = b"".join(out)
    assert written.endswith(b"\n") and full.startswith(written)
    assert b'"c12-seed-05"' not in written


@needs_fork
def test_a_killed_worker_stops_ingest_and_the_next_run_queues_the_rest(
        tmp_path: Path, alarm: None) -> None:
    from moderation.errors import WorkerLost
    from moderation.parallel import queue_entries_jsonl
    from moderation.store.db import open_database
    from moderation.store.queue import enqueue

    corpus = _corpus(tmp_path)
    db = open_database(str(tmp_path / "q.db"), create=True)
    try:
        entries = queue_entries_jsonl([str(corpus)], 2, lambda source: "corpus",
                                      block_bytes=4096,
                                      pipeline=_DiesOn("c12-seed-05").pipeline)
        with pytest.raises(WorkerLost):
            enqueue(db, entries, "tester", 50)
    finally:
        db.close()
    partial = len(_items(tmp_path / "q.db"))
    assert 0 < partial < 920
    again = CliRunner().invoke(main, ["--db", str(tmp_path / "q.db"), "ingest", str(corpus),
                                      "--source", "corpus", "--workers", "2", "--rejects",
                                      str(tmp_path / "r.jsonl")])
    assert again.stdout.strip() == (f"read 921, queued {920 - partial}, already queued "
                                    f"{partial}, rejected 1")


@needs_fork
def test_a_killed_worker_stops_the_batch_path_too(tmp_path: Path, alarm: None) -> None:
    from moderation.errors import WorkerLost
    from moderation.formats import read_inputs
    from moderation.parallel import verdict_stream

    dying = _DiesOn("c12-seed-05").pipeline
    records = read_inputs([str(_corpus(tmp_path))])
    seen = []
    with pytest.raises(WorkerLost):
        for record, _ in verdict_stream(dying, records, workers=2, shape="jsonl"):
            seen.append(record)
    assert 0 < len(seen) < 921
