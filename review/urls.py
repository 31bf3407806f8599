from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("unduh.<str:fmt>", views.queue_export, name="queue_export"),
    path("terima/", views.bulk_accept, name="bulk_accept"),
    path("permintaan/<int:pk>/", views.request_detail, name="request"),
    path("permintaan/<int:pk>/<str:action>/", views.request_action, name="request_action"),
    path(
        "penilaian/<int:pk>/pertanyaan/<int:question_pk>/minta-perbaikan/",
        views.open_request,
        name="open",
    ),
    path("penilaian/<int:pk>/evaluasi/<str:action>/", views.evaluation_step, name="evaluation"),
    path("penugasan/", views.assignments, name="assignments"),
    path("penugasan/<int:pk>/hapus/", views.unassign, name="unassign"),
    path("pratinjau/<int:version_pk>/", views.preview, name="preview"),
    path("pratinjau/<int:version_pk>/<int:page>.png", views.preview_page, name="preview_page"),
]
