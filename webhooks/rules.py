"""Webhooks are program-wide (every award in every region), so only global staff manage
them; a regional manager would otherwise learn about other regions' awards."""

import rules

from accounts.rules import is_global_staff

can_manage_webhooks = is_global_staff

rules.add_perm("webhooks.manage_endpoints", can_manage_webhooks)
