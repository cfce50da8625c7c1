"""Every URL pattern of the project, resolved from the urlconf at test time,
with its path parameters filled in: whatever URLs the apps add, the access
tests below walk them all.

A route is a `Route(pattern, name, converters)`; `Route.urls(values)` gives
the concrete URLs for candidate parameter values (`values` maps a kind —
"int", "uuid", "str", "path", "slug" — to the values to try)."""

from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

DUMMY = {
    "int": ["1"],
    "uuid": [str(uuid.UUID(int=1))],
    "str": ["x"],
    "slug": ["x"],
    "path": ["1"],
}
# Candidates for the named groups of regex patterns (the admin's app index,
# DRF's format suffixes, the admin's catch-all).
REGEX_CANDIDATES = ("1", "json", "x", str(uuid.UUID(int=1)), "auth")
_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")


@dataclass
class Route:
    pattern: str  # "projects/<uuid:code>/edit/" with regex parts already filled
    name: str  # "projects:project-edit" ("" when unnamed)
    kinds: list[str] = field(default_factory=list)  # converter kinds, in order

    def urls(self, values: dict[str, list[str]] | None = None) -> list[str]:
        values = values or DUMMY
        choices = [values.get(kind) or DUMMY.get(kind, ["1"]) for kind in self.kinds]
        return [self._fill(combo) for combo in itertools.product(*choices)]

    def _fill(self, combo) -> str:
        values = iter(combo)
        return "/" + _CONVERTER.sub(lambda _m: next(values), self.pattern)

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/")

    @property
    def is_admin(self) -> bool:
        return self.pattern.startswith("admin/")


def _fill_regex(regex: str) -> str | None:
    """A string matched by `regex` (anchors dropped, named groups filled)."""
    text = regex.lstrip("^").rstrip("$")
    if text.endswith("\\Z"):
        text = text[:-2]

    def fill(match):
        body = match.group("body")
        options = [body.split("|")[0]] if "|" in body and "\\" not in body else []
        for candidate in [*options, *REGEX_CANDIDATES]:
            if re.fullmatch(body, candidate):
                return candidate
        return "x"

    text = _GROUP.sub(fill, text)
    text = re.sub(r"\(\?:[^()]*\)\?", "", text)  # optional non-capturing groups
    text = text.replace("\\.", ".").replace("/?", "/")
    if re.search(r"[\\^$*+?()\[\]{}|]", text):
        return None  # a pattern too clever to fill: reported by the caller
    return text


def _pattern_text(pattern) -> str | None:
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    if isinstance(pattern, RegexPattern):
        return _fill_regex(pattern.regex.pattern)
    return str(pattern)


def all_routes() -> tuple[list[Route], list[str]]:
    """Every leaf URL pattern; and the patterns that could not be filled."""
    routes: list[Route] = []
    unfilled: list[str] = []

    def walk(patterns, prefix: str, namespace: str):
        for p in patterns:
            text = _pattern_text(p.pattern)
            if text is None:
                unfilled.append(prefix + str(p.pattern))
                continue
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + text, ns)
            elif isinstance(p, URLPattern):
                full = prefix + text
                kinds = [m.group("kind") or "str" for m in _CONVERTER.finditer(full)]
                routes.append(Route(full, f"{namespace}{p.name}" if p.name else "", kinds))

    walk(get_resolver().url_patterns, "", "")
    return routes, unfilled
