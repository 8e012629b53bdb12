#!/usr/bin/env bash
# Pre-installs the pinned OpenAI Codex CLI used by src/test/java/dev/mos/it/CodexCliIT.java into the same cache dir
# that src/test/java/dev/mos/it/Codex.java looks in (keep the version in sync with Codex.VERSION). The native binary
# is the optional dependency @openai/codex-<platform>: --include=optional keeps an npm set to omit optional
# dependencies from installing a launcher with nothing to launch. Skips the download when the version is there.
set -euo pipefail

CODEX_VERSION=0.171.0
dir="${MOS_CODEX_DIR:-$HOME/.cache/mos-test/codex}"
codex="$dir/node_modules/.bin/codex"

# warnings may come before the version line
have="$("$codex" --version 2>/dev/null | grep '^codex-cli ' | head -n 1 | cut -d' ' -f2 || true)"
if [ "$have" != "$CODEX_VERSION" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --save-exact --include=optional --no-audit --no-fund --loglevel=warn \
    "@openai/codex@$CODEX_VERSION"
fi
echo "codex: $("$codex" --version 2>/dev/null | grep '^codex-cli ') at $codex"
