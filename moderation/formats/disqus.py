"""Disqus XML exports: threads and posts, with parents, authors, deleted and spam marks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from moderation.errors import InputError
from moderation.formats.records import Located, Record, Rejected, comment_from_mapping
from moderation.formats.staff import NO_STAFF, StaffSettings
from moderation.formats.xmlsafe import StreamHandler, decode_text, read_xml_records

DSQ_INTERNALS = "http://disqus.com/disqus-internals"
_POST_FIELDS = {"message", "createdAt", "isDeleted", "isSpam", "ipAddress", "id"}
_AUTHOR_FIELDS = {"name", "email", "username", "isAnonymous"}


class _Handler(StreamHandler):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.stack: list[str] = []
        self.threads: dict[str, dict[str, str]] = {}
        self.thread: dict[str, str] | None = None
        self.post: dict[str, Any] | None = None

    @staticmethod
    def _dsq_id(attrs: Any) -> str | None:
        value = attrs.get((DSQ_INTERNALS, "id"))
        return str(value) if value is not None else None

    def startElementNS(self, name: tuple[str | None, str], qname: Any,  # noqa: N802
                       attrs: Any) -> None:
        local = name[1]
        self.text = []
        parent = self.stack[-1] if self.stack else None
        self.stack.append(local)
        if local == "thread" and parent == "disqus":
            self.thread = {"dsq_id": self._dsq_id(attrs) or ""}
        elif local == "post" and parent == "disqus":
            line, _ = self.position()
            self.post = {"_line": line, "dsq_id": self._dsq_id(attrs), "author": {}}
        elif self.post is not None and parent == "post" and local in ("thread", "parent"):
            self.post[local] = self._dsq_id(attrs)

    def characters(self, content: str) -> None:
        self.text.append(content)

    def endElementNS(self, name: tuple[str | None, str], qname: Any) -> None:  # noqa: N802
        local = name[1]
        value = "".join(self.text)
        self.text = []
        self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        if self.thread is not None:
            if local == "thread" and parent == "disqus":
                self.threads[self.thread["dsq_id"]] = self.thread
                self.thread = None
            elif parent == "thread" and local in ("link", "title", "id"):
                self.thread[local] = value.strip()
            return
        if self.post is None:
            return
        if local == "post" and parent == "disqus":
            thread = self.threads.get(self.post.get("thread") or "", {})
            self.post["_thread"] = thread
            self.ready.append(self.post)
            self.post = None
        elif parent == "post" and local in _POST_FIELDS:
            self.post[local] = value
        elif parent == "author" and local in _AUTHOR_FIELDS:
            self.post["author"][local] = value.strip()


def _flag(value: Any) -> bool:
    return str(value or "").strip().lower() == "true"


def read_disqus(stream: BinaryIO, source: str,
                staff: StaffSettings = NO_STAFF) -> Iterator[Record]:
    """Every post of a Disqus export as a record; deleted posts are rejected with a reason.

    A post whose author's e-mail is one of the staff's is the site's own reply.
    """
    return read_xml_records(stream, source, _Handler(), lambda raw: _record(raw, source, staff))


def _record(raw: dict[str, Any], source: str, staff: StaffSettings) -> Record:
    line = raw["_line"]
    post_id = raw.get("dsq_id") or (raw.get("id") or "").strip()
    if _flag(raw.get("isDeleted")):
        return Rejected(source, line, f"post {post_id} is deleted in the export (skipped)")
    thread = raw["_thread"]
    author = raw["author"]
    data: dict[str, Any] = {
        "id": post_id,
        "text": decode_text(raw.get("message") or ""),
        "author": author.get("name") or author.get("username") or None,
        "author_email": author.get("email") or None,
        "created_at": (raw.get("createdAt") or "").strip().replace("Z", "+00:00") or None,
        "post": thread.get("link") or raw.get("thread") or None,
        "parent": raw.get("parent"),
        "disqus_thread": raw.get("thread"),
        "thread_title": thread.get("title"),
        "is_spam": _flag(raw.get("isSpam")),
        "anonymous": _flag(author.get("isAnonymous")),
        "is_staff": staff.is_staff(None, author.get("email")),
    }
    try:
        return Located(source, line, comment_from_mapping(data, source, line))
    except InputError as exc:
        what = f"field '{exc.field}': {exc.reason}" if exc.field else exc.reason
        return Rejected(source, line, what)
