from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from signin import views as signin_views
from signin.urls import allauth_overrides

from . import views

handler500 = "zi_portal.views.server_error"

admin.site.site_header = "ZI Portal — Administrasi"
admin.site.site_title = "ZI Portal"
# Empty values as the pages show them, not "None" or Django's "-".
admin.site.empty_value_display = "—"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("masuk/", signin_views.LoginView.as_view(), name="login"),
    path("keluar/", signin_views.logout, name="logout"),
    path("akun/kata-sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "akun/kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("unit/", include("units.urls")),
    path("data-dukung/", include("evidence.urls")),
    path("penilaian/", include("assessments.urls")),
    path("laporan/", include("reports.urls")),
    path("dasbor/", include("dashboards.urls")),
    path("notifikasi/", include("notifications.urls")),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("surveys.urls")),
    path("paket-usulan/", include("dossier.urls")),
    path("akun/", include("signin.urls")),
    path("akun/", include(allauth_overrides)),
    path("akun/", include("allauth.urls")),
    path("verifikasi/", include("reports.verify_urls")),
    path("reviu/", include("review.urls")),
    path("rencana-aksi/", include("actions.urls")),
]
