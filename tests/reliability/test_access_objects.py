"""Access to objects: ids and slugs that are not yours, gone, or nonsense; fields a form does
not offer."""

import datetime
import json
import random

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import RoleGrant
from api.models import ApiToken
from awards.models import Award
from contributions.models import Contribution
from nominations.enums import NominationStatus
from nominations.models import Nomination, Review
from tests.factories.contributions import ContributionFactory, area
from tests.reliability.access_expected import api_bodies, expected_for
from tests.reliability.access_matrix import (
    ROLES,
    build_world,
    call,
    clients_for,
    outcome,
    url_for,
    walk_routes,
)
from tests.reliability.conftest import FULL, scale

pytestmark = pytest.mark.django_db

SECTION = "Access"
GRANTED = {"ok", "R"}
INT_PARAMS = {"pk", "award_id", "review_id", "contributor_id", "contribution_id"}
INT_PARAMS |= {"nomination_id", "token_id", "content_type_id", "object_id", "id"}
NONSENSE_INT = {
    "huge": str(2**63),
    "int32+1": str(2**31),
    "negative": "-1",
    "zero": "0",
    "non-numeric": "abc",
    "very long": "9" * 400,
}
NONSENSE_STR = {
    "unknown": "nobody-here",
    "very long": "x" * 400,
    "dots": "..",
    "NUL": "a%00b",
    "non-ASCII": "%ED%95%9C%EA%B8%80",
}
# Pages that answer any value with the same "this link is not valid" page, about no object.
LINK_PAGES = {
    ("nominations:invitation", "GET"),
    ("nominations:invitation", "POST"),  # signed out: "sign in first", whatever the link
    ("account_confirm_email", "GET"),
    ("account_reset_password_from_key", "GET"),
    ("account_reset_password_from_key", "POST"),
}


def _others(world) -> dict[str, str]:
    """Ids of things that are someone else's, for the caller who may see A's."""
    contribution_b = ContributionFactory(contributor=world.people["b"].contributor)
    gone = ContributionFactory(contributor=world.contributor_a)
    gone_pk = gone.pk
    gone.delete()
    from api.services import issue_token

    token_b, _secret = issue_token(user=world.people["b"], name="b's")
    other_nomination = Nomination.objects.exclude(pk=world.nomination.pk).get()
    return {
        "contribution": str(contribution_b.pk),
        "gone contribution": str(gone_pk),
        "token": str(token_b.pk),
        "nomination": str(other_nomination.pk),
        "handle": world.people["b"].contributor.handle,
        "contributor": str(world.people["b"].contributor.pk),
    }


def _probe_values(route, others) -> dict[str, dict[str, str]]:
    """For each probe: the URL parameter values to use."""
    probes: dict[str, dict[str, str]] = {}
    for param in route.params:
        nonsense = NONSENSE_INT if param in INT_PARAMS else NONSENSE_STR
        for label, value in nonsense.items():
            probes[f"{param}={label}"] = {param: value}
        probes[f"{param}=missing"] = {param: "1000000000" if param in INT_PARAMS else "zz-gone"}
    other = None
    if route.key.startswith(("contributions:", "api:")) and "pk" in route.params:
        other = {"pk": others["contribution"]}
    if "contribution_id" in route.params:
        other = {"contribution_id": others["contribution"]}
    if route.key.startswith("nominations:") and "pk" in route.params:
        other = {"pk": others["nomination"]}
    if "nomination_id" in route.params:
        other = {"nomination_id": others["nomination"]}
    if "token_id" in route.params:
        other = {"token_id": others["token"]}
    if "handle" in route.params:
        other = {"handle": others["handle"]}
    if "contributor_id" in route.params and route.is_api:
        other = {"contributor_id": others["contributor"]}
    if other:
        probes["someone else's"] = other
    if route.key in ("contributions:edit", "contributions:delete", "contributions:duplicate"):
        probes["deleted"] = {"pk": others["gone contribution"]}
    return probes


def _caller(expected, method) -> str | None:
    """The first caller the table lets in (not the superuser): the probe asks as them."""
    for index, role in enumerate(ROLES):
        if role != "su" and set(expected[method][index].split("|")) & GRANTED:
            return role
    return None


