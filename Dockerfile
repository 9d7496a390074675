# The service image: compiled TypeScript on Node.js 24 LTS, run as the unprivileged `node` user
# (uid 1000) of the official image, with its data on a volume at /data.
#
# better-sqlite3 13 ships its native module prebuilt (Node-API, glibc >= 2.34; bookworm has
# 2.36), so the build stage needs no compiler.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production LEDGER_DATA_DIR=/data PORT=3000 HOST=0.0.0.0
# glibc's malloc arenas capped at 2 (one per thread by default): a rebuild's two threads peaked
# 150 MB higher without it (see MALLOC_ARENA_MAX in the README's Configuration).
ENV MALLOC_ARENA_MAX=2
# The code belongs to root and is read-only to the service; only /data is its to write.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
USER node
# A new named volume takes /data's owner (node) from the image; a bind mount must be writable
# by uid 1000 (`chown 1000:1000 <dir>`), or the start stops with "LEDGER_DATA_DIR … is not writable".
VOLUME ["/data"]
EXPOSE 3000
# Liveness: the process answers. Readiness (/health/ready) is for a load balancer: a stuck
# projection or a full disk makes it 503, which a restart would not cure.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "dist/src/health/healthcheck.js", "live"]
# Nest closes the HTTP server, the projections and the stores on SIGTERM (docker stop).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
