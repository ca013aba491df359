#!/usr/bin/env bash
# Renders the Helm chart (deploy/helm/commerce) and validates it offline: strict decoding of every
# document into the k8s.io/api types of the pinned Kubernetes version (deploy/helm/validate,
# go.mod), plus the project's own rules (probes, resources, grace periods, HPA and PDB per
# worker role). Also checks that chart, compose file and deploy/apps.tsv name the same apps.
# helm is built once from the Go module proxy into the per-user tool cache (like
# tools/install-tools.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
HELM_VERSION=v3.22.1
# The Kubernetes version rendered for and validated against (k8s.io/api v0.34.x in validate/go.mod).
KUBE_VERSION=1.34.1
tools="${COMMERCE_TOOLS_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/commerce-tools}"
helm="$tools/helm/$HELM_VERSION/bin/helm"
log() { printf '[k8s] %s\n' "$*"; }

if [[ ! -x "$helm" ]]; then
  command -v go >/dev/null || { echo "[k8s] ERROR: go not found: install Go >= 1.25" >&2; exit 1; }
  log "building helm $HELM_VERSION (first time only, minutes)"
  tmp="$(mktemp -d)"
  GOBIN="$tmp" CGO_ENABLED=0 go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  mkdir -p "$(dirname "$helm")" && mv "$tmp/helm" "$helm" && rm -rf "$tmp"
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$helm" lint --kube-version "$KUBE_VERSION" "$here/commerce" >/dev/null
"$helm" template commerce "$here/commerce" --namespace commerce --kube-version "$KUBE_VERSION" >"$out/default.yaml"
# The optional backlog-based autoscaling renders too.
"$helm" template commerce "$here/commerce" --namespace commerce --kube-version "$KUBE_VERSION" \
  --set workerDefaults.hpa.backlog.enabled=true >"$out/backlog.yaml"
for f in default backlog; do
  (cd "$here/validate" && go run . <"$out/$f.yaml") | sed "s/^/[k8s] $f: /"
done

# One list of deployables: every image of deploy/apps.tsv is used by the chart and the compose
# file, and every app the compose file runs is in the chart.
chart_apps="$(grep -E '^kind: Deployment' -A2 "$out/default.yaml" | sed -n 's/^  name: //p' | sort)"
compose_apps="$(cd "$repo" && node -e '
  const yaml = require("fs").readFileSync("docker-compose.yml", "utf8");
  const names = [...yaml.matchAll(/^  ([a-z-]+):\n(?:    .*\n)*?    (?:<<: \*(?:temporal-worker)|image: commerce\/)/gm)].map((m) => m[1]);
  console.log(names.sort().join("\n"));')"
if [[ "$chart_apps" != "$compose_apps" ]]; then
  echo "[k8s] ERROR: the chart's Deployments and the compose file's apps differ:" >&2
  diff <(echo "$chart_apps") <(echo "$compose_apps") >&2 || true
  exit 1
fi
while read -r image _dir _port; do
  grep -q "/$image:" "$out/default.yaml" || { echo "[k8s] ERROR: no Deployment runs image $image (deploy/apps.tsv)" >&2; exit 1; }
done < <(grep -vE '^\s*(#|$)' "$repo/deploy/apps.tsv")
log "chart, compose file and deploy/apps.tsv agree ($(echo "$chart_apps" | wc -l) deployables)"
