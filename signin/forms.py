from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .selectors import local_password_allowed


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "sso_only": _(
            "Pemda Anda tidak lagi memakai kata sandi ZI Portal: masuk dengan tombol SSO di bawah."
        ),
    }

    def clean(self):
        # Said before the password is checked: in an SSO-only Pemda there is no password to guess,
        # and the person learns at once which button to use (no throttling count either).
        username = self.cleaned_data.get("username")
        if username:
            user = get_user_model()._default_manager.filter(username=username).first()
            if user is not None and not local_password_allowed(user):
                raise forms.ValidationError(self.error_messages["sso_only"], code="sso_only")
        return super().clean()


class AuthenticateForm(AllauthAuthenticateForm):
    """allauth's second-factor code form, behind the same lockout as passwords (django-axes: the
    username and address pair). Wrong codes are counted by signals.count_wrong_factor."""

    def clean_code(self):
        request = context.request
        if not AxesProxyHandler.is_allowed(request, {"username": self.user.get_username()}):
            raise forms.ValidationError(
                _(
                    "Terlalu banyak percobaan yang salah: akun ini dikunci sementara. "
                    "Coba lagi nanti atau hubungi Admin Inspektorat."
                ),
                code="locked_out",
            )
        return super().clean_code()
