"""Load rules/: validate every file, report every problem at once, compile the rules."""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from moderation.errors import ModerationError, Problem, RuleSetError
from moderation.ruleset import compiled as C
from moderation.ruleset.patterns import Matcher
from moderation.ruleset.schema import (
    NAME_RE,
    Condition,
    Extraction,
    LabelsFile,
    LexiconFile,
    PoliciesFile,
    RepliesFile,
    Rule,
    RuleFile,
    Site,
    SiteFile,
)
from moderation.ruleset.yamlpos import Located, load_located
from moderation.text import Analysers, QuestionCues, TermIndex

FIXED_FILES: dict[str, type[BaseModel]] = {
    "site.yaml": SiteFile,
    "labels.yaml": LabelsFile,
    "lexicon.yaml": LexiconFile,
    "replies.yaml": RepliesFile,
}
OPTIONAL_FILES = ("policies.yaml",)
QUESTION_LEXICONS = ("question_wh", "question_aux", "question_subjects", "question_lead_ins")
_LEXICON_REF = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_CURLY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def default_rules_dir() -> Path:
    """$MODERATION_RULES, the checkout's rules/, or the copy installed with the package."""
    env = os.environ.get("MODERATION_RULES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent.parent / "rules"
    if (here / "site.yaml").exists():
        return here
    return Path(sys.prefix) / "share" / "moderation" / "rules"


@dataclass
class RuleSource:
    """A rule as written: its file, its position and the validated model."""

    file: str
    path: tuple[str | int, ...]
    rule: Rule
    stage: str
    label: str
    located: Located


@dataclass
class RuleSet:
    """A loaded, checked and compiled rules directory."""

    directory: Path
    hash: str
    site: Site
    extraction: Extraction
    labels: LabelsFile
    lexicons: dict[str, list[str]]
    replies: RepliesFile
    sources: dict[str, RuleSource]
    compiled: dict[str, list[C.CompiledRule]]
    index: TermIndex
    cues: QuestionCues
    disabled: frozenset[str] = frozenset()
    analysers: Analysers = field(default_factory=Analysers)

    def rules_for_stage(self, stage: str) -> list[C.CompiledRule]:
        """The enabled compiled rules of one stage, in file order."""
        return self.compiled.get(stage, [])


# ---------------------------------------------------------------------------------------


def _validation_problems(exc: ValidationError, located: Located) -> list[Problem]:
    grouped: dict[tuple[Any, ...], list[str]] = {}
    keyed: set[tuple[Any, ...]] = set()
    for err in exc.errors():
        loc: list[Any] = []
        for part in err["loc"]:
            candidate = tuple(loc) + (part,)
            if candidate in located.positions or candidate in located.key_positions:
                loc.append(part)
            else:
                break
        path = tuple(loc)
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = f"unknown key '{path[-1]}'" if path else "unknown key"
            keyed.add(path)
        elif err["type"] == "missing":
            missing = err["loc"][len(path)] if len(err["loc"]) > len(path) else "?"
            msg = f"missing required key '{missing}'"
        msg = msg.removeprefix("Value error, ")
        grouped.setdefault(path, [])
        if msg not in grouped[path]:
            grouped[path].append(msg)
    problems = []
    for path, msgs in grouped.items():
        rule, field_name = _rule_and_field(located, path)
        problems.append(located.problem(path, "; ".join(msgs), rule=rule, field_name=field_name,
                                        key=path in keyed))
    return problems


def _rule_and_field(located: Located, path: tuple[Any, ...]) -> tuple[str | None, str | None]:
    rule = None
    rest = path
    value = located.value
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        try:
            code = value["rules"][path[1]].get("code")
            rule = str(code) if code else f"#{path[1] + 1}"
        except (AttributeError, IndexError, KeyError, TypeError):
            rule = f"#{path[1] + 1}"
        rest = path[2:]
    parts: list[str] = []
    for part in rest:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return rule, ("".join(parts) or None)


def _read(path: Path, shown: str, model: type[BaseModel],
          problems: list[Problem]) -> tuple[Any, Located] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(shown, 1, 1, f"cannot read: {exc}"))
        return None
    try:
        located = load_located(text, shown)
    except RuleSetError as exc:
        problems.extend(exc.problems)
        return None
    if not isinstance(located.value, dict):
        problems.append(Problem(shown, 1, 1, "expected a mapping at the top of the file"))
        return None
    try:
        return model.model_validate(located.value), located
    except ValidationError as exc:
        problems.extend(_validation_problems(exc, located))
        return None


