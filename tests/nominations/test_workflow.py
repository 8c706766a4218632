import datetime
import threading
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from accounts.enums import Role
from awards.enums import AwardKind
from awards.models import Award, EligibilityPolicy
from common.tokens import hash_token
from contributions.enums import EmployerCategory
from contributions.models import ContributionKind, TechnologyArea
from contributions.vocabularies import load_vocabularies
from nominations.enums import NominationSource, NominationStatus, Recommendation
from nominations.models import (
    Endorsement,
    Invitation,
    Nomination,
    NominationEvent,
    Review,
    ReviewAssignment,
)
from nominations.workflow import submission
from nominations.workflow.base import NominationConflict, NominationError
from nominations.workflow.candidate import accept_invitation, complete_nomination
from nominations.workflow.decisions import (
    expire_overdue_nominations,
    transition_nomination,
    withdraw_nomination,
)
from nominations.workflow.panel import (
    assign_reviewer,
    auto_assign_reviewers,
    conflict_of_interest,
    submit_review,
)
from nominations.workflow.submission import create_nomination
from nominations.workflow.transitions import TRANSITIONS
from notifications.models import Notification, OutboxEmail
from notifications.services import deliver_email
from tests.factories.awards import make_award
from tests.factories.contributions import ContributorFactory, area
from tests.factories.nominations import AS_OF, make_mvp, make_nomination, make_privileged
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db
S = NominationStatus


def put_in(nomination, status):
    """Force a nomination into ``status`` (awarded needs a linked award)."""
    fields = {"status": status}
    if status == S.AWARDED:
        fields["award"] = make_award(contributor=nomination.candidate, area_slug="azure")
    Nomination.objects.filter(pk=nomination.pk).update(**fields)
    nomination.refresh_from_db()
    return nomination


# --- creation ------------------------------------------------------------------------------


def test_create_nomination_by_email_invites_the_candidate_and_stores_only_a_hash(mvp):
    result = create_nomination(
        nominated_by=mvp,
        source=NominationSource.MVP,
        technology_area=area("azure"),
        reason="Great answers",
        evidence_urls=["https://example.com/a"],
        candidate_email="  New.Person@Example.com ",
        candidate_name="New Person",
        as_of=AS_OF,
    )
    nomination = result.nomination
    assert nomination.candidate is None
    assert nomination.candidate_email == "new.person@example.com"
    assert nomination.status == S.SUBMITTED
    assert nomination.decision_due == datetime.date(2026, 6, 2)
    assert list(nomination.events.values_list("from_status", "to_status")) == [("", "submitted")]
    invitation = Invitation.objects.get(nomination=nomination)
    assert invitation.token_hash == hash_token(result.invitation_token)
    assert result.invitation_token not in invitation.token_hash
    invite = OutboxEmail.objects.get(category="nomination_invitation")
    assert invite.to == "new.person@example.com"
    # Rendered at delivery, like every other email (the row holds the template and context).
    assert (invite.template, invite.body) == ("nominations/email/invitation", "")
    mail.outbox.clear()
    assert deliver_email(email_id=invite.pk) is True
    invite.refresh_from_db()
    assert reverse("nominations:invitation", args=[result.invitation_token]) in invite.body
    assert [(m.to, m.body) for m in mail.outbox] == [([invite.to], invite.body)]
    assert invite.subject == mail.outbox[0].subject != ""
    assert OutboxEmail.objects.filter(category="nomination_submitted", to=mvp.email).count() == 1


def test_decision_due_clamps_at_month_end(mvp):
    nomination = make_nomination(nominated_by=mvp, as_of=datetime.date(2026, 11, 30))
    assert nomination.decision_due == datetime.date(2027, 2, 28)


def test_create_nomination_by_non_mvp_is_refused(user):
    with pytest.raises(NominationError):
        make_nomination(nominated_by=user)
    assert Nomination.objects.count() == 0


def test_create_nomination_of_oneself_is_refused_on_the_email_field(mvp):
    with pytest.raises(NominationError) as exc:
        make_nomination(nominated_by=mvp, candidate_email=mvp.email.upper())
    assert exc.value.field == "candidate_email"
    assert Nomination.objects.count() == 0


