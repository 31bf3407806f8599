"""Starts the test OpenID Connect provider: migrate a fresh SQLite file, make a signing key, the
portal's client and the people, then serve on the given port until killed.

    python -m tests.oidc_provider.serve PORT CONFIG.json

CONFIG: {"client_id", "client_secret", "redirect_uris": [...], "post_logout_redirect_uris": [...],
"users": [{"username", "password", "email", "nip", "tamper"}]}; the environment names the database
(OIDC_TEST_DB), the users' file (OIDC_TEST_USERS) and the public address (OIDC_TEST_SITE_URL)."""

import json
import os
import sys


def main(port: int, config_path: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    from oidc_provider.models import Client, ResponseType

    with open(config_path) as f:
        config = json.load(f)
    call_command("migrate", verbosity=0)
    call_command("creatersakey", stdout=open(os.devnull, "w"))
    client = Client.objects.create(
        name="ZI Portal",
        client_type="confidential",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        require_consent=False,
        jwt_alg="RS256",
    )
    client.redirect_uris = config["redirect_uris"]
    client.post_logout_redirect_uris = config["post_logout_redirect_uris"]
    client.save()
    client.response_types.add(ResponseType.objects.get(value="code"))
    for person in config["users"]:
        User.objects.create_user(person["username"], person.get("email", ""), person["password"])
    print("ready", flush=True)
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
