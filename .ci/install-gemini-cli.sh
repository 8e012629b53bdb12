#!/usr/bin/env bash
# Pre-installs the pinned Gemini CLI used by src/test/java/dev/mos/it/GeminiCliIT.java into the same cache dir that
# src/test/java/dev/mos/it/GeminiCli.java looks in (keep the version in sync with GeminiCli.VERSION).
# Skips the download when the right version is already there.
set -euo pipefail

GEMINI_CLI_VERSION=0.61.0
dir="${MOS_GEMINI_CLI_DIR:-$HOME/.cache/mos-test/gemini-cli}"
gemini="$dir/node_modules/.bin/gemini"
# --version under a throw-away HOME: Gemini CLI writes ~/.gemini (installation id) when it starts
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT

have="$(HOME="$home" "$gemini" --version 2>/dev/null | head -n 1 || true)"
if [ "$have" != "$GEMINI_CLI_VERSION" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --save-exact --no-audit --no-fund --loglevel=warn \
    "@google/gemini-cli@$GEMINI_CLI_VERSION"
fi
echo "gemini-cli: $(HOME="$home" "$gemini" --version) at $gemini"
