from django.http import Http404
from django.urls import path, re_path
from django.views.generic import RedirectView

from . import views

app_name = "signin"

urlpatterns = [
    path("keamanan/", views.security, name="security"),
    path("orang/", views.people, name="people"),
    path("orang/<int:pk>/", views.person_action, name="person_action"),
]


# Before allauth's own URLs (zi_portal/urls.py): its password pages are the portal's /masuk/ and
# /keluar/, and the OpenID Connect views keep the ID token for the provider's sign-out.
def _not_here(request, *args, **kwargs):
    raise Http404


allauth_overrides = [
    # allauth's e-mail and password-reset pages are not the portal's: passwords change at
    # /akun/kata-sandi/, and people are added by an Admin Inspektorat.
    re_path(r"^(password|email|confirm-email|code|3rdparty/signup)/", _not_here),
    path("login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("signup/", RedirectView.as_view(pattern_name="login")),
    path("logout/", views.logout),
    path("oidc/<str:provider_id>/login/", views.oidc_login, name="openid_connect_login"),
    path(
        "oidc/<str:provider_id>/login/callback/",
        views.oidc_callback,
        name="openid_connect_callback",
    ),
]
