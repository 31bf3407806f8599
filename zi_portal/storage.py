"""The file storage configuration (evidence, reports, archives), from the environment."""

import environ


def default_storage_config(env: environ.Env) -> dict:
    """Django's STORAGES["default"]: a private S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is
    set (SeaweedFS in docker-compose.yml), else the local MEDIA_ROOT. The storage tests build their
    S3 storage through this function too, so what they test is what production runs."""
    bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
            # Files are never public: every download goes through a permission-checked view.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
