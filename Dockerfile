# The opmeter demo: simulated workflows and events, metrics on :9464/metrics (and OTLP when
# OTEL_EXPORTER_OTLP_ENDPOINT is set), def_metric rows to OPMETER_DEF_METRIC_URL.
#   docker build -t opmeter-demo .
#   docker run --rm -p 9464:9464 opmeter-demo
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY instrumentations ./instrumentations
COPY examples ./examples
COPY bench ./bench
RUN npm run build

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# schemas/ must sit next to package.json: the def_metric writer finds its table schemas there.
COPY schemas ./schemas
COPY --from=build /app/dist ./dist
# The Prometheus endpoint binds 127.0.0.1 unless told otherwise; a container must listen on all
# interfaces for other containers (and published ports) to reach it.
ENV OTEL_EXPORTER_PROMETHEUS_HOST=0.0.0.0 \
    OTEL_EXPORTER_PROMETHEUS_PORT=9464 \
    OPMETER_DEF_METRIC_URL=sqlite:/app/data/opmeter-demo.db
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 9464
CMD ["node", "--disable-warning=ExperimentalWarning", "dist/examples/demo/main.js"]
