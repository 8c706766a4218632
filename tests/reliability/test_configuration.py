"""Configuration: deploy checks, cookies, lockout, dependency audit and the audit trail.

Every figure is measured against what ``mvptracker.settings.production`` computes from the
variables ``.env.example`` documents (see ``tests/reliability/production.py``); the security
headers on every page are in ``test_configuration_headers.py``.
"""

import json
import re
import subprocess
import sys
import tomllib
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role, SecurityEventKind
from accounts.models import SecurityEvent
from accounts.services import grant_role
from awards.enums import AwardEventKind, AwardKind, AwardStatus
from awards.jobs import expire_mcc_statuses
from awards.models import Award, AwardEvent, RenewalReview
from awards.services import decide_renewal, grant_award, open_renewal_reviews, revoke_award
from nominations.enums import NominationStatus
from nominations.models import NominationEvent
from nominations.workflow.decisions import transition_nomination
from ops.jobs import run_daily_jobs
from ops.models import JobRun
from tests.factories.awards import make_award
from tests.factories.contributions import ContributorFactory
from tests.factories.nominations import make_nomination, make_privileged
from tests.factories.users import PASSWORD, UserFactory
from tests.reliability.conftest import scale
from tests.reliability.production import ROOT, apply_production_security, run_manage

SECTION = "Configuration"
ISSUE = re.compile(r"^\S+: \((?P<id>[\w.]+\.(?P<level>[CEWI])\d+)\)", re.MULTILINE)


# --- 1. deploy checks ----------------------------------------------------------------------


def deploy_check(tmp_path, **extra_env):
    """Run the deploy checks; return the result, the ids of warnings and errors, and whether
    the checks ran at all (a settings crash is not "no issues")."""
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **extra_env)
    output = result.stdout + result.stderr
    issues = [m["id"] for m in ISSUE.finditer(output) if m["level"] in "CEW"]
    return result, issues, "System check identified" in output


def test_configuration_deploy_check_clean_with_documented_env(tmp_path, figure):
    """``check --deploy --fail-level WARNING`` with only ``.env.example``'s variables (the
    settings tests pin the same with hand-picked variables; this is the operator's view)."""
    result, issues, ran = deploy_check(tmp_path)
    output = result.stdout + result.stderr
    value = len(issues) if ran else "check did not run"
    ok = ran and not issues and result.returncode == 0
    figure(
        SECTION,
        "deploy check warnings and errors (production settings, .env.example only)",
        value,
        target="0",
        ok=ok,
        detail=", ".join(issues),
    )
    assert ok, output


def test_configuration_deploy_check_counts_a_weakened_setting(tmp_path):
    """The figure above can fail: an operator turning HSTS off is one warning."""
    result, issues, ran = deploy_check(tmp_path, DJANGO_SECURE_HSTS_SECONDS="0")
    assert ran
    assert issues == ["security.W004"]
    assert result.returncode != 0


# --- 3. cookies ----------------------------------------------------------------------------


def _cookie_attributes(response, name: str) -> dict[str, str] | None:
    """The attributes of the Set-Cookie header a response sends for ``name`` (lower-cased
    keys, exactly as the WSGI handler writes the header), or None if it sets no such cookie."""
    morsel = response.cookies.get(name)
    if morsel is None:
        return None
    header = morsel.OutputString()
    attributes = {}
    for part in header.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        attributes[key.lower()] = value
    return attributes


def _missing_flags(attributes: dict | None, required: dict[str, str | None]) -> list[str]:
    if attributes is None:
        return ["(cookie not set)"]
    missing = []
    for flag, value in required.items():
        if flag not in attributes or (value is not None and attributes[flag].lower() != value):
            missing.append(flag if value is None else f"{flag}={value}")
    return missing


