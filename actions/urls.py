from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("", views.index, name="index"),
    path("penilaian/<int:pk>/rekomendasi/", views.recommendations, name="recommendations"),
    path("penilaian/<int:pk>/bawaan/", views.carried, name="carried"),
    path("penilaian/<int:pk>/rencana/", views.assessment_plan, name="assessment_plan"),
    path("rekomendasi/<int:pk>/", views.recommendation, name="recommendation"),
    path("buat/<str:source>/<int:pk>/", views.item_from, name="item_from"),
    path("unit/<int:pk>/<int:year>/", views.plan, name="plan"),
    path("kegiatan/<int:pk>/", views.item_detail, name="item"),
]
