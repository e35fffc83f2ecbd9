from django.urls import path

from tests.benchmarks.floor.views import healthz, page

urlpatterns = [
    path("", page),
    path("healthz", healthz),
]
