from django.urls import path

from . import views

app_name = "dossier"
urlpatterns = [
    path("<int:assessment_pk>/", views.detail, name="detail"),
    path("<int:assessment_pk>/buka/", views.open_dossier, name="open"),
    path("<int:assessment_pk>/simpan/", views.save_details, name="save"),
    path("<int:assessment_pk>/unggah/<str:item>/", views.upload_scan, name="upload"),
    path("<int:assessment_pk>/dokumen/<str:kind>/", views.request_document, name="document"),
    path("pindaian/<int:pk>/unduh/", views.download_scan, name="download_scan"),
]
