"""Who may do what: the expected answer of every URL pattern, per caller and method.

Columns, in order (see ``access_matrix.ROLES``):
    anon  a     b     mvp   mvp2  rev   staff rm    su
anonymous; contributor A, who owns every object a URL points at (entry, MCC status, token;
candidate of the nomination); contributor B; the MVP who nominated A (the renewal under review
is this MVP's own term); another MVP (made the emailed invitation); the reviewer assigned to
the nomination; global program staff; the regional manager of EMEA (A and the MVP are APAC);
a superuser with no program role.

Cells: ``ok`` (2xx), ``L`` (redirect to sign in), ``A`` (redirect to the admin's sign-in),
``R`` (any other redirect: a form done, a page that sends you on), or a status code;
``x|y`` allows either. Web pages hide other people's things with 404 (a nomination,
an entry, a profile) and refuse role-only pages with 403; the API answers 401 without
credentials and 404 for what is not yours. The superuser is an admin operator: in the program
they are nobody special until granted a role (Django's "superuser has every permission" does
not reach the program's rules). Rules in DOMAIN.md and the ``rules.py`` of each app.

Keys are URL names (``namespace:name``) or, for unnamed patterns, the route.
"""

import datetime

R9 = 9  # cells per row


def row(cells: str) -> tuple[str, ...]:
    values = tuple(cells.split())
    assert len(values) == R9, cells
    return values


def same(cell: str) -> tuple[str, ...]:
    return (cell,) * R9


def signed_in(cell: str, anon: str = "L") -> tuple[str, ...]:
    return (anon,) + (cell,) * (R9 - 1)


STAFF_ONLY = "L 403 403 403 403 403 ok ok 403"  # program staff, regional managers included
STAFF_405 = "L 403 403 403 403 403 405 405 403"  # role checked first, then the method
GLOBAL_OBJ = "L 403 403 403 403 403 ok 403 403"  # A's things: staff, not another region's RM
GLOBAL_405 = "L 403 403 403 403 403 405 405 403"
GLOBAL_DONE = "L 403 403 403 403 403 R 403 403"
# Webhooks: global staff only (regional managers too see 403). The staff member may have
# deleted the endpoint earlier in the (random) order of cells: then its pages are 404.
HOOK_PAGE = "L 403 403 403 403 403 ok|404 403 403"
HOOK_400 = "L 403 403 403 403 403 400|404 403 403"
HOOK_405 = "L 403 403 403 403 403 405 403 403"
HOOK_DONE = "L 403 403 403 403 403 R|404 403 403"
HOOK_API = "401 403 403 403 403 403 ok|404 403 403"
API_OWN = ("401", "ok", *("404",) * 7)  # the caller's own import sources and drafts
CERTIFICATE = "L ok 403 403 403 403 ok 403 403"  # the holder, and staff who manage them

