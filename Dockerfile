# syntax=docker/dockerfile:1
# Strata: offline-first caching S3 proxy. Build: `docker build -t strata .` (docs/operations.md).

# ---- build: the fat jar, with Maven on JDK 17 -------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
# Node.js and npm for a Maven module that builds web assets (the admin UI runs npm during the
# Maven build); installed here so the build stage does not depend on downloading Node at build time.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Everything the reactor needs; .dockerignore keeps target/, .git and docs out of the context.
COPY . .
# The cache mount keeps ~/.m2 between builds without baking it into a layer (BuildKit).
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

# ---- runtime: a JRE, the jar, nothing else --------------------------------------------------------
# Ubuntu-based, so bash is present for the health check below; no curl or wget is needed.
FROM eclipse-temurin:17-jre-noble
# A fixed, non-root uid/gid (not 1000: the Ubuntu image already has a user "ubuntu" there), so a
# volume, a Kubernetes securityContext (runAsUser/fsGroup) and a host directory can agree on it.
RUN groupadd --system --gid 10001 strata \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/strata --no-create-home \
      --shell /usr/sbin/nologin strata \
 && mkdir -p /var/lib/strata \
 && chown 10001:10001 /var/lib/strata
COPY --from=build /src/proxy/target/strata.jar /app/strata.jar

# Configuration is by environment: every key maps to a variable (strata.cache.dir -> STRATA_CACHE_DIR).
# The heap follows the container's memory limit, and is given back when not used: G1 keeps at most
# 30% of it free after a collection and collects once a minute when idle (docs/operations.md, JVM).
# In a container both ports must listen beyond loopback. Binding the admin port to 0.0.0.0 makes
# Strata REQUIRE an admin token at run time (STRATA_ADMIN_TOKEN or STRATA_ADMIN_TOKEN_FILE);
# without one it refuses to start. Client keys (STRATA_AUTH_*) and the upstream
# (STRATA_UPSTREAM_*) are given at run time as well.
ENV STRATA_S3_BIND=0.0.0.0 \
    STRATA_S3_PORT=9100 \
    MICRONAUT_SERVER_HOST=0.0.0.0 \
    MICRONAUT_SERVER_PORT=9101 \
    STRATA_CACHE_DIR=/var/lib/strata \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75.0 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=60000"

USER 10001:10001
WORKDIR /var/lib/strata
# The block cache and the durable upload queue (uploads/ must never be deleted: docs/operations.md).
VOLUME /var/lib/strata
EXPOSE 9100 9101

# A real HTTP GET of the readiness endpoint (open without the admin token) through bash's
# /dev/tcp, passing only on a 200 status line: nothing is installed for it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MICRONAUT_SERVER_PORT:-9101} && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r -t 4 status <&3 && [[ $status == 'HTTP/1.'?' 200'* ]]"]

# exec form: java is PID 1 and receives SIGTERM itself, so the cache writes its clean-shutdown marker.
ENTRYPOINT ["java", "-jar", "/app/strata.jar"]
