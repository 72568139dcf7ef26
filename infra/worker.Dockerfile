# A worker image with everything a lesson needs: the same setup script a developer runs.
FROM python:3.11-slim-bookworm
WORKDIR /app
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*
COPY . /app
RUN PYTHON=python3 bash scripts/setup.sh && rm -rf /var/lib/apt/lists/*
ENV PATH="/app/.venv/bin:${PATH}"
