# One image for every Python process of the portal: web (gunicorn, the default command),
# the Celery worker, Celery beat and the one-shot migrate job of docker-compose.yml.
#
# The code runs from /app, not from site-packages: settings.py finds templates/, static/ and
# locale/ beside the packages (BASE_DIR), so only the dependencies are pip-installed.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango and a font for WeasyPrint's PDFs, libmagic to check uploads by their content. Not pinned: bookworm's security updates replace
# these versions, and a pin to a vanished version would break the build. The translations
# are compiled in the repository, so gettext is not needed.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core libmagic1 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin portal

WORKDIR /app

# The runtime dependencies of pyproject.toml (exact pins there), without the dev extra. This
# layer is rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The code belongs to root: the portal user can read it, not change it. Files go to
# /app/var/media and documents people send to /app/var/private (volumes in docker-compose.yml),
# the only places the portal user may write.
COPY . .
RUN mkdir -p /app/var/media /app/var/private && chown -R portal:portal /app/var

# Production static storage (whitenoise's compressed manifest) needs collectstatic run under
# production settings. Those refuse to start without a secret key, PostgreSQL and Redis, so this
# one RUN line gets throwaway values: nothing connects to them, and they are not part of the
# image's environment (only this step's command line, in the build history, names them).
RUN DJANGO_ENV=production \
    SECRET_KEY=build-time-only-collectstatic-key-never-used-to-sign-anything-0123456789 \
    DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --no-input --verbosity 0

USER 10001:10001

# Gunicorn reads WEB_CONCURRENCY for its number of workers. --no-control-socket: gunicorn 27
# otherwise opens a control socket under $HOME/.gunicorn, and /app is not writable. No access
# log here: the application's own logs are JSON lines, and the proxy in front logs requests.
ENV WEB_CONCURRENCY=3
EXPOSE 8000
CMD ["gunicorn", "cpam_portal.wsgi", "--bind", "0.0.0.0:8000", "--no-control-socket", \
     "--worker-tmp-dir", "/dev/shm"]