@pytest.mark.django_db
def test_configuration_cookie_flags_on_real_login(settings, figure):
    prod = apply_production_security(settings)
    expected = {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "LANGUAGE_COOKIE_SECURE": True,
    }
    missing = [f"setting {name}" for name, want in expected.items() if prod[name] is not want]
    missing += [
        f"setting {name}"
        for name in ("SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "LANGUAGE_COOKIE_SAMESITE")
        if prod[name] not in ("Lax", "Strict")
    ]
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("account_login"), secure=True)
    csrf = _cookie_attributes(page, prod["CSRF_COOKIE_NAME"])
    missing += [f"csrf (login page) {f}" for f in _missing_flags(csrf, {"secure": None})]
    missing += [f"csrf (login page) {f}" for f in _missing_flags(csrf, {"samesite": None})]
    token = page.cookies[prod["CSRF_COOKIE_NAME"]].value if csrf else ""
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        secure=True,
        HTTP_REFERER="https://testserver/accounts/login/",
    )
    assert response.status_code == 302, response.content[:500]
    session = _cookie_attributes(response, prod["SESSION_COOKIE_NAME"])
    required = {"secure": None, "httponly": None, "samesite": None, "path": "/"}
    missing += [f"session {f}" for f in _missing_flags(session, required)]
    if (
        session is not None
        and "domain" in session
        and prod["SESSION_COOKIE_NAME"].startswith("__Host-")
    ):
        missing.append("session: __Host- cookie with a Domain")
    # Login rotates the CSRF secret: the new cookie must be as strict as the first.
    rotated = _cookie_attributes(response, prod["CSRF_COOKIE_NAME"])
    if rotated is not None:
        missing += [f"csrf (login) {f}" for f in _missing_flags(rotated, {"secure": None})]
    token = client.cookies[prod["CSRF_COOKIE_NAME"]].value
    switched = client.post(
        reverse("set_language"),
        {"language": "ko", "next": "/", "csrfmiddlewaretoken": token},
        secure=True,
        HTTP_REFERER="https://testserver/",
    )
    language = _cookie_attributes(switched, settings.LANGUAGE_COOKIE_NAME)
    missing += [
        f"language {f}" for f in _missing_flags(language, {"secure": None, "samesite": None})
    ]
    figure(
        SECTION,
        "cookie flags missing (session, CSRF, language; real login over HTTPS)",
        len(missing),
        target="0",
        ok=not missing,
        detail="; ".join(missing),
    )
    assert not missing


# --- 4. lockout by (email, IP) -------------------------------------------------------------

IP_A, IP_B = "198.51.100.10", "198.51.100.20"


def _login(email: str, password: str, ip: str, client: Client | None = None):
    return (client or Client()).post(
        reverse("account_login"),
        {"login": email, "password": password},
        secure=True,
        REMOTE_ADDR=ip,
    )


def _logged_in(response) -> bool:
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_configuration_lockout_is_per_email_and_ip(settings, figure):
    """Production's lockout settings (axes and allauth's own login rate limit) with real
    logins: wrong passwords from IP A lock (email, A) only; the victim logs in from IP B
    however many attackers elsewhere try their email."""
    prod = apply_production_security(settings)
    victim = UserFactory()
    limit = prod["AXES_FAILURE_LIMIT"]
    attacker = Client()
    until_lock = None
    for attempt in range(1, 3 * limit + 1):
        if _login(victim.email, "wrong-password", IP_A, attacker).status_code == 429:
            until_lock = attempt
            break
    locked_at_a = not _logged_in(_login(victim.email, PASSWORD, IP_A))
    victim_checks = [_logged_in(_login(victim.email, PASSWORD, IP_B))]
    for n in range(scale(2, 12)):
        ip_c = f"203.0.113.{n + 1}"
        for _ in range(limit):
            _login(victim.email, "wrong-password", ip_c)
        victim_checks.append(_logged_in(_login(victim.email, PASSWORD, IP_B)))
    refused = victim_checks.count(False)
    figure(
        SECTION,
        "failed logins from one IP until (email, IP) is locked",
        until_lock if until_lock is not None else f"no lock after {3 * limit}",
        target=f"= AXES_FAILURE_LIMIT ({limit})",
        ok=until_lock == limit and locked_at_a,
        detail="then the real password from the same IP is refused"
        if locked_at_a
        else "the real password from the locked IP still logged in",
    )
    figure(
        SECTION,
        "victim logins refused from another IP while attackers fail on their email",
        refused,
        target="0",
        ok=refused == 0,
        detail=f"{len(victim_checks)} victim logins from IP B, attackers at "
        f"{len(victim_checks) - 1} other IPs x {limit} failures each",
    )
    assert until_lock == limit
    assert locked_at_a
    assert refused == 0


