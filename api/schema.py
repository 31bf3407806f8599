"""OpenAPI generation (drf-spectacular): every operation also documents its JSON error answers,
so clients (and the schemathesis run) know what a refusal looks like."""

from drf_spectacular import openapi
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Pesan yang jelas untuk pengguna (Bahasa Indonesia).")
    code = serializers.CharField(
        help_text="Kode mesin, mis. invalid, permission_denied, not_found, conflict."
    )
    errors = serializers.DictField(required=False, help_text="Galat per isian (hanya untuk 400).")
    reasons = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Setiap syarat yang belum terpenuhi (langkah tahapan yang ditolak).",
    )
    current = serializers.DictField(
        required=False, help_text="Jawaban terbaru saat terjadi konflik revisi."
    )

    class Meta:
        ref_name = "Error"


ERROR_CODES = {
    "400": "Isian tidak sah.",
    "401": "Belum masuk (token atau sesi tidak ada/tidak sah).",
    "403": "Tidak berwenang.",
    "404": "Tidak ditemukan (atau milik unit/Pemda lain).",
    "409": "Keadaan data tidak memungkinkan tindakan ini (konflik).",
}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERROR_CODES.items():
            if code not in responses:
                response = self._get_response_for_code(
                    ErrorSerializer, code, ["application/json"], direction
                )
                response["description"] = description
                responses[code] = response
        return responses
