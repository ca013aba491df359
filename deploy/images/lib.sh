# Shared by the deploy/images scripts (sourced). Everything downloaded or built outside Docker is
# cached per user outside the repo (like tools/install-tools.sh), so CI's fresh clones reuse it.
set -euo pipefail

DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$DEPLOY_DIR/.." && pwd)"
IMAGES_HOME="${COMMERCE_IMAGES_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/commerce-images}"
mkdir -p "$IMAGES_HOME"

# Pinned versions (the Node LTS the images run: 20 reached end of life in April 2026).
NODE_VERSION="${NODE_VERSION:-24.22.3}"
NPM_VERSION="${NPM_VERSION:-11.19.1}"
DEBIAN_SUITE=bookworm
BASE_IMAGE="commerce/debian:$DEBIAN_SUITE"
NODE_IMAGE="commerce/node:$NODE_VERSION"

log() { printf '[images] %s\n' "$*"; }
die() { printf '[images] ERROR: %s\n' "$*" >&2; exit 1; }

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

require_engine() {
  docker info >/dev/null 2>&1 || die "no Docker engine answers: run bash deploy/images/engine.sh start"
}

# Builds in the host's network namespace: the build steps that fetch packages (npm ci, apt) then
# resolve registries exactly as the host does. Classic builder: no BuildKit features are used.
docker_build() {
  # (The classic builder's deprecation notice is dropped from stderr; errors still pass.)
  DOCKER_BUILDKIT=0 docker build --network host "$@" \
    2> >(grep -v -e '^DEPRECATED: The legacy builder' -e 'BuildKit is currently disabled' \
      -e '^ *environment-variable\.$' -e '^$' >&2)
}

# The deployable images, one per app package: name, package dir, port (deploy/apps.tsv).
apps_table() { grep -vE '^\s*(#|$)' "$DEPLOY_DIR/apps.tsv"; }
