#!/usr/bin/env bash
# The whole test suite: type-check, unit and pipeline tests (Vitest, Node), build, e2e (Playwright, Chromium).
set -uo pipefail
cd "$(dirname "$0")/.."
rm -rf reports && mkdir -p reports
bash scripts/ensure-chromium.sh || exit 1
npm run --silent lint || { echo "lint failed (npm run format fixes the formatting)"; exit 1; }
npm run --silent typecheck || { echo "typecheck failed"; exit 1; }
npx vitest run --reporter=default --reporter=json --outputFile.json=reports/unit-results.json
unit=$?
npx vite build --logLevel warn || { echo "build failed"; exit 1; }
npx playwright test
e2e=$?
node scripts/summarise-tests.mjs reports/unit-results.json reports/e2e-results.json
summary=$?
[ $unit -eq 0 ] && [ $e2e -eq 0 ] && [ $summary -eq 0 ]
