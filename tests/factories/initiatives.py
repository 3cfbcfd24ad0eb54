"""Given states of the initiatives app: councils and recognised initiatives.

Written straight to the tables, as a test's "given" step; the services under test build their
own state through their functions.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from lifelong.core.text import fold, sort_key
from lifelong.initiatives.models import (
    Council,
    CouncilMember,
    EvaluationPolicy,
    Initiative,
    InitiativeAuthor,
    Recognition,
)
from lifelong.org.models import Person, Unit

__all__ = ["council", "recognised_initiative"]


def council(
    unit: Unit,
    level: str = "co_so",
    members: Sequence[tuple[Person, str]] = (),
    *,
    name: str = "",
    established_on: datetime.date = datetime.date(2020, 1, 1),
) -> Council:
    """Create a council of `unit` with `members` as (person, role) pairs.

    Also makes sure the default evaluation policy exists: a transactional test's flush
    removes the row its migration seeded.
    """
    EvaluationPolicy.objects.get_or_create(
        effective_from=datetime.date(2012, 3, 2),
        defaults={"source": "NĐ 13/2012/NĐ-CP Art. 3 (conditions); agency practice [P]"},
    )
    made = Council.objects.create(
        name=name or f"Hội đồng sáng kiến {unit.name}",
        level=level,
        unit=unit,
        established_on=established_on,
    )
    for person, role in members:
        CouncilMember.objects.create(council=made, person=person, role=role)
    return made


def recognised_initiative(
    unit: Unit,
    authors: Sequence[tuple[Person, Decimal | int]],
    levels: Sequence[tuple[str, datetime.date]] = (("co_so", datetime.date(2024, 6, 1)),),
    *,
    title: str = "Ứng dụng phân tích rủi ro trong kiểm tra hồ sơ",
) -> Initiative:
    """Create an initiative recognised at each of `levels` (level, decision date), in order."""
    last_level, last_date = levels[-1]
    made = Initiative.objects.create(
        title=title,
        unit=unit,
        field="risk",
        problem="Kiểm tra thủ công mất nhiều thời gian.",
        solution="Lập hồ sơ rủi ro tự động.",
        novelty="Lần đầu áp dụng tại đơn vị.",
        applied_from=levels[0][1] - datetime.timedelta(days=180),
        status="recognised",
        level=last_level,
        recognised_on=last_date,
        search_text=fold(title),
        sort_key=sort_key(title),
    )
    for position, (person, share) in enumerate(authors):
        InitiativeAuthor.objects.create(
            initiative=made, person=person, share=Decimal(share), position=position
        )
    for number, (level, on) in enumerate(levels, start=1):
        Recognition.objects.create(
            initiative=made,
            level=level,
            decision_number=f"{number}/QĐ-HQ",
            decision_date=on,
            authority="Cục trưởng Cục Hải quan",
        )
    return made
