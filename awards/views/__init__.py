"""Award pages: the policy and eligibility (``policy``), awards for staff with certificates and
verification (``grants``), MCC candidates (``mcc``) and the renewal queue (``renewals``).

Views read the clock and the request, ask the rules, and call queries and services; no
business rule lives here."""

from awards.views.grants import (
    award_detail,
    award_grant,
    award_list,
    award_renew,
    award_revoke,
    certificate,
)
from awards.views.mcc import mcc_candidate_list, mcc_grant
from awards.views.policy import (
    contributor_eligibility,
    my_eligibility,
    policy_change,
    policy_detail,
)
from awards.views.renewals import renewal_decide, renewal_detail, renewal_queue

__all__ = [
    "award_detail",
    "award_grant",
    "award_list",
    "award_renew",
    "award_revoke",
    "certificate",
    "contributor_eligibility",
    "mcc_candidate_list",
    "mcc_grant",
    "my_eligibility",
    "policy_change",
    "policy_detail",
    "renewal_decide",
    "renewal_detail",
    "renewal_queue",
]
