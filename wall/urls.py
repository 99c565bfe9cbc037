from django.urls import path, register_converter

from cases.params import parse_id

from . import views


class IdConverter:
    """A database id in a path: digits that fit a 64-bit column, else no match (404), not a 500."""

    regex = "[0-9]+"

    def to_python(self, value):
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")

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
    path("follow/<id:page_id>/", views.follow, name="follow"),
    path("answered/<id:page_id>/", views.answer_reused, name="answer_reused"),
    path("photos/<id:pk>/", views.photo, name="photo"),
    path("post/new/photos/<slug:key>/", views.pending_photo, name="pending_photo"),
    path("language/<str:code>/", views.switch_language, name="language"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("typical/", views.typical_cases, name="typical"),
    path("rectifications/", views.rectifications, name="rectifications"),
]
