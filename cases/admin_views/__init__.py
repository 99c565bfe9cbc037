"""Staff screens in the Wagtail admin: the queues, the case file and its actions.

Every action view calls exactly one Post transition; the model decides who may do what and from
which state. A PermissionDenied it raises reaches Wagtail's admin wrapper, which answers with its
usual "no permission" message, so the views only turn TransitionErrors into messages.
"""
