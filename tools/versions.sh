# Pinned versions of the infrastructure tools and where they live. Sourced by the tool scripts;
# the Node launcher parses this file (tools/src/infra/settings.ts), so versions are pinned only here.
TEMPORAL_CLI_VERSION=v1.5.1
FERRETDB_VERSION=v1.24.2
STRIPE_MOCK_VERSION=v0.197.0
MAILPIT_VERSION=v1.33.1
TOOLS_HOME="${COMMERCE_TOOLS_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/commerce-tools}"
tool_bin() { printf '%s/%s/%s/bin/%s' "$TOOLS_HOME" "$1" "$2" "$1"; }
