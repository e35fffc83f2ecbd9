from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("sitzung/", views.session_state, name="session"),
    path("meine-daten/", views.manage_request, name="manage_request"),
    path("meine-daten/<str:token>/", views.manage, name="manage"),
    path("meine-daten/<str:token>/export/", views.manage_export, name="manage_export"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("melden/<int:comment_id>/", views.report, name="report"),
    path("hinweis/", views.notice, name="notice"),
    path("fehler/<int:article_id>/", views.error_report, name="error_report"),
    path("hinweis/<int:comment_id>/", views.notice, name="notice_comment"),
    path("hinweis/widerspruch/<str:token>/", views.notice_review, name="notice_review"),
    path("widerspruch/<str:token>/", views.review, name="review"),
    path("<int:article_id>/", views.thread, name="thread"),
    path("<int:article_id>/liste/", views.thread_fragment, name="fragment"),
    path("<int:article_id>/schreiben/", views.compose, name="compose"),
    path("<int:article_id>/abonnieren/", views.subscribe, name="subscribe"),
]