# --- 5. dependency audit -------------------------------------------------------------------

NOT_MEASURED = "not measured (vulnerability service unreachable)"


@pytest.mark.slow_reliability
def test_configuration_pinned_requirements_have_no_known_vulnerabilities(figure, tmp_path):
    """pip-audit of every package pinned in ``uv.lock`` (all interpreters and groups). pip-audit
    exits 0 and prints "No known vulnerabilities found" when it could not look a single package
    up, so the count is trusted only if every pinned package was actually audited."""
    pinned = locked_requirements(ROOT / "uv.lock")
    constraints = tmp_path / "requirements.txt"
    constraints.write_text("\n".join(pinned) + "\n")
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pip_audit"),
            *("-r", str(constraints), "--no-deps", "--disable-pip"),
            *("--progress-spinner", "off", "--format", "json", "--timeout", "20"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        report = None
    value, ok, detail = audit_figure(report, stderr=result.stderr, pinned=len(pinned))
    figure(
        SECTION,
        "known vulnerabilities in pinned requirements (pip-audit)",
        value,
        target="0, every pinned package audited",
        ok=ok,
        detail=detail,
    )
    assert ok, detail


def locked_requirements(lock_file) -> list[str]:
    """``name==version`` of every package in uv.lock from an index (the project itself, which
    is not installed, has no version there)."""
    lock = tomllib.loads(lock_file.read_text())
    return sorted(
        f"{package['name']}=={package['version']}"
        for package in lock["package"]
        if "registry" in package.get("source", {})
    )


def test_configuration_audit_reads_every_locked_package_but_the_project():
    pinned = locked_requirements(ROOT / "uv.lock")
    names = {line.split("==")[0].lower() for line in pinned}
    assert {"django", "celery", "psycopg", "pytest"} <= names
    assert "mvptracker" not in names
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+==\S+", line) for line in pinned)
    assert any(re.fullmatch(r"django==5\.2\.\d+", line) for line in pinned)


def audit_figure(report: dict | None, *, stderr: str, pinned: int) -> tuple[object, bool, str]:
    """(value, ok, detail) of the pip-audit figure: the number of known vulnerabilities, or
    "not measured" when no package could be looked up (no JSON, or every one skipped)."""
    dependencies = report["dependencies"] if report else []
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = [d for d in dependencies if not d.get("skip_reason")]
    if not audited:
        if report is None:
            reason = (stderr.strip().splitlines() or ["no output"])[-1]
        else:
            reason = skipped[0]["skip_reason"] if skipped else "no dependencies in the report"
        return (
            NOT_MEASURED,
            False,
            f"{len(skipped)} of {pinned} pinned packages skipped: {reason[:160]}",
        )
    vulnerable = {d["name"]: [v["id"] for v in d["vulns"]] for d in audited if d.get("vulns")}
    count = sum(len(ids) for ids in vulnerable.values())
    detail = f"{len(audited)} packages audited, {len(skipped)} skipped"
    if vulnerable:
        detail += "; " + ", ".join(f"{name}: {' '.join(ids)}" for name, ids in vulnerable.items())
    return count, count == 0 and not skipped, detail


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        (None, (NOT_MEASURED, False)),
        (
            {"dependencies": [{"name": "celery", "skip_reason": "not found on PyPI"}]},
            (NOT_MEASURED, False),
        ),
        ({"dependencies": [{"name": "celery", "version": "5.7.0", "vulns": []}]}, (0, True)),
        (
            {"dependencies": [{"name": "celery", "vulns": [{"id": "PYSEC-1"}, {"id": "GHSA-2"}]}]},
            (2, False),
        ),
        (
            {"dependencies": [{"name": "a", "vulns": []}, {"name": "b", "skip_reason": "404"}]},
            (0, False),
        ),
    ],
)
def test_configuration_audit_figure_trusts_only_audited_packages(report, expected):
    value, ok, _detail = audit_figure(report, stderr="ConnectionError: unreachable", pinned=1)
    assert (value, ok) == expected


# --- 6. audit rows -------------------------------------------------------------------------