def test_create_nomination_of_existing_account_by_email_links_the_contributor(mvp):
    candidate = ContributorFactory(region="apac")
    nomination = make_nomination(nominated_by=mvp, candidate_email=candidate.user.email)
    assert nomination.candidate == candidate
    assert nomination.region == "apac"


def test_create_nomination_in_a_sub_area_is_refused(mvp):
    with pytest.raises(NominationError) as exc:
        make_nomination(nominated_by=mvp, area_slug="dotnet")
    assert exc.value.field == "technology_area"


def test_create_nomination_with_non_http_evidence_is_refused(mvp):
    with pytest.raises(NominationError) as exc:
        make_nomination(nominated_by=mvp, evidence_urls=["javascript:alert(1)"])
    assert exc.value.field == "evidence_urls"


def test_create_nomination_of_a_current_mvp_in_the_area_is_refused(mvp):
    candidate = ContributorFactory()
    make_award(contributor=candidate, area_slug="azure")
    with pytest.raises(NominationError):
        make_nomination(nominated_by=mvp, candidate=candidate)


def test_self_application_names_the_applicant(user):
    nomination = make_nomination(nominated_by=user, source=NominationSource.SELF)
    assert nomination.candidate == user.contributor
    assert nomination.source == NominationSource.SELF
    assert Invitation.objects.count() == 0


def test_staff_direct_nomination_needs_program_staff(user, program_staff):
    with pytest.raises(NominationError):
        make_nomination(nominated_by=user, source=NominationSource.STAFF)
    nomination = make_nomination(nominated_by=program_staff, source=NominationSource.STAFF)
    assert nomination.source == NominationSource.STAFF


# --- endorsements --------------------------------------------------------------------------


def test_second_open_nomination_becomes_an_endorsement_keeping_each_reason(mvp):
    candidate = ContributorFactory()
    first = make_nomination(nominated_by=mvp, candidate=candidate, reason="First reason")
    other = make_mvp()
    result = create_nomination(
        nominated_by=other,
        source=NominationSource.MVP,
        technology_area=area("azure"),
        reason="Second reason",
        candidate=candidate,
        as_of=AS_OF,
    )
    assert result.merged
    assert result.nomination == first
    assert Nomination.objects.count() == 1
    assert first.reason == "First reason"
    assert list(first.endorsements.values_list("endorser", "reason")) == [
        (other.pk, "Second reason")
    ]


def test_same_candidate_in_another_area_is_a_separate_nomination(mvp):
    candidate = ContributorFactory()
    make_nomination(nominated_by=mvp, candidate=candidate, area_slug="azure")
    make_nomination(nominated_by=make_mvp(), candidate=candidate, area_slug="data-platform")
    assert Nomination.objects.count() == 2
    assert Endorsement.objects.count() == 0


