"""Static pages for readers: public, cacheable, the same HTML for everybody."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import http_date

from core.caching import cache_for_readers
from pages.models import Page


@cache_for_readers
def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page, slug=slug)
    response = render(request, "pages/page_detail.html", {"page": page})
    response["Last-Modified"] = http_date(page.updated_at.timestamp())
    return response