def _recent(row, started) -> bool:
    return started - timedelta(seconds=1) <= row.created_at <= timezone.now()


@pytest.mark.django_db
def test_configuration_every_audited_action_writes_one_row(settings, figure):
    """Each action through its real entry point leaves exactly one audit row naming who did
    it (or the person it happened to, for account events), when, and why or what."""
    prod = apply_production_security(settings)
    started = timezone.now()
    today = timezone.localdate()
    staff = make_privileged(role=Role.STAFF)
    missing: list[str] = []
    actions: list[str] = []

    def check(action: str, rows, *, actor=..., why: str = "reason"):
        actions.append(action)
        rows = list(rows)
        if len(rows) != 1:
            missing.append(f"{action}: {len(rows)} rows")
            return
        row = rows[0]
        if actor is not ... and row.actor_id != getattr(actor, "pk", None):
            missing.append(f"{action}: actor {row.actor_id}")
        if not _recent(row, started):
            missing.append(f"{action}: time {row.created_at}")
        if not getattr(row, why):
            missing.append(f"{action}: no {why}")

    # Account events through allauth's login view.
    person = UserFactory()
    _login(person.email, PASSWORD, IP_A)
    check(
        "login",
        SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN, user=person, ip_address=IP_A),
        why="identifier",
    )
    _login(person.email, "wrong-password", IP_B)
    check(
        "failed login",
        SecurityEvent.objects.filter(
            kind=SecurityEventKind.LOGIN_FAILED, user=person, ip_address=IP_B
        ),
        why="identifier",
    )
    for _ in range(prod["AXES_FAILURE_LIMIT"] - 1):
        _login(person.email, "wrong-password", IP_B)
    check(
        "lockout",
        SecurityEvent.objects.filter(
            kind=SecurityEventKind.LOCKED_OUT, user=person, ip_address=IP_B
        ),
        why="identifier",
    )
    reviewer = UserFactory()
    grant_role(user=reviewer, role=Role.REVIEWER, actor=staff)
    check(
        "role grant",
        SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_GRANTED, user=reviewer),
        actor=staff,
        why="detail",
    )

    # Nomination decisions through the workflow (awarding also grants the award).
    awarded = make_nomination(as_of=today)
    transition_nomination(
        nomination_id=awarded.pk,
        to_status=NominationStatus.AWARDED,
        actor=staff,
        reason="Strong, consistent answers",
        as_of=today,
    )
    check(
        "nomination awarded",
        NominationEvent.objects.filter(nomination=awarded, to_status=NominationStatus.AWARDED),
        actor=staff,
    )
    awarded.refresh_from_db()
    check(
        "award granted by a decision",
        AwardEvent.objects.filter(award_id=awarded.award_id, kind=AwardEventKind.GRANTED),
        actor=staff,
    )
    declined = make_nomination(as_of=today)
    transition_nomination(
        nomination_id=declined.pk,
        to_status=NominationStatus.DECLINED,
        actor=staff,
        reason="Too few contributions in the area",
        as_of=today,
    )
    check(
        "nomination declined",
        NominationEvent.objects.filter(nomination=declined, to_status=NominationStatus.DECLINED),
        actor=staff,
    )

    # Awards through their services.
    mcc = grant_award(
        contributor=ContributorFactory(),
        kind=AwardKind.MCC,
        starts_on=today,
        actor=staff,
        reason="Top forum answerer",
    )
    check(
        "award grant",
        AwardEvent.objects.filter(award=mcc, kind=AwardEventKind.GRANTED),
        actor=staff,
    )
    revoke_award(award_id=mcc.pk, actor=staff, reason="Code of conduct")
    check(
        "revocation", AwardEvent.objects.filter(award=mcc, kind=AwardEventKind.REVOKED), actor=staff
    )
    term = make_award(starts_on=today - timedelta(days=300), actor=staff)
    open_renewal_reviews(awards=Award.objects.filter(pk=term.pk), as_of=today)
    review = RenewalReview.objects.get(award=term)
    decided = decide_renewal(review_id=review.pk, actor=staff, renew=True, reason="Still active")
    check(
        "renewal", AwardEvent.objects.filter(award=term, kind=AwardEventKind.RENEWED), actor=staff
    )
    check(
        "renewed term granted",
        AwardEvent.objects.filter(award=decided.new_award, kind=AwardEventKind.GRANTED),
        actor=staff,
    )
    ending = make_award(starts_on=today - timedelta(days=300), actor=staff)
    open_renewal_reviews(awards=Award.objects.filter(pk=ending.pk), as_of=today)
    review = RenewalReview.objects.get(award=ending)
    decide_renewal(review_id=review.pk, actor=staff, renew=False, reason="Inactive this year")
    check(
        "renewal declined",
        AwardEvent.objects.filter(award=ending, kind=AwardEventKind.NOT_RENEWED),
        actor=staff,
    )

    # Expiries through the daily jobs, twice (the second run must add nothing).
    old_mcc = make_award(kind=AwardKind.MCC, starts_on=today - timedelta(days=120), actor=staff)
    old_mvp = make_award(starts_on=today - timedelta(days=400), actor=staff)
    overdue = make_nomination(as_of=today - timedelta(days=100))
    runs_before = JobRun.objects.count()
    run_daily_jobs(as_of=today, trigger="reliability")
    run_daily_jobs(as_of=today, trigger="reliability")
    for action, award in (("MCC expiry", old_mcc), ("MVP expiry", old_mvp)):
        check(
            action,
            AwardEvent.objects.filter(award=award, kind=AwardEventKind.EXPIRED),
            actor=None,
        )
    check(
        "nomination expiry",
        NominationEvent.objects.filter(nomination=overdue, to_status=NominationStatus.EXPIRED),
        actor=None,
    )
    runs = list(JobRun.objects.filter(trigger="reliability"))
    if len(runs) != 2 or JobRun.objects.count() - runs_before != 2:
        missing.append(f"daily-jobs run log: {len(runs)} rows for 2 runs")
    elif not all(r.finished_at and r.started_at >= started and not r.error for r in runs):
        missing.append("daily-jobs run log: unfinished or failed run")
    elif runs[-1].counts.get("mcc_expired") != 1 or runs[0].counts.get("mcc_expired") != 0:
        missing.append(f"daily-jobs run log counts: {[r.counts for r in runs]}")

    actions.append("daily-jobs run log")
    figure(
        SECTION,
        "audited actions without exactly one audit row (actor, time, reason)",
        len(missing),
        target="0",
        ok=not missing,
        detail=f"{len(actions)} actions: {', '.join(actions)}"
        + (f"; MISSING {'; '.join(missing)}" if missing else ""),
    )
    assert not missing


