# Milestone Hub: one image for the `api` and `worker` processes (see docker-compose.yml).
FROM node:20-bookworm-slim

# WhatsApp Web sessions need a browser; Debian's chromium is used, never a downloaded one.
ARG WITH_CHROMIUM=false
RUN if [ "$WITH_CHROMIUM" = "true" ]; then \
      apt-get update && apt-get install -y --no-install-recommends chromium && rm -rf /var/lib/apt/lists/*; \
    fi

WORKDIR /app
ENV NODE_ENV=production PUPPETEER_SKIP_DOWNLOAD=true HUB_CHROMIUM_PATH=/usr/bin/chromium
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY api ./api
COPY cli ./cli
COPY core ./core
COPY connectors ./connectors
COPY mappings ./mappings
COPY queues ./queues
COPY webhooks ./webhooks
COPY tsconfig.json ./

USER node
EXPOSE 3000
ENTRYPOINT ["node", "--max-semi-space-size=64", "bin/hub.mjs"]
CMD ["start"]
