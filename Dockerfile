# syntax=docker/dockerfile:1
# The production image: gunicorn by default; the same image runs the Celery worker and beat
# (see docker-compose.yml and docs/operations.md). Debian is pinned (bookworm) so the names
# of the runtime libraries below stay valid.

# --- Translations: compile .po catalogues (GNU gettext stays out of the runtime image) -------
FROM python:3.11-slim-bookworm AS messages
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Dutch is the source language (docs/decisions/0003); other catalogues, when present, are
# compiled here. No .po files is fine.
RUN find . -path '*/LC_MESSAGES/*.po' -exec sh -c 'msgfmt --check-format -o "${1%.po}.mo" "$1"' _ {} \;

# --- Runtime ----------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONPATH=/app \
    DJANGO_ENV=production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/srv/media

# WeasyPrint's native libraries (Pango, HarfBuzz, FFI) and a font for the PDFs. Without
# libharfbuzz-subset0 WeasyPrint warns at import and subsets fonts the slow way.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libffi8 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 meldroute \
    && useradd --system --uid 10001 --gid meldroute --no-create-home \
        --home-dir /app --shell /usr/sbin/nologin meldroute \
    && mkdir -p /srv/media /srv/static \
    && chown meldroute:meldroute /srv/media /srv/static

# Dependencies first, in their own cached layer. pyproject.toml declares
# `[tool.setuptools] packages = []`: the wheel built from it holds no code, only the
# metadata with every runtime dependency, so `pip install .` installs exactly those and the
# application runs from /app (PYTHONPATH), as manage.py expects.
COPY pyproject.toml README.md /tmp/meldroute/
RUN pip install /tmp/meldroute && rm -rf /tmp/meldroute

WORKDIR /app
# Code belongs to root and is read-only for the process user.
COPY --from=messages /src /app

# Static files into the image at build time. DJANGO_ENV=production refuses to start without
# these three variables; the values below exist only for this RUN line and are never used
# at run time (the container's environment provides the real ones).
RUN SECRET_KEY=build-only-collectstatic-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    DATABASE_URL=postgres://build@127.0.0.1:5432/build \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

USER meldroute
EXPOSE 8000
CMD ["gunicorn", "--config", "config/gunicorn.conf.py", "config.wsgi"]
