"""Pure LKE scoring: instrument data + answers -> score tree -> designation gates.

No Django and no I/O here on purpose: the web app, the API, Celery tasks and the
PDF all call these functions, and the rules are tested without a database.
Arithmetic is exact (``Fraction``); values are exposed as ``Decimal`` and rounded
(ROUND_HALF_UP) only for display, so sums always agree with their parts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from fractions import Fraction
from types import MappingProxyType
from typing import Any, TypeVar, overload

from zi_portal.formats.parse import parse_number

TOTAL = "TOTAL"
FULL_SCORE = Fraction(100)  # the LKE scale set by the regulation, not a weight
CHOICE, COMPUTED, COUNT, VALUE = "choice", "computed", "count", "value"
ZERO, ONE = Fraction(0), Fraction(1)

_T = TypeVar("_T")


def answer_kind(spec: Mapping[str, Any]) -> str | None:
    """How an answer type of the instrument data is answered and scored: CHOICE (options), COMPUTED
    (a % from Jumlah rows), COUNT (a Jumlah, not scored itself), VALUE (min–max); None if unclear."""
    if "options" in spec:
        return CHOICE
    if spec.get("computed") is True:
        return COMPUTED
    if spec.get("scored") is False:
        return COUNT
    return VALUE if "min" in spec and "max" in spec else None


class InstrumentError(ValueError):
    """The instrument data is unusable; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("Instrumen tidak valid: " + "; ".join(self.errors))


def _fraction(raw: Any, *, comma: bool = False, integer: bool = False) -> Fraction | None:
    """Exact value of "0.67", "2/3", 3 or Decimal("3.6"); for user input (``comma``) what people
    type too: "3,6", "1.234,5" (zi_portal.formats.parse_number; ``integer``: "1.234" is 1234)."""
    if isinstance(raw, float):
        raw = repr(raw)  # what the user typed (3.6), not the binary double behind it
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Fraction(raw)
    if isinstance(raw, str):
        text = raw.strip()
        typed = parse_number(text, integer=integer) if comma and "/" not in text else None
        if typed is not None:
            text = str(typed)  # else machine text such as a Decimal's "0E-7" is read as it is
        try:
            if "/" in text:
                return Fraction(*(int(part) for part in text.split("/", 1)))
            raw = Decimal(text)
        except (ValueError, ZeroDivisionError, InvalidOperation):
            return None
    if not isinstance(raw, Decimal) or not raw.is_finite():
        return None
    # "1e999999999" would otherwise build a billion-digit integer and stall the worker
    return ZERO if raw.is_zero() else Fraction(raw) if abs(raw.adjusted()) <= 30 else None


@overload
def _decimal(value: Fraction) -> Decimal: ...
@overload
def _decimal(value: Fraction | None) -> Decimal | None: ...
def _decimal(value: Fraction | None) -> Decimal | None:
    with localcontext(prec=28):
        return None if value is None else Decimal(value.numerator) / Decimal(value.denominator)


def _round(value: Fraction, places: int) -> Decimal:
    """ROUND_HALF_UP on the exact value, so there is no double rounding via a 28-digit Decimal."""
    units = int(abs(value) * 10**places + Fraction(1, 2))
    return Decimal(units if value >= 0 else -units).scaleb(-places)


def text(value: Fraction | None, places: int) -> str | None:
    """The exact value rounded half-up to ``places`` as text (how stored trees hold figures)."""
    return None if value is None else str(_round(value, places))


def _show(value: Fraction) -> str:
    return f"{_round(value, 4).normalize():f}"


def _known(value: _T | None) -> _T:
    """A value the data guarantees (a parsed instrument, a valid answer); for the type checker."""
    assert value is not None
    return value


# --- the instrument --------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerType:
    code: str
    kind: str | None  # CHOICE, COMPUTED, COUNT or VALUE (None only in invalid data)
    options: Mapping[str, Fraction]
    minimum: Fraction | None = None
    maximum: Fraction | None = None


# What a % question's zero denominator means: left out of its indicator's mean, the full
# fraction, or nothing. Instruments without the key keep the first (how version 1 scored).
NOT_APPLICABLE, FULL, NONE_SCORED = "not_applicable", "full", "zero"
ZERO_RULES = (NOT_APPLICABLE, FULL, NONE_SCORED)


