from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("autor/<slug:slug>/", views.author, name="author"),
    path("<slug:section>/", views.section, name="section"),
    path("<slug:section>/<slug:slug>/", views.article_detail, name="detail"),
]
