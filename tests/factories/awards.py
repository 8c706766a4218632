import datetime

from awards.services import grant_award
from tests.factories.contributions import ContributorFactory, area


def make_award(
    *,
    contributor=None,
    kind="mvp",
    area_slug="developer-technologies",
    starts_on=datetime.date(2026, 1, 1),
    actor=None,
):
    return grant_award(
        contributor=contributor or ContributorFactory(),
        kind=kind,
        technology_area=area(area_slug) if kind == "mvp" else None,
        starts_on=starts_on,
        actor=actor,
    )
