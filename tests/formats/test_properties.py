"""Properties of the formats: writer -> reader keeps any text; no file breaks a reader."""

from __future__ import annotations

import io
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.errors import ModerationError
from moderation.formats.csvfile import read_csv
from moderation.formats.disqus import read_disqus
from moderation.formats.jsonl import read_jsonl
from moderation.formats.records import Located, Rejected
from moderation.formats.wxr import ReplyOut, StaffAccount, StaffSettings, read_wxr, write_wxr
from moderation.formats.xmlsafe import decode_text, encode_text

NASTY = st.one_of(
    st.text(),  # any Unicode text hypothesis makes (no lone surrogates)
    st.lists(st.sampled_from(["]]>", "<![CDATA[", "</wp:comment>", "&amp;", "&", "<b>", "\r",
                              "\r\n", "\x00", "\x01", "\x1f", "\x7f", "\ufffe", "\uffff",
                              "\uf7ff", "\uf700", "😀", "𝄞", "\U0010ffff", "é", "\t", "\n",
                              " ", "text"]), max_size=30).map("".join),
)
ACCOUNT = StaffAccount("Staff & <Co>", "staff@example.org", "https://example.org", "7")


@given(NASTY)
def test_encode_decode_round_trip(text: str) -> None:
    assert decode_text(encode_text(text)) == text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(replies=st.lists(st.tuples(NASTY, NASTY, st.sampled_from(["12", "13", None])),
                        min_size=1, max_size=5))
def test_wxr_writer_to_reader_keeps_every_reply(replies) -> None:
    rows = [ReplyOut(reply_id=1000 + i, text=text or "x", parent_comment_id=str(500 + i),
                     post_id=post, post_title=title, post_link=None, post_date=None,
                     decided_at=datetime(2024, 5, 1, 12, 0, 0))
            for i, (text, title, post) in enumerate(replies)]
    out = io.StringIO()
    assert write_wxr(rows, out, ACCOUNT, "Site & Co", "https://example.org") == len(rows)
    read = list(read_wxr(io.BytesIO(out.getvalue().encode("utf-8")), "out.xml",
                         StaffSettings(frozenset({"7"}))))
    assert all(isinstance(r, Located) for r in read), read
    back = {r.comment.id: r.comment for r in read}
    for row in rows:
        comment = back[str(row.reply_id)]
        assert comment.text == row.text
        assert comment.parent == row.parent_comment_id
        assert comment.post == (row.post_id or None)
        assert comment.is_staff and comment.author == "Staff & <Co>"
        assert comment.created_at == row.decided_at


READERS = [
    lambda data: read_wxr(io.BytesIO(data), "f.xml"),
    lambda data: read_disqus(io.BytesIO(data), "f.xml"),
    lambda data: read_jsonl(io.BytesIO(data), "f.jsonl"),
    lambda data: read_csv(io.BytesIO(data), "f.csv"),
]
XMLISH = st.lists(st.sampled_from([
    b"<?xml version='1.0'?>", b"<rss xmlns:wp='http://wordpress.org/export/1.2/'>",
    b"<disqus xmlns:dsq='http://disqus.com/disqus-internals'>", b"<channel>", b"<item>",
    b"<wp:comment>", b"</wp:comment>", b"<wp:comment_id>", b"</wp:comment_id>", b"1",
    b"<wp:comment_content>", b"</wp:comment_content>", b"<post dsq:id='1'>", b"</post>",
    b"<message>", b"</message>", b"<![CDATA[", b"]]>", b"&", b"&lt;", b"<!DOCTYPE x [",
    b"<!ENTITY e 'x'>", b"]>", b"&e;", b"\xff\xfe", b"\x00", b"{", b"}", b'"id"', b":",
    b",", b"\n", b"id,text\n", b'"', b"</item></channel></rss>",
]), max_size=40).map(b"".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=400), XMLISH))
def test_no_input_makes_a_reader_raise_a_foreign_error(data: bytes) -> None:
    for read in READERS:
        try:
            for record in read(data):
                assert isinstance(record, Located | Rejected)
        except ModerationError:
            pass  # the project's own error, with a message for the user
