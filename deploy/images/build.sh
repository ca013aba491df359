#!/usr/bin/env bash
# Builds the app images (deploy/Dockerfile, one per line of deploy/apps.tsv, tagged
# commerce/<image>:${IMAGE_TAG:-local}) on the local Node base, so it runs without a registry.
#   bash deploy/images/build.sh [image...]        (default: every image)
# Docker's layer cache makes a rebuild with unchanged manifests skip `npm ci`.
# shellcheck source=deploy/images/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_engine
image_exists "$NODE_IMAGE" || die "$NODE_IMAGE missing: run bash deploy/images/bases.sh"

tag="${IMAGE_TAG:-local}"
want=("$@")
while read -r name dir port; do
  if ((${#want[@]})) && [[ ! " ${want[*]} " == *" $name "* ]]; then continue; fi
  start=$SECONDS
  log "commerce/$name:$tag ($dir, :$port)"
  docker_build -f "$DEPLOY_DIR/Dockerfile" -t "commerce/$name:$tag" \
    --build-arg NODE_IMAGE="$NODE_IMAGE" --build-arg APP_DIR="$dir" --build-arg APP_PORT="$port" \
    "$REPO_ROOT" >"$IMAGES_HOME/build-$name.log" 2>&1 \
    || { tail -40 "$IMAGES_HOME/build-$name.log" >&2; die "building commerce/$name failed (log $IMAGES_HOME/build-$name.log)"; }
  log "commerce/$name:$tag built in $((SECONDS - start))s, $(docker image inspect -f '{{.Size}}' "commerce/$name:$tag" | awk '{printf "%.0f MB", $1/1e6}')"
done < <(apps_table)