EXPECTED: dict[str, dict[str, tuple[str, ...]]] = {
    # --- site ------------------------------------------------------------------------------
    "home": {"GET": same("ok"), "POST": same("405")},
    "ops:healthz": {"GET": same("ok"), "POST": same("405")},
    "set_language": {"GET": same("R"), "POST": same("R")},  # GET changes nothing
    # --- accounts (allauth) -----------------------------------------------------------------
    "account_login": {"GET": signed_in("R", "ok"), "POST": signed_in("R", "ok")},
    "account_logout": {"GET": signed_in("ok", "R"), "POST": same("R")},
    "account_inactive": {"GET": same("ok"), "POST": same("405")},
    "account_signup": {"GET": signed_in("R", "ok"), "POST": signed_in("R", "ok")},
    "account_reauthenticate": {"GET": signed_in("ok"), "POST": signed_in("ok")},
    "account_email": {"GET": signed_in("ok"), "POST": signed_in("R")},
    "account_email_verification_sent": {"GET": same("ok"), "POST": same("405")},
    "account_change_password": {"GET": signed_in("ok"), "POST": signed_in("ok")},
    "account_set_password": {"GET": signed_in("R"), "POST": signed_in("R")},
    "account_reset_password": {"GET": same("ok"), "POST": same("ok")},
    "account_confirm_login_code": {"GET": signed_in("R"), "POST": signed_in("R")},
    "account_confirm_email": {"GET": same("ok"), "POST": same("404")},  # a made-up key
    "account_reset_password_from_key_done": {"GET": same("ok"), "POST": same("405")},
    "account_reset_password_from_key": {"GET": same("ok"), "POST": same("ok")},  # bad key page
    "account_reset_password_done": {"GET": same("ok"), "POST": same("405")},
    "mfa_index": {"GET": signed_in("ok"), "POST": signed_in("405")},
    "mfa_authenticate": {"GET": signed_in("R"), "POST": signed_in("R")},
    # With TOTP (the privileged roles and the superuser) the page asks for a code; without,
    # it sends you to the password reauthentication.
    "mfa_reauthenticate": {
        "GET": row("L R R R R ok ok ok ok"),
        "POST": row("L R R R R ok ok ok ok"),
    },
    "mfa_activate_totp": {"GET": signed_in("R"), "POST": signed_in("R")},
    "mfa_deactivate_totp": {
        "GET": row("L 404 404 404 404 R R R R"),
        "POST": row("L 404 404 404 404 R R R R"),
    },
    "mfa_view_recovery_codes": {"GET": signed_in("404"), "POST": signed_in("405")},
    "mfa_generate_recovery_codes": {"GET": signed_in("R"), "POST": signed_in("R")},
    "mfa_download_recovery_codes": {"GET": signed_in("404"), "POST": signed_in("404")},
    # WebAuthn security keys / passkeys: adding one first asks for the password again; the
    # pk in the URL is not the caller's key (allauth scopes keys to their owner before login).
    "mfa_list_webauthn": {"GET": signed_in("ok"), "POST": signed_in("405")},
    "mfa_add_webauthn": {"GET": signed_in("R"), "POST": signed_in("R")},
    "mfa_reauthenticate_webauthn": {"GET": signed_in("R"), "POST": signed_in("R")},
    "mfa_remove_webauthn": {"GET": same("404"), "POST": same("404")},
    "mfa_edit_webauthn": {"GET": same("404"), "POST": same("404")},
    # --- import hub: a person's sources and inbox are theirs alone --------------------------
    "imports:sources": {"GET": signed_in("ok"), "POST": signed_in("ok")},
    "imports:source_edit": {
        "GET": row("L ok 404 404 404 404 404 404 404"),
        "POST": row("L ok 404 404 404 404 404 404 404"),
    },
    "imports:source_delete": {
        "GET": signed_in("405"),
        "POST": row("L R 404 404 404 404 404 404 404"),
    },
    "imports:source_fetch": {
        "GET": signed_in("405"),
        "POST": row("L R 404 404 404 404 404 404 404"),
    },
    "imports:source_status": {
        "GET": row("L ok 404 404 404 404 404 404 404"),
        "POST": signed_in("405"),
    },
    "imports:inbox": {"GET": signed_in("ok"), "POST": signed_in("405")},
    "imports:accept_selected": {"GET": signed_in("405"), "POST": signed_in("R")},
    "imports:accept": {"GET": signed_in("405"), "POST": row("L R 404 404 404 404 404 404 404")},
    "imports:dismiss": {"GET": signed_in("405"), "POST": row("L R 404 404 404 404 404 404 404")},
    "imports:edit": {
        "GET": row("L ok 404 404 404 404 404 404 404"),
        "POST": row("L ok 404 404 404 404 404 404 404"),
    },
    # --- contributions ----------------------------------------------------------------------
    # A's profile is private: A, and staff who oversee A, see it.
    "contributions:public_profile": {
        "GET": row("404 ok 404 404 404 404 ok 404 404"),
        "POST": same("405"),
    },
    "contributions:profile": {"GET": signed_in("ok"), "POST": signed_in("ok")},
    "contributions:list": {"GET": signed_in("ok"), "POST": signed_in("405")},
    "contributions:create": {"GET": signed_in("ok"), "POST": signed_in("ok")},
    "contributions:edit": {
        "GET": row("L ok 404 404 404 404 404 404 404"),
        "POST": row("L ok 404 404 404 404 404 404 404"),
    },
    "contributions:duplicate": {
        "GET": row("L ok 404 404 404 404 404 404 404"),
        "POST": signed_in("405"),
    },
    "contributions:delete": {
        "GET": row("L ok 404 404 404 404 404 404 404"),
        "POST": row("L R 404 404 404 404 404 404 404"),
    },
    "contributions:window": {"GET": signed_in("ok"), "POST": signed_in("405")},
    # An upload without a file re-renders the form with its error, as a 400.
    "contributions:import": {"GET": signed_in("ok"), "POST": signed_in("400")},
    "contributions:import_template": {"GET": signed_in("ok"), "POST": signed_in("405")},
    "contributions:import_preview": {"GET": signed_in("R"), "POST": signed_in("405")},
    "contributions:import_confirm": {"GET": signed_in("405"), "POST": signed_in("R")},
    "contributions:import_cancel": {"GET": signed_in("405"), "POST": signed_in("R")},
    "contributions:export": {"GET": signed_in("ok"), "POST": signed_in("405")},
    "contributions:export_csv": {"GET": signed_in("ok"), "POST": signed_in("405")},
    "contributions:export_profile_csv": {"GET": signed_in("ok"), "POST": signed_in("405")},
    "contributions:export_json": {"GET": signed_in("ok"), "POST": signed_in("405")},
    "contributions:contributors": {
        "GET": row("L 404 404 404 404 404 ok ok 404"),
        "POST": signed_in("405"),
    },
    "contributions:contributor_log": {
        "GET": row("L ok 404 404 404 404 ok 404 404"),
        "POST": signed_in("405"),
    },
    "contributions:contributor_window": {
        "GET": row("L ok 404 404 404 404 ok 404 404"),
        "POST": signed_in("405"),
    },
    "contributions:verify": {
        "GET": signed_in("405"),
        "POST": row("L 404 404 404 404 404 R 404 404"),
    },
    # --- awards (A's MCC status; the MVP's renewal review) ----------------------------------
    "awards:list": {"GET": row(STAFF_ONLY), "POST": row(STAFF_405)},
    "awards:grant": {"GET": row(STAFF_ONLY), "POST": row(STAFF_ONLY)},
    "awards:detail": {"GET": row(GLOBAL_OBJ), "POST": row(GLOBAL_405)},
    "awards:revoke": {"GET": row(GLOBAL_405), "POST": row(GLOBAL_DONE)},
    "awards:renew": {"GET": row(GLOBAL_405), "POST": row(GLOBAL_DONE)},
    "awards:certificate": {
        "GET": row(CERTIFICATE),
        "POST": signed_in("405"),
    },
    "awards:policy": {"GET": row(GLOBAL_OBJ), "POST": row(GLOBAL_405)},
    "awards:policy_change": {"GET": row(GLOBAL_OBJ), "POST": row(GLOBAL_OBJ)},
    "awards:mcc_candidates": {"GET": row(STAFF_ONLY), "POST": row(STAFF_405)},
    "awards:mcc_grant": {"GET": row(STAFF_405), "POST": row("L 403 403 403 403 403 R R 403")},
    "awards:renewals": {"GET": row(STAFF_ONLY), "POST": row(STAFF_405)},
    "awards:renewal_detail": {"GET": row(GLOBAL_OBJ), "POST": row(GLOBAL_405)},
    "awards:renewal_decide": {"GET": row(GLOBAL_405), "POST": row(GLOBAL_DONE)},
    "ops:job_runs": {"GET": row(STAFF_ONLY), "POST": row(STAFF_405)},
    "awards:my_eligibility": {"GET": signed_in("ok"), "POST": signed_in("405")},
    "awards:contributor_eligibility": {"GET": row(GLOBAL_OBJ), "POST": row(GLOBAL_405)},
    # --- credentials ------------------------------------------------------------------------
    "credentials:verify": {"GET": same("ok"), "POST": same("405")},  # public certificate check
    "credentials:verify_pasted": {"GET": same("ok"), "POST": same("400")},  # empty form
    "credentials:jwks": {"GET": same("ok"), "POST": same("405")},
    "credentials:issuer": {"GET": same("ok"), "POST": same("405")},
    "credentials:status_list": {"GET": same("ok"), "POST": same("405")},
    "credentials:download": {"GET": row(CERTIFICATE), "POST": signed_in("405")},
    "credentials:certificate_pdf": {"GET": row(CERTIFICATE), "POST": signed_in("405")},
    "notifications:list": {"GET": signed_in("ok"), "POST": signed_in("405")},
    "notifications:read": {"GET": signed_in("405"), "POST": signed_in("R")},
    # --- nominations (by the MVP, of A, reviewer assigned) ----------------------------------
    "nominations:mine": {"GET": signed_in("ok"), "POST": signed_in("405")},
    "nominations:nominate": {
        "GET": row("L 403 403 ok ok 403 403 403 403"),
        "POST": row("L 403 403 ok ok 403 403 403 403"),
    },
    "nominations:apply": {"GET": signed_in("ok"), "POST": signed_in("ok")},
    "nominations:staff_nominate": {"GET": row(STAFF_ONLY), "POST": row(STAFF_ONLY)},
    # The emailed link is the credential: anyone signed in who holds it may accept it,
    # except the nominator; anonymous visitors are asked to sign in.
    "nominations:invitation": {
        "GET": same("ok"),
        "POST": row("ok R R R 400 R R R R"),
    },
    "nominations:detail": {
        "GET": row("L ok 404 ok 404 ok ok 404 404"),
        "POST": signed_in("405"),
    },
    "nominations:complete": {
        "GET": row("L ok 404 403 404 403 403 404 404"),
        "POST": row("L ok 404 403 404 403 403 404 404"),
    },
    "nominations:withdraw": {
        "GET": signed_in("405"),
        "POST": row("L 403 404 R 404 403 403 404 404"),
    },
    "nominations:decide": {
        "GET": signed_in("405"),
        "POST": row("L 403 404 403 404 403 R 404 404"),
    },
    "nominations:assign": {
        "GET": signed_in("405"),
        "POST": row("L 403 404 403 404 403 R 404 404"),
    },
    "nominations:review": {
        "GET": row("L 403 404 403 404 ok 403 404 404"),
        "POST": row("L 403 404 403 404 ok 403 404 404"),
    },
    "nominations:my_reviews": {
        "GET": row("L 403 403 403 403 ok 403 403 403"),
        "POST": signed_in("405"),
    },
    "nominations:queue": {"GET": row(STAFF_ONLY), "POST": signed_in("405")},
    "nominations:bulk_decide": {
        "GET": signed_in("405"),
        "POST": row("L 403 403 403 403 403 R R 403"),
    },
    "nominations:export": {"GET": row(STAFF_ONLY), "POST": signed_in("405")},
    "nominations:metrics": {"GET": row(STAFF_ONLY), "POST": signed_in("405")},
    # --- webhooks and calendar feeds ----------------------------------------------------------
    "webhooks:endpoints": {"GET": row(HOOK_PAGE), "POST": row(HOOK_400)},
    "webhooks:edit": {"GET": row(HOOK_PAGE), "POST": row(HOOK_400)},
    "webhooks:delete": {"GET": row(HOOK_405), "POST": row(HOOK_DONE)},
    "webhooks:deliveries": {"GET": row(HOOK_PAGE), "POST": row(HOOK_405)},
    "webhooks:redeliver": {"GET": row(HOOK_405), "POST": row(HOOK_DONE)},
    "calendars:feed": {"GET": same("404"), "POST": same("405")},  # the token is not a feed's
    "calendars:settings": {"GET": signed_in("ok"), "POST": signed_in("ok")},
    "calendars:revoke": {"GET": signed_in("405"), "POST": signed_in("R")},
    # --- tokens -----------------------------------------------------------------------------
    "api_tokens": {"GET": signed_in("ok"), "POST": signed_in("ok")},
    "api_token_revoke": {
        "GET": signed_in("405"),
        "POST": row("L R 404 404 404 404 404 404 404"),
    },
    # --- API v1: the session authenticates (CSRF is checked in its own test) ----------------
    "api:openapi-json": {"GET": same("ok"), "POST": same("405")},
    "api:api-root": {"GET": same("R"), "POST": same("405")},
    "api:docs": {"GET": same("ok"), "POST": same("405")},
    r"api/v1/^[\s\S]*$": {"GET": same("404"), "POST": same("404")},
    "api:me": {"GET": signed_in("ok", "401"), "POST": same("405")},
    "api:me_summary": {"GET": signed_in("ok", "401"), "POST": same("405")},
    "api:list_contributions": {"GET": signed_in("ok", "401")},
    "api:create_contribution": {"POST": signed_in("ok", "401")},
    "api:get_contribution": {
        "GET": row("401 ok 404 404 404 404 404 404 404"),
        "POST": same("405"),
    },
    "api:patch_contribution": {"PATCH": row("401 ok 404 404 404 404 404 404 404")},
    "api:remove_contribution": {"DELETE": row("401 ok 404 404 404 404 404 404 404")},
    "api:create_batch": {"GET": same("405"), "POST": signed_in("ok", "401")},
    "api:list_sources": {"GET": signed_in("ok", "401")},
    "api:add_source": {"POST": signed_in("ok", "401")},
    "api:get_source": {"POST": same("405"), "GET": API_OWN},
    "api:patch_source": {"POST": same("405"), "PATCH": API_OWN},
    "api:remove_source": {"POST": same("405"), "DELETE": API_OWN},
    "api:fetch_source_now": {"GET": same("405"), "POST": API_OWN},
    "api:list_drafts": {"GET": signed_in("ok", "401"), "POST": same("405")},
    "api:patch_draft": {
        "GET": same("405"),
        "POST": same("405"),
        "PATCH": row("401 ok 404 404 404 404 404 404 404"),
    },
    "api:accept": {"GET": same("405"), "POST": row("401 ok 404 404 404 404 404 404 404")},
    "api:dismiss": {"GET": same("405"), "POST": row("401 ok 404 404 404 404 404 404 404")},
    "api:list_kinds": {"GET": same("ok"), "POST": same("405")},
    "api:list_areas": {"GET": same("ok"), "POST": same("405")},
    "api:list_awards": {"GET": same("ok")},  # public awards are public
    # A's awards are private (A's profile is): a 404 to anyone but A and staff over A.
    "api:award_credential": {
        "GET": row("404 ok 404 404 404 404 ok 404 404"),
        "POST": same("405"),
    },
    "api:create_award": {"POST": row("401 403 403 403 403 403 ok 403 403")},
    "api:revoke": {
        "GET": same("405"),
        "POST": row("401 403 403 403 403 403 ok 403|404 403"),
    },
    "api:eligibility": {
        "GET": row("401 ok 404 404 404 404 ok 404 404"),
        "POST": same("405"),
    },
    "api:list_nominations": {"GET": signed_in("ok", "401")},
    "api:nominate": {"POST": row("401 403 403 ok ok 403 403 403 403")},
    "api:get_nomination": {
        "GET": row("401 ok 404 ok 404 ok ok 404 404"),
        "POST": same("405"),
    },
    # A nomination you cannot see is a 404; one you can see but not act on, a 403.
    "api:review": {
        "GET": same("405"),
        "POST": row("401 403 404 403 404 ok 403 404 404"),
    },
    "api:decide": {
        "GET": same("405"),
        "POST": row("401 403 404 403 404 403 ok 404 404"),
    },
    "api:withdraw": {"GET": same("405"), "POST": row("401 403 404 ok 404 403 403 404 404")},
    "api:list_endpoints": {"GET": row("401 403 403 403 403 403 ok 403 403")},
    "api:create_endpoint": {"POST": row("401 403 403 403 403 403 ok 403 403")},
    "api:get_endpoint": {"GET": row(HOOK_API), "POST": same("405")},
    "api:patch_endpoint": {"PATCH": row(HOOK_API)},
    "api:delete_endpoint": {"DELETE": row(HOOK_API)},
    "api:list_deliveries": {"GET": row(HOOK_API), "POST": same("405")},
}


