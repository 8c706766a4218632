from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from awards.enums import AwardStatus
from awards.jobs import open_due_renewal_reviews
from awards.models import Award, EligibilityPolicy, RenewalReview

pytestmark = pytest.mark.django_db


def test_seed_demo_awards_are_idempotent_and_in_the_renewal_window(settings):
    from io import StringIO

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    today = timezone.localdate()
    mvp = Award.objects.get(contributor__user__email="contributor@demo.mvptracker.test", kind="mvp")
    assert mvp.technology_area.slug == "developer-technologies"
    assert mvp.status == AwardStatus.ACTIVE
    assert mvp.ends_on == today + timedelta(days=40)
    assert Award.objects.count() == 3
    assert EligibilityPolicy.objects.count() == 1
    assert open_due_renewal_reviews(as_of=today) == {"renewals_opened": 1}
    assert RenewalReview.objects.get().award == mvp
