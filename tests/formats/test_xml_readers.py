"""WXR and Disqus readers: the seed exports, WordPress's samples, unsafe and broken files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from moderation.cli import main
from moderation.formats import StaffSettings, read_inputs
from moderation.formats.disqus import read_disqus
from moderation.formats.records import Located, Rejected
from moderation.formats.wxr import read_wxr

EXPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "exports"
SEED = EXPORTS.parent / "seed_comments.jsonl"
STAFF = StaffSettings(frozenset({"2"}), frozenset({"blog@mskcc.org"}))


def _comments(records) -> list:
    return [r.comment for r in records if isinstance(r, Located)]


@pytest.mark.parametrize("name", ["seed.wxr.xml", "seed.disqus.xml"])
def test_seed_exports_read_like_the_jsonl(name: str, pipeline) -> None:
    records = list(read_inputs([str(EXPORTS / name)], staff=STAFF))
    comments = _comments(records)
    assert len(comments) == len(records) == 46
    jsonl = _comments(read_inputs([str(SEED)]))
    assert [c.text for c in comments] == [c.text for c in jsonl]
    assert [c.is_staff for c in comments] == [c.is_staff for c in jsonl]
    by_id = {c.id: c for c in comments}
    staff_replies = [c for c in comments if c.is_staff]
    assert len(staff_replies) == 13 and all(by_id[c.parent].is_staff is False
                                            for c in staff_replies)
    verdicts = [pipeline.classify(c).reply_template for c in comments]
    assert verdicts == [pipeline.classify(c).reply_template for c in jsonl]


def test_wxr_fields_and_post(pipeline) -> None:
    first = _comments(read_inputs([str(EXPORTS / "seed.wxr.xml")], staff=STAFF))[0]
    assert (first.id, first.post, first.created_at.isoformat()) == (
        "100", "4821", "2013-03-20T09:07:00")
    assert first.meta["post_title"].startswith("Cell-Based Immune Therapy")
    assert first.meta["wp_approved"] == "1" and first.meta["wp_type"] == "comment"


def test_wordpress_theme_unit_test_export() -> None:
    records = list(read_inputs([str(EXPORTS / "wordpress" / "theme-unit-test-data.xml")]))
    comments = _comments(records)
    rejected = [r for r in records if isinstance(r, Rejected)]
    assert (len(records), len(comments), len(rejected)) == (33, 29, 4)
    assert {r.reason.split(",")[0] for r in rejected} == {"pingback", "trackback"}
    assert all(r.line > 1 for r in rejected)
    assert all(c.post for c in comments)
    threaded = [c for c in comments if c.parent]
    assert threaded and all(p.parent in {c.id for c in comments} for p in threaded)


def test_wordpress_wxr_1_1_export() -> None:
    comments = _comments(read_inputs([str(EXPORTS / "wordpress" / "valid-wxr-1.1.xml")]))
    assert comments and all(c.id for c in comments)


def _wxr(body: str, prolog: str = "") -> io.BytesIO:
    return io.BytesIO(("<?xml version='1.0' encoding='UTF-8'?>" + prolog +
                       "<rss xmlns:wp='http://wordpress.org/export/1.0/'><channel><item>"
                       "<wp:post_id>9</wp:post_id>" + body +
                       "</item></channel></rss>").encode())


def _comment(cid: str, text: str, **extra: str) -> str:
    fields = "".join(f"<wp:{k}>{v}</wp:{k}>" for k, v in extra.items())
    return (f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
            f"<wp:comment_content>{text}</wp:comment_content>{fields}</wp:comment>")


def test_wxr_1_0_namespace_and_comment_meta() -> None:
    body = _comment("5", "Hello &amp; thanks", comment_parent="0") \
        .replace("</wp:comment>", "<wp:commentmeta><wp:meta_key>akismet</wp:meta_key>"
                 "<wp:meta_value>ok</wp:meta_value></wp:commentmeta></wp:comment>")
    [record] = list(read_wxr(_wxr(body), "f.xml"))
    assert record.comment.text == "Hello & thanks" and record.comment.post == "9"
    assert record.comment.meta["comment_meta"] == {"akismet": "ok"}


BILLION_LAUGHS = ("<!DOCTYPE lolz [<!ENTITY lol 'lol'>"
                  "<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>"
                  "<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>]>")
EXTERNAL = "<!DOCTYPE x [<!ENTITY ext SYSTEM 'file:///etc/passwd'>]>"


@pytest.mark.parametrize("prolog", [BILLION_LAUGHS, EXTERNAL])
def test_entity_tricks_are_refused(prolog: str) -> None:
    records = list(read_wxr(_wxr(_comment("1", "&lol3;"), prolog), "evil.xml"))
    assert len(records) == 1 and isinstance(records[0], Rejected)
    assert records[0].reason.startswith("refused: EntitiesForbidden")


def test_malformed_xml_is_reported_with_line_and_column() -> None:
    data = _wxr(_comment("1", "fine") + "\n<wp:comment><wp:comment_id>2</oops>")
    records = list(read_wxr(data, "bad.xml"))
    assert isinstance(records[0], Located)
    assert isinstance(records[-1], Rejected)
    assert records[-1].line == 2 and "malformed XML: mismatched tag" in records[-1].reason
    assert "(column " in records[-1].reason


def test_invalid_utf8_in_xml_is_a_rejection() -> None:
    data = io.BytesIO(_wxr(_comment("1", "caf")).getvalue().replace(b"caf", b"caf\xe9"))
    [record] = list(read_wxr(data, "latin1.xml"))
    assert isinstance(record, Rejected) and "malformed XML" in record.reason


def test_disqus_deleted_spam_and_parents() -> None:
    xml = ("<disqus xmlns='http://disqus.com' xmlns:dsq='http://disqus.com/disqus-internals'>"
           "<thread dsq:id='t1'><link>http://x/post</link><title>T</title></thread>"
           "<post dsq:id='p1'><message>First!</message><createdAt>2020-01-01T00:00:00Z"
           "</createdAt><isDeleted>false</isDeleted><isSpam>true</isSpam><author>"
           "<name>Ann</name><email>ann@example.com</email></author><thread dsq:id='t1'/></post>"
           "<post dsq:id='p2'><message></message><isDeleted>true</isDeleted>"
           "<thread dsq:id='t1'/></post>"
           "<post dsq:id='p3'><message>Reply</message><isDeleted>false</isDeleted>"
           "<thread dsq:id='t1'/><parent dsq:id='p1'/></post></disqus>")
    records = list(read_disqus(io.BytesIO(xml.encode()), "d.xml"))
    first, deleted, reply = records
    assert first.comment.meta["is_spam"] is True and first.comment.post == "http://x/post"
    assert first.comment.author == "Ann" and first.comment.created_at.year == 2020
    assert isinstance(deleted, Rejected) and "deleted in the export" in deleted.reason
    assert reply.comment.parent == "p1"


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (['{"id": 1, "text": "   "}'], "field 'text': empty"),
        (['{"id": 1, "text": "' + "x" * 1_000_001 + '"}'], "over the 1 MB limit"),
        (['{"id": 1, "text": "a"}', '{"id": 1, "text": "b"}'], "duplicate id '1'"),
    ],
)
def test_shared_policies(tmp_path: Path, lines: list[str], reason: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    rejected = [r for r in read_inputs([str(path)]) if isinstance(r, Rejected)]
    assert len(rejected) == 1 and reason in rejected[0].reason


def test_on_error_fail_stops_at_the_first_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": 1, "text": "Thanks!"}\nbroken\n{"id": 3, "text": "Great job!"}\n')
    skip = CliRunner().invoke(main, ["classify", str(path)])
    fail = CliRunner().invoke(main, ["classify", str(path), "--on-error", "fail"])
    assert skip.exit_code == fail.exit_code == 1
    assert len(skip.stdout.splitlines()) == 2 and len(fail.stdout.splitlines()) == 1
    assert "read 2, classified 1, rejected 1" in fail.stderr


def test_sniffing_and_explicit_format(tmp_path: Path) -> None:
    unknown = tmp_path / "thing.xml"
    unknown.write_text("<html><body>hi</body></html>")
    result = CliRunner().invoke(main, ["classify", str(unknown)])
    assert result.exit_code == 1 and "neither a WordPress (WXR) nor a Disqus" in result.stderr
    renamed = tmp_path / "export.dat"
    renamed.write_bytes((EXPORTS / "seed.disqus.xml").read_bytes())
    ok = CliRunner().invoke(main, ["classify", str(renamed), "--input-format", "disqus"])
    assert ok.exit_code == 0 and len(ok.stdout.splitlines()) == 46


def test_csv_encoding_option(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("id,text\n1,\"Merci beaucoup, café!\"\n".encode("latin-1"))
    bad = CliRunner().invoke(main, ["classify", str(path)])
    assert bad.exit_code == 1 and "invalid utf-8-sig" in bad.stderr
    good = CliRunner().invoke(main, ["classify", str(path), "--encoding", "latin-1"])
    assert good.exit_code == 0 and json.loads(good.stdout)["id"] == "1"
    unknown = CliRunner().invoke(main, ["classify", str(path), "--encoding", "klingon"])
    assert unknown.exit_code == 2
