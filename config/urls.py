from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from config import views as site_views
from departments import urls as departments_urls
from evaluations import urls as evaluations_urls
from evaluations.views import home as evaluations_home
from evaluations.views import inbox as inbox_views
from publishing import urls as publishing_urls
from publishing.portal import urls as portal_urls
from rubrics import urls as rubrics_urls

# Tenant URLs: every pattern under d/<department>/ and j/<jurisdiction>/ is guarded by
# departments.middleware.TenantScopeMiddleware and runs inside the tenant's scope.
department_urls = (
    evaluations_urls.department_urls
    + departments_urls.department_urls
    + publishing_urls.department_urls
)
jurisdiction_urls = (
    evaluations_urls.jurisdiction_urls
    + departments_urls.jurisdiction_urls
    + publishing_urls.jurisdiction_urls
)

urlpatterns = [
    path("", evaluations_home.home, name="home"),
    path("healthz/", site_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    # Not a tenant URL: a person's own inbox, whatever their departments.
    path("inbox/", include((inbox_views.urls, "inbox"))),
    path("d/<slug:department>/", include((department_urls, "department"))),
    path("j/<slug:jurisdiction>/", include((jurisdiction_urls, "bureau"))),
    # The public side: no login, no tenant scope (publishing/portal/).
    path("public/", include((portal_urls.portal_urls, "portal"))),
    path("verify/", include((portal_urls.verify_urls, "verify"))),
    path("api/", include((rubrics_urls.api_urls, "rubrics-api"))),
    path("api/d/<slug:department>/", include((evaluations_urls.api_urls, "department-api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", site_views.api_docs, name="api-docs"),
    path("admin/", admin.site.urls),
]

# Error pages: JSON under /api/, the site's templates elsewhere.
handler400 = site_views.bad_request
handler403 = site_views.permission_denied
handler404 = site_views.page_not_found
handler500 = site_views.server_error
