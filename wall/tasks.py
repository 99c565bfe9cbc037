"""Background work run through django-tasks: inline with the immediate backend, by a worker in production."""

from django_tasks import task


@task()
def deliver_notification(notification_id):
    # Imported here because wall.notify enqueues this task and so imports this module.
    from wall import notify

    return notify.deliver(notification_id)
