"""WordPress eXtended RSS (WXR 1.0-1.2): comments in, approved replies out."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO, TextIO
from xml.sax.saxutils import escape

from moderation.errors import InputError
from moderation.formats.records import Located, Record, Rejected, comment_from_mapping
from moderation.formats.staff import NO_STAFF, StaffSettings
from moderation.formats.xmlsafe import StreamHandler, decode_text, encode_text, read_xml_records

WP_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/$")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
NOT_READERS = {"pingback", "trackback"}
_COMMENT_FIELDS = {
    "comment_id", "comment_author", "comment_author_email", "comment_author_url",
    "comment_date", "comment_date_gmt", "comment_content", "comment_approved",
    "comment_type", "comment_parent", "comment_user_id",
}
_POST_FIELDS = {"post_id", "post_date", "post_date_gmt", "post_name", "post_type", "status"}


class _Handler(StreamHandler):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.post: dict[str, str] = {}
        self.comment: dict[str, Any] | None = None
        self.meta_key: str | None = None
        self.meta_value: str | None = None
        self.depth_in_item = 0

    def startElementNS(self, name: tuple[str | None, str], qname: Any,  # noqa: N802
                       attrs: Any) -> None:
        uri, local = name
        self.text = []
        if uri is None and local == "item":
            self.post = {}
        elif uri and WP_NS.match(uri) and local == "comment":
            line, _ = self.position()
            self.comment = {"_line": line, "_meta": {}}

    def characters(self, content: str) -> None:
        self.text.append(content)

    def endElementNS(self, name: tuple[str | None, str], qname: Any) -> None:  # noqa: N802
        uri, local = name
        value = "".join(self.text)
        self.text = []
        is_wp = bool(uri and WP_NS.match(uri))
        if self.comment is not None:
            if is_wp and local == "comment":
                self.comment["_post"] = dict(self.post)
                self.ready.append(self.comment)
                self.comment = None
            elif is_wp and local in _COMMENT_FIELDS:
                self.comment[local] = value
            elif is_wp and local == "meta_key":
                self.meta_key = value
            elif is_wp and local == "meta_value":
                self.meta_value = value
            elif is_wp and local == "commentmeta" and self.meta_key is not None:
                self.comment["_meta"][self.meta_key] = self.meta_value
                self.meta_key = self.meta_value = None
            return
        post_field = (uri is None and local in ("title", "link") and "post_id" not in self.post
                      ) or (is_wp and local in _POST_FIELDS)
        if post_field:
            self.post.setdefault(local, value.strip())


def _date(value: str | None) -> str | None:
    if not value or value.startswith("0000"):
        return None
    return value.strip().replace(" ", "T")


def read_wxr(stream: BinaryIO, source: str,
             staff: StaffSettings = NO_STAFF) -> Iterator[Record]:
    """Every `wp:comment` of a WXR export, tied to its post, as a record or a rejection."""
    return read_xml_records(stream, source, _Handler(), lambda raw: _record(raw, source, staff))


def _record(raw: dict[str, Any], source: str, staff: StaffSettings) -> Record:
    line = raw["_line"]
    kind = (raw.get("comment_type") or "").strip()
    if kind in NOT_READERS:
        return Rejected(source, line, f"{kind}, not a reader's comment (skipped)")
    post = raw["_post"]
    parent = (raw.get("comment_parent") or "").strip()
    user_id = (raw.get("comment_user_id") or "").strip()
    email = (raw.get("comment_author_email") or "").strip() or None
    data: dict[str, Any] = {
        "id": (raw.get("comment_id") or "").strip(),
        "text": decode_text(raw.get("comment_content") or ""),
        "author": decode_text(raw.get("comment_author") or "") or None,
        "author_email": email,
        "author_url": (raw.get("comment_author_url") or "").strip() or None,
        "created_at": _date(raw.get("comment_date_gmt")) or _date(raw.get("comment_date")),
        "post": post.get("post_id") or post.get("link") or None,
        "parent": parent if parent not in ("", "0") else None,
        "is_staff": staff.is_staff(user_id, email),
        "wp_approved": (raw.get("comment_approved") or "").strip(),
        "wp_type": kind or "comment",
        "wp_user_id": user_id,
        "post_title": post.get("title"),
        "post_link": post.get("link"),
        "post_date": post.get("post_date"),
    }
    if raw["_meta"]:
        data["comment_meta"] = raw["_meta"]
    try:
        return Located(source, line, comment_from_mapping(data, source, line))
    except InputError as exc:
        what = f"field '{exc.field}': {exc.reason}" if exc.field else exc.reason
        return Rejected(source, line, what)


# --- writing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyOut:
    """One approved reply to put back on the site."""

    reply_id: int
    text: str
    parent_comment_id: str
    post_id: str | None
    post_title: str | None
    post_link: str | None
    post_date: str | None
    decided_at: datetime | None


@dataclass(frozen=True)
class StaffAccount:
    """The account replies are published under."""

    name: str
    email: str = ""
    url: str = ""
    user_id: str = "0"


def _x(text: str) -> str:
    return escape(encode_text(text), {"\r": "&#13;"})


def write_wxr(replies: Iterable[ReplyOut], out: TextIO, account: StaffAccount,
              site_title: str = "", site_link: str = "") -> int:
    """A WXR 1.2 file that the WordPress importer accepts: each reply a comment on its
    post, its parent the comment it answers, authored by the staff account."""
    by_post: dict[str, list[ReplyOut]] = {}
    for reply in replies:
        by_post.setdefault(reply.post_id or reply.post_link or "", []).append(reply)
    out.write('<?xml version="1.0" encoding="UTF-8" ?>\n'
              '<rss version="2.0"\n'
              '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
              f'\txmlns:content="{CONTENT_NS}"\n'
              '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
              '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
              '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n<channel>\n'
              f"\t<title>{_x(site_title)}</title>\n\t<link>{_x(site_link)}</link>\n"
              "\t<wp:wxr_version>1.2</wp:wxr_version>\n")
    count = 0
    for post_key, group in by_post.items():
        first = group[0]
        out.write("\t<item>\n"
                  f"\t\t<title>{_x(first.post_title or '')}</title>\n"
                  f"\t\t<link>{_x(first.post_link or '')}</link>\n"
                  f"\t\t<wp:post_id>{_x(first.post_id or post_key)}</wp:post_id>\n"
                  f"\t\t<wp:post_date>{_x(first.post_date or '')}</wp:post_date>\n"
                  "\t\t<wp:post_type>post</wp:post_type>\n"
                  "\t\t<wp:status>publish</wp:status>\n")
        for reply in group:
            when = reply.decided_at.strftime("%Y-%m-%d %H:%M:%S") if reply.decided_at else ""
            out.write("\t\t<wp:comment>\n"
                      f"\t\t\t<wp:comment_id>{reply.reply_id}</wp:comment_id>\n"
                      f"\t\t\t<wp:comment_author>{_x(account.name)}</wp:comment_author>\n"
                      f"\t\t\t<wp:comment_author_email>{_x(account.email)}"
                      "</wp:comment_author_email>\n"
                      f"\t\t\t<wp:comment_author_url>{_x(account.url)}</wp:comment_author_url>\n"
                      f"\t\t\t<wp:comment_date>{when}</wp:comment_date>\n"
                      f"\t\t\t<wp:comment_date_gmt>{when}</wp:comment_date_gmt>\n"
                      f"\t\t\t<wp:comment_content>{_x(reply.text)}</wp:comment_content>\n"
                      "\t\t\t<wp:comment_approved>1</wp:comment_approved>\n"
                      "\t\t\t<wp:comment_type>comment</wp:comment_type>\n"
                      f"\t\t\t<wp:comment_parent>{_x(reply.parent_comment_id)}"
                      "</wp:comment_parent>\n"
                      f"\t\t\t<wp:comment_user_id>{_x(account.user_id)}</wp:comment_user_id>\n"
                      "\t\t</wp:comment>\n")
            count += 1
        out.write("\t</item>\n")
    out.write("</channel>\n</rss>\n")
    return count