_END = ""


def _term_tokens(term: str) -> list[str]:
    """A term as regex tokens: escaped characters, \\s+ between words, \\w* for a final *
    and three or more letters for a leading * (a word ending)."""
    body = term.strip()
    prefix = body.endswith("*")
    tokens: list[str] = []
    if body.startswith("*"):
        tokens.append(r"(?<![^\W_])[^\W\d_]{3,}")
        body = body.lstrip("*")
        prefix = False
    for i, word in enumerate(body.rstrip("*").split()):
        if i:
            tokens.append(r"\s+")
        tokens.extend(re.escape(ch) for ch in word.translate(_CURLY).lower())
    if prefix:
        tokens.append(r"\w*")
    return tokens


def _stand_in(terms: Iterable[str]) -> str:
    """A tiny regex with the repetition shape of trie_regex(terms): `\\s+`, `\\w*` or
    `{3,}` appear in it (never nested) exactly when a term has several words or a star."""
    repeats = any(len(t.split()) > 1 or "*" in t for t in terms)
    return "(?:x+)" if repeats else "(?:x)"


def trie_regex(terms: Iterable[str]) -> str:
    """One regex for many terms, shared prefixes factored out so that it runs fast."""
    trie: dict[str, Any] = {}
    for term in terms:
        node = trie
        for token in _term_tokens(term):
            node = node.setdefault(token, {})
        node[_END] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = _END in node
        branches = [token + emit(child) for token, child in sorted(node.items()) if token]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return "(?:" + emit(trie) + ")"


