from django.contrib.auth.backends import ModelBackend

from .selectors import local_password_allowed


class PasswordBackend(ModelBackend):
    """Django's password check, refused for a person whose Pemda switched local passwords off: the
    sign-in page, the admin's and POST /api/v1/token/ all come through here."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not local_password_allowed(user):
            return None
        return user

    # get_user (every request's session) keeps ModelBackend's rule: an SSO session is valid, and
    # no page pays for the Pemda lookup.
