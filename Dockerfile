# Crewcall's image: one image, three process types (as the Procfile names them).
#   release: crewcall migrate                       (safe when two deploys overlap)
#   web:     crewcall run --http --no-scheduler     (WEB_CONCURRENCY x WEB_THREADS)
#   worker:  crewcall worker                        (any number, on PostgreSQL)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=3000

WORKDIR /app
RUN useradd --create-home --uid 10001 crewcall

# Dependencies first, from pyproject.toml alone, so that a code change does not reinstall
# them; then the code, installed without looking at them again.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt && rm -rf /root/.cache /tmp/requirements.txt
COPY bot ./bot
RUN pip install --no-cache-dir --no-deps . && rm -rf /root/.cache

USER crewcall
EXPOSE 3000
# gunicorn stops gracefully on SIGTERM; workers hand back their claims (see README).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=2)"
CMD ["crewcall", "run", "--http", "--no-scheduler"]
