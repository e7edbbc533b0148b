"""Exports in (ingest WXR and Disqus) and approved replies out (WXR), read back again."""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner

from moderation.cli import main
from moderation.formats.records import Located
from moderation.formats.wxr import StaffSettings, read_wxr

EXPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "exports"


def test_ingest_exports_and_write_replies_back_as_wxr(tmp_path: Path) -> None:
    db = str(tmp_path / "q.db")
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(main, ["--db", db, "--as", "ann", *args])
        assert result.exit_code == 0, result.output
        return result

    assert run("ingest", str(EXPORTS / "seed.wxr.xml")).stdout.strip() == (
        "read 46, queued 46, already queued 0, rejected 0")
    assert run("ingest", str(EXPORTS / "seed.disqus.xml")).stdout.strip() == (
        "read 46, queued 46, already queued 0, rejected 0")  # another source
    items = json.loads(run("queue", "list", "--format", "json").stdout)
    wxr_items = [i for i in items if i["source"] == "seed.wxr.xml" and i["reply_template"]]
    assert len(wxr_items) == 32
    chosen = wxr_items[:3]
    run("queue", "approve", str(chosen[0]["id"]))
    run("queue", "approve", str(chosen[1]["id"]), "--reply", "Thank you & <welcome>!")
    run("queue", "reject", str(chosen[2]["id"]), "--reason", "later")
    exported = run("queue", "export", "--format", "wxr").stdout
    records = list(read_wxr(io.BytesIO(exported.encode()), "out.xml",
                            StaffSettings(frozenset({"2"}))))
    assert all(isinstance(r, Located) for r in records) and len(records) == 2
    by_parent = {r.comment.parent: r.comment for r in records}
    assert set(by_parent) == {chosen[0]["comment_id"], chosen[1]["comment_id"]}
    second = by_parent[chosen[1]["comment_id"]]
    assert second.text == "Thank you & <welcome>!" and second.is_staff
    assert second.post == "4821" and second.author == "Memorial Sloan Kettering"
    assert second.meta["post_title"].startswith("Cell-Based Immune Therapy")
    assert "<wp:comment_parent>" in exported and "<wp:post_id>4821</wp:post_id>" in exported
    refused = runner.invoke(main, ["--db", db, "queue", "export", "--format", "wxr",
                                   "--status", "rejected"])
    assert refused.exit_code == 2 and "approved replies only" in refused.output
