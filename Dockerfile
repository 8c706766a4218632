# The production image: gunicorn serves the app; the same image runs the worker and beat.
FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=mvptracker.settings.production \
    MVPTRACKER_DATA_DIR=/app/data
WORKDIR /app
# Pango for WeasyPrint (PDF certificates) and a CJK font so Korean certificates have glyphs.
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 app
COPY pyproject.toml README.md ./
COPY requirements/constraints.txt requirements/constraints.txt
COPY . .
RUN pip install --no-cache-dir -c requirements/constraints.txt . \
    && DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost \
       python manage.py collectstatic --noinput \
    && mkdir -p /app/data && chown -R app /app/data
USER app
EXPOSE 8000
CMD ["gunicorn", "mvptracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
