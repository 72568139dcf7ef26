# The mathcast worker image: every system package a lesson needs, the project in /app/.venv, and a
# Prefect process worker. The system packages are scripts/setup.sh's apt list, installed by running
# that script, so a developer's machine and the image never drift apart.
#
#   docker build -f infra/worker.Dockerfile -t mathcast-worker .      (from the repository root)
FROM python:3.11-slim-bookworm

ENV DEBIAN_FRONTEND=noninteractive \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    MATHCAST_HOME=/app \
    PREFECT_SERVER_ANALYTICS_ENABLED=false

WORKDIR /app
COPY . /app
# apt packages (scripts/setup.sh's list plus a compiler for pycairo/manimpango), then .venv
RUN PYTHON=python3 bash scripts/setup.sh \
    && rm -rf /var/lib/apt/lists/* /root/.cache

RUN useradd --create-home --uid 10001 mathcast && chown -R mathcast /app
USER mathcast
ENV PATH="/app/.venv/bin:${PATH}" \
    MATHCAST_CACHE_DIR=/home/mathcast/.cache/mathcast

# The pull step of prefect.yaml runs each flow in $MATHCAST_HOME (/app).
CMD ["prefect", "worker", "start", "--pool", "mathcast-process", "--type", "process"]
