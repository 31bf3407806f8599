"""The S3-compatible object store behind the default storage (SeaweedFS in docker-compose.yml):
creating its buckets at first start, and keeping backup archives in it (``s3://bucket/key``).

Both reuse the storage's own connection, so the endpoint, region and keys are the ones the portal
stores its files with (STORAGES["default"], zi_portal/storage.py)."""

from pathlib import Path

from django.core.files.storage import storages
from django.utils.translation import gettext as _

SCHEME = "s3://"


class ObjectStoreError(Exception):
    """The object store cannot do what was asked; the message says why, in Indonesian."""


def _client():
    from storages.backends.s3 import S3Storage

    storage = storages["default"]
    if not isinstance(storage, S3Storage):
        raise ObjectStoreError(
            _(
                "Penyimpanan berkas portal bukan S3 (AWS_STORAGE_BUCKET_NAME tidak diisi); "
                "bucket dan alamat s3:// tidak dapat dipakai."
            )
        )
    return storage.connection.meta.client, storage


def _missing(exc) -> bool:
    return exc.response.get("Error", {}).get("Code") in {
        "404",
        "NoSuchBucket",
        "NoSuchKey",
        "NotFound",
    }


def ensure_buckets(*extra: str) -> list[tuple[str, bool]]:
    """Creates the storage's bucket, and each ``extra`` one (e.g. for backups), when missing.

    Buckets are created without any public access: the portal reads and writes with its keys and
    serves files only through permission-checked views. Returns (name, created) for each."""
    from botocore.exceptions import ClientError

    client, storage = _client()
    region = client.meta.region_name
    done = []
    for name in dict.fromkeys([storage.bucket_name, *extra]):
        try:
            client.head_bucket(Bucket=name)
            done.append((name, False))
            continue
        except ClientError as exc:
            if not _missing(exc):
                raise
        options = {}
        if region and region != "us-east-1":  # S3 refuses a LocationConstraint of us-east-1
            options["CreateBucketConfiguration"] = {"LocationConstraint": region}
        client.create_bucket(Bucket=name, **options)
        done.append((name, True))
    return done


def is_remote(target) -> bool:
    return str(target).startswith(SCHEME)


def split_url(url: str) -> tuple[str, str]:
    bucket, _sep, key = url[len(SCHEME) :].partition("/")
    if not bucket or not key or key.endswith("/"):
        raise ObjectStoreError(
            _("Alamat %(url)s harus berbentuk s3://bucket/nama-berkas.tar.gz.") % {"url": url}
        )
    return bucket, key


def check_url(url: str) -> None:
    """Refuses, before any work, an address that is malformed or that no S3 storage can reach."""
    split_url(url)
    _client()


def upload_archive(path: Path, url: str) -> None:
    """Copies a backup archive into the object store (multipart for large archives)."""
    bucket, key = split_url(url)
    client, _storage = _client()
    client.upload_file(str(path), bucket, key)


def download_archive(url: str, path: Path) -> None:
    """Copies a backup archive out of the object store to a local file."""
    from botocore.exceptions import ClientError

    bucket, key = split_url(url)
    client, _storage = _client()
    try:
        client.download_file(bucket, key, str(path))
    except ClientError as exc:
        if _missing(exc):
            raise ObjectStoreError(
                _("Cadangan %(url)s tidak ditemukan di penyimpanan objek.") % {"url": url}
            ) from exc
        raise
