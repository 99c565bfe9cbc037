"""Notifications: who hears about what happens to a post. (Being written; see issue #3.)"""


def post_event(post, event, **data):
    return []
