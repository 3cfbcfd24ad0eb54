"""Reads of the library: recognised initiatives, good models, adoptions, a unit's page.

Recognised initiatives and good models are the movement's to share: every signed-in user
sees them, and the adoptions registered against them. A unit's page lists the initiatives of
its subtree the user may see (`queries.scope.visible_initiatives`) and the adoptions of its
units. Who may register an adoption or curate a good model is decided here too, from
`org.access` (SHARE_PRACTICES, MANAGE_INITIATIVES). Missing and forbidden are the same
NotFound, and a refused attempt is audited.
"""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from lifelong.core.lookups import get_visible, refuse
from lifelong.core.text import search_terms
from lifelong.initiatives import rules_library
from lifelong.initiatives.models import (
    Adoption,
    GoodModel,
    Initiative,
    InitiativeAuthor,
    Recognition,
)
from lifelong.initiatives.queries.scope import visible_initiatives
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.models import Unit

__all__ = [
    "MAX_SEARCH_TERMS",
    "access_adoption",
    "access_shared_adoption",
    "access_unit",
    "adoption_units",
    "adoptions_of_good_model",
    "adoptions_of_initiative",
    "adoptions_visible_to",
    "curatable_units",
    "filter_units",
    "get_good_model",
    "good_model_initiatives",
    "good_model_units",
    "good_models_visible_to",
    "linkable_initiatives",
    "may_curate",
    "may_curate_anything",
    "may_share",
    "may_share_anywhere",
    "recognised_initiatives",
    "recognition_years",
    "unit_adoptions",
    "unit_initiatives",
]

# More words than this in a search box add nothing but joins.
MAX_SEARCH_TERMS = 8


def _today() -> datetime.date:
    return timezone.localdate()


