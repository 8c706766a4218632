"""Bad input, part 1: hypothesis fuzzes every form of the app through the real views.

Each form is posted (or, for filters, requested) as the person allowed to use it, with every
field drawn from a mix of plausible values and hostile ones: arbitrary unicode (NUL, lone
surrogates sent as invalid UTF-8, right-to-left marks), very long text, numbers far out of
range, impossible dates, missing fields and unexpected extra ones. A server error is any 5xx
answer or an exception escaping the view; the target is none.
"""

import datetime
import string
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.services import issue_token
from contributions.models import ContributionKind, TechnologyArea
from tests.factories.users import PASSWORD, UserFactory
from tests.reliability.conftest import scale
from tests.reliability.input_world import World, build_world, form_body, query_string

MISSING = object()

SPECIAL_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "\u202eevil\u202c",
    "\u200f\u05e9\u05dc\u05d5\u05dd",
    "\ufeff",
    "😀" * 50,
    "x" * 6000,
    "é" * 70_000,
    "'; DROP TABLE contributions_contribution; --",
    "%s%n%x",
    "../../etc/passwd",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "-1",
    "0",
    "1e309",
    "NaN",
    "inf",
    "-0",
    "１２３",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "2147483648",
    "32768",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "-2026-01-01",
    "2026-1-1",
    "31/12/2026",
    "10000-01-01",
    "http://",
    "javascript:alert(1)",
    "https://exa mple.com",
    "https://[::1",
    "Europe/../../etc",
]

ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=40)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.tuples(st.integers(-10, 99999), st.integers(-1, 14), st.integers(-1, 40)).map(
        lambda t: f"{t[0]}-{t[1]:02d}-{t[2]:02d}"
    ),
)
HOSTILE = st.one_of(
    st.sampled_from(SPECIAL_TEXT), st.sampled_from(SPECIAL_TEXT), ANY_TEXT, NUMBERS, DATES
)


