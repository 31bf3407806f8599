"""A security key (WebAuthn) in a real browser: Chromium's virtual authenticator (DevTools
protocol) stands in for the USB key."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_required_admin_enrols_a_security_key_then_signs_in_with_it(new_page, log_in):
    from allauth.mfa.models import Authenticator

    from accounts.models import Role
    from signin.models import PemdaSignIn
    from tests.factories import PemdaFactory, person

    pemda = PemdaFactory(name="Kabupaten Kunci")
    admin = person(Role.INSPEKTORAT_ADMIN, pemda=pemda, username="inspektur.kunci")
    PemdaSignIn.objects.create(pemda=pemda, mfa_required=True)

    page = new_page()
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    log_in(page, "inspektur.kunci")
    expect(page).to_have_url(re.compile(r"/akun/keamanan/$"))
    expect(page.locator(".messages")).to_contain_text("mewajibkan faktor kedua")
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/akun/keamanan/$"))

    page.get_by_role("link", name="Tambah kunci keamanan (WebAuthn)").click()
    page.locator("#id_name").fill("Kunci USB Inspektur")
    page.locator("#mfa_webauthn_add").click()
    # Straight on to the recovery codes made with the key (no password asked again).
    page.wait_for_url(re.compile(r"/akun/2fa/recovery-codes/$"))
    expect(page.locator("main")).to_contain_text("Kunci keamanan ditambahkan")
    assert Authenticator.objects.filter(user=admin, type="webauthn").count() == 1
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # Signed out and back in: the password alone is not enough, the key is.
    page.goto("/")
    page.locator("details.account > summary").click()  # the account menu under the name
    page.locator("form[action='/keluar/'] button").click()
    page.wait_for_url(re.compile(r"/masuk/"))
    log_in(page, "inspektur.kunci")
    expect(page).to_have_url(re.compile(r"/akun/2fa/authenticate/$"))
    page.get_by_role("button", name="Gunakan kunci keamanan").click()
    page.wait_for_url(re.compile(r"/dasbor/"))
    expect(page.locator(".who")).to_contain_text(admin.display_name)
