"""Reader URLs of live tickers (inside ``i18n_patterns``, before the articles' catch-all)."""

from django.urls import path

from ticker import views

app_name = "ticker"

urlpatterns = [
    path("<int:pk>/", views.updates, name="updates"),
]
