"""A body past Django's upload limits is a 413 page that says so, not a bare 400."""

import pytest

from contributions.models import Contribution

pytestmark = pytest.mark.django_db


def test_a_form_body_over_the_limit_is_a_413_page(client, user, settings):
    client.force_login(user)
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post("/me/contributions/new/", {"title": "Talk", "description": big})
    assert response.status_code == 413
    assert b"larger than this site accepts (at most 5 MB" in response.content
    assert not Contribution.objects.exists()


def test_too_many_fields_is_a_413_page(client, user):
    client.force_login(user)
    response = client.post("/me/contributions/new/", {f"f{n}": "1" for n in range(1100)})
    assert response.status_code == 413
    assert not Contribution.objects.exists()
