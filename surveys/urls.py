from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("survei/", views.period_list, name="list"),
    path("survei/buka/", views.period_open, name="open"),
    path("survei/kuesioner/", views.questionnaires, name="questionnaires"),
    path(
        "survei/kuesioner/<int:pk>/xlsx/",
        views.questionnaire_xlsx_export,
        name="questionnaire_xlsx",
    ),
    path("survei/<int:pk>/", views.period_detail, name="detail"),
    path("survei/<int:pk>/respons/", views.responses, name="responses"),
    path("survei/<int:pk>/respons/<int:response_pk>/batalkan/", views.void, name="void"),
    path("survei/<int:pk>/tutup/", views.close, name="close"),
    path("survei/<int:pk>/ke-lke/", views.land, name="land"),
    path("survei/<int:pk>/tpi/<str:index>/", views.tpi, name="tpi"),
    path("survei/<int:pk>/poster.pdf", views.poster_pdf, name="poster"),
    path("survei/<int:pk>/respons.xlsx", views.responses_xlsx, name="xlsx"),
    path("survei/<int:pk>/laporan/", views.request_report, name="report"),
    # The short public link printed on the poster: no login.
    path("s/<str:code>/", views.public_form, name="public_form"),
    path("s/<str:code>/terima-kasih/", views.public_thanks, name="public_thanks"),
]
