"""Suggested replies: Jinja2 templates in a sandbox, every variable checked at load."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2 import Template as JinjaTemplate
from jinja2.exceptions import TemplateError as JinjaTemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from moderation.errors import TemplateError
from moderation.models import Comment, SuggestedReply
from moderation.ruleset.schema import Expert, Site, Template

ANSWER_PLACEHOLDER = "[EXPERT'S ANSWER: paste it here before approving]"

# The variables a template may use, and their attributes (None: a leaf value).
CONTEXT_SCHEMA: dict[str, Any] = {
    "site": {
        "name": None, "short_name": None, "domains": None, "phones": None,
        "appointment_phone": None, "default_region": None, "staff_signature": None,
        "experts": None,
        "crisis_line": {"name": None, "phone": None, "text": None, "url": None},
    },
    "comment": {"id": None, "author": None, "first_name": None, "post": None},
    "expert": {"name": None, "answer": None},
    "labels": None,
}

ENV = ImmutableSandboxedEnvironment(
    undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True,
    keep_trailing_newline=False,
)


@lru_cache(maxsize=256)
def _template(text: str) -> JinjaTemplate:
    """A template compiled once: loading checks, test-renders and renders the same
    texts several times."""
    return ENV.from_string(text)


def _attribute_chain(node: nodes.Getattr) -> list[str] | None:
    chain: list[str] = []
    current: nodes.Node = node
    while isinstance(current, nodes.Getattr):
        chain.append(current.attr)
        current = current.node
    if isinstance(current, nodes.Name):
        chain.append(current.name)
        return list(reversed(chain))
    return None


def check_template(text: str) -> list[str]:
    """Problems with a template's syntax or the variables it uses (empty when fine)."""
    try:
        tree = ENV.parse(text)
    except TemplateSyntaxError as exc:
        return [f"template syntax error on its line {exc.lineno}: {exc.message}"]
    problems = []
    for name in sorted(meta.find_undeclared_variables(tree)):
        if name not in CONTEXT_SCHEMA:
            known = ", ".join(sorted(CONTEXT_SCHEMA))
            problems.append(f"unknown variable '{name}' (known: {known})")
    for getattr_node in tree.find_all(nodes.Getattr):
        chain = _attribute_chain(getattr_node)
        if not chain or chain[0] not in CONTEXT_SCHEMA:
            continue
        schema: Any = CONTEXT_SCHEMA
        for depth, part in enumerate(chain):
            if not isinstance(schema, dict) or part not in schema:
                dotted = ".".join(chain[: depth + 1])
                problems.append(f"unknown variable '{dotted}'")
                break
            schema = schema[part]
    if not problems:
        try:
            _template(text).render(sample_context())
        except JinjaTemplateError as exc:
            problems.append(f"template does not render: {exc}")
    return sorted(set(problems))


def sample_context() -> dict[str, Any]:
    """A context with every variable set, to test-render templates at load time."""
    return {
        "site": {
            "name": "Example Hospital", "short_name": "EH", "domains": ["example.org"],
            "phones": ["800-555-0100"], "appointment_phone": "800-555-0100",
            "default_region": "US", "staff_signature": "The team", "experts": [],
            "crisis_line": {"name": "Crisis line", "phone": "988", "text": "988",
                            "url": "https://example.org"},
        },
        "comment": {"id": "1", "author": "Ann Example", "first_name": "Ann", "post": None},
        "expert": {"name": "Dr. Example", "answer": ANSWER_PLACEHOLDER},
        "labels": ["thanks"],
    }


def first_name(author: str | None) -> str | None:
    """The first word of an author's name, if it looks like a name."""
    if not author:
        return None
    word = author.strip().split()[0] if author.strip() else ""
    return word if word[:1].isalpha() and "@" not in word else None


def pick_expert(text: str, experts: list[Expert]) -> Expert | None:
    """The expert the comment names, else the site's first expert."""
    low = text.lower()
    for expert in experts:
        for name in [expert.name, *expert.aliases]:
            if name.lower() in low:
                return expert
    return experts[0] if experts else None


def _comment_part(comment: Comment) -> dict[str, Any]:
    return {"id": comment.id, "author": comment.author,
            "first_name": first_name(comment.author), "post": comment.post}


def _expert_part(comment: Comment, site: Site) -> dict[str, Any]:
    expert = pick_expert(comment.text, site.experts)
    return {"name": expert.name if expert else "our expert", "answer": ANSWER_PLACEHOLDER}


def build_context(comment: Comment, site: Site, labels: tuple[str, ...],
                  site_values: dict[str, Any] | None = None) -> dict[str, Any]:
    """The variables a template sees for one comment (`site_values`: the site already
    dumped, which the sandbox cannot change, so a reply book dumps it once)."""
    return {
        "site": site.model_dump() if site_values is None else site_values,
        "comment": _comment_part(comment),
        "expert": _expert_part(comment, site),
        "labels": list(labels),
    }