def api_bodies(world) -> dict[str, dict]:
    """A valid body per unsafe API operation, so the answer is about access, not input."""
    today = datetime.date.today().isoformat()
    return {
        "api:create_contribution": {
            "kind": "blog-post",
            "technology_area": "dotnet",
            "title": "Access suite",
            "date": today,
            "url": "https://example.com/access-suite",
        },
        "api:patch_contribution": {"title": "Renamed"},
        "api:create_batch": {
            "items": [
                {
                    "kind": "blog-post",
                    "technology_area": "dotnet",
                    "title": "Access suite batch",
                    "date": today,
                }
            ]
        },
        "api:add_source": {
            "type": "github",
            "handle": "someone-new",
            "default_kind": "code-project",
            "technology_area": "dotnet",
        },
        "api:patch_source": {"POST": same("405"), "interval_hours": 12},
        "api:patch_draft": {"title": "Renamed draft"},
        # A's awards are private (A's profile is): a 404 to anyone but A and staff over A.
        "api:award_credential": {
            "GET": row("404 ok 404 404 404 404 ok 404 404"),
            "POST": same("405"),
        },
        "api:create_award": {
            "contributor": world.contributor_a.pk,
            "kind": "mvp",
            "technology_area": "azure",
            "starts_on": today,
        },
        "api:revoke": {"reason": "Access suite"},
        "api:nominate": {
            "candidate_email": "fresh@example.com",
            "candidate_name": "Fresh Face",
            "technology_area": "azure",
            "reason": "Runs the local user group.",
            "evidence_urls": ["https://example.com/ug"],
        },
        "api:review": {
            "expertise": 4,
            "quality": 4,
            "quantity": 4,
            "impact": 4,
            "recommendation": "award",
        },
        "api:decide": {"decision": "decline", "reason": "Not this time."},
        "api:withdraw": {"reason": "Changed my mind."},
        "api:create_endpoint": {
            "url": "http://127.0.0.1:9/access-suite",
            "events": ["award.granted"],
        },
        "api:patch_endpoint": {"description": "Access suite"},
    }


