from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .signals import SESSION_STATE

# Reachable while enrolment is pending: the factor pages themselves, signing out, the language.
OPEN_PREFIXES = ("/akun/2fa/", "/akun/reauthenticate/", "/akun/keamanan/", "/keluar/", "/i18n/")


class RequireSecondFactor:
    """Every page and the Django admin: a session whose person has a factor but did not use it
    (e.g. signed in on the admin's password-only page) ends; a person who must have a factor and
    has none sees only the enrolment pages. The state comes from the session (signals.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = request.session.get(SESSION_STATE) if hasattr(request, "session") else None
        if state and request.user.is_authenticated:
            if state["enrolled"] and not state["verified"]:
                logout(request)
                messages.warning(
                    request, _("Masuk lagi di halaman ini: akun Anda memakai faktor kedua.")
                )
                return redirect(f"{reverse('login')}?{urlencode({'next': request.path})}")
            if state["required"] and not state["enrolled"]:
                if not request.path.startswith(OPEN_PREFIXES):
                    if "HX-Request" in request.headers:
                        return HttpResponse(status=204)  # the page around it already redirected
                    messages.warning(
                        request,
                        _(
                            "Peran Anda (Admin Inspektorat atau evaluator TPI) mewajibkan faktor "
                            "kedua. Pasang aplikasi autentikator atau kunci keamanan dulu."
                        ),
                    )
                    return redirect("signin:security")
        return self.get_response(request)
