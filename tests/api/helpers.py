# Roles of the permission matrix; "anonymous" sends no credentials at all.
ROLES = [
    "inspektorat_admin",
    "evaluator",
    "leadership",
    "tpn_observer",
    "unit_head",
    "unit_operator",
    "other_operator",
    "foreign_admin",
    "foreign_operator",
    "outsider",
    "anonymous",
]