# --- the admin: classified by prefix, every pattern still listed ---------------------------

# What global program staff may do per admin model (the superuser may do everything the
# model admin allows). Program staff get the vocabularies and read-only views of profiles,
# entries and nominations; nobody else without ``is_staff`` reaches the admin at all.
ADMIN_MODELS: dict[str, dict[str, object]] = {
    "auth_group": {"staff": set(), "add": True},
    "account_emailaddress": {"staff": set(), "add": True},
    "mfa_authenticator": {"staff": set(), "add": True},
    "axes_accessattempt": {"staff": set(), "add": False},
    "axes_accesslog": {"staff": set(), "add": False},
    "axes_accessfailurelog": {"staff": set(), "add": False},
    "users_user": {"staff": set(), "add": True},
    "users_securityevent": {"staff": set(), "add": False, "change": False},
    "notifications_outboxemail": {"staff": set(), "add": False, "change": False},
    "notifications_notification": {"staff": set(), "add": True},
    "ops_jobrun": {"staff": set(), "add": False, "change": False},
    "contributions_technologyarea": {"staff": {"view", "add", "change"}, "add": True},
    "contributions_contributionkind": {"staff": {"view", "add", "change"}, "add": True},
    "contributions_contributor": {"staff": {"view"}, "add": True},
    "contributions_contribution": {"staff": {"view"}, "add": True},
    "nominations_nomination": {"staff": {"view"}, "add": True},
    "nominations_review": {"staff": set(), "add": True},
    "nominations_reviewassignment": {"staff": set(), "add": True},
    "nominations_invitation": {"staff": set(), "add": True},
    "api_apitoken": {"staff": set(), "add": False},
    "webhooks_endpoint": {"staff": set(), "add": False},
    "webhooks_delivery": {"staff": set(), "add": False},
    "calendars_calendarfeed": {"staff": set(), "add": False},
    "imports_source": {"staff": set(), "add": True},
    "imports_draft": {"staff": set(), "add": True},
}
NOT_ADMIN = "A A A A A A"  # anon, a, b, mvp, mvp2, reviewer: sent to the admin's sign-in


