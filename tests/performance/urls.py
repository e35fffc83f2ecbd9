"""A tiny URLconf for exercising the page cache in isolation."""

from django.db import OperationalError
from django.http import HttpResponse
from django.urls import path

from core.pagecache import mark_cacheable

STATE = {"renders": 0, "body": "Version 1", "fail": False}


def cached_page(request):
    STATE["renders"] += 1
    if STATE["fail"]:
        raise OperationalError("connection to server failed")
    response = HttpResponse(f"<p>{STATE['body']}</p>")
    response["ETag"] = f'"{STATE["body"]}"'
    return mark_cacheable(response, "article:1")


def private_page(request):
    STATE["renders"] += 1
    return HttpResponse("nicht cachebar")


urlpatterns = [
    path("seite/", cached_page),
    path("privat/", private_page),
]