def test_endorsement_merge_survives_losing_the_insert_race(mvp):
    """The pre-check saw no open nomination (another request was inserting); the unique
    constraint fails the insert, and the function re-reads and endorses."""
    first = make_nomination(nominated_by=mvp, candidate_email="race@example.com")
    other = make_mvp()
    real = submission._open_nomination
    calls = []

    def blind_first_time(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real(**kwargs)

    with mock.patch.object(submission, "_open_nomination", side_effect=blind_first_time):
        result = create_nomination(
            nominated_by=other,
            source=NominationSource.MVP,
            technology_area=area("azure"),
            reason="Me too",
            candidate_email="RACE@example.com",
            as_of=AS_OF,
        )
    assert len(calls) == 2
    assert result.nomination == first
    assert result.endorsement.endorser == other
    assert Nomination.objects.count() == 1


def test_nominating_the_same_person_twice_is_refused(mvp):
    candidate = ContributorFactory()
    make_nomination(nominated_by=mvp, candidate=candidate)
    with pytest.raises(NominationError):
        make_nomination(nominated_by=mvp, candidate=candidate)
    assert Endorsement.objects.count() == 0


# --- cooldown ------------------------------------------------------------------------------


@pytest.mark.parametrize(("days_later", "allowed"), [(179, False), (180, True)])
def test_cooldown_after_declined_nomination(mvp, program_staff, days_later, allowed):
    candidate = ContributorFactory()
    first = make_nomination(nominated_by=mvp, candidate=candidate)
    transition_nomination(
        nomination_id=first.pk,
        to_status=S.DECLINED,
        actor=program_staff,
        reason="Not yet",
        as_of=AS_OF,
    )
    assert EligibilityPolicy.current().nomination_cooldown_days == 180
    later = AS_OF + datetime.timedelta(days=days_later)
    if allowed:
        make_nomination(nominated_by=mvp, candidate=candidate, as_of=later)
        assert Nomination.objects.count() == 2
    else:
        with pytest.raises(NominationError) as exc:
            make_nomination(nominated_by=mvp, candidate=candidate, as_of=later)
        assert exc.value.field == "candidate_email"
        assert Nomination.objects.count() == 1


def test_cooldown_also_follows_expiry(mvp):
    candidate = ContributorFactory()
    first = make_nomination(nominated_by=mvp, candidate=candidate)
    expire_overdue_nominations(as_of=first.decision_due + datetime.timedelta(days=1))
    with pytest.raises(NominationError):
        make_nomination(
            nominated_by=mvp,
            candidate=candidate,
            as_of=first.decision_due + datetime.timedelta(days=2),
        )


# --- the transition table ------------------------------------------------------------------


@pytest.mark.parametrize("from_status", S.values)
@pytest.mark.parametrize("to_status", S.values)
def test_transition_table(mvp, program_staff, from_status, to_status):
    nomination = put_in(make_nomination(nominated_by=mvp), from_status)
    events = NominationEvent.objects.count()
    awards = Award.objects.count()
    allowed = to_status in TRANSITIONS[from_status]
    if allowed:
        result = transition_nomination(
            nomination_id=nomination.pk,
            to_status=to_status,
            actor=program_staff,
            reason="Because",
            as_of=AS_OF,
        )
        assert result.status == to_status
        event = NominationEvent.objects.latest("pk")
        assert (event.from_status, event.to_status, event.actor, event.reason) == (
            from_status,
            to_status,
            program_staff,
            "Because",
        )
        assert Award.objects.count() == awards + (1 if to_status == S.AWARDED else 0)
    else:
        with pytest.raises(NominationConflict):
            transition_nomination(
                nomination_id=nomination.pk,
                to_status=to_status,
                actor=program_staff,
                reason="Because",
                as_of=AS_OF,
            )
        refreshed = Nomination.objects.get(pk=nomination.pk)
        assert refreshed.status == from_status
        assert refreshed.decided_at is None
        assert NominationEvent.objects.count() == events
        assert Award.objects.count() == awards


def test_transition_table_covers_every_state():
    assert set(TRANSITIONS) == set(S.values)


def test_award_grants_an_mvp_award_in_the_same_transaction_and_tells_the_nominator(
    mvp, program_staff
):
    nomination = make_nomination(nominated_by=mvp)
    result = transition_nomination(
        nomination_id=nomination.pk,
        to_status=S.AWARDED,
        actor=program_staff,
        reason="Outstanding",
        as_of=AS_OF,
    )
    award = result.award
    assert (award.kind, award.technology_area.slug, award.starts_on) == (
        AwardKind.MVP,
        "azure",
        AS_OF,
    )
    assert award.contributor == nomination.candidate
    assert (result.decided_by, result.decision_reason) == (program_staff, "Outstanding")
    assert OutboxEmail.objects.filter(category="nomination_awarded", to=mvp.email).exists()
    assert OutboxEmail.objects.filter(
        category="award_welcome", to=nomination.candidate.user.email
    ).exists()


def test_award_without_an_account_is_refused_and_changes_nothing(mvp, program_staff):
    nomination = make_nomination(nominated_by=mvp, candidate_email="later@example.com")
    awards = Award.objects.count()
    with pytest.raises(NominationError):
        transition_nomination(
            nomination_id=nomination.pk,
            to_status=S.AWARDED,
            actor=program_staff,
            reason="Yes",
            as_of=AS_OF,
        )
    nomination.refresh_from_db()
    assert nomination.status == S.SUBMITTED
    assert Award.objects.count() == awards


def test_decision_without_reason_is_refused(mvp, program_staff):
    nomination = make_nomination(nominated_by=mvp)
    with pytest.raises(NominationError):
        transition_nomination(
            nomination_id=nomination.pk,
            to_status=S.DECLINED,
            actor=program_staff,
            reason=" ",
            as_of=AS_OF,
        )
    assert Nomination.objects.get(pk=nomination.pk).status == S.SUBMITTED


def test_second_decision_is_a_conflict_and_leaves_one_award(mvp, program_staff):
    nomination = make_nomination(nominated_by=mvp)
    other_staff = make_privileged()
    transition_nomination(
        nomination_id=nomination.pk,
        to_status=S.AWARDED,
        actor=program_staff,
        reason="Yes",
        as_of=AS_OF,
    )
    with pytest.raises(NominationConflict) as exc:
        transition_nomination(
            nomination_id=nomination.pk,
            to_status=S.DECLINED,
            actor=other_staff,
            reason="No",
            as_of=AS_OF,
        )
    assert "awarded" in exc.value.message
    nomination.refresh_from_db()
    assert (nomination.status, nomination.decided_by) == (S.AWARDED, program_staff)
    assert Award.objects.filter(contributor=nomination.candidate).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_staff_deciding_at_once_make_exactly_one_decision():
    # A transactional test before this one may have flushed the seeded vocabularies.
    load_vocabularies(TechnologyArea, ContributionKind)
    nomination = make_nomination(nominated_by=make_mvp())
    deciders = [make_privileged(), make_privileged()]
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(actor, to_status):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            transition_nomination(
                nomination_id=nomination.pk,
                to_status=to_status,
                actor=actor,
                reason="Decided",
                as_of=AS_OF,
            )
            outcomes.append("ok")
        except NominationConflict:
            outcomes.append("conflict")
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=decide, args=(deciders[0], S.AWARDED)),
        threading.Thread(target=decide, args=(deciders[1], S.AWARDED)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert Award.objects.filter(contributor=nomination.candidate).count() == 1
    assert NominationEvent.objects.filter(nomination=nomination, to_status=S.AWARDED).count() == 1


# --- withdraw and expiry -------------------------------------------------------------------


def test_withdraw_by_the_nominator(mvp):
    nomination = make_nomination(nominated_by=mvp)
    withdraw_nomination(nomination_id=nomination.pk, actor=mvp, as_of=AS_OF)
    assert Nomination.objects.get(pk=nomination.pk).status == S.WITHDRAWN


def test_withdraw_by_someone_else_is_refused(mvp):
    nomination = make_nomination(nominated_by=mvp)
    with pytest.raises(NominationError):
        withdraw_nomination(nomination_id=nomination.pk, actor=make_mvp(), as_of=AS_OF)
    assert Nomination.objects.get(pk=nomination.pk).status == S.SUBMITTED


@pytest.mark.parametrize(("offset", "expired"), [(0, False), (1, True)])
def test_expiry_three_months_after_submission(mvp, offset, expired):
    nomination = make_nomination(nominated_by=mvp)
    assert nomination.decision_due == datetime.date(2026, 6, 2)
    as_of = nomination.decision_due + datetime.timedelta(days=offset)
    assert expire_overdue_nominations(as_of=as_of) == (1 if expired else 0)
    nomination.refresh_from_db()
    assert nomination.status == (S.EXPIRED if expired else S.SUBMITTED)
    emails = set(
        OutboxEmail.objects.filter(category="nomination_expired").values_list("to", flat=True)
    )
    assert emails == ({mvp.email, nomination.candidate.user.email} if expired else set())


def test_expiry_runs_twice_without_doing_more(mvp):
    make_nomination(nominated_by=mvp)
    later = datetime.date(2026, 7, 1)
    assert expire_overdue_nominations(as_of=later) == 1
    assert expire_overdue_nominations(as_of=later) == 0
    assert NominationEvent.objects.filter(to_status=S.EXPIRED).count() == 1
    assert OutboxEmail.objects.filter(category="nomination_expired").count() == 2


# --- invitation and completion -------------------------------------------------------------


def invited(mvp):
    result = create_nomination(
        nominated_by=mvp,
        source=NominationSource.MVP,
        technology_area=area("azure"),
        reason="Good",
        candidate_email="newbie@example.com",
        candidate_name="Newbie",
        as_of=AS_OF,
    )
    return result.nomination, result.invitation_token


def test_invitation_link_is_single_use(mvp):
    nomination, token = invited(mvp)
    newbie = UserFactory(email="newbie@example.com")
    assert accept_invitation(token=token, user=newbie, as_of=AS_OF) == nomination
    nomination.refresh_from_db()
    assert nomination.candidate == newbie.contributor
    # The same person opening it again is harmless; anyone else is refused.
    accept_invitation(token=token, user=newbie, as_of=AS_OF)
    with pytest.raises(NominationError):
        accept_invitation(token=token, user=UserFactory(), as_of=AS_OF)


def test_invitation_link_expires(mvp):
    _nomination, token = invited(mvp)
    with pytest.raises(NominationError):
        accept_invitation(
            token=token, user=UserFactory(), as_of=AS_OF + datetime.timedelta(days=31)
        )


def test_invitation_with_a_wrong_token_is_refused(mvp):
    invited(mvp)
    with pytest.raises(NominationError):
        accept_invitation(token="nope", user=UserFactory(), as_of=AS_OF)


def test_complete_nomination_tells_the_nominator(mvp):
    nomination, token = invited(mvp)
    newbie = UserFactory(email="newbie@example.com")
    accept_invitation(token=token, user=newbie, as_of=AS_OF)
    complete_nomination(
        nomination_id=nomination.pk,
        user=newbie,
        date_of_birth=datetime.date(1990, 1, 1),
        employer_category=EmployerCategory.PRIVATE_COMPANY,
        employer_name="Contoso",
        as_of=AS_OF,
    )
    nomination.refresh_from_db()
    assert nomination.candidate_completed_at is not None
    assert OutboxEmail.objects.filter(category="nomination_completed", to=mvp.email).count() == 1
    assert Notification.objects.filter(recipient=mvp, message__contains="completed").count() == 1


@pytest.mark.parametrize(
    ("born", "employer"),
    [
        (datetime.date(2008, 3, 3), EmployerCategory.STUDENT),  # 17 on AS_OF
        (datetime.date(1990, 1, 1), EmployerCategory.MICROSOFT_EMPLOYEE),
        (datetime.date(1990, 1, 1), EmployerCategory.GOVERNMENT),
    ],
)
def test_complete_nomination_with_ineligible_answers_is_refused(mvp, born, employer):
    nomination, token = invited(mvp)
    newbie = UserFactory(email="newbie@example.com")
    accept_invitation(token=token, user=newbie, as_of=AS_OF)
    with pytest.raises(NominationError):
        complete_nomination(
            nomination_id=nomination.pk,
            user=newbie,
            date_of_birth=born,
            employer_category=employer,
            as_of=AS_OF,
        )
    nomination.refresh_from_db()
    assert nomination.candidate_completed_at is None
    assert not OutboxEmail.objects.filter(category="nomination_completed").exists()


def test_complete_nomination_by_someone_else_is_refused(mvp):
    nomination = make_nomination(nominated_by=mvp)
    with pytest.raises(NominationError):
        complete_nomination(
            nomination_id=nomination.pk,
            user=mvp,
            date_of_birth=datetime.date(1990, 1, 1),
            employer_category=EmployerCategory.INDEPENDENT,
            as_of=AS_OF,
        )


# --- the panel -----------------------------------------------------------------------------


def reviewer_with(**profile):
    person = make_privileged(role=Role.REVIEWER)
    for name, value in profile.items():
        setattr(person.contributor, name, value)
    person.contributor.save()
    return person


def test_conflict_of_interest_exclusions(program_staff):
    nominator = make_mvp()
    from accounts.services import grant_role

    grant_role(user=nominator, role=Role.REVIEWER)
    nomination = make_nomination(nominated_by=nominator, employer_name="Contoso Ltd")
    endorser = make_mvp()
    grant_role(user=endorser, role=Role.REVIEWER)
    make_nomination(nominated_by=endorser, candidate=nomination.candidate)  # an endorsement
    candidate_user = nomination.candidate.user
    grant_role(user=candidate_user, role=Role.REVIEWER)
    colleague = reviewer_with(employer_name="  contoso LTD ")
    unrelated = reviewer_with(employer_name="Fabrikam")
    no_employer = reviewer_with(employer_name="")

    for person in (nominator, endorser, candidate_user, colleague):
        person.refresh_from_db()
        assert conflict_of_interest(nomination=nomination, reviewer=person)
        with pytest.raises(NominationError):
            assign_reviewer(
                nomination_id=nomination.pk, reviewer=person, actor=program_staff, as_of=AS_OF
            )
    for person in (unrelated, no_employer):
        assert conflict_of_interest(nomination=nomination, reviewer=person) is None
    assert ReviewAssignment.objects.count() == 0


def test_assign_reviewer_moves_submitted_into_review(mvp, program_staff, panel_reviewer):
    nomination = make_nomination(nominated_by=mvp)
    assign_reviewer(
        nomination_id=nomination.pk, reviewer=panel_reviewer, actor=program_staff, as_of=AS_OF
    )
    nomination.refresh_from_db()
    assert nomination.status == S.IN_REVIEW
    assert nomination.events.last().actor == program_staff


def test_assign_a_non_reviewer_is_refused(mvp, program_staff, user):
    nomination = make_nomination(nominated_by=mvp)
    with pytest.raises(NominationError):
        assign_reviewer(
            nomination_id=nomination.pk, reviewer=user, actor=program_staff, as_of=AS_OF
        )


def test_auto_assign_spreads_load_and_skips_conflicts(mvp, program_staff):
    busy, idle_a, idle_b = (reviewer_with() for _ in range(3))
    colleague = reviewer_with(employer_name="Contoso")
    for _ in range(2):
        other = make_nomination(nominated_by=make_mvp())
        assign_reviewer(nomination_id=other.pk, reviewer=busy, actor=program_staff, as_of=AS_OF)
    nomination = make_nomination(nominated_by=mvp, employer_name="contoso")
    added = auto_assign_reviewers(
        nomination_id=nomination.pk, actor=program_staff, as_of=AS_OF, panel_size=2
    )
    assert {a.reviewer for a in added} == {idle_a, idle_b}
    assert colleague not in {a.reviewer for a in added}


def test_submit_review_once_by_an_assigned_reviewer(mvp, program_staff, panel_reviewer):
    nomination = make_nomination(nominated_by=mvp)
    assign_reviewer(
        nomination_id=nomination.pk, reviewer=panel_reviewer, actor=program_staff, as_of=AS_OF
    )
    scores = {
        "expertise": 4,
        "quality": 5,
        "quantity": 3,
        "impact": 4,
        "recommendation": Recommendation.AWARD,
    }
    review = submit_review(
        nomination_id=nomination.pk, reviewer=panel_reviewer, as_of=AS_OF, **scores
    )
    assert review.mean == 4.0
    with pytest.raises(NominationConflict):
        submit_review(nomination_id=nomination.pk, reviewer=panel_reviewer, as_of=AS_OF, **scores)
    with pytest.raises(NominationError):
        submit_review(nomination_id=nomination.pk, reviewer=reviewer_with(), as_of=AS_OF, **scores)
    assert Review.objects.count() == 1


@pytest.mark.parametrize("bad", [0, 6])
def test_submit_review_score_out_of_range_is_refused(mvp, program_staff, panel_reviewer, bad):
    nomination = make_nomination(nominated_by=mvp)
    assign_reviewer(
        nomination_id=nomination.pk, reviewer=panel_reviewer, actor=program_staff, as_of=AS_OF
    )
    with pytest.raises(NominationError) as exc:
        submit_review(
            nomination_id=nomination.pk,
            reviewer=panel_reviewer,
            expertise=bad,
            quality=3,
            quantity=3,
            impact=3,
            recommendation=Recommendation.AWARD,
            as_of=AS_OF,
        )
    assert exc.value.field == "expertise"
    assert Review.objects.count() == 0


def test_review_scores_are_checked_by_the_database(mvp, panel_reviewer):
    from django.db import IntegrityError, transaction

    nomination = make_nomination(nominated_by=mvp)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            nomination=nomination,
            reviewer=panel_reviewer,
            expertise=9,
            quality=1,
            quantity=1,
            impact=1,
            recommendation=Recommendation.AWARD,
        )


def test_reviewers_without_conflict_matches_the_one_by_one_check(mvp, program_staff):
    from accounts.services import grant_role
    from nominations.workflow.panel import reviewers_without_conflict

    grant_role(user=mvp, role=Role.REVIEWER)
    nomination = make_nomination(nominated_by=mvp, employer_name="Contoso")
    people = [reviewer_with(employer_name=name) for name in ("", " CONTOSO ", "Fabrikam")]
    allowed = set(reviewers_without_conflict(nomination))
    expected = {
        person
        for person in [mvp, *people]
        if conflict_of_interest(nomination=nomination, reviewer=person) is None
    }
    assert allowed == expected == {people[0], people[2]}
