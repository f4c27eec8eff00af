# PostgreSQL 15 from Debian's package, for machines without an image registry (`scripts/dev
# image` builds it as dialtone-postgres:15-debian). It stands in for the public postgres:15 the
# way docker-compose.yml uses it: POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB create the
# superuser and database on first start, data lives in /var/lib/postgresql/data (a volume),
# password (scram-sha-256) for network clients, and pg_isready for the health check.
FROM debian:12-slim

ARG DEBIAN_FRONTEND=noninteractive
# Debian's package creates a cluster at install; this image makes its own in PGDATA instead.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && pg_dropcluster 15 main \
 && install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data \
 && install -d -o postgres -g postgres -m 2775 /var/run/postgresql

COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh

ENV PATH=/usr/lib/postgresql/15/bin:${PATH} \
    PGDATA=/var/lib/postgresql/data
USER postgres
EXPOSE 5432
STOPSIGNAL SIGINT
HEALTHCHECK --interval=5s --timeout=3s --retries=10 CMD pg_isready -h 127.0.0.1 -q
ENTRYPOINT ["postgres-entrypoint.sh"]
CMD ["postgres"]
