"""Who may do what (DESIGN.md §2). Decided per request, never at import time."""

from django.contrib.auth.models import Group, Permission

# The backend that grants role permissions (through groups), for `User.objects.with_perm`: it must be
# named once a site has several backends (campus single sign-on).
GROUP_PERMISSIONS = "django.contrib.auth.backends.ModelBackend"


def is_editor(user):
    return user is not None and user.is_active and user.has_perm("cases.moderate_post")


def is_global_supervisor(user):
    return user is not None and user.is_active and user.has_perm("cases.supervise_all")


def supervises(user, unit):
    """True if user watches unit as a supervisor (global supervisors watch every unit)."""
    if user is None or unit is None or not user.is_active:
        return False
    return is_global_supervisor(user) or unit.supervisors.filter(pk=user.pk).exists()


def handles(user, unit):
    """True if user is one of unit's handlers (superusers handle every unit)."""
    if user is None or unit is None or not user.is_active:
        return False
    return user.is_superuser or unit.handlers.filter(pk=user.pk).exists()


def handles_any_unit(user):
    return user is not None and user.is_active and (user.is_superuser or user.handled_units.exists())


def supervises_any_unit(user):
    return is_global_supervisor(user) or (user is not None and user.is_active and user.supervised_units.exists())


def may_view_statistics(user):
    """Leaders, supervisors, global supervisors and editors read every unit's figures and ledgers."""
    return user is not None and user.is_active and user.has_perm("cases.view_statistics")


def reads_every_units_ledgers(user):
    """A statistics reader who watches some units as a supervisor sees those units' ledgers only."""
    return is_editor(user) or is_global_supervisor(user) or not supervises_any_unit(user)


def is_leader(user):
    """校领导: reads every figure and case file, instructs (批示), handles and supervises nothing."""
    return may_view_statistics(user) and not is_editor(user) and not supervises_any_unit(user)


def reads_every_case(user):
    """Editors, global supervisors and leaders open every case file (leaders to read and instruct);
    a unit supervisor their units', a handler their units'."""
    return is_editor(user) or is_global_supervisor(user) or is_leader(user)


def is_staff_member(user):
    return is_editor(user) or handles_any_unit(user) or supervises_any_unit(user)


LEADERS = "校领导"

# The Wagtail groups each role gets (DESIGN.md §2), with their permissions. Handlers' and
# supervisors' reach is further limited to their units by unit membership, not by group.
# 整改台账: editors and supervisors open, update and close rectification items.
RECTIFICATIONS = ["cases.add_rectification", "cases.change_rectification", "cases.view_rectification"]
ROLE_GROUPS = {
    "编辑": [
        "wagtailadmin.access_admin",
        "cases.moderate_post",
        "cases.add_kind",
        "cases.change_kind",
        "cases.add_category",
        "cases.change_category",
        "cases.add_place",
        "cases.change_place",
        "cases.add_unit",
        "cases.change_unit",
        "cases.add_calendarday",
        "cases.change_calendarday",
        "cases.delete_calendarday",
        "cases.change_handlingsettings",
        "stats.change_statisticssettings",
        "cases.view_statistics",
        *RECTIFICATIONS,
    ],
    "信息员": ["wagtailadmin.access_admin"],
    "督查员": ["wagtailadmin.access_admin", "cases.view_statistics", *RECTIFICATIONS],
    "全局督办员": ["wagtailadmin.access_admin", "cases.supervise_all", "cases.view_statistics", *RECTIFICATIONS],
    LEADERS: ["wagtailadmin.access_admin", "cases.view_statistics"],
}


def ensure_groups():
    """Create the role groups if missing and give them their permissions. Idempotent."""
    groups = {}
    for name, codenames in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        groups[name] = group
    return groups
