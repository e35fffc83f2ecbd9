# newsroom's container image: one image for web (gunicorn), task worker, periodic jobs and
# one-off commands (compose.yaml runs them all). Slim Debian base, dependencies from the
# hashed lock file, catalogues compiled and static files collected at build time, runs as
# an unprivileged user. docs/deployment.md, "Containers".

FROM python:3.12-slim-trixie AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /srv/newsroom
COPY requirements.txt .
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --require-hashes -r requirements.txt
COPY . .
# Catalogues (.mo are not in git) and static files with hashed names for WhiteNoise. The
# settings need a secret and a database URL to load; collectstatic uses neither.
RUN /opt/venv/bin/pybabel compile --domain django --directory locale \
    && /opt/venv/bin/pybabel compile --domain djangojs --directory locale \
    && DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
       DATABASE_URL=postgres://build@127.0.0.1:1/build \
       DJANGO_STATIC_ROOT=/srv/newsroom/var/static \
       /opt/venv/bin/python manage.py collectstatic --noinput --verbosity 0 \
    && rm -rf node_modules tests .git var/run var/postgres

FROM python:3.12-slim-trixie
# postgresql-client: pg_dump/pg_restore for `manage.py backup` / `restore` (Debian 13
# ships PostgreSQL 17's, which handles servers 9.2 to 17).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /srv/newsroom --no-create-home newsroom \
    && mkdir -p /srv/newsroom-media \
    && chown newsroom:newsroom /srv/newsroom-media
COPY --from=build /opt/venv /opt/venv
COPY --from=build /srv/newsroom /srv/newsroom
WORKDIR /srv/newsroom
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_DEBUG=0 \
    DJANGO_STATIC_ROOT=/srv/newsroom/var/static \
    DJANGO_MEDIA_ROOT=/srv/newsroom-media
USER newsroom
EXPOSE 8000
VOLUME ["/srv/newsroom-media"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["gunicorn", "newsroom.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--threads", "2", \
     "--max-requests", "5000", "--max-requests-jitter", "500", "--timeout", "30", \
     "--access-logfile", "-"]
