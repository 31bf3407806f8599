# ZI Portal production image: gunicorn (web), celery (worker, beat) share it.
# Base pinned to a patch release (README, "Upgrading the pinned images"); a test checks the pin.
FROM python:3.12.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    ZI_VAR_DIR=/var/lib/zi-portal

# Pango + fonts for WeasyPrint, libmagic for content-type sniffing of evidence.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libmagic1 \
      fonts-dejavu-core fonts-noto-core shared-mime-info \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install -e .
COPY . .
RUN useradd --system --home /app zi && mkdir -p "$ZI_VAR_DIR" /var/backups/zi-portal \
 && chown zi "$ZI_VAR_DIR" /var/backups/zi-portal \
 && DATABASE_URL=sqlite:////tmp/build.sqlite3 STATIC_MANIFEST=1 SECRET_KEY=build-only-collectstatic \
    python manage.py collectstatic --noinput -v0
USER zi
EXPOSE 8000
CMD ["gunicorn", "zi_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]
