"""API v1 viewsets. Querysets come from the same selectors as the pages (objects of other units or
Pemda are 404), object permissions from accounts/rules.py (403), and every write goes through the
domain services, so the API can do nothing the UI would refuse."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.models import Membership
from accounts.roles import role_map
from accounts.rules import INSPEKTORAT, PEMDA_READERS
from assessments import lifecycle, services
from assessments.models import Answer, Assessment, Instrument, Question, Score, Track
from assessments.selectors import timeline, visible_assessments
from evidence import services as evidence_services
from evidence import upload
from evidence.models import EvidenceItem, EvidenceVersion
from evidence.selectors import item_visible_to
from units.models import Pemda, WorkUnit
from units.selectors import unit_people, visible_pemdas, visible_units
from zi_portal.downloads import protected_download

from . import filters, serializers
from .exceptions import Conflict
from .permissions import RulesPermission


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@authentication_classes([])
def not_found(request, path=""):
    """Any other address under /api/v1/ answers JSON too, never the HTML error page."""
    raise NotFound(_("Alamat API ini tidak ada."))


def _schema_only(view):
    """drf-spectacular builds the schema with a fake view and no real user."""
    return getattr(view, "swagger_fake_view", False)


class ApiViewSet(viewsets.GenericViewSet):
    permission_classes = [RulesPermission]
    rules_perms: dict = {}


# --- Pemda, units, people, instruments -----------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Daftar Pemda yang dapat dilihat"),
    retrieve=extend_schema(summary="Satu Pemda"),
)
class PemdaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = serializers.PemdaSerializer
    filterset_class = filters.PemdaFilter
    ordering_fields = ["name", "code"]
    ordering = ["name", "pk"]
    rules_perms = {"retrieve": "units.view_pemda"}

    def get_queryset(self):
        if _schema_only(self):
            return Pemda.objects.none()
        return visible_pemdas(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Daftar unit kerja yang dapat dilihat"),
    retrieve=extend_schema(summary="Satu unit kerja"),
)
class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = serializers.UnitSerializer
    filterset_class = filters.UnitFilter
    ordering_fields = ["code", "name", "type"]
    ordering = ["code", "pk"]
    rules_perms = {"retrieve": "units.view_unit", "people": "units.view_unit_people"}

    def get_queryset(self):
        if _schema_only(self):
            return WorkUnit.objects.none()
        return visible_units(self.request.user).select_related("pemda")

    @extend_schema(
        summary="Orang (peran) di satu unit kerja",
        responses=serializers.PersonSerializer(many=True),
    )
    @action(detail=True, filter_backends=[], serializer_class=serializers.PersonSerializer)
    def people(self, request, pk=None):
        unit = self.get_object()
        page = self.paginate_queryset(unit_people(unit).order_by("role", "user__full_name", "pk"))
        return self.get_paginated_response(serializers.PersonSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Daftar orang dan perannya"),
    retrieve=extend_schema(summary="Satu peran"),
)
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Unit roles of the units the user may see (units.view_unit_people agrees with visible_units)
    and the Pemda-wide roles of the Pemda where the user holds a Pemda-wide role."""

    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    ordering_fields = ["role", "user__username", "user__full_name"]
    ordering = ["pemda_id", "unit_id", "role", "pk"]

    def get_queryset(self):
        if _schema_only(self):
            return Membership.objects.none()
        user = self.request.user
        qs = Membership.objects.select_related("user")
        if user.is_superuser:
            return qs
        return qs.filter(
            Q(unit__in=visible_units(user))
            | Q(unit__isnull=True, pemda_id__in=role_map(user).pemdas_with(PEMDA_READERS))
        )


@extend_schema_view(
    list=extend_schema(summary="Daftar instrumen LKE"),
    retrieve=extend_schema(summary="Satu instrumen LKE dengan strukturnya"),
)
class InstrumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The national instruments and the ones imported by the user's own Pemda."""

    filterset_class = filters.InstrumentFilter
    ordering_fields = ["year", "code", "version"]
    ordering = ["-year", "code", "-version"]

    def get_serializer_class(self):
        return (
            serializers.InstrumentDetailSerializer
            if self.action == "retrieve"
            else serializers.InstrumentSerializer
        )

    def get_queryset(self):
        if _schema_only(self):
            return Instrument.objects.none()
        user = self.request.user
        qs = Instrument.objects.all()
        if not user.is_superuser:
            qs = qs.filter(Q(pemda__isnull=True) | Q(pemda_id__in=role_map(user).pemda_ids))
        return qs.defer("spec") if self.action != "retrieve" else qs


