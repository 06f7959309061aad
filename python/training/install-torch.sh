#!/usr/bin/env bash
# Installs the benchmark-only Python environment .venv-torch (torch 2.7.1, transformers 4.57.1, gguf 0.17.1) from
# python/training/torch-bench.lock.txt, for `benchmarks/training/run pytorch|transformers`, which call this script
# when the environment is missing. About 4.6 GB on disk (the CUDA libraries torch needs to import; see the lock file).
#
# Deliberately NOT executable and NOT part of CI: bin/setup --test runs every *executable* python/*/install-*.sh, and
# torch must stay out of CI. Run it as `bash python/training/install-torch.sh --for-benchmarks`.
# Usage: bash python/training/install-torch.sh --for-benchmarks   (REFINERY_TORCH_VENV: another location)
set -euo pipefail
if [ "${1:-}" != "--for-benchmarks" ]; then
  echo "[install-torch] skipped: benchmark-only (run: bash python/training/install-torch.sh --for-benchmarks)" >&2
  exit 0
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${REFINERY_TORCH_VENV:-$ROOT/.venv-torch}"
LOCK="$ROOT/python/training/torch-bench.lock.txt"
STAMP="$VENV/.lock.sha256"
want="$( { cat "$LOCK"; python3 --version; } | sha256sum | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then exit 0; fi
start=$(date +%s)
echo "[install-torch] creating $VENV from ${LOCK#$ROOT/} (about 3 GB to download)" >&2
python3 -m venv "$VENV"
# --no-deps: the lock file is the whole environment; without it pip would add torch's remaining CUDA wheels.
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$LOCK"
"$VENV/bin/python" -c "import torch, transformers, gguf, accelerate; torch.ones(2) @ torch.ones(2)"
echo "$want" > "$STAMP"
echo "[install-torch] done in $(( $(date +%s) - start )) s, $(du -sh "$VENV" | cut -f1) on disk" >&2
