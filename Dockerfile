# syntax=docker/dockerfile:1
# The Trainyard bot as a container: build the bundles with the dev toolchain, then ship only the
# production dependencies and the built files, run as the unprivileged `node` user.
# Build: docker build -t trainyard-bot .   Run: see docs/deploy.md.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=root:root /src/package.json ./package.json
COPY --from=build --chown=root:root /src/node_modules ./node_modules
COPY --from=build --chown=root:root /src/bin ./bin
COPY --from=build --chown=root:root /src/dist ./dist
COPY --from=build --chown=root:root /src/schema ./schema
COPY --from=build --chown=root:root /src/bot/app.yml ./bot/app.yml
# The code is read-only for the process; only /data (the .env of a first-run registration) is its own.
RUN mkdir /data && chown node:node /data
USER node
EXPOSE 3000
# Liveness; the platform's readiness probe should use /readyz (ready once the app identity is known).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "bin/trainyard.js", "bot", "--env-file", "/data/.env"]
