#!/usr/bin/env bash
# The project's pinned `temporal` CLI (built by tools/install-tools.sh), for operators:
#   npm run -s temporal -- workflow list --query 'CheckoutStatus="AWAITING_APPROVAL"'
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/versions.sh"
bin="$(tool_bin temporal "$TEMPORAL_CLI_VERSION")"
if [ ! -x "$bin" ]; then
  echo "temporal CLI $TEMPORAL_CLI_VERSION is not built: run npm run tools:install" >&2
  exit 1
fi
exec "$bin" "$@"
