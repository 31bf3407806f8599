from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("penilaian/<int:assessment_pk>/", views.assessment_list, name="assessment_list"),
    path(
        "penilaian/<int:assessment_pk>/pertanyaan/<int:question_pk>/",
        views.question_panel,
        name="question_panel",
    ),
    path(
        "penilaian/<int:assessment_pk>/pertanyaan/<int:question_pk>/unggah/",
        views.upload_files,
        name="upload",
    ),
    path(
        "penilaian/<int:assessment_pk>/pertanyaan/<int:question_pk>/tautan/",
        views.add_link,
        name="add_link",
    ),
    path(
        "penilaian/<int:assessment_pk>/kelengkapan/", views.completeness_card, name="completeness"
    ),
    path("penilaian/<int:assessment_pk>/arsip/", views.archive_request, name="archive_request"),
    path("item/<int:item_pk>/hapus/", views.delete_item, name="delete"),
    path("item/<int:item_pk>/pulihkan/", views.restore_item, name="restore"),
    path("item/<int:item_pk>/reviu/", views.review_item, name="review"),
    path("item/<int:item_pk>/komentar/", views.comment_item, name="comment"),
    path("unduh/<int:version_pk>/", views.download, name="download"),
    path("arsip/<int:archive_pk>/", views.archive_detail, name="archive_detail"),
    path("arsip/<int:archive_pk>/unduh/", views.archive_download, name="archive_download"),
]