@dataclass(frozen=True)
class Question:
    code: str
    answer_type: AnswerType
    numerator: tuple[tuple[int, str], ...] = ()  # % only: (sign, JUMLAH question code)
    denominator: tuple[tuple[int, str], ...] = ()
    # % only: what a zero denominator means (ZERO_RULES) and why the instrument says so.
    zero_denominator: str = "not_applicable"
    zero_denominator_reason: str = ""

    @property
    def scored(self) -> bool:
        return self.answer_type.kind != COUNT


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    section: str
    area: str | None
    weight: Fraction
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Node:
    """A component, section or area: a named sum over indicators."""

    code: str
    name: str
    weight: Fraction
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Gate:
    code: str
    kind: str  # "node", "each_area_share" or "prior_designation"
    label: str
    node: str | None
    minimum: Fraction | None
    requires: str | None


@dataclass(frozen=True)
class Instrument:
    code: str
    decimals: int
    round_indicators: bool
    components: tuple[Node, ...]
    sections: tuple[Node, ...]
    areas: tuple[Node, ...]
    indicators: tuple[Indicator, ...]
    designations: tuple[tuple[str, tuple[Gate, ...]], ...]  # lowest to highest
    questions: Mapping[str, Question]


@dataclass(frozen=True)
class Problem:
    """One problem of instrument data: the object it concerns (``kind`` and its ``code``), the field of
    that object at fault, and a message in Indonesian. Code that needs the place reads the fields."""

    kind: str  # instrument, scoring, total, area, component, section, indicator, question, answer_type,
    #            designation, gate
    code: Any  # the object's code; (designation, gate code) for a gate; None: instrument-wide
    field: str  # the spec key at fault: "weight", "code", "options", "formula.denominator"…; "" = whole
    message: str

    def __str__(self) -> str:
        return self.message


def instrument_problems(data: Any) -> list[Problem]:
    """Every problem in the instrument data, structured (empty = valid)."""
    return _read_instrument(data)[1]


def validate_instrument(data: dict[str, Any]) -> list[str]:
    """Every problem in the instrument data, in Indonesian, each naming its code (empty = valid)."""
    return [problem.message for problem in instrument_problems(data)]


def parse_instrument(data: dict[str, Any]) -> Instrument:
    """Frozen, exact-valued instrument; raises InstrumentError listing all problems."""
    instrument, problems = _read_instrument(data)
    if problems:
        raise InstrumentError([problem.message for problem in problems])
    return _known(instrument)


def _read_instrument(data: Any) -> tuple[Instrument | None, list[Problem]]:
    """Parse and check in one pass, so that validation and parsing cannot disagree."""
    reader = _Reader()
    try:
        instrument = reader.read(data)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        reader.err(
            "instrument",
            None,
            "",
            f"Instrumen: struktur tidak sesuai format 1 ({type(exc).__name__}: {exc})",
        )
    return (None, reader.problems) if reader.problems else (instrument, [])