def test_object_probes_never_answer_200_or_500(figure):
    world = build_world()
    others = _others(world)
    clients = clients_for(world)
    bodies = api_bodies(world)
    probes = []
    for route in walk_routes():
        if not route.params or route.route.startswith("admin/"):
            continue
        expected = expected_for(route.key, route.route)
        for method in expected:
            role = _caller(expected, method)
            if role is None and (route.key, method) not in LINK_PAGES:
                continue
            for label, values in _probe_values(route, others).items():
                if label == "someone else's" and role in ("staff", "rm"):
                    continue  # staff oversee everyone's: the matrix covers their region
                probes.append((route, method, role or "anon", label, values))
    if not FULL:
        probes = random.Random(0).sample(probes, scale(120, len(probes)))
    bad = []
    for route, method, role, label, values in probes:
        path = url_for(route, world, values, raw=True)
        data = json.dumps(bodies.get(route.key, {})) if route.is_api and method != "GET" else None
        response = call(clients[role], method, path, data=data)
        got = outcome(response)
        allowed = {"404", "400"}
        if (route.key, method) in LINK_PAGES:
            allowed |= {"ok"}
        if got not in allowed:
            bad.append(f"{method} {path[:90]} ({route.key}, {label}) as {role}: {got}")
    figure(
        SECTION,
        "object probes answering 200/500",
        len(bad),
        target="0",
        ok=not bad,
        detail=f"{len(probes)} probes",
    )
    assert not bad, f"{len(bad)} of {len(probes)} probes answered wrongly:\n" + "\n".join(bad)


# --- mass assignment -----------------------------------------------------------------------


