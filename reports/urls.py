from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("minta/", views.request_report, name="request"),
    path("<int:pk>/unduh/", views.download, name="download"),
    path("<int:pk>/buat-ulang/", views.rerender, name="rerender"),
    path("penilaian/<int:assessment_pk>/lke-xlsx/", views.lke_xlsx, name="lke_xlsx"),
]
