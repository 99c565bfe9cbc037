from wagtail import hooks

from api.viewsets import ApiGroup


@hooks.register("register_admin_viewset")
def register_api_admin():
    return ApiGroup()
