# Redis from Debian's package, for machines without an image registry (`scripts/dev image`
# builds it as dialtone-redis:7-debian). It stands in for the public redis:7 the way
# docker-compose.yml uses it: `redis-server` on PATH, run as user redis, data in /data,
# redis-cli for the health check. Debian 12 ships Redis 7.0.
FROM debian:12-slim

ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server redis-tools \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && install -d -o redis -g redis -m 0750 /data

# Like the public image: no config file, so the command line says everything (compose passes
# --appendonly yes); /data is where a volume keeps the append-only file.
WORKDIR /data
USER redis
EXPOSE 6379
HEALTHCHECK --interval=5s --timeout=3s --retries=10 CMD redis-cli ping | grep -q PONG
CMD ["redis-server", "--protected-mode", "no"]