def lowercase_pattern(pattern: str) -> str:
    """Lower-case a regular expression's literals, leaving escapes such as \\S alone."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            if pattern[i + 1] == "N" and i + 2 < len(pattern) and pattern[i + 2] == "{":
                close = pattern.find("}", i)
                close = len(pattern) - 1 if close < 0 else close
                out.append(pattern[i:close + 1])
                i = close + 1
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        out.append(ch.lower())
        i += 1
    return "".join(out)


class _Compiler:
    """Turns validated conditions into evaluators, collecting problems on the way."""

    def __init__(self, lexicons: dict[str, list[str]], problems: list[Problem]):
        self.lexicons = lexicons
        self.problems = problems
        # Only lexicons that a condition names go into the term index; those used only
        # inside patterns or by the question feature are not scanned for.
        self.term_lists: dict[str, Sequence[str]] = {}
        self._regex_cache: dict[str, str] = {}

    def lexicon_regex(self, name: str) -> str:
        if name not in self._regex_cache:
            self._regex_cache[name] = trie_regex(self.lexicons[name])
        return self._regex_cache[name]

    def condition(self, cond: Condition, src: RuleSource, path: tuple[Any, ...]) -> C.Cond | None:
        loc = src.located

        def fail(sub: str, msg: str) -> None:
            full = path + (sub,)
            rule, fld = _rule_and_field(loc, full)
            self.problems.append(loc.problem(full, msg, rule=rule, field_name=fld))

        if cond.words is not None:
            list_id = f"{src.rule.code}:{'/'.join(map(str, path[2:]))}"
            self.term_lists[list_id] = cond.words
            if not cond.words:
                fail("words", "the word list is empty")
                return None
            shown = ", ".join(cond.words[:4]) + (", ..." if len(cond.words) > 4 else "")
            return C.terms_cond((list_id,), f"words [{shown}]")
        if cond.lexicon is not None:
            names = [cond.lexicon] if isinstance(cond.lexicon, str) else cond.lexicon
            unknown = [n for n in names if n not in self.lexicons]
            if unknown:
                hint = _suggest(unknown[0], self.lexicons)
                fail("lexicon", f"unknown lexicon '{unknown[0]}'{hint}")
                return None
            for n in names:
                self.term_lists[f"@{n}"] = self.lexicons[n]
            return C.terms_cond(tuple(f"@{n}" for n in names), f"lexicon {', '.join(names)}")
        if cond.pattern is not None:
            # Patterns run on the lower-cased text, so they are lower-cased too (which is
            # much faster than re.IGNORECASE); escapes such as \S keep their case.
            source = lowercase_pattern(cond.pattern.translate(_CURLY))
            missing = [n for n in _LEXICON_REF.findall(source) if n not in self.lexicons]
            if missing:
                fail("pattern", f"unknown lexicon '{{{missing[0]}}}' in pattern"
                                f"{_suggest(missing[0], self.lexicons)}")
                return None
            expanded = _LEXICON_REF.sub(lambda m: self.lexicon_regex(m.group(1)), source)
            # The risk analysis reads the pattern with each lexicon as a stand-in of the
            # same shape: a lexicon's regex holds thousands of characters but at most one
            # level of unbounded repetition (multi-word terms, prefixes, word endings).
            shape = _LEXICON_REF.sub(lambda m: _stand_in(self.lexicons[m.group(1)]), source)
            try:
                matcher = Matcher.compile(expanded, shape=shape)
            except re.error as exc:
                fail("pattern", f"regular expression does not compile: {exc}")
                return None
            shown = cond.pattern if len(cond.pattern) <= 60 else cond.pattern[:57] + "..."
            return C.pattern_cond(matcher, f"pattern {shown}")
        if cond.question is not None:
            return C.question_cond(cond.question)
        if cond.sentiment is not None:
            bounds = cond.sentiment.model_dump()
            return C.sentiment_cond(bounds, f"sentiment: {bounds}")
        if cond.pos is not None:
            if not cond.pos:
                fail("pos", "the tag list is empty")
                return None
            return C.pos_cond(tuple(cond.pos))
        group_key = ("any" if cond.any is not None else "all" if cond.all is not None
                     else "sentence" if cond.sentence is not None else "not")
        if cond.not_ is not None:
            inner = self.condition(cond.not_, src, path + ("not",))
            return C.not_cond(inner) if inner else None
        members = {"any": cond.any, "all": cond.all, "sentence": cond.sentence}[group_key]
        children = [self.condition(c, src, path + (group_key, i))
                    for i, c in enumerate(members or [])]
        if not children:
            fail(group_key, f"'{group_key}' needs at least one condition")
            return None
        if any(c is None for c in children):
            return None
        kids = [c for c in children if c is not None]
        if group_key == "sentence":
            return C.sentence_cond(kids)
        return C.any_cond(kids) if group_key == "any" else C.all_cond(kids)

    def rule(self, src: RuleSource) -> C.CompiledRule | None:
        groups: dict[str, list[C.Cond]] = {}
        ok = True
        for key in ("all", "any", "none", "unless"):
            conds = getattr(src.rule, key)
            compiled = [self.condition(c, src, src.path + (key, i)) for i, c in enumerate(conds)]
            ok = ok and all(c is not None for c in compiled)
            groups[key] = [c for c in compiled if c is not None]
        if not ok:
            return None
        return C.CompiledRule(
            code=src.rule.code, label=src.label, description=src.rule.description,
            scope=src.rule.scope, all=groups["all"], any=groups["any"], none=groups["none"],
            unless=groups["unless"], veto=src.rule.veto, score=src.rule.score,
        )


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _check_policies(root: Path, replies: RepliesFile, replies_loc: Located, site: Site,
                    problems: list[Problem]) -> None:
    """Render every template with the site and hold it to policies.yaml, if present."""
    from jinja2.exceptions import TemplateError as JinjaTemplateError

    from moderation.replies import check_template, render_for_policy, render_with_site

    path = root / "policies.yaml"
    if not path.exists():
        return
    result = _read(path, str(path), PoliciesFile, problems)
    if not result:
        return
    policies, loc = result
    seen: set[str] = set()
    for i, policy in enumerate(policies.policies):
        where = ("policies", i)
        if policy.code in seen:
            problems.append(loc.problem(where + ("code",), f"duplicate policy code "
                                        f"'{policy.code}'", rule=policy.code,
                                        field_name="code"))
        seen.add(policy.code)
        targets = policy.templates if policy.templates is not None else list(replies.templates)
        for j, tid in enumerate(policy.templates or []):
            if tid not in replies.templates:
                problems.append(loc.problem(where + ("templates", j), f"unknown template "
                                            f"'{tid}'", rule=policy.code,
                                            field_name=f"templates[{j}]"))
        forbidden = None
        if policy.must_not_match is not None:
            try:
                forbidden = re.compile(policy.must_not_match, re.IGNORECASE)
            except re.error as exc:
                problems.append(loc.problem(where + ("must_not_match",), "regular expression "
                                            f"does not compile: {exc}", rule=policy.code,
                                            field_name="must_not_match"))
        required: list[str] = []
        for j, phrase in enumerate(policy.must_contain):
            messages = check_template(phrase)
            if messages:
                problems.append(loc.problem(where + ("must_contain", j), messages[0],
                                            rule=policy.code, field_name=f"must_contain[{j}]"))
                continue
            required.append(render_with_site(phrase, site))
        for tid in targets:
            template = replies.templates.get(tid)
            if template is None or check_template(template.text):
                continue  # reported already
            try:
                renders = render_for_policy(template.text, site)
            except JinjaTemplateError:
                continue
            for phrase in required:
                if any(phrase not in text for text in renders):
                    problems.append(replies_loc.problem(
                        ("templates", tid, "text"), f"policy {policy.code} ({policy.description}"
                        f"): the reply does not contain {phrase!r}", rule=policy.code,
                        field_name=f"{tid}.text"))
            if forbidden is not None:
                for text in renders:
                    hit = forbidden.search(text)
                    if hit:
                        problems.append(replies_loc.problem(
                            ("templates", tid, "text"), f"policy {policy.code} "
                            f"({policy.description}): the reply contains {hit.group()!r}",
                            rule=policy.code, field_name=f"{tid}.text"))
                        break


def _hash_files(files: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def load_ruleset(directory: str | os.PathLike[str] | None = None,
                 disabled: Iterable[str] = ()) -> RuleSet:
    """Load and check a rules directory; raise RuleSetError listing every problem."""
    from moderation.replies import check_template
    from moderation.stages.base import REGISTRY

    root = Path(directory) if directory is not None else default_rules_dir()
    if not root.is_dir():
        raise RuleSetError([Problem(str(root), 1, 1, "rules directory not found")])
    files = sorted(root.glob("*.yaml"))
    problems: list[Problem] = []

    def shown(p: Path) -> str:
        return str(p)

    fixed: dict[str, tuple[Any, Located]] = {}
    for name, model in FIXED_FILES.items():
        path = root / name
        if not path.exists():
            problems.append(Problem(shown(path), 1, 1, f"missing file {name}"))
            continue
        result = _read(path, shown(path), model, problems)
        if result:
            fixed[name] = result

    rule_files: list[tuple[RuleFile, Located]] = []
    for path in files:
        if path.name in FIXED_FILES or path.name in OPTIONAL_FILES:
            continue
        result = _read(path, shown(path), RuleFile, problems)
        if result:
            rule_files.append(result)

    if len(fixed) < len(FIXED_FILES):
        raise RuleSetError(problems)

    site_file, _ = fixed["site.yaml"]
    labels_file, labels_loc = fixed["labels.yaml"]
    lexicon_file, lexicon_loc = fixed["lexicon.yaml"]
    replies_file, replies_loc = fixed["replies.yaml"]

    # labels.yaml: the labels, their precedence and the stage order.
    known_labels = set(labels_file.labels)
    for i, label in enumerate(labels_file.precedence):
        if label not in known_labels:
            problems.append(labels_loc.problem(("precedence", i), f"unknown label '{label}'"))
    for label, spec in labels_file.labels.items():
        for j, other in enumerate(spec.suppressed_by):
            if other not in known_labels:
                problems.append(labels_loc.problem(("labels", label, "suppressed_by", j),
                                                   f"unknown label '{other}'"))
    for label in known_labels - set(labels_file.precedence):
        problems.append(labels_loc.problem(("labels", label), f"label '{label}' is missing "
                                           "from 'precedence'", key=True))
    for i, stage in enumerate(labels_file.stages):
        if stage not in REGISTRY:
            problems.append(labels_loc.problem(("stages", i), f"unknown stage '{stage}' "
                                               f"(registered: {', '.join(sorted(REGISTRY))})"))

    # lexicon.yaml
    lexicons = {name: lex.terms for name, lex in lexicon_file.lexicons.items()}
    for name in lexicons:
        if not NAME_RE.match(name):
            problems.append(lexicon_loc.problem(("lexicons", name), f"lexicon name '{name}' "
                                                "must be lower_case_with_underscores", key=True))
    for name in QUESTION_LEXICONS:
        if name not in lexicons:
            problems.append(lexicon_loc.problem(("lexicons",), f"missing lexicon '{name}', "
                                                "used to recognise questions"))

    # rule files
    sources: dict[str, RuleSource] = {}
    for rule_file, loc in rule_files:
        if rule_file.stage not in REGISTRY:
            problems.append(loc.problem(("stage",), f"unknown stage '{rule_file.stage}' "
                                        f"(registered: {', '.join(sorted(REGISTRY))})"))
        elif rule_file.stage not in labels_file.stages:
            problems.append(loc.problem(("stage",), f"stage '{rule_file.stage}' is not in "
                                        "the 'stages' list of labels.yaml"))
        if rule_file.label not in known_labels:
            problems.append(loc.problem(("label",), f"unknown label '{rule_file.label}'"))
        for i, rule in enumerate(rule_file.rules):
            label = rule.label or rule_file.label
            if rule.label and rule.label not in known_labels:
                problems.append(loc.problem(("rules", i, "label"), f"unknown label '{label}'",
                                            rule=rule.code, field_name="label"))
            if rule.code in sources:
                first = sources[rule.code]
                line, _ = first.located.where(first.path)
                problems.append(loc.problem(("rules", i, "code"), f"duplicate rule code "
                                            f"'{rule.code}' (first defined at "
                                            f"{first.file}:{line})", rule=rule.code,
                                            field_name="code"))
                continue
            sources[rule.code] = RuleSource(loc.file, ("rules", i), rule, rule_file.stage,
                                            label, loc)

    disabled_set = frozenset(disabled)
    unknown_disabled = sorted(disabled_set - set(sources))
    if unknown_disabled and not problems:
        raise ModerationError("cannot disable unknown rule code(s): "
                              + ", ".join(unknown_disabled))

    compiler = _Compiler(lexicons, problems)
    compiled: dict[str, list[C.CompiledRule]] = {}
    for code, src in sources.items():
        compiled_rule = compiler.rule(src)
        if compiled_rule is None or not src.rule.enabled or code in disabled_set:
            continue
        compiled.setdefault(src.stage, []).append(compiled_rule)

    # replies.yaml
    for tid, template in replies_file.templates.items():
        if template.label not in known_labels:
            problems.append(replies_loc.problem(("templates", tid, "label"),
                                                f"unknown label '{template.label}'",
                                                field_name=f"{tid}.label"))
        for message in check_template(template.text):
            problems.append(replies_loc.problem(("templates", tid, "text"), message,
                                                field_name=f"{tid}.text"))
    _check_policies(root, replies_file, replies_loc, site_file.site, problems)
    answered = {t.label for t in replies_file.templates.values()}
    for label in labels_file.precedence:
        if label in known_labels and label not in answered:
            problems.append(replies_loc.problem(("templates",), f"no template answers the "
                                                f"label '{label}'"))

    if problems:
        raise RuleSetError(problems)

    cues = QuestionCues(*(frozenset(" ".join(t.lower().split()) for t in lexicons[n])
                          for n in QUESTION_LEXICONS))
    return RuleSet(
        directory=root,
        hash=_hash_files(files, root),
        site=site_file.site,
        extraction=site_file.extraction,
        labels=labels_file,
        lexicons=lexicons,
        replies=replies_file,
        sources=sources,
        compiled=compiled,
        index=TermIndex(compiler.term_lists),
        cues=cues,
        disabled=disabled_set,
    )
