# syntax=docker/dockerfile:1
FROM python:3.13-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000

WORKDIR /app

# Dependencies first, in their own cached layer. psycopg2-binary ships its own libpq,
# so no compiler or build packages are needed.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# collectstatic needs settings but no database or real secret.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput -v0 \
    && useradd --system --uid 10001 --home /app app \
    && mkdir -p /app/media && chown app /app/media

USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "bin/healthcheck"]

CMD ["bin/start-web"]
