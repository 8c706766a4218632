from datetime import UTC, date, datetime

import icalendar
import pytest
from django.urls import reverse

from accounts.enums import Region, Role
from awards.models import RenewalReview
from calendars import ical
from calendars.models import CalendarFeed
from calendars.queries import Entry
from calendars.services import create_feed
from common.tokens import hash_token
from nominations.workflow.panel import assign_reviewer, submit_review
from tests.factories.awards import make_award
from tests.factories.contributions import ContributorFactory
from tests.factories.nominations import AS_OF, make_mvp, make_nomination, make_privileged
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

SETTINGS = reverse("calendars:settings")
AS_OF_DT = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def feed_path(raw: str) -> str:
    return reverse("calendars:feed", args=[raw])


def events(client, raw) -> dict[str, icalendar.Event]:
    response = client.get(feed_path(raw))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


def test_settings_page_shows_the_address_once_and_stores_only_its_hash(client, user):
    client.force_login(user)
    assert client.get(SETTINGS).status_code == 200
    response = client.post(SETTINGS)
    assert response.status_code == 201
    url = response.context["address"]
    raw = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert raw.startswith("cal_")
    assert url in response.content.decode()
    feed = CalendarFeed.objects.get(user=user)
    assert feed.token_hash == hash_token(raw)
    assert raw not in feed.token_hash
    assert url not in client.get(SETTINGS).content.decode()
    assert client.get(feed_path(raw)).status_code == 200


def test_a_new_address_revokes_the_old_and_revoke_stops_it(client, user):
    client.force_login(user)
    _feed, old = create_feed(user=user)
    _feed, new = create_feed(user=user)
    assert client.get(feed_path(old)).status_code == 404
    assert client.get(feed_path(new)).status_code == 200
    assert client.post(reverse("calendars:revoke")).status_code == 302
    assert client.get(feed_path(new)).status_code == 404
    assert CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).count() == 0


def test_unknown_token_and_inactive_account_are_404(client, user):
    assert client.get(feed_path("cal_nothing")).status_code == 404
    _feed, raw = create_feed(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(feed_path(raw)).status_code == 404


def test_settings_page_needs_sign_in(client):
    assert client.get(SETTINGS).status_code == 302
    assert client.post(SETTINGS).status_code == 302
    assert CalendarFeed.objects.count() == 0


def test_holder_sees_term_end_and_renewal_review_due(client):
    contributor = ContributorFactory()
    award = make_award(contributor=contributor, starts_on=date(2026, 1, 1))
    review = RenewalReview.objects.create(
        award=award, opened_on=date(2026, 11, 1), update_by=date(2026, 11, 30)
    )
    _feed, raw = create_feed(user=contributor.user)
    found = events(client, raw)
    assert set(found) == {f"award-{award.pk}-term-end", f"renewal-{review.pk}-update-by"}
    term = found[f"award-{award.pk}-term-end"]
    assert term.decoded("DTSTART") == date(2026, 12, 31)
    assert term.decoded("DTEND") == date(2027, 1, 1)
    assert "DTSTAMP" in term
    assert str(term["URL"]).endswith(f"/awards/{award.pk}/certificate/")
    assert found[f"renewal-{review.pk}-update-by"].decoded("DTSTART") == date(2026, 11, 30)
    # The same UIDs on every fetch, so subscribed calendars update instead of duplicating.
    assert set(events(client, raw)) == set(found)


def test_decisions_due_for_nominator_and_staff_in_scope_and_reviews_due(client):
    nominator = make_mvp()
    nomination = make_nomination(nominated_by=nominator, region=Region.APAC)
    staff = make_privileged(role=Role.STAFF)
    apac = make_privileged(role=Role.REGIONAL_MANAGER, region=Region.APAC)
    emea = make_privileged(role=Role.REGIONAL_MANAGER, region=Region.EMEA)
    reviewer = make_privileged(role=Role.REVIEWER)
    assign_reviewer(nomination_id=nomination.pk, reviewer=reviewer, actor=staff, as_of=AS_OF)
    nomination.refresh_from_db()
    decision = f"nomination-{nomination.pk}-decision-due"
    feeds = {who: create_feed(user=who)[1] for who in (nominator, staff, apac, emea, reviewer)}
    assert decision in events(client, feeds[nominator])
    assert decision in events(client, feeds[staff])
    assert decision in events(client, feeds[apac])
    assert decision not in events(client, feeds[emea])
    found = events(client, feeds[reviewer])
    assert decision not in found
    [review_uid] = [uid for uid in found if uid.startswith("review-")]
    assert found[review_uid].decoded("DTSTART") > AS_OF
    summary = str(found[review_uid]["SUMMARY"])
    assert f"#{nomination.pk}" in summary
    assert nomination.candidate_name not in summary
    submit_review(
        nomination_id=nomination.pk,
        reviewer=reviewer,
        expertise=4,
        quality=4,
        quantity=4,
        impact=4,
        recommendation="award",
        as_of=AS_OF,
    )
    assert not [uid for uid in events(client, feeds[reviewer]) if uid.startswith("review-")]


def test_feed_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    contributor = ContributorFactory()
    make_award(contributor=contributor, starts_on=date(2026, 1, 1))
    _feed, raw = create_feed(user=contributor.user)
    client.get(feed_path(raw))  # stamps last use (once an hour)
    with django_assert_num_queries(6):  # feed + user, then the five reads
        client.get(feed_path(raw))
    for kind in ("mcc", "mvp"):
        make_award(
            contributor=contributor, kind=kind, area_slug="azure", starts_on=date(2026, 1, 1)
        )
    with django_assert_num_queries(6):
        assert len(events(client, raw)) == 3


def test_render_escapes_folds_and_round_trips():
    text = "Korean 한국어 마감, 세미콜론; 역슬래시 \\ 줄바꿈\n끝 " * 4
    entry = Entry(uid="x-1", day=date(2026, 5, 1), summary=text, description="a,b", path="/p/")
    body = ical.render(
        [entry],
        name="Deadlines",
        domain="example.org",
        base_url="https://example.org",
        now=AS_OF_DT,
    )
    lines = body.split(b"\r\n")
    assert lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)
    assert all(b"\n" not in line for line in lines)
    for line in lines:  # each decodes alone: no UTF-8 character split across lines
        line.decode()
    [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == text
    assert str(event["DESCRIPTION"]) == "a,b"
    assert str(event["UID"]) == "x-1@example.org"


def test_someone_elses_feed_is_not_mine(client):
    mine = UserFactory()
    other = ContributorFactory()
    make_award(contributor=other, starts_on=date(2026, 1, 1))
    _feed, raw = create_feed(user=mine)
    assert events(client, raw) == {}