class _Reader:
    """Builds the Instrument while collecting every semantic error (one message per problem)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.seen = {TOTAL: "total"}

    def err(self, kind: str, code: Any, field: str, message: str) -> None:
        self.problems.append(Problem(kind, code, field, message))

    def number(
        self,
        raw: Any,
        place: tuple[str, Any, str],
        where: str,
        what: str = "bobot",
        top: Fraction | None = None,
    ) -> Fraction:
        """``place``: (kind, code, field) of the number, for the Problem."""
        value = _fraction(raw) if isinstance(raw, (str, int)) else None
        if value is None or value < 0:
            self.err(*place, f"{where}: {what} '{raw}' bukan angka")
            return ZERO
        if top is not None and value > top:
            self.err(*place, f"{where}: {what} '{raw}' lebih dari {_show(top)}")
        return value

    def claim(self, code: Any, what: str, kind: str) -> None:
        if not isinstance(code, str) or not code:
            self.err(kind, code, "code", f"{what}: kode kosong")
        elif code in self.seen:
            self.err(
                kind, code, "code", f"{what} {code}: kode ganda (sudah dipakai {self.seen[code]})"
            )
        else:
            self.seen[code] = what

    def read(self, data: dict[str, Any]) -> Instrument:
        if data["format"] != 1:
            self.err(
                "instrument",
                None,
                "format",
                f"Instrumen: format '{data['format']}' tidak didukung (harus 1)",
            )
        scoring = data.get("scoring", {})
        decimals = scoring.get("decimals", 2)
        if type(decimals) is not int or not 0 <= decimals <= 6:
            self.err(
                "scoring",
                None,
                "decimals",
                f"Penilaian: jumlah desimal '{decimals}' harus bilangan bulat 0–6",
            )
        types = self.answer_types(data["answer_types"], scoring.get("fraction_alternative"))
        components = data["components"]
        for spec, what, kind in (
            [(a, "Area", "area") for a in data["areas"]]
            + [(c, "Komponen", "component") for c in components]
            + [(s, "Bagian", "section") for c in components for s in c["sections"]]
        ):
            self.claim(spec["code"], what, kind)
        component_of = {s["code"]: c["code"] for c in components for s in c["sections"]}
        area_codes = {a["code"] for a in data["areas"]}
        indicators = self.indicators(data["indicators"], types, component_of, area_codes)

        def node(
            spec: dict[str, Any],
            what: str,
            kind: str,
            member: Callable[..., bool],  # (indicator) -> bool; the lambdas bind a default
            parts: Fraction | None = None,
        ) -> Node:
            """A section or component: its weight must equal its parts (default: indicators)."""
            chosen = [i for i in indicators if member(i)]
            found = sum((i.weight for i in chosen), ZERO) if parts is None else parts
            weight = self.number(
                spec["weight"], (kind, spec["code"], "weight"), f"{what} {spec['code']}"
            )
            if weight != found:
                of = "indikator" if parts is None else "bagian"
                self.err(
                    kind,
                    spec["code"],
                    "weight",
                    f"{what} {spec['code']}: bobot {_show(weight)} ≠ jumlah bobot {of}nya {_show(found)}",
                )
            return Node(spec["code"], spec["name"], weight, tuple(i.code for i in chosen))

        sections = tuple(
            node(s, "Bagian", "section", lambda i, c=s["code"]: i.section == c)
            for c in components
            for s in c["sections"]
        )
        comps = tuple(
            node(
                c,
                "Komponen",
                "component",
                lambda i, c=c["code"]: component_of.get(i.section) == c,
                sum((s.weight for s in sections if component_of[s.code] == c["code"]), ZERO),
            )
            for c in components
        )
        grand = sum((c.weight for c in comps), ZERO)
        if grand != FULL_SCORE:
            self.err(
                "total",
                None,
                "weight",
                f"Total bobot komponen {_show(grand)} ≠ {_show(FULL_SCORE)}",
            )
        # An area weighs what its Pemenuhan and Reform indicators weigh; when it declares its
        # weight per section (its halves), each must match, so weight cannot move between areas
        # or halves while the totals stay right.
        for a in data["areas"]:
            for section, declared in (a.get("weights") or {}).items():
                where = f"Area {a['code']} · {section}"
                weight = self.number(declared, ("area", a["code"], "weights"), where)
                if section not in component_of:
                    self.err("area", a["code"], "weights", f"{where}: bagian tidak dikenal")
                    continue
                found = sum(
                    (i.weight for i in indicators if i.area == a["code"] and i.section == section),
                    ZERO,
                )
                if weight != found:
                    self.err(
                        "area",
                        a["code"],
                        "weights",
                        f"{where}: bobot {_show(weight)} ≠ jumlah bobot indikatornya {_show(found)}",
                    )
        areas = tuple(
            Node(
                a["code"],
                a["name"],
                sum((i.weight for i in indicators if i.area == a["code"]), ZERO),
                tuple(i.code for i in indicators if i.area == a["code"]),
            )
            for a in sorted(data["areas"], key=lambda a: a.get("order", 0))
        )
        nodes = {TOTAL} | {n.code for n in comps + sections + areas + indicators}
        return Instrument(
            data["code"],
            decimals,
            bool(scoring.get("round_indicators")),
            comps,
            sections,
            areas,
            indicators,
            self.thresholds(data["thresholds"], nodes),
            MappingProxyType({q.code: q for i in indicators for q in i.questions}),
        )

    def answer_types(self, specs: dict[str, Any], alternative: str | None) -> dict[str, AnswerType]:
        types: dict[str, AnswerType] = {}
        found = not alternative
        for code, spec in specs.items():
            where, listed = f"Jenis jawaban {code}", spec.get("options", [])
            options = {
                o["value"]: self.number(
                    o["fraction"],
                    ("answer_type", code, "options"),
                    where,
                    f"pecahan {o['value']}",
                    ONE,
                )
                for o in listed
            }
            if "options" in spec and (not listed or len(options) != len(listed)):
                self.err("answer_type", code, "options", f"{where}: pilihan kosong atau ganda")
            for name, values in spec.get("alternatives", {}).items():
                if set(values) - set(options):
                    self.err(
                        "answer_type",
                        code,
                        "alternatives",
                        f"{where}: alternatif {name} memuat pilihan yang tidak ada",
                    )
                values = {
                    k: self.number(
                        v, ("answer_type", code, "alternatives"), where, f"pecahan {name}.{k}", ONE
                    )
                    for k, v in values.items()
                }
                if name == alternative:  # the data picks the variant, e.g. B = 2/3 over 0.67
                    options.update(values)
                    found = True
            kind = answer_kind(spec)
            low = (
                self.number(spec["min"], ("answer_type", code, "min"), where, "min")
                if kind == VALUE
                else None
            )
            high = (
                self.number(spec["max"], ("answer_type", code, "max"), where, "max")
                if kind == VALUE
                else None
            )
            if kind is None:
                self.err(
                    "answer_type",
                    code,
                    "kind",
                    f"{where}: cara menilai tidak jelas "
                    "(options, computed, scored=false, atau min/max)",
                )
            elif low is not None and high is not None and low >= high:  # kind == VALUE
                self.err("answer_type", code, "min", f"{where}: min harus lebih kecil dari max")
            types[code] = AnswerType(code, kind, MappingProxyType(options), low, high)
        if not found:
            self.err(
                "scoring",
                None,
                "fraction_alternative",
                f"Penilaian: alternatif pecahan '{alternative}' tidak dikenal",
            )
        return types

    def indicators(
        self,
        specs: list[dict[str, Any]],
        types: dict[str, AnswerType],
        component_of: dict[str, str],
        areas: set[str],
    ) -> tuple[Indicator, ...]:
        # formulas can be checked only once every question is known
        owner: dict[str, tuple[str, str | None]] = {}  # question -> (indicator, answer kind)
        zero: dict[str, tuple[str, str]] = {}  # question -> (zero-denominator rule, reason)
        pending: list[tuple[dict[str, Any], Fraction, list[tuple[str, AnswerType, Any]]]] = []
        for spec in specs:
            code, where = spec["code"], f"Indikator {spec['code']}"
            self.claim(code, "Indikator", "indicator")
            if spec["section"] not in component_of:
                self.err(
                    "indicator",
                    code,
                    "section",
                    f"{where}: bagian '{spec['section']}' tidak dikenal",
                )
            if spec.get("area") is not None and spec["area"] not in areas:
                self.err("indicator", code, "area", f"{where}: area '{spec['area']}' tidak dikenal")
            questions = []
            for q in spec["questions"]:
                self.claim(q["code"], "Pertanyaan", "question")
                atype = types.get(q["answer_type"])
                if atype is None:
                    self.err(
                        "question",
                        q["code"],
                        "answer_type",
                        f"Pertanyaan {q['code']}: jenis jawaban '{q['answer_type']}' tidak dikenal",
                    )
                    continue
                formula = q.get("formula") or {}
                if (atype.kind == COMPUTED) != bool(formula):
                    self.err(
                        "question",
                        q["code"],
                        "formula",
                        f"Pertanyaan {q['code']}: rumus wajib untuk pertanyaan % dan hanya untuknya",
                    )
                owner[q["code"]] = (code, atype.kind)
                rule = q.get("zero_denominator", NOT_APPLICABLE)
                if rule not in ZERO_RULES or (rule != NOT_APPLICABLE and atype.kind != COMPUTED):
                    self.err(
                        "question",
                        q["code"],
                        "zero_denominator",
                        f"Pertanyaan {q['code']}: arti penyebut nol '{rule}' harus salah satu dari "
                        f"{', '.join(ZERO_RULES)} dan hanya untuk pertanyaan %",
                    )
                zero[q["code"]] = (
                    rule if rule in ZERO_RULES else NOT_APPLICABLE,
                    str(q.get("zero_denominator_reason", "")),
                )
                questions.append((q["code"], atype, formula))
            weight = self.number(spec["weight"], ("indicator", code, "weight"), where)
            if weight and not any(t.kind not in (COUNT, None) for _, t, _ in questions):
                self.err(
                    "indicator",
                    code,
                    "questions",
                    f"{where}: berbobot tetapi tidak memiliki pertanyaan yang dinilai",
                )
            pending.append((spec, weight, questions))

        def signed(
            qcode: str, icode: str, side: str, items: list[Any] | None
        ) -> tuple[tuple[int, str], ...]:
            def err(message: str) -> None:
                self.err("question", qcode, f"formula.{side}", f"Pertanyaan {qcode}: {message}")

            if not items:
                err("rumus tanpa pembilang atau penyebut")
            for sign, ref in items or ():
                ref_indicator, ref_kind = owner.get(ref, (None, None))
                if sign not in ("+", "-"):
                    err(f"tanda rumus '{sign}' harus '+' atau '-'")
                elif ref_indicator is None:
                    err(f"rumus merujuk '{ref}' yang tidak ada")
                elif ref_kind != COUNT:
                    err(f"rumus merujuk '{ref}' yang bukan Jumlah")
                elif ref_indicator != icode:
                    err(f"rumus merujuk '{ref}' dari indikator lain")
            return tuple((1 if sign == "+" else -1, ref) for sign, ref in items or ())

        return tuple(
            Indicator(
                spec["code"],
                spec["name"],
                spec["section"],
                spec.get("area"),
                weight,
                tuple(
                    Question(
                        q,
                        atype,
                        signed(q, spec["code"], "numerator", f.get("numerator")) if f else (),
                        signed(q, spec["code"], "denominator", f.get("denominator")) if f else (),
                        zero_denominator=zero[q][0],
                        zero_denominator_reason=zero[q][1],
                    )
                    for q, atype, f in questions
                ),
            )
            for spec, weight, questions in pending
        )

    def thresholds(
        self, specs: list[dict[str, Any]], nodes: set[str]
    ) -> tuple[tuple[str, tuple[Gate, ...]], ...]:
        designations: dict[str, tuple[Gate, ...]] = {}
        for spec in specs:
            name, gates = spec["designation"], []
            if not name or name in designations:
                self.err(
                    "designation",
                    name,
                    "designation",
                    f"Ambang: predikat '{name}' kosong atau ganda",
                )
            for gate in spec["gates"]:
                where, kind = f"Ambang {name}, gerbang {gate['code']}", gate["kind"]
                at = (name, gate["code"])
                minimum = None
                if kind == "prior_designation":
                    if gate["requires"] not in designations:
                        self.err(
                            "gate",
                            at,
                            "requires",
                            f"{where}: predikat prasyarat '{gate['requires']}' "
                            "tidak dikenal (harus tercantum lebih dahulu)",
                        )
                elif kind in ("node", "each_area_share"):
                    if kind == "node" and gate["node"] not in nodes:
                        self.err(
                            "gate", at, "node", f"{where}: simpul '{gate['node']}' tidak dikenal"
                        )
                    minimum = self.number(
                        gate["min"],
                        ("gate", at, "min"),
                        where,
                        "batas minimum",
                        ONE if kind == "each_area_share" else None,
                    )
                else:
                    self.err("gate", at, "kind", f"{where}: jenis gerbang '{kind}' tidak dikenal")
                gates.append(
                    Gate(
                        gate["code"],
                        kind,
                        gate.get("label", gate["code"]),
                        gate.get("node"),
                        minimum,
                        gate.get("requires"),
                    )
                )
            designations[name] = tuple(gates)
        return tuple(designations.items())


# --- scoring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    code: str
    answer_type: str
    scored: bool
    answered: bool  # a valid answer exists (for a %: every count it uses)
    applicable: bool  # False for a % with a zero denominator: left out of the mean
    value: Any  # the option, count, survey value or computed percentage
    exact_fraction: Fraction | None
    exact_score: Fraction  # contribution to the indicator score
    issue: str | None

    fraction = property(lambda self: _decimal(self.exact_fraction))
    score = property(lambda self: _decimal(self.exact_score))

    def to_dict(self, places: int) -> dict[str, Any]:
        return {
            "code": self.code,
            "answer_type": self.answer_type,
            "scored": self.scored,
            "answered": self.answered,
            "applicable": self.applicable,
            "value": None if self.value is None else str(self.value),
            "fraction": text(self.exact_fraction, places + 2),
            "score": text(self.exact_score, places),
            "issue": self.issue,
        }


@dataclass(frozen=True)
class NodeResult:
    code: str
    name: str
    exact_weight: Fraction
    exact_score: Fraction
    answered_count: int  # scored questions with a valid answer: progress
    scored_count: int
    questions: tuple[QuestionResult, ...] = ()  # indicators only
    issue: str | None = None

    weight = property(lambda self: _decimal(self.exact_weight))
    score = property(lambda self: _decimal(self.exact_score))
    share = property(lambda self: _decimal(self.exact_share))

    @property
    def exact_share(self) -> Fraction | None:
        return self.exact_score / self.exact_weight if self.exact_weight else None

    def to_dict(self, places: int, questions: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "weight": text(self.exact_weight, places),
            "score": text(self.exact_score, places),
            "share": text(self.exact_share, places + 2),
            "answered_count": self.answered_count,
            "scored_count": self.scored_count,
        }
        if self.issue:
            data["issue"] = self.issue
        if self.questions and questions:
            data["questions"] = [q.to_dict(places) for q in self.questions]
        return data


@dataclass(frozen=True)
class ScoreTree:
    instrument: str
    decimals: int
    total: NodeResult
    components: Mapping[str, NodeResult]
    sections: Mapping[str, NodeResult]
    areas: Mapping[str, NodeResult]
    indicators: Mapping[str, NodeResult]
    questions: Mapping[str, QuestionResult]
    issues: tuple[str, ...]  # every problem met while scoring, in instrument order

    def result(self, code: str) -> NodeResult:
        for level in (
            {TOTAL: self.total},
            self.components,
            self.sections,
            self.areas,
            self.indicators,
        ):
            if code in level:
                return level[code]
        raise KeyError(code)

    def node(self, code: str) -> Decimal:
        """Score of TOTAL, a component, section, area or indicator, at full precision."""
        return _decimal(self.result(code).exact_score)

    def rounded(self, code: str, places: int = 2) -> Decimal:
        """The score rounded half-up, as shown and stored. A DecimalField would otherwise round
        the full-precision value half-to-even (86.665 -> 86.66) when it is saved."""
        return _round(self.result(code).exact_score, places)

    def to_dict(self, questions: bool = True) -> dict[str, Any]:
        """The tree as JSON-ready data; questions=False stops at the indicators (what is stored
        with a Score: per-question results follow from the answers and are shown live)."""
        levels = {
            "components": self.components,
            "sections": self.sections,
            "areas": self.areas,
            "indicators": self.indicators,
        }
        return {
            "instrument": self.instrument,
            "decimals": self.decimals,
            "total": self.total.to_dict(self.decimals),
            **{
                k: [n.to_dict(self.decimals, questions) for n in v.values()]
                for k, v in levels.items()
            },
            "issues": list(self.issues),
        }


def read_answer(question: Question, raw: Any) -> tuple[Any, Fraction | None, str | None]:
    """(normalised value, fraction or count, issue) of one entered answer; never raises.

    The one place that decides what a valid answer is, for forms and imports as for scoring.
    """
    value, fraction, reason = check_answer(question, raw)
    return value, fraction, f"Pertanyaan {question.code}: {reason}" if reason else None


def check_answer(question: Question, raw: Any) -> tuple[Any, Fraction | None, str | None]:
    """read_answer() with the reason alone (no question code), for a page that names the
    question its own way (the worksheet's visible number)."""
    kind, options = question.answer_type.kind, question.answer_type.options
    if kind == CHOICE:
        wanted = raw.strip().casefold() if isinstance(raw, str) else None
        for value, fraction in options.items():
            if value.casefold() == wanted:
                return value, fraction, None
        return None, None, f"jawaban '{raw}' tidak dikenal ({'/'.join(options)})"
    number = _fraction(raw, comma=True, integer=kind == COUNT)
    if kind == COUNT:
        if number is None or number < 0 or number.denominator != 1:
            return None, None, f"jumlah '{raw}' harus bilangan bulat ≥ 0"
        return int(number), number, None
    # what remains is VALUE, whose bounds a parsed instrument always has
    low, high = _known(question.answer_type.minimum), _known(question.answer_type.maximum)
    if number is None or not low <= number <= high:
        return (
            None,
            None,
            (
                f"nilai '{raw}' harus angka antara "
                f"{_show(low).replace('.', ',')} dan {_show(high).replace('.', ',')}"
            ),
        )
    return _decimal(number), (number - low) / (high - low), None


_Read = tuple[Any, Fraction | None, str | None]  # what read_answer returns


@dataclass(frozen=True)
class _Entry:
    """What one question contributes before its indicator's share is known."""

    question: Question
    value: Any
    fraction: Fraction | None
    answered: bool
    applicable: bool = True
    issue: str | None = None


def _percentage(
    question: Question, entered: Mapping[str, _Read], zero_rule: str | None = None
) -> _Entry:
    """A % from its signed counts; a zero denominator means what the instrument (or the TPI's
    override, ``zero_rule``) says: not applicable, full or zero."""
    refs = question.numerator + question.denominator
    invalid = sorted({code for _, code in refs if code in entered and entered[code][2]})
    if invalid:
        return _Entry(
            question,
            None,
            ZERO,
            False,
            issue=f"Pertanyaan {question.code}: data jumlah tidak valid ({', '.join(invalid)})",
        )
    if any(code not in entered for _, code in refs):
        return _Entry(question, None, ZERO, False)  # not every count entered yet
    numerator, denominator = (
        sum((sign * _known(entered[code][1]) for sign, code in side), ZERO)
        for side in (question.numerator, question.denominator)
    )
    if denominator <= 0:
        rule = zero_rule or question.zero_denominator
        if rule == FULL:
            return _Entry(question, None, ONE, True)
        if rule == NONE_SCORED:
            return _Entry(question, None, ZERO, True)
        return _Entry(
            question,
            None,
            None,
            True,
            applicable=False,
            issue=f"Pertanyaan {question.code}: penyebut nol, persentase tidak berlaku",
        )
    ratio = numerator / denominator
    return _Entry(question, _round(ratio * 100, 2), min(max(ratio, ZERO), ONE), True)


def _indicator(
    instrument: Instrument,
    ind: Indicator,
    entered: Mapping[str, _Read],
    zero_rules: Mapping[str, str],
) -> NodeResult:
    """Indicator = weight × mean of its applicable scored questions' fractions."""
    entries = []
    for q in ind.questions:
        if q.answer_type.kind == COMPUTED:
            entries.append(_percentage(q, entered, zero_rules.get(q.code)))
            continue
        value, fraction, issue = entered.get(q.code, (None, None, None))
        fraction = (fraction if value is not None else ZERO) if q.scored else None
        entries.append(_Entry(q, value, fraction, value is not None, issue=issue))
    counted = [e for e in entries if e.question.scored and e.applicable]
    issue = (
        f"Indikator {ind.code}: semua pertanyaan tidak berlaku; nilai 0"
        if not counted and any(e.question.scored for e in entries)
        else None
    )
    each = ind.weight / len(counted) if counted else ZERO
    exact = sum((_known(e.fraction) * each for e in counted), ZERO)  # counted: never None
    if instrument.round_indicators:  # how the official worksheet rounds: a data switch
        exact = Fraction(_round(exact, instrument.decimals))
    results = tuple(
        QuestionResult(
            e.question.code,
            e.question.answer_type.code,
            e.question.scored,
            e.answered,
            e.applicable,
            e.value,
            e.fraction,
            _known(e.fraction) * each if e.question.scored and e.applicable else ZERO,
            e.issue,
        )
        for e in entries
    )
    scored = [r for r in results if r.scored]
    return NodeResult(
        ind.code,
        ind.name,
        ind.weight,
        exact,
        sum(r.answered for r in scored),
        len(scored),
        results,
        issue,
    )


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def score(
    instrument: Instrument,
    answers: Mapping[str, Any],
    zero_rules: Mapping[str, str] | None = None,
) -> ScoreTree:
    """Indicator = weight × mean of its applicable scored questions' fractions; parents are sums.
    ``zero_rules`` ({% question code: rule}) reads a zero denominator in place of the instrument."""
    zero_rules = zero_rules or {}
    issues = [
        f"Kode pertanyaan tidak dikenal: {code}"
        for code in answers
        if code not in instrument.questions
    ]
    entered = {}  # code -> (value, fraction or count, issue); blank answers stay absent
    for code, question in instrument.questions.items():
        raw = answers.get(code)
        if _blank(raw):
            continue
        if question.answer_type.kind == COMPUTED:
            issues.append(f"Pertanyaan {code}: dihitung dari data jumlah; jawaban diabaikan")
        else:
            entered[code] = read_answer(question, raw)

    indicators = {}
    for ind in instrument.indicators:
        node = indicators[ind.code] = _indicator(instrument, ind, entered, zero_rules)
        issues += [r.issue for r in node.questions if r.issue] + (
            [node.issue] if node.issue else []
        )

    def total(code: str, name: str, weight: Fraction, parts: list[NodeResult]) -> NodeResult:
        return NodeResult(
            code,
            name,
            weight,
            sum((p.exact_score for p in parts), ZERO),
            sum(p.answered_count for p in parts),
            sum(p.scored_count for p in parts),
        )

    def level(nodes: tuple[Node, ...]) -> Mapping[str, NodeResult]:
        return MappingProxyType(
            {
                n.code: total(n.code, n.name, n.weight, [indicators[c] for c in n.indicators])
                for n in nodes
            }
        )

    components = level(instrument.components)
    return ScoreTree(
        instrument.code,
        instrument.decimals,
        total(
            TOTAL,
            "Total",
            sum((n.weight for n in instrument.components), ZERO),
            list(components.values()),
        ),
        components,
        level(instrument.sections),
        level(instrument.areas),
        MappingProxyType(indicators),
        MappingProxyType({q.code: q for i in indicators.values() for q in i.questions}),
        tuple(issues),
    )


# --- designation gates -----------------------------------------------------------------------


@dataclass(frozen=True)
class GateResult:
    code: str
    kind: str
    label: str
    met: bool
    exact_actual: Fraction | None = None  # None for prior_designation gates
    exact_required: Fraction | None = None
    held: str | None = None  # prior_designation gates: what the unit holds and needs
    requires: str | None = None
    # each_area_share: (area code, area name, share) of the areas below the minimum
    low: tuple[tuple[str, str, Fraction], ...] = ()

    actual = property(lambda self: _decimal(self.exact_actual))
    required = property(lambda self: _decimal(self.exact_required))
    gap = property(lambda self: _decimal(self.exact_gap))

    @property
    def exact_gap(self) -> Fraction | None:
        """required − actual when the gate is missed; None when met or not numeric."""
        if self.met or self.exact_actual is None or self.exact_required is None:
            return None
        return self.exact_required - self.exact_actual

    def to_dict(self, places: int) -> dict[str, Any]:
        data = {"code": self.code, "kind": self.kind, "label": self.label, "met": self.met}
        if self.kind == "prior_designation":
            return {**data, "actual": self.held, "required": self.requires, "gap": None}
        places += 2 if self.kind == "each_area_share" else 0  # shares are fractions of 1
        return {
            **data,
            "actual": text(self.exact_actual, places),
            "required": text(self.exact_required, places),
            "gap": text(self.exact_gap, places),
            # pages and PDFs print "low" with zi_portal.formats.percent; "detail" is the API's
            # ready-made text of the same (kept for its clients).
            "detail": list(self.detail),
            "low": [
                {"code": code, "area": area, "share": text(share, places)}
                for code, area, share in self.low
            ],
        }

    @property
    def detail(self) -> tuple[str, ...]:
        return tuple(
            f"{area}: {str(_round(share * 100, 2)).replace('.', ',')}%"
            for _code, area, share in self.low
        )


@dataclass(frozen=True)
class Outcome:
    designations: Mapping[str, tuple[GateResult, ...]]  # in thresholds order
    predicted: str | None  # the highest designation whose gates all hold
    decimals: int

    def met(self, designation: str) -> bool:
        return all(g.met for g in self.designations[designation])

    def missed(self, designation: str) -> list[GateResult]:
        return [g for g in self.designations[designation] if not g.met]

    def to_dict(self) -> dict[str, Any]:
        return {
            "predicted": self.predicted,
            "designations": [
                {
                    "designation": name,
                    "met": self.met(name),
                    "gates": [g.to_dict(self.decimals) for g in gates],
                }
                for name, gates in self.designations.items()
            ],
        }


def evaluate(
    instrument: Instrument, tree: ScoreTree, prior_designation: str | None = None
) -> Outcome:
    """Check every gate; the prediction is the highest designation (thresholds order) fully met."""
    rank = {name: i for i, (name, _) in enumerate(instrument.designations)}
    held = -1 if prior_designation is None else rank.get(prior_designation, -1)
    # a share exists wherever the weight is non-zero
    shares = [
        (a.code, a.name, _known(a.exact_share)) for a in tree.areas.values() if a.exact_weight
    ]
    outcome = {}
    for name, gates in instrument.designations:
        results = []
        for gate in gates:
            if gate.kind == "node":
                actual = tree.result(_known(gate.node)).exact_score
                results.append(
                    GateResult(
                        gate.code,
                        gate.kind,
                        gate.label,
                        actual >= _known(gate.minimum),
                        actual,
                        gate.minimum,
                    )
                )
            elif gate.kind == "each_area_share":
                minimum = _known(gate.minimum)
                low = tuple((code, area, s) for code, area, s in shares if s < minimum)
                worst = min((s for _, _, s in shares), default=ZERO)
                results.append(
                    GateResult(
                        gate.code,
                        gate.kind,
                        gate.label,
                        bool(shares) and not low,
                        worst,
                        gate.minimum,
                        low=low,
                    )
                )
            else:  # a WBBM unit being re-evaluated also "holds WBK"
                results.append(
                    GateResult(
                        gate.code,
                        gate.kind,
                        gate.label,
                        held >= rank[_known(gate.requires)],
                        held=prior_designation,
                        requires=gate.requires,
                    )
                )
        outcome[name] = tuple(results)
    met = [name for name, gates in outcome.items() if all(g.met for g in gates)]
    return Outcome(MappingProxyType(outcome), met[-1] if met else None, instrument.decimals)
