# syntax=docker/dockerfile:1
# MOS, the MCP Observability Server: build with the Maven wrapper on a JDK 21, run on a JRE 21 as uid/gid 1001.
# Works with a read-only root filesystem: the only writable paths are the data volume (/var/lib/mos) and /tmp
# (mount a tmpfs: sqlite-jdbc extracts its native library into java.io.tmpdir). See DEPLOYMENT.md.

FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
# The wrapper and the POM first, then the sources. The Maven repository (and the wrapper's Maven) live in a
# BuildKit cache mount, so a rebuild downloads only what changed, even after a pom.xml edit. (dependency:go-offline
# is not used: it cannot resolve this build's whole graph up front.)
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src
RUN --mount=type=cache,id=mos-m2,target=/root/.m2 ./mvnw -B -DskipTests package

FROM eclipse-temurin:21-jre
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="MOS - MCP Observability Server" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.description="Captures what AI coding agents do (tasks, tools, MCP calls, subagents, LLM calls) as a nested tree; MCP tools, REST/SSE, dashboard, Prometheus metrics" \
      org.opencontainers.image.vendor="MOS project" \
      org.opencontainers.image.documentation="DEPLOYMENT.md"

RUN groupadd --system --gid 1001 mos \
 && useradd --system --uid 1001 --gid 1001 --no-create-home --home-dir /var/lib/mos --shell /usr/sbin/nologin mos \
 && mkdir -p /app/config /var/lib/mos \
 && chown 1001:1001 /var/lib/mos
WORKDIR /app
COPY --from=build /src/target/mos.jar /app/mos.jar
COPY config/production.json /app/config/production.json

# Everything the server needs comes from here; a token is required because MCP_HOST is not loopback
# (docker run -e MCP_AUTH_TOKEN=...): without one the server refuses to start and says so.
ENV NODE_ENV=production \
    MCP_HOST=0.0.0.0 \
    MCP_PORT=3000 \
    MCP_CONFIG_PATH=/app/config/production.json \
    MCP_DATA_DIR=/var/lib/mos \
    MCP_STORE=sqlite

VOLUME /var/lib/mos
USER 1001:1001
EXPOSE 3000
STOPSIGNAL SIGTERM

# java is PID 1 (exec form), so it receives SIGTERM and drains within server.shutdownTimeoutMs (8 s) < Docker's
# 10 s. The heap follows the container's memory limit; -XX:-UsePerfData keeps the JVM from writing hsperfdata.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-Djava.io.tmpdir=/tmp", "-jar", "/app/mos.jar"]
CMD ["serve"]

# Really asks the server (GET /health, public even when a token is set): exit 0 when healthy or warning.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xss512k", "-Xmx48m", "-Djava.io.tmpdir=/tmp", "-jar", "/app/mos.jar", "health", "--url", "http://127.0.0.1:3000", "--timeout-ms", "5000"]