def field_value(valid: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly a hostile value, often a valid one (so other fields' paths get exercised), and
    sometimes the field is left out."""
    return st.one_of(valid, valid, HOSTILE, HOSTILE, st.just(MISSING))


EXTRA_FIELDS = st.dictionaries(
    st.one_of(st.sampled_from(["id", "pk", "user", "contributor_id", "status"]), ANY_TEXT),
    HOSTILE,
    max_size=2,
)


def text(min_size=0, max_size=60):
    return st.text(alphabet=string.ascii_letters + " ", min_size=min_size, max_size=max_size)


def recent_date():
    return st.dates(datetime.date(2025, 6, 1), datetime.date.today()).map(str)


@dataclass
class Case:
    name: str
    path: Callable[[World], str]
    user: Callable[[World], object] | None
    fields: Callable[[dict], dict] = field(default=lambda ids: {})
    method: str = "post"


def _ids(world: World) -> dict:
    return {
        "kind": ContributionKind.objects.get(slug="blog-post").pk,
        "area": TechnologyArea.objects.get(slug="dotnet").pk,
        "category": TechnologyArea.objects.get(slug="azure").pk,
        "handle": world.contributor.handle,
    }


def pk_choice(*values):
    return st.sampled_from([str(v) for v in values])


def contribution_fields(ids):
    return {
        "kind": pk_choice(ids["kind"], 99999),
        "technology_area": pk_choice(ids["area"]),
        "title": text(3),
        "date": recent_date(),
        "url": st.sampled_from(["https://example.com/a", "http://example.org/b?x=1", ""]),
        "description": text(),
        "role": st.sampled_from(["", "author", "speaker"]),
        "quantity": st.integers(0, 10_000).map(str),
        "reach": st.integers(0, 10**6).map(str),
        "target_audience": st.sampled_from(["", "developers", "it-pros"]),
        "visibility": st.sampled_from(["public", "private"]),
        "refresh": st.just(MISSING),
    }


def nomination_fields(ids):
    return {
        "candidate_name": text(1),
        "candidate_email": st.sampled_from(["new.person@example.com", "ada@example.org"]),
        "technology_area": pk_choice(ids["category"]),
        "reason": text(1),
        "evidence_urls": st.sampled_from(["https://example.com/x", "", "https://a.example\n"]),
    }


POLICY_FIELDS = {
    "min_age": st.integers(0, 100).map(str),
    "min_area_contributions": st.integers(0, 100).map(str),
    "min_pillars": st.integers(0, 3).map(str),
    "min_active_months": st.integers(0, 12).map(str),
    "min_quantity": st.integers(0, 1000).map(str),
    "min_reach": st.integers(0, 10**6).map(str),
    "renewal_days_before_term": st.integers(0, 365).map(str),
    "renewal_update_days": st.integers(0, 365).map(str),
    "mcc_window_days": st.integers(0, 365).map(str),
    "mcc_min_forum_quantity": st.integers(0, 100).map(str),
    "mcc_min_forum_contributions": st.integers(0, 100).map(str),
    "mcc_expiry_reminder_days": st.integers(0, 90).map(str),
    "nomination_cooldown_days": st.integers(0, 365).map(str),
    "note": text(1),
    "confirmation": text(),
    "save": st.sampled_from(["1", MISSING]),
}

APP_FORMS = [
    Case(
        "profile",
        lambda w: "/me/profile/",
        lambda w: w.contributor.user,
        lambda ids: {
            "display_name": text(1),
            "handle": st.sampled_from(["ada", "ada-2", "x"]),
            "country": st.sampled_from(["KR", "US", ""]),
            "region": st.sampled_from(["apac", "americas", ""]),
            "languages": text(),
            "primary_area": pk_choice(ids["area"]),
            "additional_areas": st.lists(pk_choice(ids["area"], ids["category"]), max_size=2),
            "employer_category": st.sampled_from(["independent", "microsoft", ""]),
            "employer_name": text(),
            "date_of_birth": st.dates().map(str),
            "bio": text(),
            "links": st.sampled_from(["https://example.com", "", "http://a.example\nhttps://b"]),
            "is_public": st.sampled_from(["on", MISSING]),
            "timezone": st.sampled_from(["Asia/Seoul", "UTC", "Mars/Olympus"]),
        },
    ),
    Case(
        "contribution create",
        lambda w: "/me/contributions/new/",
        lambda w: w.contributor.user,
        contribution_fields,
    ),
    Case(
        "contribution edit",
        lambda w: f"/me/contributions/{w.contribution.pk}/edit/",
        lambda w: w.contributor.user,
        contribution_fields,
    ),
    Case(
        "contribution delete",
        lambda w: f"/me/contributions/{w.contribution.pk}/delete/",
        lambda w: w.contributor.user,
    ),
    Case(
        "contribution verify",
        lambda w: f"/contributions/{w.contribution.pk}/verify/",
        lambda w: w.staff,
        lambda ids: {"verified": st.sampled_from(["1", "0"])},
    ),
    Case(
        "import confirm",
        lambda w: "/me/import/confirm/",
        lambda w: w.contributor.user,
        lambda ids: {"token": text(0, 32)},
    ),
    Case("import cancel", lambda w: "/me/import/cancel/", lambda w: w.contributor.user),
    Case(
        "API token",
        lambda w: "/settings/tokens/",
        lambda w: w.contributor.user,
        lambda ids: {"name": text(1)},
    ),
    Case(
        "API token revoke",
        lambda w: (
            f"/settings/tokens/{issue_token(user=w.contributor.user, name='t')[0].pk}/revoke/"
        ),
        lambda w: w.contributor.user,
    ),
    Case(
        "policy change",
        lambda w: "/awards/policy/change/",
        lambda w: w.staff,
        lambda ids: POLICY_FIELDS,
    ),
    Case(
        "award grant",
        lambda w: "/awards/grant/",
        lambda w: w.staff,
        lambda ids: {
            "contributor": st.sampled_from(["ada", "nobody", "ADA"]),
            "kind": st.sampled_from(["mvp", "mcc"]),
            "technology_area": pk_choice(ids["category"]),
            "starts_on": recent_date(),
            "reason": text(1),
        },
    ),
    Case(
        "award revoke",
        lambda w: f"/awards/{w.award.pk}/revoke/",
        lambda w: w.staff,
        lambda ids: {"reason": text(1)},
    ),
    Case(
        "award renew",
        lambda w: f"/awards/{w.award.pk}/renew/",
        lambda w: w.staff,
        lambda ids: {"reason": text()},
    ),
    Case(
        "MCC grant",
        lambda w: "/awards/mcc/grant/",
        lambda w: w.staff,
        lambda ids: {
            "contributor": st.lists(pk_choice(1, 2, 3), max_size=3),
            "only": pk_choice(1, ""),
            "starts_on": recent_date(),
        },
    ),
    Case(
        "renewal decision",
        lambda w: f"/awards/renewals/{w.review_id}/decide/",
        lambda w: w.staff,
        lambda ids: {"decision": st.sampled_from(["renew", "not_renew"]), "reason": text()},
    ),
    Case(
        "notification read",
        lambda w: "/notifications/read/",
        lambda w: w.contributor.user,
        lambda ids: {"id": st.sampled_from(["1", "", "all"])},
    ),
    Case("nominate", lambda w: "/nominations/new/", lambda w: w.mvp, nomination_fields),
    Case(
        "staff nominate", lambda w: "/nominations/staff/new/", lambda w: w.staff, nomination_fields
    ),
    Case(
        "apply",
        lambda w: "/nominations/apply/",
        lambda w: w.contributor.user,
        lambda ids: {
            "technology_area": pk_choice(ids["category"]),
            "reason": text(1),
            "evidence_urls": st.sampled_from(["https://example.com/x", ""]),
        },
    ),
    Case(
        "nomination completion",
        lambda w: f"/nominations/{w.nomination.pk}/complete/",
        lambda w: w.contributor.user,
        lambda ids: {
            "date_of_birth": st.dates().map(str),
            "employer_category": st.sampled_from(["independent", "government"]),
            "employer_name": text(),
            "reviewed": st.sampled_from(["on", MISSING]),
        },
    ),
    Case(
        "nomination withdraw",
        lambda w: f"/nominations/{w.nomination.pk}/withdraw/",
        lambda w: w.mvp,
        lambda ids: {"reason": text()},
    ),
    Case(
        "nomination decision",
        lambda w: f"/nominations/{w.nomination.pk}/decide/",
        lambda w: w.staff,
        lambda ids: {"decision": st.sampled_from(["awarded", "declined"]), "reason": text(1)},
    ),
    Case(
        "reviewer assignment",
        lambda w: f"/nominations/{w.nomination.pk}/assign/",
        lambda w: w.staff,
        lambda ids: {"reviewer": pk_choice(1, 2, 3), "auto": st.sampled_from(["1", MISSING])},
    ),
    Case(
        "review",
        lambda w: f"/nominations/{w.nomination.pk}/review/",
        lambda w: w.reviewer,
        lambda ids: {
            **{name: pk_choice(1, 3, 5) for name in ("expertise", "quality", "quantity", "impact")},
            "recommendation": st.sampled_from(["award", "decline"]),
            "comment": text(),
        },
    ),
    Case(
        "bulk decision",
        lambda w: "/nominations/queue/decide/",
        lambda w: w.staff,
        lambda ids: {
            "ids": st.lists(pk_choice(1, 2, 3), max_size=3),
            "decision": st.sampled_from(["awarded", "declined"]),
            "reason": text(1),
        },
    ),
    Case(
        "invitation (path token)",
        lambda w: "/nominations/invitation/{token}/",
        lambda w: w.contributor.user,
    ),
    Case(
        "language switch",
        lambda w: "/i18n/setlang/",
        None,
        lambda ids: {"language": st.sampled_from(["en", "ko"]), "next": st.just("/")},
    ),
]

GET_FORMS = [
    Case(
        "contribution list filters",
        lambda w: "/me/contributions/",
        lambda w: w.contributor.user,
        lambda ids: {
            "kind": pk_choice(ids["kind"]),
            "technology_area": pk_choice(ids["area"]),
            "pillar": st.sampled_from(["advocacy", "support"]),
            "date_from": recent_date(),
            "date_to": recent_date(),
            "visibility": st.sampled_from(["public", "private"]),
            "sort": st.sampled_from(["date", "title", "reach"]),
            "dir": st.sampled_from(["asc", "desc"]),
            "after": text(),
        },
        "get",
    ),
    Case(
        "window as of",
        lambda w: "/me/window/",
        lambda w: w.contributor.user,
        lambda ids: {"as_of": recent_date()},
        "get",
    ),
    Case(
        "contributor search",
        lambda w: "/contributors/",
        lambda w: w.staff,
        lambda ids: {"q": text(), "after": pk_choice(0, 5)},
        "get",
    ),
    Case(
        "contributor log filters",
        lambda w: f"/contributors/{w.contributor.handle}/",
        lambda w: w.staff,
        lambda ids: {"sort": st.sampled_from(["date", "title"]), "after": text()},
        "get",
    ),
    Case(
        "contributor window",
        lambda w: f"/contributors/{w.contributor.handle}/window/",
        lambda w: w.staff,
        lambda ids: {"as_of": recent_date()},
        "get",
    ),
    Case(
        "public profile",
        lambda w: f"/u/{w.contributor.handle}/",
        None,
        lambda ids: {"after": text()},
        "get",
    ),
    Case(
        "award filters",
        lambda w: "/awards/",
        lambda w: w.staff,
        lambda ids: {
            "kind": st.sampled_from(["mvp", "mcc", ""]),
            "status": st.sampled_from(["active", "expired"]),
            "area": st.sampled_from(["azure", ""]),
            "region": st.sampled_from(["apac", ""]),
            "before": pk_choice(1, 100),
        },
        "get",
    ),
    Case(
        "award grant prefill",
        lambda w: "/awards/grant/",
        lambda w: w.staff,
        lambda ids: {"contributor": text(), "kind": st.sampled_from(["mvp", "mcc"])},
        "get",
    ),
    Case(
        "my eligibility",
        lambda w: "/eligibility/",
        lambda w: w.contributor.user,
        lambda ids: {"as_of": recent_date()},
        "get",
    ),
    Case(
        "contributor eligibility",
        lambda w: f"/eligibility/{w.contributor.pk}/",
        lambda w: w.staff,
        lambda ids: {"as_of": recent_date()},
        "get",
    ),
    Case(
        "policy what-if",
        lambda w: "/awards/policy/",
        lambda w: w.staff,
        lambda ids: {"as_of": recent_date()},
        "get",
    ),
    Case(
        "MCC candidates",
        lambda w: "/awards/mcc/",
        lambda w: w.staff,
        lambda ids: {"after": pk_choice(1), "as_of": recent_date()},
        "get",
    ),
    Case(
        "job runs",
        lambda w: "/awards/jobs/",
        lambda w: w.staff,
        lambda ids: {"before": pk_choice(1)},
        "get",
    ),
    Case(
        "notifications",
        lambda w: "/notifications/",
        lambda w: w.contributor.user,
        lambda ids: {"before": pk_choice(1)},
        "get",
    ),
    Case(
        "import preview",
        lambda w: "/me/import/preview/",
        lambda w: w.contributor.user,
        lambda ids: {"show": st.sampled_from(["all", "errors"]), "page": pk_choice(1, 2)},
        "get",
    ),
    Case(
        "review queue filters",
        lambda w: "/nominations/queue/",
        lambda w: w.staff,
        lambda ids: {
            "status": st.sampled_from(["submitted", "in_review"]),
            "area": pk_choice(ids["category"]),
            "region": st.sampled_from(["apac", ""]),
            "source": st.sampled_from(["mvp", "self"]),
            "days_left": st.integers(-100, 100).map(str),
            "sort": st.sampled_from(["due", "-submitted"]),
            "cursor": text(),
        },
        "get",
    ),
    Case(
        "queue export filters",
        lambda w: "/nominations/queue/export.csv",
        lambda w: w.staff,
        lambda ids: {"status": st.sampled_from(["submitted"]), "days_left": pk_choice(5)},
        "get",
    ),
    Case(
        "verify certificate (path code)",
        lambda w: "/verify/{token}/",
        None,
        method="get",
    ),
]

ACCOUNT_FORMS = [
    Case(
        "log in",
        lambda w: "/accounts/login/",
        None,
        lambda ids: {
            "login": st.sampled_from(["person@example.com", "nobody@example.com"]),
            "password": st.sampled_from([PASSWORD, "wrong"]),
            "remember": st.sampled_from(["on", MISSING]),
        },
    ),
    Case(
        "sign up",
        lambda w: "/accounts/signup/",
        None,
        lambda ids: {
            "email": st.sampled_from(["new.signup@example.com", "ada@example.org"]),
            "password1": st.just("a-very-long-password-9"),
            "password2": st.sampled_from(["a-very-long-password-9", "x"]),
        },
    ),
    Case(
        "password reset",
        lambda w: "/accounts/password/reset/",
        None,
        lambda ids: {"email": st.sampled_from(["person@example.com", "x@example.com"])},
    ),
    Case(
        "password reset key (path key)",
        lambda w: "/accounts/password/reset/key/{token}/",
        None,
        lambda ids: {"password1": text(), "password2": text()},
    ),
    Case(
        "password change",
        lambda w: "/accounts/password/change/",
        lambda w: w.contributor.user,
        lambda ids: {
            "oldpassword": st.sampled_from([PASSWORD, "wrong"]),
            "password1": st.just("another-long-password-7"),
            "password2": st.sampled_from(["another-long-password-7", ""]),
        },
    ),
    Case(
        "email addresses",
        lambda w: "/accounts/email/",
        lambda w: w.contributor.user,
        lambda ids: {
            "email": st.sampled_from(["second@example.com", ""]),
            "action_add": st.sampled_from(["", MISSING]),
            "action_remove": st.sampled_from(["", MISSING]),
            "action_primary": st.sampled_from(["", MISSING]),
        },
    ),
    Case(
        "email confirmation (path key)",
        lambda w: "/accounts/confirm-email/{token}/",
        None,
    ),
    Case(
        "TOTP activation",
        lambda w: "/accounts/2fa/totp/activate/",
        lambda w: w.contributor.user,
        lambda ids: {"code": st.integers(0, 999999).map(lambda n: f"{n:06d}")},
    ),
    Case(
        "reauthenticate",
        lambda w: "/accounts/reauthenticate/",
        lambda w: w.contributor.user,
        lambda ids: {"password": st.sampled_from([PASSWORD, "wrong"])},
    ),
]


# Every field of a form at once gets each of these, on top of hypothesis's random draws:
# the values most likely to reach a database or a parser unchecked.
SWEEP = ["a\x00b\ud800\u202e", "9" * 30, "2026-02-30"]


def fuzz(client, world: World, cases: list[Case], examples: int) -> tuple[int, list[str]]:
    """Run every case; return (inputs tried, descriptions of server errors)."""
    ids = _ids(world)
    tried = 0
    failures: list[str] = []
    for case in cases:
        tried += fuzz_case(client, world, case, ids, examples, failures)
    return tried, failures


def send(client, world, case: Case, data: dict, token: str, failures: list) -> None:
    """One request inside a savepoint that is rolled back, so every input meets the same world."""
    path = case.path(world)
    if "{token}" in path:
        path = path.replace("{token}", query_string({"t": token})[2:] or "x")
    with transaction.atomic():
        try:
            if case.method == "get":
                response = client.get(f"{path}?{query_string(data)}")
            else:
                response = client.post(
                    path, form_body(data), content_type="application/x-www-form-urlencoded"
                )
        except Exception as exc:
            failures.append(f"{case.name}: {type(exc).__name__}: {exc!r:.200} {data!r:.300}")
        else:
            if response.status_code >= 500:
                failures.append(f"{case.name}: {response.status_code} {data!r:.300}")
        transaction.set_rollback(True)


def fuzz_case(client, world, case: Case, ids: dict, examples: int, failures: list) -> int:
    fields = case.fields(ids)
    strategies = {name: field_value(valid) for name, valid in fields.items()}
    client.logout()
    if case.user is not None:
        client.force_login(case.user(world))
    for value in SWEEP:
        send(client, world, case, dict.fromkeys(fields, value), value, failures)
    tried = len(SWEEP)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(values=st.fixed_dictionaries(strategies), extra=EXTRA_FIELDS, token=HOSTILE)
    def run(values, extra, token):
        nonlocal tried
        tried += 1
        data = {k: v for k, v in {**extra, **values}.items() if v is not MISSING}
        send(client, world, case, data, token, failures)

    run()
    return tried


@pytest.fixture
def world(db):
    return build_world()


def test_input_app_forms_never_server_error(client, world, figure):
    tried, failures = fuzz(client, world, APP_FORMS, scale(2, 150))
    figure(
        "Bad input",
        "Web forms fuzzed (hypothesis): server errors",
        len(failures),
        target="0",
        ok=not failures,
        detail=f"{tried} submissions over {len(APP_FORMS)} forms",
    )
    assert not failures, failures[:10]


def test_input_filters_and_query_strings_never_server_error(client, world, figure):
    tried, failures = fuzz(client, world, GET_FORMS, scale(2, 150))
    figure(
        "Bad input",
        "Filter forms and query strings fuzzed: server errors",
        len(failures),
        target="0",
        ok=not failures,
        detail=f"{tried} requests over {len(GET_FORMS)} pages",
    )
    assert not failures, failures[:10]


def test_input_account_forms_never_server_error(client, world, figure):
    UserFactory(email="person@example.com")
    EmailAddress.objects.filter(email="person@example.com").update(verified=True)
    tried, failures = fuzz(client, world, ACCOUNT_FORMS, scale(2, 150))
    figure(
        "Bad input",
        "Account forms (allauth) fuzzed: server errors",
        len(failures),
        target="0",
        ok=not failures,
        detail=f"{tried} submissions over {len(ACCOUNT_FORMS)} forms",
    )
    assert not failures, failures[:10]


CSV_HEADER = "kind,technology_area,title,date,url,description,role,quantity,reach,visibility\n"


def test_input_csv_import_fuzzed_never_server_error(client, world, figure):
    client.force_login(world.contributor.user)
    tried = 0
    failures: list[str] = []
    cell = st.one_of(HOSTILE, st.sampled_from(["blog-post", "dotnet", "2026-01-05", "1"]))
    row = st.lists(cell, min_size=0, max_size=12).map(
        lambda cells: ",".join('"' + c.replace('"', '""') + '"' for c in cells)
    )
    body = st.one_of(
        st.lists(row, max_size=6).map(lambda rows: CSV_HEADER + "\n".join(rows)),
        st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
    )

    @settings(
        max_examples=scale(25, 300),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(content=body, encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "bom"]))
    def run(content, encoding):
        nonlocal tried
        tried += 1
        if encoding == "bom":
            raw = b"\xef\xbb\xbf" + content.encode("utf-8", "surrogatepass")
        else:
            raw = content.encode(encoding, "surrogatepass" if encoding != "latin-1" else "replace")
        with transaction.atomic():
            upload = SimpleUploadedFile("log.csv", raw, content_type="text/csv")
            try:
                response = client.post("/me/import/", {"file": upload})
                if response.status_code == 302:
                    response = client.get("/me/import/preview/")
                    if response.status_code == 200:
                        token = response.context["token"]
                        response = client.post("/me/import/confirm/", {"token": token})
            except Exception as exc:
                failures.append(f"{type(exc).__name__}: {exc!r:.200} {raw[:200]!r}")
            else:
                if response.status_code >= 500:
                    failures.append(f"{response.status_code} {raw[:200]!r}")
            transaction.set_rollback(True)

    run()
    figure(
        "Bad input",
        "CSV import fuzzed (upload, preview, confirm): server errors",
        len(failures),
        target="0",
        ok=not failures,
        detail=f"{tried} files",
    )
    assert not failures, failures[:10]
