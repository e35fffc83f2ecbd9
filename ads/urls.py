from django.urls import path

from ads import views

app_name = "ads"

urlpatterns = [
    path("slot/<slug:code>/", views.slot_fill, name="slot"),
    path("klick/<str:token>/", views.click, name="click"),
    path("rahmen/<str:token>/", views.frame, name="frame"),
    path("gesehen/<str:token>/", views.pixel, name="pixel"),
    path("sichtbar/", views.viewed, name="viewed"),
]
