"""The storage tests run twice: on the local file system and on an S3-compatible server.

The server is moto in server mode, started once per test run as a subprocess listening over HTTP on
127.0.0.1: boto3 talks to it exactly as it talks to SeaweedFS in production (no in-process patching).
The S3 storage is built by zi_portal.storage.default_storage_config from the same AWS_* variables
production sets. moto is a declared test dependency: when it cannot start, the tests fail, never skip.
"""

import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import environ
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings as django_settings

from zi_portal.storage import default_storage_config

ACCESS_KEY, SECRET_KEY, REGION = "zi-uji", "rahasia-uji-s3", "us-east-1"
BUCKET = "zi-portal-uji"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def s3_client(endpoint, **config):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(**config) if config else None,
    )


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A running S3-compatible server with the (private) bucket the portal stores its files in."""
    log_path = tmp_path_factory.mktemp("s3-server") / "moto.log"
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        client = s3_client(endpoint, retries={"max_attempts": 1}, connect_timeout=1)
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"Server S3 uji (moto) berhenti saat mulai; pasang dependensi uji "
                    f"(pip install -e '.[test]').\n{log_path.read_text(errors='replace')[-3000:]}"
                )
            try:
                client.list_buckets()
                break
            except (BotoCoreError, ClientError):  # not listening yet
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"Server S3 uji tidak menjawab dalam 30 detik.\n{log_path.read_text(errors='replace')[-3000:]}"
                    )
                time.sleep(0.2)
        client.create_bucket(Bucket=BUCKET)  # no ACL given: private, as in production
        yield {"endpoint": endpoint, "client": s3_client(endpoint), "bucket": BUCKET}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class LocalBackend:
    kind = "local"

    def names(self) -> list[str]:
        root = Path(django_settings.MEDIA_ROOT)
        return (
            sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
            if root.exists()
            else []
        )

    def overwrite(self, name: str, data: bytes):
        """Changes a stored file behind the portal's back (as damage or tampering would)."""
        (Path(django_settings.MEDIA_ROOT) / name).write_bytes(data)

    def nothing_elsewhere(self) -> bool:
        return True


class S3Backend:
    kind = "s3"

    def __init__(self, server):
        self.client, self.bucket, self.endpoint = (
            server["client"],
            server["bucket"],
            server["endpoint"],
        )

    def names(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))

    def overwrite(self, name: str, data: bytes):
        self.client.put_object(Bucket=self.bucket, Key=name, Body=data)

    def nothing_elsewhere(self) -> bool:
        """No file was written to the local media folder: everything went to the bucket."""
        return LocalBackend().names() == []

    def empty(self):
        for name in self.names():
            self.client.delete_object(Bucket=self.bucket, Key=name)


def use_s3_storage(server, settings, monkeypatch, **env):
    """Points the default storage at the test server through production's own configuration path."""
    variables = {
        "AWS_STORAGE_BUCKET_NAME": server["bucket"],
        "AWS_S3_ENDPOINT_URL": server["endpoint"],
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        **env,
    }
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    config = default_storage_config(environ.Env())
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = {**settings.STORAGES, "default": config}  # Django resets default_storage


@pytest.fixture
def s3_storage(s3_server, settings, monkeypatch):
    """Call it (with AWS_* overrides as keywords) to point the default storage at the S3 server."""
    return lambda **env: use_s3_storage(s3_server, settings, monkeypatch, **env)


@pytest.fixture(params=["local", "s3"])
def storage_backend(request, settings, monkeypatch):
    """The default storage on the local file system (a fresh MEDIA_ROOT), then on the S3 server
    (an emptied bucket); the object lets a test look at what was stored, behind the portal's back."""
    if request.param == "local":
        return LocalBackend()
    server = request.getfixturevalue("s3_server")
    backend = S3Backend(server)
    backend.empty()
    use_s3_storage(server, settings, monkeypatch)
    return backend
