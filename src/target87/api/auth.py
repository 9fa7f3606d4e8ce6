"""Who calls the API: a bearer token (``target87 create-api-token``) stands for its user.

Writes need a token (:class:`TokenAuth`). Reads take one when it is sent (:class:`OptionalTokenAuth`): a convener
then sees what their role lets them see on the web pages (drafts, ballots being prepared); without a token, the
caller sees what the public sees. A token that is sent but unknown, revoked or of an inactive user is refused on
both, never read as a visitor.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from target87.core import ratelimit

from .models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        row = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(token), revoked_at=None).first()
        if row is None or not row.user.is_active:
            return None
        wait = ratelimit.wait_for(f"api:{row.pk}", limit=settings.API_REQUESTS_PER_MINUTE, seconds=60)
        if wait:
            raise HttpError(
                429,
                _("This token sent more than %(limit)d requests in a minute. Wait %(seconds)d seconds.")
                % {"limit": settings.API_REQUESTS_PER_MINUTE, "seconds": wait},
            )
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


class OptionalTokenAuth(TokenAuth):
    """A token's user when an Authorization header is sent; otherwise the visitor as the site knows them."""

    openapi_description = "Optional on reads: a token shows what its user may see, such as drafts to conveners."

    def __call__(self, request: HttpRequest):
        if not request.headers.get(self.header):
            if getattr(request, "user", None) is None:
                request.user = AnonymousUser()
            return request.user  # a user object, signed in or not, is always true for ninja
        return super().__call__(request)


#: ``openapi_extra`` of the reads that take :class:`OptionalTokenAuth`: OpenAPI's way to say "or no token"
OPTIONAL = {"security": [{}]}