def _current(on: datetime.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


#
# Recognised initiatives
#


def recognised_initiatives(
    user: AnyUser, *, level: str = "", year: int | None = None, unit: Unit | None = None
) -> QuerySet[Recognition]:
    """Return the recognitions of initiatives the user may see, newest decision first.

    One row per initiative and level (an initiative recognised at cơ sở level, then at
    ministry level, gives two rows). `year` is the decision's year; `unit` keeps the
    initiatives of its subtree.
    """
    if not user.is_authenticated:
        return Recognition.objects.none()
    rows = Recognition.objects.filter(initiative__in=visible_initiatives(user))
    if level:
        rows = rows.filter(level=level)
    if year is not None:
        rows = rows.filter(
            decision_date__gte=datetime.date(year, 1, 1),
            decision_date__lt=datetime.date(year + 1, 1, 1),
        )
    if unit is not None:
        rows = rows.filter(access.scope_filter([unit.path], "initiative__unit__path"))
    authors = InitiativeAuthor.objects.select_related("person").order_by("position", "pk")
    return (
        rows.select_related("initiative", "initiative__unit")
        .prefetch_related(Prefetch("initiative__authors", queryset=authors))
        .order_by("-decision_date", "initiative__sort_key", "pk")
    )


def recognition_years(user: AnyUser) -> list[int]:
    """Return the years with a recognition the user may see, newest first."""
    if not user.is_authenticated:
        return []
    dates = Recognition.objects.filter(initiative__in=visible_initiatives(user)).dates(
        "decision_date", "year", order="DESC"
    )
    return [d.year for d in dates]


def filter_units() -> QuerySet[Unit]:
    """Return the units a list may be filtered by: the administration and its direct units.

    A filter by one of them keeps its whole subtree (its teams and border-gate offices).
    """
    return Unit.objects.filter(depth__lte=1).order_by("path")


#
# Good models
#


def good_models_visible_to(
    user: AnyUser, *, query: str = "", content: str = ""
) -> QuerySet[GoodModel]:
    """Return the good models of the library, sorted by title (Vietnamese order).

    `query` matches every word (AND) against the title, summary, description and the units'
    names, without diacritics ("mo hinh" finds "mô hình"); `content` keeps one of the
    movement's five contents. Each row carries `n_adoptions`.
    """
    if not user.is_authenticated:
        return GoodModel.objects.none()
    rows = GoodModel.objects.all()
    for term in search_terms(query)[:MAX_SEARCH_TERMS]:
        rows = rows.filter(search_text__contains=term)
    if content:
        rows = rows.filter(contents__content=content)
    return (
        rows.annotate(n_adoptions=Count("adoptions", distinct=True))
        .prefetch_related("contents", Prefetch("units", queryset=Unit.objects.order_by("sort_key")))
        .order_by("sort_key", "pk")
    )


def get_good_model(user: AnyUser, pk: object) -> GoodModel:
    """Return the good model `pk` if the user may see it; else NotFound (audited)."""
    rows = GoodModel.objects.all() if user.is_authenticated else GoodModel.objects.none()
    return get_visible(user, rows.prefetch_related("contents"), "initiatives.goodmodel", pk)


def good_model_units(good_model: GoodModel) -> list[Unit]:
    """Return the units behind a good model, in Vietnamese order."""
    return list(good_model.units.order_by("sort_key", "pk"))


def good_model_initiatives(user: AnyUser, good_model: GoodModel) -> list[Initiative]:
    """Return the initiatives behind a good model that the user may see, newest first."""
    return list(
        visible_initiatives(user)
        .filter(good_models=good_model)
        .select_related("unit")
        .order_by(F("recognised_on").desc(nulls_last=True), "sort_key", "pk")
    )


#
# Adoptions
#


def adoptions_visible_to(user: AnyUser) -> QuerySet[Adoption]:
    """Return the adoptions the user may see: those of good models and of visible initiatives."""
    if not user.is_authenticated:
        return Adoption.objects.none()
    condition = Q(good_model__isnull=False) | Q(initiative__in=visible_initiatives(user))
    return Adoption.objects.filter(condition).select_related("unit", "initiative", "good_model")


def adoptions_of_initiative(user: AnyUser, initiative: Initiative) -> QuerySet[Adoption]:
    """Return where an initiative is applied, earliest start first."""
    return (
        adoptions_visible_to(user)
        .filter(initiative=initiative)
        .order_by("started_on", "unit__sort_key", "pk")
    )


def adoptions_of_good_model(user: AnyUser, good_model: GoodModel) -> QuerySet[Adoption]:
    """Return which units adopted a good model, earliest start first."""
    return (
        adoptions_visible_to(user)
        .filter(good_model=good_model)
        .order_by("started_on", "unit__sort_key", "pk")
    )


def access_adoption(user: AnyUser, pk: object) -> Adoption:
    """Return an adoption the user may see; else NotFound (audited)."""
    return get_visible(user, adoptions_visible_to(user), "initiatives.adoption", pk)


def access_shared_adoption(user: AnyUser, pk: object) -> Adoption:
    """Return an adoption the user may edit or withdraw (SHARE_PRACTICES over its unit)."""
    adoption = access_adoption(user, pk)
    if not may_share(user, adoption.unit):
        raise refuse(user, "initiatives.adoption", pk)
    return adoption


#
# Who may share and curate
#


def may_share(user: AnyUser, unit: Unit) -> bool:
    """Return whether the user registers adoptions for `unit` (SHARE_PRACTICES over it)."""
    return access.in_scope(user, Capability.SHARE_PRACTICES, unit)


def may_share_anywhere(user: AnyUser) -> bool:
    """Return whether the user registers adoptions for at least one unit."""
    return access.has_capability(user, Capability.SHARE_PRACTICES)


def adoption_units(user: AnyUser) -> QuerySet[Unit]:
    """Return the units in office for which the user may register adoptions, in tree order."""
    roots = access.scope_of(user, Capability.SHARE_PRACTICES)
    return (
        Unit.objects.filter(access.scope_filter(roots)).filter(_current(_today())).order_by("path")
    )


def curatable_units(user: AnyUser) -> QuerySet[Unit]:
    """Return the units in office a good model written by the user may name, in tree order."""
    roots = [
        *access.scope_of(user, Capability.MANAGE_INITIATIVES),
        *access.scope_of(user, Capability.SHARE_PRACTICES),
    ]
    return (
        Unit.objects.filter(access.scope_filter(roots)).filter(_current(_today())).order_by("path")
    )


def may_curate_anything(user: AnyUser) -> bool:
    """Return whether the user may write good models at all."""
    return access.has_capability(user, Capability.MANAGE_INITIATIVES) or may_share_anywhere(user)


def may_curate(user: AnyUser, good_model: GoodModel) -> bool:
    """Return whether the user may edit `good_model`: every unit behind it is theirs."""
    return rules_library.may_curate(
        unit_paths=good_model.units.values_list("path", flat=True),
        manage_roots=access.scope_of(user, Capability.MANAGE_INITIATIVES),
        share_roots=access.scope_of(user, Capability.SHARE_PRACTICES),
    )


def linkable_initiatives(user: AnyUser) -> QuerySet[Initiative]:
    """Return the initiatives a good model may be linked to: recognised ones, by title."""
    return (
        visible_initiatives(user)
        .exclude(level="")
        .select_related("unit")
        .order_by("sort_key", "pk")
    )


#
# A unit's page
#


def access_unit(user: AnyUser, pk: object) -> Unit:
    """Return a unit whose initiatives page the user may open; else NotFound (audited).

    The units the user may see (SEE_UNITS), and every unit the library names: one with a
    recognised initiative, an adoption, or a good model behind it.
    """
    if not user.is_authenticated:
        raise refuse(user, "org.unit", pk)
    named = (
        Q(Exists(Initiative.objects.filter(unit=OuterRef("pk")).exclude(level="")))
        | Q(Exists(Adoption.objects.filter(unit=OuterRef("pk"))))
        | Q(Exists(GoodModel.units.through.objects.filter(unit_id=OuterRef("pk"))))
    )
    rows = Unit.objects.filter(
        access.scope_filter(access.scope_of(user, Capability.SEE_UNITS)) | named
    )
    return get_visible(user, rows, "org.unit", pk)


def unit_initiatives(user: AnyUser, unit: Unit) -> QuerySet[Initiative]:
    """Return the initiatives of the unit's subtree that the user may see, newest first."""
    return (
        visible_initiatives(user)
        .filter(access.scope_filter([unit.path], "unit__path"))
        .select_related("unit")
        .order_by(F("recognised_on").desc(nulls_last=True), "sort_key", "pk")
    )


def unit_adoptions(user: AnyUser, unit: Unit) -> QuerySet[Adoption]:
    """Return the adoptions registered by the units of the unit's subtree, newest start first."""
    return (
        adoptions_visible_to(user)
        .filter(access.scope_filter([unit.path], "unit__path"))
        .order_by("-started_on", "unit__sort_key", "pk")
    )
