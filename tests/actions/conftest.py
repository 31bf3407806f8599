import pytest


@pytest.fixture
def act(zi):
    """``zi`` (the own unit's 2026 assessment in development on the shipped LKE) with the people
    used by the action tests by their role names."""
    users = zi["users"]
    return {
        **zi,
        "admin": users["inspektorat_admin"],
        "evaluator": users["evaluator"],
        "head": users["unit_head"],
        "operator": users["unit_operator"],
        "other_operator": users["other_operator"],
        "leadership": users["leadership"],
        "tpn": users["tpn_observer"],
        "foreign": users["foreign_admin"],
    }
