"""The navigation's "Rencana aksi" (/rencana-aksi/) and "Reviu" links, for the roles that may use
them (accounts.rules: actions.view_actions, actions.view_pemda_actions, review.view_queue)."""

from django.urls import reverse

from tests.factories import action_item


def nav_links(client):
    html = client.get(reverse("units:list")).content.decode()
    nav = html[html.index('class="mainnav"') : html.index("</nav>", html.index('class="mainnav"'))]
    return {
        "reviu": f'href="{reverse("review:queue")}"' in nav,
        "rencana": f'href="{reverse("actions:index")}"' in nav,
    }


def test_the_review_queue_is_in_the_navigation_of_the_tpi_only(act, login):
    for role, sees in [
        ("admin", True),
        ("evaluator", True),
        ("leadership", False),
        ("tpn", False),
        ("head", False),
        ("operator", False),
    ]:
        links = nav_links(login(act[role]))
        assert links == {"reviu": sees, "rencana": True}, role


def test_a_unit_person_goes_to_the_own_units_plan_of_its_latest_year(act, login):
    response = login(act["operator"]).get(reverse("actions:index"))
    assert response.status_code == 302
    assert response.url == reverse("actions:plan", args=[act["unit"].pk, 2026])


def test_a_pemda_reader_sees_every_units_plan_of_its_own_pemda(act, login):
    action_item(act["unit"], act["operator"], title="Sosialisasi maklumat pelayanan")
    action_item(act["other_unit"], act["other_operator"], title="Reviu SOP perizinan")
    for role in ("admin", "evaluator", "leadership", "tpn"):
        response = login(act[role]).get(reverse("actions:index"))
        html = response.content.decode()
        assert response.status_code == 200, role
        assert reverse("actions:plan", args=[act["unit"].pk, 2026]) in html, role
        assert reverse("actions:plan", args=[act["other_unit"].pk, 2026]) in html, role
        assert act["pemda"].name in html
    # another Pemda's reader asking for this Pemda gets the own Pemda's page
    html = login(act["foreign"]).get(f"{reverse('actions:index')}?pemda={act['pemda'].pk}")
    assert act["unit"].name not in html.content.decode()
