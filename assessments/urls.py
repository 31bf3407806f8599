from django.urls import path

from . import instrument_views, views

app_name = "assessments"
urlpatterns = [
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/lke/<str:track>/", views.worksheet, name="worksheet"),
    path(
        "<int:pk>/lke/<str:track>/jawab/<int:question_pk>/", views.save_answer, name="save_answer"
    ),
    path(
        "<int:pk>/lke/<str:track>/riwayat/<int:question_pk>/",
        views.answer_history,
        name="answer_history",
    ),
    path("<int:pk>/langkah/<str:step>/", views.take_step, name="step"),
    path("<int:pk>/tahap-tpn/", views.record_tpn_stage, name="tpn_stage"),
    path(
        "<int:pk>/penyebut-nol/<str:code>/",
        views.zero_denominator,
        name="zero_denominator",
    ),
    path("unit/<int:unit_pk>/pencanangan/", views.proclaim, name="proclaim"),
    path("<int:pk>/pencanangan/", views.edit_proclamation, name="edit_proclamation"),
    path("instrumen/", instrument_views.instrument_list, name="instrument_list"),
    path("instrumen/impor/", instrument_views.instrument_import, name="instrument_import"),
    path("instrumen/<int:pk>/xlsx/", instrument_views.instrument_export, name="instrument_export"),
    path(
        "instrumen/<int:pk>/aktifkan/",
        instrument_views.instrument_activate,
        name="instrument_activate",
    ),
]
