"""Spreadsheet layout of a unit list (django-import-export), scoped to one Pemda."""

from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .models import UnitType, WorkUnit

TRUE_WORDS = {"ya", "y", "aktif", "1", "true", "benar"}
FALSE_WORDS = {"tidak", "t", "n", "nonaktif", "0", "false", "salah"}


class UnitTypeWidget(widgets.Widget):
    """Accepts the code ("dinas") or the label ("Dinas", "RSUD") in any case."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        for choice in UnitType:
            if text in {choice.value, str(choice.label).lower()}:
                return choice.value
        if not text:
            raise ValueError(_("Jenis unit wajib diisi."))
        raise ValueError(
            _("Jenis '%(value)s' tidak dikenal. Pilihan: %(choices)s.")
            % {"value": value, "choices": ", ".join(c.value for c in UnitType)}
        )

    def render(self, value, obj=None, **kwargs):
        return value or ""


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text == "":
            return True
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(
            _("Kolom aktif harus 'ya' atau 'tidak', bukan '%(value)s'.") % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        return "ya" if value else "tidak"


class ParentWidget(widgets.ForeignKeyWidget):
    """Finds the parent unit by code inside the same Pemda only."""

    def __init__(self, pemda):
        super().__init__(WorkUnit, field="code")
        self.pemda = pemda

    def get_queryset(self, value, row, *args, **kwargs):
        return WorkUnit.objects.filter(pemda=self.pemda)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return self.get_queryset(value, row).get(code=str(value).strip())
        except WorkUnit.DoesNotExist:
            raise ValueError(
                _(
                    "Unit induk dengan kode '%(code)s' tidak ditemukan (tulis baris induk lebih dahulu)."
                )
                % {"code": value}
            ) from None


class OptionalText(widgets.CharWidget):
    """Empty spreadsheet cells arrive as None; the model stores blank text as ''."""

    def clean(self, value, row=None, **kwargs):
        return str(value if value is not None else "").strip()


class RequiredText(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text:
            raise ValueError(_("Wajib diisi."))
        return text


class WorkUnitResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="kode", widget=RequiredText())
    name = fields.Field(attribute="name", column_name="nama", widget=RequiredText())
    type = fields.Field(attribute="type", column_name="jenis", widget=UnitTypeWidget())
    short_name = fields.Field(
        attribute="short_name", column_name="singkatan", widget=OptionalText()
    )
    head_name = fields.Field(
        attribute="head_name", column_name="nama_kepala", widget=OptionalText()
    )
    head_title = fields.Field(
        attribute="head_title", column_name="jabatan_kepala", widget=OptionalText()
    )
    address = fields.Field(attribute="address", column_name="alamat", widget=OptionalText())
    active = fields.Field(attribute="active", column_name="aktif", widget=YesNoWidget())

    COLUMNS = [
        "kode",
        "nama",
        "jenis",
        "kode_induk",
        "singkatan",
        "nama_kepala",
        "jabatan_kepala",
        "alamat",
        "aktif",
    ]

    class Meta:
        model = WorkUnit
        import_id_fields = ("code",)
        fields = (
            "code",
            "name",
            "type",
            "parent",
            "short_name",
            "head_name",
            "head_title",
            "address",
            "active",
        )
        skip_unchanged = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, pemda, **kwargs):
        super().__init__(**kwargs)
        self.pemda = pemda
        self.fields["parent"] = fields.Field(
            attribute="parent", column_name="kode_induk", widget=ParentWidget(pemda)
        )

    def get_queryset(self):
        return WorkUnit.objects.filter(pemda=self.pemda).select_related("parent")

    def init_instance(self, row=None):
        return WorkUnit(pemda=self.pemda)

    def get_export_order(self):
        return (
            "code",
            "name",
            "type",
            "parent",
            "short_name",
            "head_name",
            "head_title",
            "address",
            "active",
        )
