"""`moderation queue next`: the triage loop, one key per decision."""

from __future__ import annotations

import sys
import termios
import tty

import click
from rich.console import Console
from rich.text import Text

from moderation.cli.queue import render_item
from moderation.errors import ModerationError
from moderation.models import QueueItem
from moderation.replies import ReplyBook
from moderation.store import queue as q
from moderation.store.db import Database
from moderation.store.privacy import masked_item

KEYS = [
    ("a", "approve the reply shown"),
    ("e", "edit the reply in $EDITOR, then approve it"),
    ("t", "pick another template"),
    ("r", "reject, with a reason"),
    ("s", "skip (leave it pending)"),
    ("u", "undo your last decision"),
    ("q", "quit"),
    ("?", "this help"),
]


def read_key() -> str:
    """One key press, without waiting for Enter."""
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        return sys.stdin.read(1)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


class Triage:
    """Shows the most urgent pending item and applies the moderator's keys."""

    def __init__(self, db: Database, actor: str, replies: ReplyBook, show_pii: bool,
                 claim_seconds: int = q.CLAIM_SECONDS):
        self.db = db
        self.claim_seconds = claim_seconds
        self.actor = actor
        self.replies = replies
        self.show_pii = show_pii
        self.console = Console(highlight=False)
        self.skipped: list[int] = []
        self.chosen: dict[int, tuple[str, str]] = {}  # item id -> (template, rendered text)
        self.decided = 0

    def run(self) -> None:
        """Loop until the queue is empty or the moderator quits."""
        self.console.print(Text("keys: " + "  ".join(f"{k} {d.split(',')[0]}"
                                                     for k, d in KEYS), style="dim"))
        current: QueueItem | None = None
        try:
            while True:
                previous = current
                current = q.next_item(self.db, self.actor, skip=self.skipped,
                                      claim_seconds=self.claim_seconds)
                if previous is not None and (current is None or previous.id != current.id):
                    # An item shown before and still held (undo brought another one
                    # back first): let others have it.
                    q.release(self.db, previous.id, self.actor)
                if current is None:
                    left = f" ({len(self.skipped)} skipped)" if self.skipped else ""
                    self.console.print(f"no pending items left{left}; decided {self.decided}")
                    return
                self._show(current)
                if not self._act(current, read_key()):
                    return
        except KeyboardInterrupt:
            self.console.print("\ninterrupted")
        finally:
            if current is not None:
                q.release(self.db, current.id, self.actor)

    def _show(self, item: QueueItem) -> None:
        self.console.rule()
        shown = item if self.show_pii else masked_item(item)
        if item.id in self.chosen:
            template, text = self.chosen[item.id]
            shown = shown.model_copy(update={"reply_template": template,
                                             "suggested_reply": text})
        render_item(self.console, shown)
        self.console.print(Text("[a]pprove [e]dit [t]emplate [r]eject [s]kip [u]ndo "
                                "[q]uit [?]help", style="cyan"))

    def _act(self, item: QueueItem, key: str) -> bool:
        """Apply one key; False to stop."""
        try:
            if key == "a":
                self._approve(item)
            elif key == "e":
                self._edit(item)
            elif key == "t":
                self._pick_template(item)
            elif key == "r":
                reason = click.prompt("reason", default="", show_default=False).strip()
                if not reason:
                    self.console.print("not rejected: a rejection needs a reason")
                    return True
                q.reject(self.db, item.id, self.actor, reason, item.version)
                self.decided += 1
                self.console.print(f"rejected #{item.id}")
            elif key == "s":
                self.skipped.append(item.id)
                q.release(self.db, item.id, self.actor)
                self.console.print(f"skipped #{item.id}")
            elif key == "u":
                undone = q.undo(self.db, self.actor)
                self.decided -= 1
                if undone.id in self.skipped:
                    self.skipped.remove(undone.id)
                self.console.print(f"undone: #{undone.id} is pending again")
            elif key in ("q", "\x04"):
                self.console.print(f"bye; decided {self.decided}")
                return False
            elif key == "?":
                for k, description in KEYS:
                    self.console.print(f"  {k}  {description}")
            else:
                self.console.print(f"unknown key {key!r}: press ? for help")
        except ModerationError as exc:
            self.console.print(Text(f"error: {exc}", style="red"))
        return True

    def _approve(self, item: QueueItem) -> None:
        if item.id in self.chosen:
            template, _ = self.chosen.pop(item.id)
            q.approve(self.db, item.id, self.actor, template=template, replies=self.replies,
                      expected_version=item.version)
        elif item.suggested_reply is None:
            self.console.print("no suggested reply: press e to write one or t to pick one")
            return
        else:
            q.approve(self.db, item.id, self.actor, expected_version=item.version)
        self.decided += 1
        self.console.print(f"approved #{item.id}")

    def _edit(self, item: QueueItem) -> None:
        start = self.chosen[item.id][1] if item.id in self.chosen else item.suggested_reply
        edited = click.edit(start or "", extension=".txt", require_save=True)
        if edited is None or not edited.strip():
            self.console.print("edit cancelled; nothing approved")
            return
        q.approve(self.db, item.id, self.actor, reply=edited, expected_version=item.version)
        self.chosen.pop(item.id, None)
        self.decided += 1
        self.console.print(f"approved #{item.id} with your edit")

    def _pick_template(self, item: QueueItem) -> None:
        ids = self.replies.template_ids
        for number, template in enumerate(ids, start=1):
            self.console.print(f"  {number}  {template}")
        self.console.print("press a number (any other key cancels)")
        key = read_key()
        if not key.isdigit() or not 1 <= int(key) <= len(ids):
            self.console.print("no template picked")
            return
        template = ids[int(key) - 1]
        text = self.replies.render(template, q.comment_of(item), item.labels).text
        self.chosen[item.id] = (template, text)
