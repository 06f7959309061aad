#!/usr/bin/env bash
# Builds KenLM's lmplz (for the optional estimation-parity test LmplzParityTest) from the kenlm sdist on
# PyPI, into ${1:-.venv/kenlm}/bin/lmplz. Needs cmake, g++ and, on Debian/Ubuntu:
#   apt-get install -y libboost-program-options-dev libboost-system-dev libboost-thread-dev \
#     libboost-test-dev zlib1g-dev
# Then: export REFINERY_LMPLZ=${1:-.venv/kenlm}/bin/lmplz
set -euo pipefail
PREFIX="$(realpath -m "${1:-.venv/kenlm}")"
PIP="${PIP:-.venv/bin/pip}"
WORK="$(mktemp -d)"
"$PIP" download kenlm==0.3.0 --no-deps --no-binary kenlm -d "$WORK" -q
tar xzf "$WORK"/kenlm-0.3.0.tar.gz -C "$WORK"
cmake -S "$WORK/kenlm-0.3.0" -B "$WORK/build" -DCMAKE_BUILD_TYPE=Release > "$WORK/cmake.log"
cmake --build "$WORK/build" --target lmplz -j "$(nproc)" > "$WORK/build.log"
mkdir -p "$PREFIX/bin"
cp "$WORK/build/bin/lmplz" "$PREFIX/bin/lmplz"
echo "$PREFIX/bin/lmplz"