# --- assessments, answers, scores, lifecycle ------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Daftar penilaian ZI yang dapat dilihat"),
    retrieve=extend_schema(summary="Satu penilaian ZI dengan langkah yang tersedia"),
    create=extend_schema(
        summary="Pencanangan: membuka tahun ZI sebuah unit",
        request=serializers.ProclaimSerializer,
        responses={201: serializers.AssessmentDetailSerializer},
    ),
)
class AssessmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet
):
    filterset_class = filters.AssessmentFilter
    ordering_fields = ["year", "unit__name", "unit__code", "stage", "created_at"]
    ordering = ["-year", "unit__code", "pk"]
    rules_perms = {"*": "assessments.view_assessment"}

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.AssessmentSerializer
        if self.action == "create":
            return serializers.ProclaimSerializer
        return serializers.AssessmentDetailSerializer

    def get_queryset(self):
        if _schema_only(self):
            return Assessment.objects.none()
        return (
            visible_assessments(self.request.user)
            .select_related("unit")
            .prefetch_related("witnesses")
        )

    def create(self, request, *args, **kwargs):
        form = serializers.ProclaimSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        unit = visible_units(request.user).select_related("pemda").filter(pk=d["unit"]).first()
        if unit is None:
            raise ValidationError({"unit": [_("Unit kerja tidak ditemukan.")]})
        assessment = lifecycle.proclaim(
            unit=unit,
            year=d["year"],
            proclaimed_on=d["proclaimed_on"],
            place=d["place"],
            signatory_name=d["signatory_name"],
            signatory_title=d["signatory_title"],
            signatory_nip=d["signatory_nip"],
            target=d["target"],
            witnesses=d["witnesses"],
            by=request.user,
            note=d["note"],
        )
        data = serializers.AssessmentDetailSerializer(
            assessment, context=self.get_serializer_context()
        ).data
        return Response(data, status=status.HTTP_201_CREATED)

    # answers ------------------------------------------------------------------------------
    @extend_schema(
        methods=["GET"],
        summary="Jawaban LKE (per jalur)",
        responses=serializers.AnswerSerializer(many=True),
        parameters=[
            OpenApiParameter(
                "track",
                str,
                enum=Track.values,
                required=False,
                description="self (penilaian mandiri), tpi (evaluasi TPI), tpn (hasil TPN)",
            )
        ],
    )
    @extend_schema(
        methods=["POST", "PUT"],
        summary="Menyimpan satu jawaban",
        description="Hak menulis mengikuti jalur dan tahap (sama dengan LKE di portal). Kirim `revision` yang "
        "terakhir dibaca: bila jawaban sudah diubah orang lain, hasilnya 409 dengan jawaban terbaru.",
        request=serializers.AnswerWriteSerializer,
        responses={200: serializers.AnswerSavedSerializer},
    )
    @action(detail=True, methods=["get", "post", "put"], filter_backends=[])
    def answers(self, request, pk=None):
        assessment = self.get_object()
        if request.method in ("POST", "PUT"):
            return self._save_answer(request, assessment)
        track = request.query_params.get("track")
        qs = (
            Answer.objects.filter(assessment=assessment)
            .select_related("question", "updated_by")
            .order_by("track", "question__order", "pk")
        )
        if track:
            if track not in Track.values:
                raise ValidationError(
                    {"track": [_("Jalur harus salah satu dari: self, tpi, tpn.")]}
                )
            qs = qs.filter(track=track)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(serializers.AnswerSerializer(page, many=True).data)

    def _save_answer(self, request, assessment):
        form = serializers.AnswerWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        question = Question.objects.filter(
            instrument_id=assessment.instrument_id, code=d["question"]
        ).first()
        if question is None:
            raise ValidationError(
                {
                    "question": [
                        _("Pertanyaan %(code)s tidak ada di LKE penilaian ini.")
                        % {"code": d["question"]}
                    ]
                }
            )
        saved = services.save_answer(
            assessment=assessment,
            question=question,
            track=d["track"],
            by=request.user,
            value=d.get("value"),
            note=d.get("note"),
            expected_revision=d.get("revision"),
        )
        saved.answer.question = question
        return Response(
            serializers.AnswerSavedSerializer(
                {"answer": saved.answer, "created": saved.created, "changed": saved.changed}
            ).data
        )

    # scores -------------------------------------------------------------------------------
    @extend_schema(summary="Nilai tersimpan per jalur", responses=serializers.ScoresSerializer)
    @action(detail=True, filter_backends=[], pagination_class=None)
    def scores(self, request, pk=None):
        assessment = self.get_object()
        scores = Score.objects.filter(assessment=assessment).order_by("track")
        return Response(
            serializers.ScoresSerializer(
                {"pending": assessment.scores_pending, "scores": scores}
            ).data
        )

    # lifecycle ----------------------------------------------------------------------------
    @extend_schema(
        methods=["GET"],
        summary="Riwayat tahapan dan langkah yang tersedia",
        responses=serializers.TransitionsSerializer,
    )
    @extend_schema(
        methods=["POST"],
        summary="Mengambil satu langkah tahapan",
        description="Penjagaan sama dengan portal; langkah yang ditolak menjawab 409 dengan setiap syarat "
        "yang belum terpenuhi di `reasons`.",
        request=serializers.TransitionRequestSerializer,
        responses={200: serializers.TransitionsSerializer},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def transitions(self, request, pk=None):
        assessment = self.get_object()
        if request.method == "POST":
            form = serializers.TransitionRequestSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            d = form.validated_data
            step = lifecycle.STEPS[d["step"]]
            # Permission before the stage, so a role that may never take the step hears so (403).
            if not request.user.has_perm(step.permission, assessment):
                raise PermissionDenied(
                    _("Anda tidak berwenang untuk %(step)s.") % {"step": str(step.label).lower()}
                )
            lifecycle.take_step(
                d["step"],
                assessment=assessment,
                by=request.user,
                note=d["note"],
                target=d.get("target"),
                result=d.get("result"),
                on=d.get("on"),
                decree_number=d.get("decree_number") or "",
                override_reason=d.get("override_reason") or "",
            )
            assessment.refresh_from_db()
        return Response(
            serializers.TransitionsSerializer(
                {
                    "stage": assessment.stage,
                    "available_steps": lifecycle.available_steps(assessment, request.user),
                    "history": timeline(assessment),
                }
            ).data
        )

    @extend_schema(
        methods=["GET"],
        summary="Hasil tahapan TPN (seleksi administrasi, desk, sanggah, lapangan, penetapan)",
        responses=serializers.TpnStageSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Mencatat hasil satu tahapan TPN",
        description="Hanya Admin Inspektorat, selama reviu TPN, berurutan; yang ditolak menjawab 409 "
        "dengan alasannya di `reasons`. Penetapan dicatat lewat langkah `designate`.",
        request=serializers.TpnStageSerializer,
        responses={201: serializers.TpnStageSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="tpn-stages",
        filter_backends=[],
        pagination_class=None,
        serializer_class=serializers.TpnStageSerializer,
    )
    def tpn_stages(self, request, pk=None):
        assessment = self.get_object()
        if request.method == "POST":
            if not request.user.has_perm("assessments.record_tpn", assessment):
                raise PermissionDenied(_("Anda tidak berwenang mencatat hasil tahapan TPN."))
            form = serializers.TpnStageSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            d = form.validated_data
            lifecycle.record_tpn_stage(
                assessment=assessment,
                phase=d["phase"],
                result=d["result"],
                on=d.get("on"),
                note=d.get("note", ""),
                by=request.user,
            )
        stages = assessment.tpn_stages.select_related("by")
        return Response(
            serializers.TpnStageSerializer(stages, many=True).data,
            status=status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK,
        )


# --- evidence ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Daftar data dukung"),
    retrieve=extend_schema(summary="Satu data dukung dengan semua versinya"),
    create=extend_schema(
        summary="Mengunggah berkas atau menambahkan tautan",
        description="multipart/form-data dengan `file` (berkas) atau JSON/form dengan `url` (tautan). Jenis berkas "
        "dikenali dari isinya; berkas yang ditolak menjawab 400 dengan pesan yang jelas.",
        request={
            "multipart/form-data": serializers.EvidenceCreateSerializer,
            "application/json": serializers.EvidenceCreateSerializer,
        },
        responses={201: serializers.EvidenceItemDetailSerializer},
    ),
    destroy=extend_schema(summary="Menghapus data dukung (Inspektorat tetap dapat memulihkannya)"),
)
class EvidenceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
):
    filterset_class = filters.EvidenceFilter
    ordering_fields = ["created_at", "updated_at", "title", "status"]
    ordering = ["assessment_id", "question__order", "created_at", "pk"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    rules_perms = {"retrieve": "evidence.view_evidence", "download": "evidence.view_evidence"}
    # One file per request (zi_portal.middleware.RequestBodyLimits refuses more unread).
    max_request_bytes = staticmethod(lambda: upload.max_request_bytes(files=1))

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.EvidenceItemSerializer
        if self.action == "create":
            return serializers.EvidenceCreateSerializer
        return serializers.EvidenceItemDetailSerializer

    def get_queryset(self):
        if _schema_only(self):
            return EvidenceItem.objects.none()
        user = self.request.user
        qs = EvidenceItem.objects.filter(assessment__in=visible_assessments(user))
        if not user.is_superuser:
            # Deleted items only for the Inspektorat (evidence.view_deleted_evidence = is_inspektorat).
            qs = qs.filter(
                Q(deleted_at__isnull=True)
                | Q(assessment__unit__pemda_id__in=role_map(user).pemdas_with(INSPEKTORAT))
            )
        qs = qs.select_related(
            "assessment__unit",
            "question",
            "current_version__uploaded_by",
            "created_by",
            "reviewed_by",
        )
        if self.action != "list":
            qs = qs.prefetch_related(
                Prefetch(
                    "versions",
                    queryset=EvidenceVersion.objects.select_related("uploaded_by").order_by(
                        "-number"
                    ),
                )
            )
        return qs

    def get_object(self):
        item = super().get_object()
        if not item_visible_to(self.request.user, item):
            raise NotFound()
        return item

    def _item_response(self, item, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=item.pk)
        return Response(serializers.EvidenceItemDetailSerializer(fresh).data, status=status_code)

    def initial(self, request, *args, **kwargs):
        # The streaming handler (hash while receiving, stop past EVIDENCE_MAX_BYTES) must be in
        # place before anything reads the body, including the session's CSRF check.
        self.upload_handler = None
        if self.action == "create" and request.content_type.startswith("multipart/"):
            self.upload_handler = upload.EvidenceUploadHandler(request._request)
            request._request.upload_handlers.insert(0, self.upload_handler)
        super().initial(request, *args, **kwargs)
        if self.action == "create" and not request.user.has_perm("evidence.send_evidence"):
            # Read-only roles are refused before the body is read (with a token; a browser session
            # without the X-CSRFToken header has its body read by the CSRF check above).
            raise PermissionDenied(_("Anda tidak berwenang menambahkan data dukung."))

    def create(self, request, *args, **kwargs):
        data = request.data  # parses the body (through the streaming handler)
        if self.upload_handler is not None and self.upload_handler.too_large is not None:
            raise ValidationError(
                {"file": [upload.too_large_message(self.upload_handler.too_large)]}
            )
        form = serializers.EvidenceCreateSerializer(data=data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        assessment = (
            visible_assessments(request.user)
            .select_related("unit__pemda", "instrument")
            .filter(pk=d["assessment"])
            .first()
        )
        if assessment is None:
            raise ValidationError({"assessment": [_("Penilaian tidak ditemukan.")]})
        question = Question.objects.filter(
            instrument_id=assessment.instrument_id, code=d["question"]
        ).first()
        if question is None:
            raise ValidationError(
                {
                    "question": [
                        _("Pertanyaan %(code)s tidak ada di LKE penilaian ini.")
                        % {"code": d["question"]}
                    ]
                }
            )
        if d.get("file") is not None:
            replaces = None
            if d.get("replaces"):
                replaces = (
                    EvidenceItem.objects.select_related("current_version")
                    .filter(pk=d["replaces"], assessment=assessment)
                    .first()
                )
                if replaces is None:
                    raise ValidationError(
                        {"replaces": [_("Data dukung yang akan diganti tidak ditemukan.")]}
                    )
            try:
                item = evidence_services.upload_file(
                    assessment=assessment,
                    question=question,
                    uploaded_file=d["file"],
                    by=request.user,
                    replaces=replaces,
                )
            finally:
                d["file"].close()
        else:
            item = evidence_services.add_link(
                assessment=assessment,
                question=question,
                url=d["url"],
                title=d.get("title", ""),
                by=request.user,
            )
        return self._item_response(item, status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        evidence_services.soft_delete(item=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Memulihkan data dukung yang dihapus (Inspektorat)",
        request=None,
        responses=serializers.EvidenceItemDetailSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def restore(self, request, pk=None):
        item = evidence_services.restore(item=self.get_object(), by=request.user)
        return self._item_response(item)

    @extend_schema(
        summary="Hasil reviu TPI",
        request=serializers.ReviewSerializer,
        responses=serializers.EvidenceItemDetailSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def review(self, request, pk=None):
        form = serializers.ReviewSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        item = evidence_services.review(
            item=self.get_object(), by=request.user, **form.validated_data
        )
        return self._item_response(item)

    @extend_schema(
        summary="Komentar pada data dukung",
        request=serializers.CommentSerializer,
        responses={201: serializers.CommentOutSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def comments(self, request, pk=None):
        form = serializers.CommentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        note = evidence_services.comment(
            item=self.get_object(), by=request.user, text=form.validated_data["text"]
        )
        return Response(serializers.CommentOutSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Mengunduh berkas (versi saat ini atau ?version=N)",
        description="Checksum SHA-256 diperiksa sebelum dan selama unduhan; tidak cocok: 409.",
        parameters=[OpenApiParameter("version", int, required=False, description="Nomor versi")],
        responses={(200, "*/*"): OpenApiTypes.BINARY},
    )
    @action(detail=True, filter_backends=[], pagination_class=None)
    def download(self, request, pk=None):
        item = self.get_object()
        number = request.query_params.get("version")
        if number:
            if not number.isdigit() or len(number) > 9:
                raise ValidationError({"version": [_("Nomor versi harus bilangan bulat positif.")]})
            version = next((v for v in item.versions.all() if v.number == int(number)), None)
        else:
            version = item.current_version
        if version is None:
            raise NotFound(_("Data dukung ini tidak memiliki berkas (versi) tersebut."))
        stream = evidence_services.open_verified(version)  # EvidenceIntegrityError: 409
        return protected_download(
            stream,
            upload.served_name(version),
            content_type=version.content_type,
            size=version.size,
        )


# --- report jobs ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Daftar laporan (PDF/xlsx) yang dapat dilihat"),
    retrieve=extend_schema(summary="Status satu laporan"),
    create=extend_schema(
        summary="Meminta laporan (dibuat oleh worker)",
        request=serializers.ReportRequestSerializer,
        responses={201: serializers.ReportJobSerializer},
    ),
)
class ReportJobViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet
):
    serializer_class = serializers.ReportJobSerializer
    filterset_class = filters.ReportJobFilter
    ordering_fields = ["created_at", "kind", "status"]
    ordering = ["-created_at", "-pk"]
    rules_perms = {"retrieve": "reports.view_report", "download": "reports.view_report"}

    def get_serializer_class(self):
        return (
            serializers.ReportRequestSerializer
            if self.action == "create"
            else serializers.ReportJobSerializer
        )

    def get_queryset(self):
        from reports.models import ReportJob
        from reports.services import jobs_for_list

        if _schema_only(self):
            return ReportJob.objects.none()
        return jobs_for_list(self.request.user)

    def create(self, request, *args, **kwargs):
        from reports import services as report_services

        form = serializers.ReportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        user = request.user
        # Objects named in the body must be visible to the user; the service checks the permission.
        lookups = {
            "assessment": visible_assessments(user).select_related("unit__pemda"),
            "unit": visible_units(user).select_related("pemda"),
            "pemda": visible_pemdas(user),
        }
        found = {}
        for name, qs in lookups.items():
            if d.get(name):
                found[name] = qs.filter(pk=d[name]).first()
                if found[name] is None:
                    raise ValidationError({name: [_("Data tidak ditemukan.")]})
        params = (
            {"proclaimed_on": d["proclaimed_on"].isoformat()} if d.get("proclaimed_on") else None
        )
        job = report_services.request_report(
            kind=d["kind"], by=user, year=d.get("year"), params=params, **found
        )
        job = self.get_queryset().get(pk=job.pk)
        return Response(serializers.ReportJobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Mengunduh laporan yang sudah siap", responses={(200, "*/*"): OpenApiTypes.BINARY}
    )
    @action(detail=True, filter_backends=[], pagination_class=None)
    def download(self, request, pk=None):
        from django.core.files.storage import default_storage

        from reports import services as report_services
        from reports.models import Status

        job = self.get_object()
        if job.status != Status.READY or not job.file:
            raise Conflict(
                _("Laporan belum siap (status: %(status)s).") % {"status": job.get_status_display()}
            )
        try:
            stream = default_storage.open(job.file.name, "rb")
        except OSError:
            raise NotFound(_("Berkas laporan tidak ditemukan; minta laporan ini lagi.")) from None
        return protected_download(
            stream,
            report_services.download_name(job),
            content_type=report_services.content_type(job),
        )
