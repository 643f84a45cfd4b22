# claimbot's Discord bot. Build: docker build -t claimbot .
# Run:   docker run -e DISCORD_TOKEN=... -v claimbot-data:/data claimbot
# The SQLite store lives on the /data volume; set CLAIMBOT_DB=postgresql://... to use PostgreSQL.

# Pinned to a patch release; bump deliberately (and consider pinning the digest too).
ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml README* ./
COPY claims_db ./claims_db
COPY bot ./bot
RUN /opt/venv/bin/pip install ".[postgres]"

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CLAIMBOT_DB=sqlite:////data/claims.db \
    CLAIMBOT_HEARTBEAT_FILE=/tmp/claimbot.heartbeat \
    CLAIMBOT_HEARTBEAT_INTERVAL=30
RUN groupadd --system --gid 10001 claimbot \
    && useradd --system --uid 10001 --gid claimbot --home-dir /nonexistent --shell /usr/sbin/nologin claimbot \
    && mkdir /data && chown claimbot:claimbot /data
COPY --from=build /opt/venv /opt/venv
USER claimbot
WORKDIR /data
VOLUME /data
# Healthy = with CLAIMBOT_METRICS_PORT set, the bot's /healthz answers 200 (connected to the gateway
# and the store answers); otherwise the bot wrote its heartbeat in the last 3 intervals (it only beats
# while connected to Discord and ready) and the claim store opens. See bot/__main__.py.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["python", "-m", "bot", "--health"]
CMD ["python", "-m", "bot"]
