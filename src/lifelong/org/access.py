"""Who may see what: the one place every page, API endpoint, download and export asks.

A user's scope for a capability is the union of the subtrees of the units where one of
their roles grants it, widened by the former units whose history rolled up into those
subtrees (merges and splits). Missing and forbidden are the same `NotFound`.
"""

from collections import defaultdict
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lifelong.core.exceptions import NotFound
from lifelong.org.models import Person, RoleGrant, Unit, UnitSuccession
from lifelong.org.rules import Capability, Grant, covers, scope_roots

__all__ = [
    "Capability",
    "can",
    "granted_roots",
    "has_capability",
    "in_scope",
    "people_visible_to",
    "require",
    "roles_of",
    "scope_filter",
    "scope_of",
    "units_visible_to",
]

AnyUser = User | AnonymousUser
_CACHE_ATTR = "_lifelong_access_cache"


def _cache(user: AnyUser) -> dict[str, Any]:
    # One computation per request: the user object lives as long as the request does.
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    return cache


def grants_of(user: AnyUser) -> list[Grant]:
    """Return the user's role grants as plain data."""
    if not user.is_authenticated or not user.is_active:
        return []
    cache = _cache(user)
    if "grants" not in cache:
        cache["grants"] = [
            Grant(role=role, unit_path=path)
            for role, path in RoleGrant.objects.filter(user=user).values_list("role", "unit__path")
        ]
    grants: list[Grant] = cache["grants"]
    return grants


def roles_of(user: AnyUser) -> set[str]:
    """Return the role codes the user holds anywhere."""
    return {g.role for g in grants_of(user)}


def has_capability(user: AnyUser, capability: Capability) -> bool:
    """Return whether the user holds `capability` on at least one unit."""
    return bool(scope_roots(grants_of(user), capability))


def _successions(user: AnyUser) -> tuple[dict[int, list[int]], dict[int, str]]:
    """Return, once per request, successor -> predecessors and the paths of those units."""
    cache = _cache(user)
    if "successions" not in cache:
        edges: dict[int, list[int]] = defaultdict(list)
        for pred, succ in UnitSuccession.objects.values_list("predecessor_id", "successor_id"):
            edges[succ].append(pred)
        ids = {*edges, *(p for preds in edges.values() for p in preds)}
        paths = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "path")) if ids else {}
        cache["successions"] = (edges, paths)
    result: tuple[dict[int, list[int]], dict[int, str]] = cache["successions"]
    return result


def _with_predecessors(user: AnyUser, roots: list[str]) -> list[str]:
    """Widen subtree roots by the former units whose history rolled up into them."""
    if not roots:
        return roots
    edges, paths = _successions(user)
    if not edges:
        return roots
    extra: set[str] = set()
    stack = [uid for uid in edges if covers(roots, paths[uid])]
    seen: set[int] = set()
    while stack:
        uid = stack.pop()
        if uid in seen:
            continue
        seen.add(uid)
        for pred in edges.get(uid, ()):
            extra.add(paths[pred])
            stack.append(pred)
    return scope_roots([Grant("administrator", p) for p in [*roots, *extra]], Capability.SEE_UNITS)


def granted_roots(user: AnyUser, capability: Capability) -> list[str]:
    """Return the units (paths) where a role grants `capability`, without former units.

    Menus start from these; `scope_of` adds the former units whose history rolled up.
    """
    return scope_roots(grants_of(user), capability)


def scope_of(user: AnyUser, capability: Capability) -> list[str]:
    """Return the subtree roots (tree paths) where the user holds `capability`."""
    cache = _cache(user)
    key = f"scope:{capability}"
    if key not in cache:
        cache[key] = _with_predecessors(user, scope_roots(grants_of(user), capability))
    roots: list[str] = cache[key]
    return roots


def scope_filter(roots: list[str], field: str = "path") -> Q:
    """Return a filter matching units (through `field`, a path) inside any of `roots`."""
    condition = Q(pk__in=[])
    for root in roots:
        low, high = Unit.subtree_range(root)
        condition |= Q(**{f"{field}__gte": low, f"{field}__lt": high})
    return condition


def in_scope(user: AnyUser, capability: Capability, unit: Unit) -> bool:
    """Return whether `unit` lies where the user holds `capability`."""
    return covers(scope_of(user, capability), unit.path)


def can(user: AnyUser, capability: Capability, unit: Unit) -> bool:
    """Alias of `in_scope` that reads well in templates and views."""
    return in_scope(user, capability, unit)


def units_visible_to(user: AnyUser) -> QuerySet[Unit]:
    """Return the units the user may see."""
    return Unit.objects.filter(scope_filter(scope_of(user, Capability.SEE_UNITS)))


def people_visible_to(user: AnyUser) -> QuerySet[Person]:
    """Return the people the user may see: those of units in scope, and always oneself."""
    condition = scope_filter(scope_of(user, Capability.SEE_PEOPLE), "unit__path")
    if user.is_authenticated:
        condition |= Q(user=user)
    return Person.objects.filter(condition)


def require(user: AnyUser, capability: Capability) -> None:
    """Refuse with the same 404 as a missing page unless the user holds `capability`."""
    if not has_capability(user, capability):
        raise NotFound(_("Not found."))
