"""Pydantic models of the YAML files under rules/: unknown keys are errors."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CODE_RE = re.compile(r"^[A-Z]{2,6}\d{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def _checked_code(value: str, example: str) -> str:
    """A rule or policy code, or the error that shows an `example` of one."""
    if not CODE_RE.match(value):
        raise ValueError(f"must be 2-6 capital letters and 3 digits, such as {example}")
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- site.yaml -------------------------------------------------------------------------


class Expert(Strict):
    """Someone whose answers the staff relay ("We spoke with Dr. ...")."""

    name: str
    aliases: list[str] = []


class CrisisLine(Strict):
    name: str
    phone: str
    text: str | None = None
    url: str | None = None


class StaffAccountSpec(Strict):
    """The account approved replies are published under (WXR export)."""

    name: str
    email: str = ""
    url: str = ""
    user_id: int = 0


class Site(Strict):
    """The site's own settings: who it is, its domains, numbers and experts."""

    name: str
    short_name: str | None = None
    domains: list[str] = []
    phones: list[str] = []
    appointment_phone: str
    default_region: str = "US"
    crisis_line: CrisisLine
    experts: list[Expert] = []
    staff_signature: str | None = None
    staff_user_ids: list[int] = []  # comments by these WordPress users are the site's own
    staff_emails: list[str] = []    # ... and comments written from these addresses
    staff_account: StaffAccountSpec | None = None
    link: str | None = None

    @field_validator("domains")
    @classmethod
    def _lower_domains(cls, value: list[str]) -> list[str]:
        return [d.strip().lower().lstrip(".") for d in value]

    @field_validator("default_region")
    @classmethod
    def _region(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{2}", value):
            raise ValueError("must be a two-letter region code such as US or GB")
        return value.upper()


class Extraction(Strict):
    """How links and numbers are found."""

    bare_domain_tlds: list[str] = []
    phone_min_digits: int = Field(default=7, ge=3, le=20)


class SiteFile(Strict):
    site: Site
    extraction: Extraction = Extraction()


# --- labels.yaml -------------------------------------------------------------------------


class LabelSpec(Strict):
    """What a label means to the pipeline: urgency and which labels override it."""

    description: str = ""
    urgent: bool = False
    suppressed_by: list[str] = []


class LabelsFile(Strict):
    precedence: list[str]
    labels: dict[str, LabelSpec]
    stages: list[str]


# --- lexicon.yaml ------------------------------------------------------------------------


class Lexicon(Strict):
    """A named list of words and phrases; a trailing * matches any word ending."""

    description: str = ""
    terms: list[str]

    @field_validator("terms")
    @classmethod
    def _terms(cls, value: list[str]) -> list[str]:
        for term in value:
            if not isinstance(term, str) or not term.strip().strip("*").strip():
                raise ValueError(f"empty term {term!r}")
        return value


class LexiconFile(Strict):
    lexicons: dict[str, Lexicon]


# --- rule files ------------------------------------------------------------------------


class Sentiment(Strict):
    """Bounds on TextBlob's polarity (-1..1) and subjectivity (0..1) of the comment."""

    polarity_min: float | None = Field(default=None, ge=-1, le=1)
    polarity_max: float | None = Field(default=None, ge=-1, le=1)
    subjectivity_min: float | None = Field(default=None, ge=0, le=1)
    subjectivity_max: float | None = Field(default=None, ge=0, le=1)


class Condition(Strict):
    """One test on a unit of text (a sentence or the comment); exactly one key is set."""

    words: list[str] | None = None
    lexicon: str | list[str] | None = None
    pattern: str | None = None
    question: bool | None = None
    sentiment: Sentiment | None = None
    pos: list[str] | None = None
    any: list[Condition] | None = None
    all: list[Condition] | None = None
    sentence: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        set_keys = [k for k in type(self).model_fields if getattr(self, k) is not None]
        if len(set_keys) != 1:
            names = ", ".join("not" if k == "not_" else k for k in set_keys) or "none"
            raise ValueError(
                "a condition takes exactly one of words, lexicon, pattern, question, "
                f"sentiment, pos, any, all, sentence, not (got {names})"
            )
        return self


class Examples(Strict):
    """Texts kept with a rule: the rule must fire on `match` and not on `no_match`."""

    match: list[str] = []
    no_match: list[str] = []


class Rule(Strict):
    """A rule: conditions that, when they hold, give (or veto) a label."""

    code: str
    description: str
    label: str | None = None
    scope: Literal["sentence", "comment"] = "comment"
    all: list[Condition] = []
    any: list[Condition] = []
    none: list[Condition] = []
    unless: list[Condition] = []
    veto: bool = False
    score: float = Field(default=1.0, ge=0, le=1)
    enabled: bool = True
    examples: Examples = Examples()

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        return _checked_code(value, "PMQ001")

    @model_validator(mode="after")
    def _has_conditions(self) -> Rule:
        if not self.all and not self.any:
            raise ValueError("a rule needs at least one condition under 'all' or 'any'")
        return self


class RuleFile(Strict):
    stage: str
    label: str
    description: str = ""
    rules: list[Rule]


# --- replies.yaml ------------------------------------------------------------------------


class Template(Strict):
    """A reply template: the label it answers and its Jinja2 text."""

    label: str
    description: str = ""
    text: str


class RepliesFile(Strict):
    templates: dict[str, Template]


# --- policies.yaml -----------------------------------------------------------------------


class Policy(Strict):
    """A check on the reply templates that `rules check` enforces."""

    code: str
    description: str
    templates: list[str] | None = None  # None: every template
    must_contain: list[str] = []  # Jinja2, rendered with the site's settings
    must_not_match: str | None = None  # a regular expression

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        return _checked_code(value, "POL001")


class PoliciesFile(Strict):
    policies: list[Policy]
