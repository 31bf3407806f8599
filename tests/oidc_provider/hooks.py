"""Claims of the test provider's people, read from the JSON file serve.py was given: each entry
may carry a NIP and ``tamper`` ("iss" or "aud") to make the provider sign an ID token that a relying
party must refuse."""

import json
import os


def _people():
    with open(os.environ["OIDC_TEST_USERS"]) as f:
        return {p["username"]: p for p in json.load(f)}


def userinfo(claims, user):
    person = _people().get(user.username, {})
    claims.update(
        name=person.get("name", user.username),
        preferred_username=user.username,
        email=user.email,
        email_verified=True,
    )
    return claims


def id_token(id_token, user, **kwargs):
    person = _people().get(user.username, {})
    if person.get("nip"):
        id_token["nip"] = person["nip"]
    if user.email:
        id_token["email"] = user.email
    if person.get("tamper") == "iss":
        id_token["iss"] = "https://sso.pemda-lain.example/openid"
    if person.get("tamper") == "aud":
        id_token["aud"] = "aplikasi-lain"
    return id_token
