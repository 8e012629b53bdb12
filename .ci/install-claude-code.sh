#!/usr/bin/env bash
# Pre-installs the pinned Claude Code used by src/test/java/dev/mos/it/ClaudeCodeConnectIT.java into the same cache
# dir that src/test/java/dev/mos/it/ClaudeCode.java looks in (keep the version in sync with ClaudeCode.VERSION).
# Skips the download when the right version is already there.
set -euo pipefail

CLAUDE_CODE_VERSION=2.1.332
dir="${MOS_CLAUDE_CODE_DIR:-$HOME/.cache/mos-test/claude-code}"
claude="$dir/node_modules/.bin/claude"

have="$("$claude" --version 2>/dev/null | head -n 1 | cut -d' ' -f1 || true)"
if [ "$have" != "$CLAUDE_CODE_VERSION" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --save-exact --no-audit --no-fund --loglevel=warn \
    "@anthropic-ai/claude-code@$CLAUDE_CODE_VERSION"
fi
echo "claude-code: $("$claude" --version) at $claude"
