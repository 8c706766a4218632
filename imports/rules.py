"""Sources and drafts are their owner's alone (staff included: nobody else sees an inbox)."""

import rules


@rules.predicate
def is_own_source(user, source) -> bool:
    return bool(user and user.is_authenticated and source and source.contributor.user_id == user.pk)


@rules.predicate
def is_own_draft(user, draft) -> bool:
    return bool(user and user.is_authenticated and draft and draft.contributor.user_id == user.pk)


rules.add_perm("imports.manage_source", is_own_source)
rules.add_perm("imports.manage_draft", is_own_draft)
