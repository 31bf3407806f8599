"""A form field for numbers people type the Indonesian way: "3,5" and "1.234,5" are read (so are
"3.5" and "1,234.5"), and a stored 3.5 is shown back in the box as "3,5". A text box with a
decimal keypad, not <input type="number">, which refuses a comma in some browsers and locales."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import input_text, parse_number


class NumberInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return input_text(value)
        return super().format_value(value)  # what was typed comes back exactly as typed


class NumberField(forms.DecimalField):
    widget = NumberInput
    default_error_messages = {
        "invalid": _("Tulis angka, misalnya 3,5 atau 1.234,5."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_number(str(value))
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class WholeNumberField(forms.IntegerField):
    """A count: "1.234" and "1234" are both 1234 (a dot groups thousands in Indonesian)."""

    widget = NumberInput
    default_error_messages = {
        "invalid": _("Tulis bilangan bulat, misalnya 1.234."),
    }

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "numeric"
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_number(str(value), integer=True)
        if number is None or number != number.to_integral_value():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)
