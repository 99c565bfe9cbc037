from django.urls import path

from . import views

app_name = "wall"
urlpatterns = [
    path("post/new/", views.submit, name="submit"),
    path("post/thanks/<str:token>/", views.thanks, name="thanks"),
    path("track/", views.track_lookup, name="track_lookup"),
    path("track/<str:token>/", views.track, name="track"),
    path("track/<str:token>/follow-up/", views.follow_up, name="follow_up"),
    path("track/<str:token>/rate/", views.rate, name="rate"),
    path("track/<str:token>/reopen/", views.reopen, name="reopen"),
    path("my/posts/", views.my_posts, name="my_posts"),
    path("follow/<int:page_id>/", views.follow, name="follow"),
    path("answered/<int:page_id>/", views.answer_reused, name="answer_reused"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("stats/", views.transparency, name="transparency"),
    path("language/<str:code>/", views.switch_language, name="language"),
]
