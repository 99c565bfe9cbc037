from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.transparency, name="transparency"),
    path("common-questions/", views.common_questions, name="common_questions"),
]
