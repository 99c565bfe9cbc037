from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from accounts.forms import ThrottledLoginForm
from api import v1

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("captcha/", include("captcha.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=ThrottledLoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("search/", include("search.urls")),
    path("stats/", include("stats.urls")),
    path("api/v1/", v1.urls()),
    path("open311/v2/", include("api.open311")),
    path("sitemap.xml", sitemap),
    path("", include("wall.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# Wagtail's page serving comes last: it catches every remaining path.
urlpatterns += [path("", include(wagtail_urls))]
