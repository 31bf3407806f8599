from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from actions.api import ActionItemViewSet, MonevViewSet, RecommendationViewSet
from dossier.api import DossierViewSet
from surveys.api import SurveyPeriodViewSet

from . import tokens, views

app_name = "api"

router = DefaultRouter()
router.register("pemda", views.PemdaViewSet, basename="pemda")
router.register("units", views.UnitViewSet, basename="unit")
router.register("people", views.PersonViewSet, basename="person")
router.register("instruments", views.InstrumentViewSet, basename="instrument")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("reports", views.ReportJobViewSet, basename="report")
router.register("survey-periods", SurveyPeriodViewSet, basename="survey-period")
router.register("dossiers", DossierViewSet, basename="dossier")
router.register("recommendations", RecommendationViewSet, basename="recommendation")
router.register("action-items", ActionItemViewSet, basename="action-item")
router.register("monev", MonevViewSet, basename="monev")

urlpatterns = [
    path("", include(router.urls)),
    path("token/", tokens.obtain_token, name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from drf-spectacular-sidecar (no CDN); the split view serves its start script as a
    # file of its own (no inline script, CSP). Redoc is left out: its page loads web fonts from a CDN.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # [\s\S], not ".": an address with an encoded newline (%0A) slipped past "." to the HTML 404.
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found, name="not-found"),
]
