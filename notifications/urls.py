from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("jumlah/", views.unread_badge, name="badge"),
    path("baca/", views.mark_read, name="mark_read"),
]