@pytest.mark.django_db
def test_configuration_bulk_expiry_writes_one_audit_row_per_award(figure):
    """The expiry job's set-based path: one UPDATE … RETURNING, one bulk insert of audit rows.
    Every expired award gets exactly one row, also when the job runs again."""
    today = timezone.localdate()
    count = scale(25, 400)
    people = [ContributorFactory() for _ in range(count)]
    starts = today - timedelta(days=100)
    Award.objects.bulk_create(
        [
            Award(
                contributor=person,
                kind=AwardKind.MCC,
                starts_on=starts,
                ends_on=starts + timedelta(days=89),
            )
            for person in people
        ]
    )
    first = expire_mcc_statuses(as_of=today)
    second = expire_mcc_statuses(as_of=today)
    expired = Award.objects.filter(kind=AwardKind.MCC, status=AwardStatus.EXPIRED)
    events = AwardEvent.objects.filter(kind=AwardEventKind.EXPIRED, award__in=expired)
    per_award = {}
    for event in events:
        per_award.setdefault(event.award_id, []).append(event)
    without = [
        pk
        for pk in expired.values_list("pk", flat=True)
        if len(per_award.get(pk, [])) != 1
        or not per_award[pk][0].reason
        or per_award[pk][0].as_of != today
    ]
    figure(
        SECTION,
        "bulk-expired awards without exactly one audit row",
        len(without),
        target="0",
        ok=not without and first == {"mcc_expired": count} and second == {"mcc_expired": 0},
        detail=f"{count} MCC statuses expired in one run, then a second run",
    )
    assert first == {"mcc_expired": count}
    assert second == {"mcc_expired": 0}
    assert expired.count() == count
    assert not without
