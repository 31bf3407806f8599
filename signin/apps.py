from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "signin"
    verbose_name = _("Masuk: SSO dan faktor kedua")

    def ready(self):
        from . import signals  # noqa: F401
