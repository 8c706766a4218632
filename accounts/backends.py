"""Django's model permissions, for what the rules do not declare.

Django's ``ModelBackend`` answers every permission with yes for a superuser. Program
permissions (``nominations.nominate``, ``contributions.manage_contribution``,
``nominations.view_nomination``, ...) are about who someone is — an MVP, the owner of an entry,
the candidate, an assigned reviewer — so that blanket yes let a superuser nominate without an
award, edit anyone's log and review unassigned nominations. Every permission the django-rules
predicates declare is decided by them alone (they say where a superuser may act, e.g. the
vocabularies in the admin); a superuser who runs the program is granted a program role like
anyone else. The rest (the admin's model permissions) stays with ``ModelBackend``.
"""

import rules
from django.contrib.auth.backends import ModelBackend


class ModelPermissionBackend(ModelBackend):
    """``ModelBackend`` minus the permissions the rules declare."""

    def has_perm(self, user_obj, perm, obj=None):
        if rules.perm_exists(perm):
            return False
        return super().has_perm(user_obj, perm, obj)
