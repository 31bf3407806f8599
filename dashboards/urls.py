from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("inspektorat/", views.inspektorat, name="inspektorat"),
    path("unit/<int:unit_pk>/", views.unit_workspace, name="unit"),
    path("pimpinan/", views.leadership, name="leadership"),
    path("inspektorat/unduh.<str:fmt>", views.inspektorat_export, name="inspektorat_export"),
    path("pimpinan/unduh.<str:fmt>", views.leadership_export, name="leadership_export"),
    path("tpn/", views.tpn, name="tpn"),
]
