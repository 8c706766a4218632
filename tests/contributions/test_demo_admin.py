from datetime import date

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from contributions.demo import load_demo
from contributions.enums import Pillar
from contributions.models import Contribution, ContributionKind
from contributions.queries import rolling_window

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent_and_spread_out(make_user, staff):
    person = make_user()
    users = {"contributor": person, "staff": staff}
    today = date(2026, 11, 22)
    load_demo(users=users, today=today)
    load_demo(users=users, today=today)
    log = Contribution.objects.filter(contributor=person.contributor)
    assert log.count() == 40
    assert Contribution.objects.filter(contributor=staff.contributor).count() == 40
    dates = sorted(log.values_list("date", flat=True))
    assert dates[-1] == today
    assert dates[0] < rolling_window(today).start  # some already left the window
    assert set(log.values_list("kind__pillar", flat=True)) == set(Pillar.values)
    person.contributor.refresh_from_db()
    assert person.contributor.is_public


@pytest.mark.parametrize(
    "url",
    [
        "admin:contributions_technologyarea_changelist",
        "admin:contributions_contributionkind_changelist",
        "admin:contributions_contributor_changelist",
        "admin:contributions_contribution_changelist",
    ],
)
def test_admin_lists_open_for_superuser(client, make_user, url):
    admin_user = make_user(is_staff=True, is_superuser=True)
    TOTP.activate(admin_user, generate_totp_secret())  # the admin requires it
    client.force_login(admin_user)
    assert client.get(reverse(url)).status_code == 200


def test_admin_edits_a_kind(client, make_user):
    admin_user = make_user(is_staff=True, is_superuser=True)
    TOTP.activate(admin_user, generate_totp_secret())  # the admin requires it
    client.force_login(admin_user)
    blog = ContributionKind.objects.get(slug="blog-post")
    response = client.get(reverse("admin:contributions_contributionkind_change", args=[blog.pk]))
    assert response.status_code == 200


def test_admin_program_staff_edit_vocabularies_but_not_delete(login, staff):
    client = login(staff)
    blog = ContributionKind.objects.get(slug="blog-post")
    change = reverse("admin:contributions_contributionkind_change", args=[blog.pk])
    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:contributions_technologyarea_add")).status_code == 200
    assert client.get(reverse("admin:contributions_contribution_changelist")).status_code == 200
    delete = reverse("admin:contributions_contributionkind_delete", args=[blog.pk])
    assert client.get(delete).status_code == 403


def test_admin_is_closed_to_regional_managers(login, regional_manager):
    response = login(regional_manager).get(
        reverse("admin:contributions_contributionkind_changelist")
    )
    assert response.status_code == 302  # not admin staff: sent to the admin login
