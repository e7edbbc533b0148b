"""How the site's own replies are recognised in an export (WordPress and Disqus)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StaffSettings:
    """How to recognise the site's own replies in an export."""

    user_ids: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()

    @classmethod
    def from_site(cls, site: Any) -> StaffSettings:
        """The staff settings of a site (rules/site.yaml)."""
        return cls(frozenset(str(u) for u in site.staff_user_ids),
                   frozenset(e.lower() for e in site.staff_emails))

    def is_staff(self, user_id: str | None, email: str | None) -> bool:
        return bool((user_id and user_id != "0" and user_id in self.user_ids)
                    or (email and email.lower() in self.emails))


NO_STAFF = StaffSettings()
