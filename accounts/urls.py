from django.urls import path

from . import views

urlpatterns = [
    path("cas/login/", views.cas_login, name="cas_ng_login"),
    path("cas/logout/", views.cas_logout, name="cas_ng_logout"),
    path("oidc/login/", views.oidc_login, name="oidc_authentication_init"),
    path("oidc/callback/", views.oidc_callback, name="oidc_authentication_callback"),
    path("wecom/login/", views.wecom_login, name="wecom_login"),
    path("wecom/callback/", views.wecom_callback, name="wecom_callback"),
]
