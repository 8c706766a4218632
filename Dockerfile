# The production image: gunicorn serves the app; the same image runs the worker and beat.
# CI's Python (3.11). Dependencies come from pyproject.toml + uv.lock alone and are installed
# before the source is copied, so a source edit reuses the dependency layer. The project itself
# is not installed ([tool.uv] package = false): the code runs from /app, one copy only.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=mvptracker.settings.production \
    MVPTRACKER_DATA_DIR=/app/data \
    UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH=/opt/venv/bin:$PATH
WORKDIR /app
# Pango for WeasyPrint (PDF certificates) and a CJK font so Korean certificates have glyphs.
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 app \
    && pip install --no-cache-dir uv==0.13.9
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-cache --python /usr/local/bin/python3.11
COPY . .
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost \
       python manage.py collectstatic --noinput \
    && mkdir -p /app/data && chown -R app /app/data
USER app
EXPOSE 8000
CMD ["gunicorn", "mvptracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
