# A team server: one installation of the dashboard for colleagues.
#   docker build -t viz .
#   docker run -p 8501:8501 -v viz-store:/app/data/store viz                 # uploads and corrections on
#   docker run -p 8501:8501 -e VIZ_READ_ONLY=1 -v viz-store:/app/data/store viz   # a read-only (public) server
# Everything is installed when the image is built (Python packages, the spaCy
# model, the gazetteer index, plotly.js, Debian's Chromium for pictures and films); at run
# time the server fetches nothing.  See README, "A team server".
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends make chromium nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
# the virtualenv, the pinned packages, the gazetteer index and plotly.js for the map
# component (the dashboard's own build made with npm, whose packages are then dropped)
RUN make gazetteer PYTHON=python3 \
 && rm -rf js/plotly-bundle/node_modules \
 && .venv/bin/python -m viz store add data/demo --label demo

ENV VIZ_STORE_DIR=/app/data/store
EXPOSE 8501
# Inside the container the server listens on every interface (the container's
# own network); which hosts reach it is what `docker run -p` publishes.
CMD [".venv/bin/streamlit", "run", "app.py", "--server.address", "0.0.0.0", "--server.port", "8501"]
