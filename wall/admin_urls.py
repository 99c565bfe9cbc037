from django.urls import path

from wall import admin_views

app_name = "wall_admin"
urlpatterns = [
    path("posts/", admin_views.post_list, name="posts"),
    path("posts/screening/", admin_views.screening_queue, name="screening"),
    path("posts/unreplied/", admin_views.unreplied_queue, name="unreplied"),
    path("posts/<int:pk>/", admin_views.post_detail, name="post"),
    path("posts/<int:pk>/accept/", admin_views.accept, name="accept"),
    path("posts/<int:pk>/reject/", admin_views.reject, name="reject"),
    path("posts/<int:pk>/reply/", admin_views.reply, name="reply"),
    path("posts/<int:pk>/close/", admin_views.close, name="close"),
    path("posts/<int:pk>/publish/", admin_views.publish, name="publish"),
    path("posts/<int:pk>/unpublish/", admin_views.unpublish, name="unpublish"),
    path("posts/<int:pk>/public-text/", admin_views.edit_public_text, name="public_text"),
]
