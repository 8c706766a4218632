"""Demo data for `manage.py seed_demo` (idempotent)."""

from datetime import date, timedelta

from awards.enums import AwardEventKind, AwardKind, AwardStatus
from awards.models import Award, AwardEvent, EligibilityPolicy
from awards.services import grant_award
from contributions.models import TechnologyArea
from contributions.services import ensure_contributor


def _grant_once(*, contributor, kind, area, starts_on, actor, reason) -> Award:
    existing = Award.objects.filter(
        contributor=contributor, kind=kind, technology_area=area, starts_on=starts_on
    ).first()
    return existing or grant_award(
        contributor=contributor,
        kind=kind,
        technology_area=area,
        starts_on=starts_on,
        actor=actor,
        reason=reason,
    )


def load_demo(*, users: dict, today: date) -> None:
    """`users` maps a role name ("contributor", "reviewer", "staff", "regional_manager") to
    the demo user with that role.

    The demo contributor holds an MVP in developer-technologies whose term ends in 40 days
    (inside the renewal window); the reviewer is MVP alumni in Azure and holds an MCC.
    """
    EligibilityPolicy.current()
    staff = users.get("staff")
    dev = TechnologyArea.objects.filter(slug="developer-technologies").first()
    azure = TechnologyArea.objects.filter(slug="azure").first()
    if "contributor" in users and dev:
        contributor = ensure_contributor(user=users["contributor"])
        ends_on = today + timedelta(days=40)
        starts_on = ends_on.replace(year=ends_on.year - 1) + timedelta(days=1)
        if not Award.objects.filter(contributor=contributor, kind=AwardKind.MVP).exists():
            _grant_once(
                contributor=contributor,
                kind=AwardKind.MVP,
                area=dev,
                starts_on=starts_on,
                actor=staff,
                reason="Demo: an MVP near renewal",
            )
    if "reviewer" in users and azure:
        person = ensure_contributor(user=users["reviewer"])
        if not Award.objects.filter(contributor=person, kind=AwardKind.MVP).exists():
            alumni = _grant_once(
                contributor=person,
                kind=AwardKind.MVP,
                area=azure,
                starts_on=date(today.year - 3, 1, 1),
                actor=staff,
                reason="Demo: alumni",
            )
            Award.objects.filter(pk=alumni.pk).update(status=AwardStatus.EXPIRED)
            AwardEvent.objects.get_or_create(
                award=alumni,
                kind=AwardEventKind.EXPIRED,
                defaults={"as_of": alumni.ends_on + timedelta(days=1), "reason": "Term ended"},
            )
        if not Award.objects.filter(contributor=person, kind=AwardKind.MCC).exists():
            _grant_once(
                contributor=person,
                kind=AwardKind.MCC,
                area=None,
                starts_on=today - timedelta(days=10),
                actor=staff,
                reason="Demo: forum activity",
            )
