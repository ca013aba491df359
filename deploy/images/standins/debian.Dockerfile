# Stand-ins for the official PostgreSQL, Redis and Prometheus images, from Debian's packages on
# the local base (deploy/images/standins.sh builds one target each). Same ports, paths and
# entrypoint conventions the compose file relies on; not meant for production.
ARG BASE_IMAGE=commerce/debian:bookworm

FROM ${BASE_IMAGE} AS postgres
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      postgresql-15 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /docker-entrypoint-initdb.d /run/postgresql \
 && chown -R postgres:postgres /var/lib/postgresql /run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
USER postgres
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]

FROM ${BASE_IMAGE} AS redis
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      redis-server && rm -rf /var/lib/apt/lists/* && mkdir -p /data && chown redis:redis /data
WORKDIR /data
USER redis
EXPOSE 6379
CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no"]

FROM ${BASE_IMAGE} AS prometheus
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      prometheus && rm -rf /var/lib/apt/lists/* \
 && ln -s /usr/bin/prometheus /bin/prometheus 2>/dev/null || true \
 && mkdir -p /prometheus /etc/prometheus && chown -R 65534:65534 /prometheus
USER 65534
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