def _admin(staff: str, su: str) -> tuple[str, ...]:
    # columns: anon a b mvp mvp2 rev | staff | rm (no is_staff) | su
    return row(f"{NOT_ADMIN} {staff} A {su}")


def admin_expected(key: str, route: str) -> dict[str, tuple[str, ...]] | None:
    """The admin's patterns by rule; None when a pattern under /admin/ is not covered."""
    fixed = {
        "admin:index": {"GET": _admin("ok", "ok"), "POST": _admin("ok", "ok")},
        "admin:login": {
            "GET": row("L 403 403 403 403 403 R 403 R"),
            "POST": row("L 403 403 403 403 403 ok 403 ok"),
        },
        "admin:logout": {
            "GET": row("R R R R R R 405 R 405"),
            "POST": row("R R R R R R ok R ok"),
        },
        "admin:password_change": {"GET": _admin("ok", "ok"), "POST": _admin("ok", "ok")},
        "admin:password_change_done": {"GET": _admin("ok", "ok"), "POST": _admin("405", "405")},
        "admin:autocomplete": {"GET": _admin("403", "403"), "POST": _admin("405", "405")},
        "admin:jsi18n": {"GET": _admin("ok", "ok"), "POST": _admin("405", "405")},
        "admin:view_on_site": {"GET": _admin("404", "404"), "POST": _admin("404", "404")},
        "admin:app_list": {"GET": _admin("ok", "ok"), "POST": _admin("ok", "ok")},
        "admin/(?P<url>.*)$": {"GET": _admin("404", "404"), "POST": _admin("404", "404")},
        "admin:auth_user_password_change": {
            "GET": _admin("403", "ok"),
            "POST": _admin("403", "ok"),
        },
    }
    if key in fixed:
        return fixed[key]
    for model, spec in ADMIN_MODELS.items():
        app, _sep, name = model.partition("_")
        if route == f"admin/{app}/{name}/<path:object_id>/":  # old URL: redirects to change
            return {"GET": _admin("R", "R"), "POST": _admin("R", "R")}
        if not key.startswith(f"admin:{model}_"):
            continue
        action = key.removeprefix(f"admin:{model}_")
        staff = spec["staff"]
        can_view = "view" in staff
        grant = {
            "changelist": ("ok" if can_view else "403", "ok"),
            "history": ("ok" if can_view else "403", "ok"),
            "delete": ("403", "ok"),
            "add": ("ok" if "add" in staff else "403", "ok|R" if spec["add"] else "403"),
        }
        if action in grant:
            staff_cell, su_cell = grant[action]
            return {
                "GET": _admin(staff_cell, su_cell.split("|")[0]),
                "POST": _admin(staff_cell, su_cell),
            }
        if action == "change":
            su_post = "ok|R" if spec.get("change", True) else "403"
            staff_post = "ok|R" if "change" in staff else "403"
            return {
                "GET": _admin("ok" if can_view else "403", "ok"),
                "POST": _admin(staff_post, su_post),
            }
    return None


def expected_for(key: str, route: str) -> dict[str, tuple[str, ...]] | None:
    if key in EXPECTED:
        return EXPECTED[key]
    if route.startswith("admin/"):
        return admin_expected(key, route)
    return None
