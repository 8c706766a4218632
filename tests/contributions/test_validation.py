from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from contributions.validation import (
    check_contribution_date,
    check_http_url,
    check_role_fits_kind,
)

TODAY = date(2026, 3, 1)


@pytest.mark.parametrize("url", ["", "http://example.com", "HTTPS://example.com/a?b=c"])
def test_check_http_url_accepts_web_addresses(url):
    check_http_url(url)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "https://", "x.com"]
)
def test_check_http_url_refuses_other_schemes_and_missing_hosts(url):
    with pytest.raises(ValidationError):
        check_http_url(url)


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (date(2000, 1, 1), True),
        (TODAY, True),
        (date(1999, 12, 31), False),
        (date(2026, 3, 2), False),
    ],
)
def test_check_contribution_date_edges(day, ok):
    if ok:
        check_contribution_date(day, today=TODAY)
    else:
        with pytest.raises(ValidationError):
            check_contribution_date(day, today=TODAY)


def test_check_role_fits_kind():
    kind = SimpleNamespace(roles=["author", "co_author"])
    check_role_fits_kind("", kind)
    check_role_fits_kind("author", kind)
    check_role_fits_kind("speaker", None)  # no kind chosen: the kind field reports that
    with pytest.raises(ValidationError, match="does not fit"):
        check_role_fits_kind("speaker", kind)
