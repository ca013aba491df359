#!/usr/bin/env bash
# npm run test:containers: the shop from its images, for real. Installs and starts a Docker
# engine if needed, builds the bases, the infrastructure stand-ins and every app image, brings
# docker-compose.yml up (stand-ins named by its image variables), then e2e/src/containers/
# stack-check.ts checks the gateway serves the console (GET /admin/ is HTML), places orders
# through the containerised gateway, scales payments-worker to 3,
# kills one mid-stream and checks the Grafana panels' PromQL against the running Prometheus.
# Everything is torn down at the end (KEEP_STACK=1 keeps it for a look).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$repo"
t0=$SECONDS
phase() { printf '[containers] %s (%ss)\n' "$*" "$((SECONDS - t0))"; }

# A dockerd this run starts is stopped at the end; one that was running already is left alone.
engine_started_here=0
docker info >/dev/null 2>&1 || engine_started_here=1
bash deploy/images/engine.sh start
bash deploy/images/bases.sh
bash deploy/images/standins.sh
bash deploy/images/build.sh
phase "images ready"

project="commerce-ci-$$"
work="$(mktemp -d)"
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
{
  node deploy/compose-env.mjs
  cat deploy/images/standins.env
  # stripe-mock never settles a payment: payments runs the project's test adapter (development
  # mode), every other app runs in production mode with the generated secrets.
  echo PAYMENTS_NODE_ENV=development
  echo PAYMENT_PROVIDER=test
  echo RATE_LIMIT_AUTH_LIMIT=100000
  echo RATE_LIMIT_DEFAULT_LIMIT=100000
  echo RATE_LIMIT_ADDRESS_LIMIT=100000
  echo "GATEWAY_PORT=$(free_port)"
  echo "PROMETHEUS_PORT=$(free_port)"
  echo "MAILPIT_PORT=$(free_port)"
} >"$work/env"
compose=(docker-compose -p "$project" -f docker-compose.yml --env-file "$work/env")
# Grafana and the Temporal UI have no local stand-in (the dev server serves its own UI): the
# dashboard's queries are checked against Prometheus instead.
services=$("${compose[@]}" config --services | grep -vxE 'grafana|temporal-ui' | tr '\n' ' ')

teardown() {
  local rc=$?
  if [[ "${KEEP_STACK:-}" == 1 ]]; then
    echo "[containers] stack kept: ${compose[*]} down -v"
  else
    if ((rc != 0)); then "${compose[@]}" logs --no-color --tail=40 >"$work/logs.txt" 2>&1 || true
      echo "[containers] last log lines of every service: $work/logs.txt"; fi
    "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
    phase "torn down"
    if ((engine_started_here)); then bash deploy/images/engine.sh stop; fi
  fi
  exit "$rc"
}
trap teardown EXIT

# shellcheck disable=SC2086
"${compose[@]}" up -d --no-build $services
phase "compose up"
COMPOSE_PROJECT="$project" COMPOSE_ENV_FILE="$work/env" \
  npx tsx e2e/src/containers/stack-check.ts
phase "stack check passed"
