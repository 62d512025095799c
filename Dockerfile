# hydrawatch image for docker-compose (real MongoDB 7 + Redis 7). Chromium and ffmpeg come from Debian.
FROM node:20-bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium ffmpeg ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY crawlers ./crawlers
COPY config ./config
RUN npx tsc -p tsconfig.json
ENTRYPOINT ["node", "dist/src/cli/main.js"]
