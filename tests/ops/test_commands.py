import json
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.models import RoleGrant
from ops.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS
from ops.models import JobRun

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(get_user_model().objects.values_list("email", "password")),
        sorted(RoleGrant.objects.values_list("user__email", "role", "region")),
        Authenticator.objects.count(),
        EmailAddress.objects.filter(verified=True).count(),
    )


def test_seed_demo_is_idempotent_and_prints_passwords_in_demo_mode(settings):
    settings.MVPTRACKER_DEMO_MODE = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first
    assert len(first[0]) == len(DEMO_USERS)
    assert DEMO_PASSWORD in out.getvalue()
    staff = get_user_model().objects.get(email="staff@demo.mvptracker.test")
    assert staff.check_password(DEMO_PASSWORD)
    assert first[2] == 3  # TOTP for reviewer, staff and the regional manager


def test_seed_demo_outside_demo_mode_prints_no_password(settings):
    settings.MVPTRACKER_DEMO_MODE = False
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert DEMO_PASSWORD not in out.getvalue()
    assert not any(u.has_usable_password() for u in get_user_model().objects.all())


def test_run_daily_jobs_prints_json_and_records_the_run():
    out = StringIO()
    call_command("run_daily_jobs", "--as-of", "2026-03-01", stdout=out)
    assert isinstance(json.loads(out.getvalue()), dict)
    run = JobRun.objects.get()
    assert str(run.as_of) == "2026-03-01"
    assert run.trigger == "command"
    assert run.finished_at is not None


def test_run_daily_jobs_rejects_bad_date():
    with pytest.raises(CommandError, match="--as-of"):
        call_command("run_daily_jobs", "--as-of", "2026-02-30")
    assert not JobRun.objects.exists()
