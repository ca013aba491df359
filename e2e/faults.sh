#!/usr/bin/env bash
# The checkout fault suite (e2e/test/faults.e2e-spec.ts) on its own: `npm run faults` (small, the
# size `npm test` runs) or `npm run faults -- --long`; both write their figures to
# docs/reliability.md. Builds first, because the stack runs every app from its build.
set -euo pipefail
cd "$(dirname "$0")/.."
export FAULTS_WRITE_DOC=1
if [[ "${1:-}" == "--long" ]]; then export FAULTS_LONG=1; fi
npm run build
exec npx jest e2e/test/faults.e2e-spec.ts --selectProjects e2e --runInBand