def _form_data(response) -> dict:
    """What the page's form would post as it stands (its initial values)."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, "", [], False):
            continue
        if value is True:
            value = "on"
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = value
    return data


def _user_flags(user):
    user.refresh_from_db()
    return (user.is_staff, user.is_superuser, user.is_active, user.email)


def test_extra_post_fields_change_nothing(figure):
    world = build_world()
    people = world.people
    clients = clients_for(world)
    a, b, staff = people["a"], people["b"], people["staff"]
    contributor_a, contributor_b = world.contributor_a, b.contributor
    changed: list[str] = []
    refused: list[str] = []

    def check(case, what, before, after):
        if before != after:
            changed.append(f"{case}: {what} {before!r} -> {after!r}")

    def post(role, url, data, case, accepted=302):
        response = clients[role].post(url, data)
        if response.status_code != accepted:  # refused, it would prove nothing
            refused.append(f"{case}: {response.status_code}")
        return response

    extra_user = {
        "user": b.pk,
        "user_id": b.pk,
        "is_staff": "on",
        "is_superuser": "on",
        "roles": "staff",
        "role": "staff",
        "managed_region": "emea",
        "email": "taken-over@example.com",
    }
    # The profile: the account behind it, its flags and roles stay.
    url = reverse("contributions:profile")
    data = {**_form_data(clients["a"].get(url)), **extra_user, "display_name": "A again"}
    before = (_user_flags(a), RoleGrant.objects.filter(user=a).count(), contributor_a.pk)
    post("a", url, data, "profile")
    contributor_a.refresh_from_db()
    after = (_user_flags(a), RoleGrant.objects.filter(user=a).count(), contributor_a.user_id)
    check("profile", "user flags, roles, owner", (*before[:2], a.pk), after)
    if contributor_a.display_name != "A again":
        refused.append("profile: the offered field was not saved")

    # A new entry and an edited one: owner and verification are not the form's.
    extra_entry = {
        "contributor": contributor_b.pk,
        "contributor_id": contributor_b.pk,
        "verified_at": "2026-01-01T00:00:00Z",
        "verified_by": staff.pk,
        "verified": "on",
        "created_at": "2020-01-01T00:00:00Z",
        "pillar": "support",
    }
    url = reverse("contributions:create")
    data = {**_form_data(clients["a"].get(url)), **extra_entry}
    data.update(
        kind=Contribution._meta.get_field("kind").related_model.objects.get(slug="blog-post").pk,
        technology_area=area("dotnet").pk,
        title="Mass assignment probe",
        url="https://example.com/mass",
        quantity=1,
        reach=10,
    )
    post("a", url, data, "create entry")
    made = Contribution.objects.filter(title="Mass assignment probe").first()
    check("create entry", "exists", True, made is not None)
    if made:
        check("create entry", "owner", contributor_a.pk, made.contributor_id)
        check("create entry", "verified", (None, None), (made.verified_at, made.verified_by_id))
    entry = world.contribution
    url = reverse("contributions:edit", args=[entry.pk])
    data = {**_form_data(clients["a"].get(url)), **extra_entry, "title": "Edited title"}
    post("a", url, data, "edit entry")
    entry.refresh_from_db()
    check("edit entry", "owner", contributor_a.pk, entry.contributor_id)
    check("edit entry", "verified", (None, None), (entry.verified_at, entry.verified_by_id))

    # A nomination: state, nominator, source, region and due date are the workflow's.
    extra_nomination = {
        "status": NominationStatus.AWARDED,
        "nominated_by": people["mvp2"].pk,
        "source": "staff",
        "region": "emea",
        "decision_due": "2099-01-01",
        "award": world.award.pk,
        "awarded": "on",
        "candidate": contributor_b.pk,
    }
    data = {
        "candidate_name": "Mass Probe",
        "candidate_email": "mass-probe@example.com",
        "technology_area": area("azure").pk,
        "reason": "Answers questions every day.",
        "evidence_urls": "https://example.com/mass-probe",
        **extra_nomination,
    }
    post("mvp", reverse("nominations:nominate"), data, "nominate")
    made = Nomination.objects.filter(candidate_email="mass-probe@example.com").first()
    check("nominate", "exists", True, made is not None)
    if made:
        check("nominate", "status", NominationStatus.SUBMITTED, made.status)
        check("nominate", "nominator", people["mvp"].pk, made.nominated_by_id)
        check("nominate", "source", "mvp", made.source)
        check("nominate", "award", None, made.award_id)
        check("nominate", "candidate", None, made.candidate_id)
        check("nominate", "decision due", True, made.decision_due.year < 2099)

    # A review: who wrote it and what it is about are the URL's and the session's.
    nomination = world.nomination
    status_before = Nomination.objects.get(pk=nomination.pk).status
    data = {
        "expertise": 4,
        "quality": 4,
        "quantity": 4,
        "impact": 4,
        "recommendation": "award",
        "reviewer": staff.pk,
        "nomination": Nomination.objects.exclude(pk=nomination.pk).first().pk,
        **extra_nomination,
    }
    post("reviewer", reverse("nominations:review", args=[nomination.pk]), data, "review")
    review = Review.objects.filter(nomination=nomination, reviewer=people["reviewer"]).first()
    check("review", "saved for the URL's nomination by the reviewer", True, review is not None)
    check("review", "nobody else's review", 0, Review.objects.filter(reviewer=staff).count())
    check(
        "review",
        "nomination status",
        status_before,
        Nomination.objects.get(pk=nomination.pk).status,
    )

    # A grant: the end of the term is computed, the state is active.
    data = {
        "contributor": contributor_b.handle,
        "kind": "mvp",
        "technology_area": area("azure").pk,
        "starts_on": datetime.date.today().isoformat(),
        "reason": "Mass assignment probe",
        "ends_on": "2099-12-31",
        "status": "revoked",
        "certificate_code": "CHOSEN-CODE",
        "created_by": a.pk,
    }
    post("staff", reverse("awards:grant"), data, "grant")
    award = Award.objects.filter(contributor=contributor_b, kind="mvp").first()
    check("grant", "exists", True, award is not None)
    if award:
        check("grant", "ends on", True, award.ends_on.year < 2099)
        check("grant", "status", "active", award.status)
        check("grant", "certificate code", False, award.certificate_code == "CHOSEN-CODE")

    # A token: it is the caller's.
    post("a", reverse("api_tokens"), {"name": "mass probe", "user": b.pk}, "token", 201)
    check(
        "token",
        "owner",
        [a.pk],
        list(ApiToken.objects.filter(name="mass probe").values_list("user_id", flat=True)),
    )

    # The API refuses unknown and read-only fields outright.
    client = Client()
    client.force_login(a)
    body = {
        **api_bodies(world)["api:create_contribution"],
        "contributor": contributor_b.pk,
        "verified": True,
    }
    count = Contribution.objects.count()
    response = client.post(
        "/api/v1/contributions", json.dumps(body), content_type="application/json"
    )
    check("API create", "status", 400, response.status_code)
    check("API create", "rows", count, Contribution.objects.count())
    response = client.patch(
        f"/api/v1/contributions/{entry.pk}",
        json.dumps({"contributor": contributor_b.pk, "pillar": "support", "id": 1}),
        content_type="application/json",
    )
    entry.refresh_from_db()
    check("API patch", "status", 400, response.status_code)
    check("API patch", "owner", contributor_a.pk, entry.contributor_id)

    figure(SECTION, "fields changed by extra POST fields", len(changed), target="0", ok=not changed)
    assert not refused, f"These forms did not accept the probe at all: {refused}"
    assert not changed, "Extra POST fields changed:\n" + "\n".join(changed)
