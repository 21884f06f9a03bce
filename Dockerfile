FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY relation_client relation_client
COPY agences agences
COPY reconquete reconquete
COPY satisfaction satisfaction
COPY demo demo
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs a configuration, not the real secrets
RUN DEBUG=false SECRET_KEY=collectstatic DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 python manage.py collectstatic --no-input
RUN useradd --create-home relation && chown -R relation /app
USER relation
EXPOSE 8000
# ASGI: the live event stream (relation_client/live/views.py) needs it
CMD ["gunicorn", "-k", "uvicorn_worker.UvicornWorker", "relation_client.asgi:application", \
     "--bind", "0.0.0.0:8000", "--workers", "3", "--graceful-timeout", "5"]
