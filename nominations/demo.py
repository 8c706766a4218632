"""Demo data for `manage.py seed_demo` (idempotent)."""

from contributions.models import TechnologyArea
from nominations.enums import NominationSource
from nominations.models import Nomination
from nominations.workflow.base import NominationError
from nominations.workflow.panel import assign_reviewer
from nominations.workflow.submission import create_nomination


def load_demo(*, users: dict, today) -> None:
    """`users` maps a role name ("contributor", "reviewer", "staff", "regional_manager") to
    the demo user with that role.

    Staff nominate the demo contributor directly (in review, with the demo reviewer on the
    panel) and invite a person without an account. Runs once: a second call finds the staff
    member's nominations and does nothing.
    """
    staff = users.get("staff")
    area = TechnologyArea.objects.filter(slug="azure").first()
    if staff is None or area is None or Nomination.objects.filter(nominated_by=staff).exists():
        return
    try:
        result = create_nomination(
            nominated_by=staff,
            source=NominationSource.STAFF,
            technology_area=area,
            reason="Answers Azure questions every week and runs a monthly meetup.",
            evidence_urls=["https://example.com/azure-meetup"],
            candidate=users["contributor"].contributor,
            as_of=today,
        )
        if "reviewer" in users:
            assign_reviewer(
                nomination_id=result.nomination.pk,
                reviewer=users["reviewer"],
                actor=staff,
                as_of=today,
            )
        create_nomination(
            nominated_by=staff,
            source=NominationSource.STAFF,
            technology_area=area,
            reason="Wrote the community's Bicep guide.",
            candidate_email="invitee@demo.mvptracker.test",
            candidate_name="Invited Person",
            as_of=today,
        )
    except NominationError:
        pass  # e.g. the demo contributor already holds the award: nothing to show
