from accounts.models import User
from api.models import ApiToken


def tokens_for_user(user: User) -> list[ApiToken]:
    """The person's tokens, newest first, revoked ones included (greyed in the list)."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))
