"""Links, telephone numbers and e-mail addresses, and the flags they raise."""

from __future__ import annotations

from typing import TYPE_CHECKING

from moderation.extract.emails import find_emails
from moderation.extract.phones import find_phones, normalise_phone
from moderation.extract.urls import UrlFinder, host_of, is_offsite
from moderation.models import Comment, EmailEntity, Entities, Flag, PhoneEntity, UrlEntity
from moderation.stages.base import Stage, StageOutput, register
from moderation.text import Doc

if TYPE_CHECKING:
    from moderation.ruleset.loader import RuleSet


NOTHING_FOUND = StageOutput(entities=Entities())


@register
class ExtractionStage(Stage):
    """Finds links, numbers and addresses; flags outside links and commenters' numbers."""

    name = "extraction"
    provides = frozenset({"entities", "flags"})
    codes = ("offsite_link", "commenter_phone", "email")

    def __init__(self, bare_tlds: list[str], domains: list[str], site_phones: frozenset[str],
                 min_digits: int):
        self._urls = UrlFinder(bare_tlds)
        self._domains = domains
        self._site_phones = site_phones
        self._min_digits = min_digits

    @classmethod
    def from_ruleset(cls, ruleset: RuleSet) -> ExtractionStage:
        """Configure from the site settings."""
        site = ruleset.site
        site_phones = frozenset(
            p for p in (normalise_phone(raw, site.default_region)
                        for raw in [*site.phones, site.appointment_phone]) if p
        )
        return cls(ruleset.extraction.bare_domain_tlds, site.domains, site_phones,
                   ruleset.extraction.phone_min_digits)

    def run(self, doc: Doc, comment: Comment, region: str,
            exhaustive: bool = False) -> StageOutput:
        """Extract entities from the comment's text."""
        text = doc.text
        # The entities are built from values computed here: no need for pydantic to
        # validate them again (`trusted`), which matters on this hot path.
        urls = [UrlEntity.trusted(raw=raw, start=s, end=e, host=(host := host_of(raw)),
                                  offsite=is_offsite(host, self._domains))
                for raw, (s, e) in self._urls.find(text)]
        emails = [EmailEntity.trusted(raw=raw, start=s, end=e)
                  for raw, (s, e) in find_emails(text)]
        taken = [(u.start, u.end) for u in urls] + [(m.start, m.end) for m in emails]
        phones = [PhoneEntity.trusted(raw=raw, e164=num, start=s, end=e,
                                      is_site=num in self._site_phones)
                  for raw, num, (s, e) in find_phones(text, region, self._min_digits, taken)]
        if not (urls or emails or phones):
            return NOTHING_FOUND
        flags: list[Flag] = []
        if not comment.is_staff:
            flags.extend(Flag.trusted(kind="offsite_link", value=u.raw, start=u.start,
                                      end=u.end) for u in urls if u.offsite)
            flags.extend(Flag.trusted(kind="commenter_phone", value=p.e164, start=p.start,
                                      end=p.end) for p in phones if not p.is_site)
            flags.extend(Flag.trusted(kind="email", value=m.raw, start=m.start, end=m.end)
                         for m in emails)
        entities = Entities.trusted(urls=tuple(urls), phones=tuple(phones),
                                    emails=tuple(emails))
        return StageOutput(entities=entities, flags=tuple(flags))
