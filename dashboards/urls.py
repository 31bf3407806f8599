from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("inspektorat/", views.inspektorat, name="inspektorat"),
    path("unit/<int:unit_pk>/", views.unit_workspace, name="unit"),
    path("pimpinan/", views.leadership, name="leadership"),
    path("tpn/", views.tpn, name="tpn"),
]
