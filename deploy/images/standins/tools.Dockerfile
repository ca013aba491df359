# Stand-ins for the official Temporal (auto-setup and admin-tools), MongoDB, mailpit and
# stripe-mock images, from the project's own Go builds (tools/install-tools.sh). Build context:
# a folder holding the binaries (deploy/images/standins.sh makes it).
ARG BASE_IMAGE=commerce/debian:bookworm

# The Temporal CLI: its dev server stands in for auto-setup (gRPC :7233, UI :8233), and the same
# binary is the admin tools' `temporal` command.
FROM ${BASE_IMAGE} AS temporal
COPY temporal /usr/local/bin/temporal
RUN mkdir -p /data && chown 1000:1000 /data
# Without cgo, Go's user lookup needs USER and HOME for a user that /etc/passwd does not list.
ENV USER=temporal HOME=/data
USER 1000
EXPOSE 7233 8233
CMD ["temporal", "server", "start-dev", "--ip", "0.0.0.0", "--ui-ip", "0.0.0.0", "--namespace", "default", \
     "--db-filename", "/data/temporal.db", "--sqlite-pragma", "journal_mode=WAL", "--log-level", "warn"]

# FerretDB (MongoDB wire protocol) on SQLite files in /data/db.
FROM ${BASE_IMAGE} AS mongo
COPY ferretdb /usr/local/bin/ferretdb
RUN mkdir -p /data/db /state && chown 1000:1000 /data/db /state
USER 1000
EXPOSE 27017
CMD ["ferretdb", "--handler=sqlite", "--sqlite-url=file:/data/db/", "--listen-addr=0.0.0.0:27017", \
     "--state-dir=/state", "--telemetry=disable", "--log-level=warn"]

FROM ${BASE_IMAGE} AS mailpit
COPY mailpit /usr/local/bin/mailpit
USER 1000
EXPOSE 1025 8025
ENTRYPOINT ["mailpit"]
CMD ["--max", "0", "--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--disable-version-check"]

FROM ${BASE_IMAGE} AS stripe-mock
COPY stripe-mock /usr/local/bin/stripe-mock
USER 1000
EXPOSE 12111
ENTRYPOINT ["stripe-mock"]
CMD ["-http-port", "12111"]
