from django import template

from cases import roles

register = template.Library()


@register.filter
def is_staff_member(user):
    """For the dashboard: whether its search box searches cases (handlers hold no page permission)."""
    return roles.is_staff_member(user)
