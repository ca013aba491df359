#!/usr/bin/env bash
# Local stand-ins for the official infrastructure images, for machines that reach no container
# registry (the project's CI). docker-compose.yml names every infrastructure image through a
# variable whose default is the official image; deploy/images/standins.env points them here.
#   commerce/postgres, commerce/redis, commerce/prometheus (with promtool): Debian's packages
#   commerce/temporal (dev server and admin CLI), commerce/mongo (FerretDB), commerce/mailpit,
#   commerce/stripe-mock: the project's own Go builds from tools/install-tools.sh
# Idempotent: an image that exists is kept.
# shellcheck source=deploy/images/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_engine
image_exists "$BASE_IMAGE" || die "$BASE_IMAGE missing: run bash deploy/images/bases.sh"
here="$DEPLOY_DIR/images/standins"

for target in postgres redis prometheus; do
  image="commerce/$target:standin"
  if image_exists "$image"; then log "$image: present"; continue; fi
  start=$SECONDS
  docker_build -q -f "$here/debian.Dockerfile" --target "$target" -t "$image" \
    --build-arg BASE_IMAGE="$BASE_IMAGE" "$here" >/dev/null
  log "$image: built in $((SECONDS - start))s"
done

bash "$REPO_ROOT/tools/install-tools.sh" >/dev/null
# shellcheck source=tools/versions.sh
source "$REPO_ROOT/tools/versions.sh"
ctx="$IMAGES_HOME/standin-tools"
mkdir -p "$ctx"
cp "$here/tools.Dockerfile" "$ctx/Dockerfile"
for t in temporal:"$TEMPORAL_CLI_VERSION" ferretdb:"$FERRETDB_VERSION" mailpit:"$MAILPIT_VERSION" stripe-mock:"$STRIPE_MOCK_VERSION"; do
  cp "$(tool_bin "${t%%:*}" "${t#*:}")" "$ctx/${t%%:*}"
done
for target in temporal mongo mailpit stripe-mock; do
  image="commerce/$target:standin"
  if image_exists "$image"; then log "$image: present"; continue; fi
  start=$SECONDS
  docker_build -q --target "$target" -t "$image" --build-arg BASE_IMAGE="$BASE_IMAGE" "$ctx" >/dev/null
  log "$image: built in $((SECONDS - start))s"
done
