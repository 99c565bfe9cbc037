from django.urls import path

from cases.admin_views import actions, case_file, handling, intake, queues

app_name = "cases_admin"
urlpatterns = [
    path("posts/", queues.AllPosts.as_view(), name="posts"),
    path("posts/results/", queues.AllPosts.as_view(results_only=True), name="posts_results"),
    path("posts/screening/", queues.ScreeningQueue.as_view(), name="screening"),
    path("posts/new/", intake.take_in, name="intake"),
    path("posts/unreplied/", queues.UnrepliedQueue.as_view(), name="unreplied"),
    path("posts/overdue/", queues.OverdueQueue.as_view(), name="overdue"),
    path("posts/overdue/all/", queues.AllOverdueQueue.as_view(), name="all_overdue"),
    path("posts/overdue/all/results/", queues.AllOverdueQueue.as_view(results_only=True), name="all_overdue_results"),
    path("posts/awaiting-closure/", queues.AwaitingClosureQueue.as_view(), name="awaiting_closure"),
    path("posts/on-hold/", queues.OnHoldQueue.as_view(), name="on_hold"),
    path("posts/key-supervision/", queues.KeySupervisionQueue.as_view(), name="key_supervision"),
    path("posts/<int:pk>/", case_file.post_detail, name="post"),
    path("posts/<int:pk>/accept/", actions.accept, name="accept"),
    path("posts/<int:pk>/reject/", actions.reject, name="reject"),
    path("posts/<int:pk>/merge/", actions.merge, name="merge"),
    path("posts/<int:pk>/reply/", actions.reply, name="reply"),
    path("posts/<int:pk>/close/", actions.close, name="close"),
    path("posts/<int:pk>/publish/", actions.publish, name="publish"),
    path("posts/<int:pk>/unpublish/", actions.unpublish, name="unpublish"),
    path("posts/<int:pk>/public-text/", actions.edit_public_text, name="public_text"),
    path("posts/<int:pk>/transfer/", handling.transfer, name="transfer"),
    path("posts/<int:pk>/co-handle/", handling.co_handle, name="co_handle"),
    path("posts/<int:pk>/note/", handling.add_note, name="note"),
    path("posts/<int:pk>/reassign/", handling.reassign, name="reassign"),
    path("posts/<int:pk>/routing/", handling.correct_routing, name="correct_routing"),
    path("posts/<int:pk>/urge/", handling.urge, name="urge"),
    path("posts/<int:pk>/instruct/", handling.instruct, name="instruct"),
    path("posts/<int:pk>/instruction/answer/", handling.answer_instruction, name="answer_instruction"),
    path("posts/<int:pk>/key-supervision/mark/", handling.mark_key_supervision, name="mark_key_supervision"),
    path("posts/<int:pk>/key-supervision/unmark/", handling.unmark_key_supervision, name="unmark_key_supervision"),
    path("posts/<int:pk>/return-visit/", handling.record_return_visit, name="return_visit"),
]