# Jinja2's filter and function whose output is not fixed by their input: a template
# that uses one is rendered afresh every time.
_UNSTEADY = frozenset({"random", "lipsum"})


def template_inputs(text: str) -> tuple[tuple[str, ...], ...] | None:
    """What a template's output depends on besides the site: the comment and expert
    attributes it reads (("comment", "first_name"), ...) and ("labels",) if it reads the
    labels. None when that cannot be told from its syntax (the whole `comment` passed
    around, an item looked up by key, a filter with a random result)."""
    tree = ENV.parse(text)
    if any(f.name in _UNSTEADY for f in tree.find_all(nodes.Filter)) or any(
            n.name in _UNSTEADY for n in tree.find_all(nodes.Name)):
        return None
    read: set[tuple[str, ...]] = set()
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name in ("comment", "expert"):
            read.add((node.node.name, node.attr))
    for name in ("comment", "expert"):
        uses = sum(1 for n in tree.find_all(nodes.Name) if n.name == name)
        as_attribute = sum(1 for g in tree.find_all(nodes.Getattr)
                           if isinstance(g.node, nodes.Name) and g.node.name == name)
        if uses != as_attribute:
            return None
    if any(n.name == "labels" for n in tree.find_all(nodes.Name)):
        read.add(("labels",))
    if any(n.ctx != "load" for n in tree.find_all(nodes.Name)
           if n.name in ("comment", "expert", "labels", "site")):
        return None
    return tuple(sorted(read))


class ReplyBook:
    """The compiled templates and the rule for choosing one.

    Rendering costs more than classifying a short comment, and most comments of a
    thread get one of a handful of texts: a reply is kept (up to `CACHE` of them) under
    the values its template actually reads, so "Hi Ann" is rendered once per Ann.
    """

    CACHE = 4096

    def __init__(self, templates: dict[str, Template], site: Site):
        self._site = site
        self._site_values = site.model_dump()
        self._templates = templates
        self._compiled = {tid: _template(t.text) for tid, t in templates.items()}
        self._inputs = {tid: template_inputs(t.text) for tid, t in templates.items()}
        self._rendered: dict[tuple[Any, ...], SuggestedReply] = {}
        self._by_label: dict[str, str] = {}
        for tid, template in templates.items():
            self._by_label.setdefault(template.label, tid)

    @property
    def template_ids(self) -> list[str]:
        """Every template id."""
        return list(self._templates)

    def template_for(self, label: str) -> str | None:
        """The template that answers label: the one named after it, else the first."""
        if label in self._templates and self._templates[label].label == label:
            return label
        return self._by_label.get(label)

    def render(self, template_id: str, comment: Comment,
               labels: tuple[str, ...]) -> SuggestedReply:
        """Render template_id for a comment."""
        try:
            compiled = self._compiled[template_id]
        except KeyError:
            raise TemplateError(f"unknown template '{template_id}'") from None
        comment_part = _comment_part(comment)
        expert_part: dict[str, Any] | None = None
        inputs = self._inputs[template_id]
        key = None
        if inputs is not None:
            # The key is made of what the template reads, before any rendering.
            values: list[Any] = [template_id]
            for path in inputs:
                if path[0] == "comment":
                    values.append(comment_part[path[1]])
                elif path[0] == "expert":
                    expert_part = expert_part or _expert_part(comment, self._site)
                    values.append(expert_part[path[1]])
                else:
                    values.append(tuple(labels))
            key = tuple(values)
            kept = self._rendered.get(key)
            if kept is not None:
                return kept
        context = {"site": self._site_values, "comment": comment_part,
                   "expert": expert_part or _expert_part(comment, self._site),
                   "labels": list(labels)}
        try:
            text = compiled.render(context)
        except JinjaTemplateError as exc:
            raise TemplateError(f"template '{template_id}': {exc}") from None
        reply = SuggestedReply.trusted(
            template=template_id, label=self._templates[template_id].label, text=text.strip())
        if key is not None:
            if len(self._rendered) >= self.CACHE:
                self._rendered.clear()
            self._rendered[key] = reply
        return reply


def render_for_policy(text: str, site: Site) -> list[str]:
    """A template rendered with the site's own settings, for a named and an anonymous
    commenter (so both branches of `{% if comment.first_name %}` are seen)."""
    out = []
    for author in ("Ann Example", None):
        comment = Comment(id="policy-check", text="", author=author)
        out.append(_template(text).render(build_context(comment, site, ())))
    return out


def render_with_site(text: str, site: Site) -> str:
    """A short Jinja2 text (a policy's required phrase) rendered with the site."""
    comment = Comment(id="policy-check", text="")
    return _template(text).render(build_context(comment, site, ()))
