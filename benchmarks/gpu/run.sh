#!/usr/bin/env bash
# Runs the CUDA backend's checks and benchmark on a GPU machine and writes benchmarks/gpu/RESULTS.md.
#
#   benchmarks/gpu/run.sh publish   on a machine with the .NET 10 SDK and its packages: publishes tabrl self-contained
#                                   and trimmed into benchmarks/gpu/out/tabrl (a GPU machine may have CUDA but no SDK)
#   benchmarks/gpu/run.sh           on the GPU machine: device and driver, a solve with --backend cuda, the contract
#                                   tests (only where a .NET SDK is present: xunit needs one to run), tabrl bench with
#                                   --backend cuda and --backend cpu, all written to RESULTS.md with the date
#
# Environment: STATES (bench garnet size, default 1000000), SWEEPS (default 20).
# NOT YET RUN on a GPU machine: the first GPU session should run it and fix what fails (see README, GPU backend).
set -uo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
OUT=benchmarks/gpu/out
RESULTS=benchmarks/gpu/RESULTS.md
STATES=${STATES:-1000000}
SWEEPS=${SWEEPS:-20}

publish() {
  dotnet publish src/Cli/Cli.csproj -c Release -r linux-x64 --self-contained -p:PublishTrimmed=true -o "$OUT/tabrl"
}

if [ "${1:-}" = "publish" ]; then
  publish
  exit $?
fi

TABRL="$OUT/tabrl/tabrl"
if [ ! -x "$TABRL" ]; then
  if command -v dotnet >/dev/null 2>&1; then
    publish || { echo "error: publish failed" >&2; exit 1; }
  else
    echo "error: $TABRL is missing and there is no .NET SDK here: run 'benchmarks/gpu/run.sh publish' on a machine with one and copy $OUT over" >&2
    exit 1
  fi
fi

mkdir -p "$OUT/logs"
DATE=$(date -u +"%Y-%m-%d %H:%M UTC")
if command -v nvidia-smi >/dev/null 2>&1; then
  DEVICE=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)
  DRIVER=$(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -1)
  CUDA_VERSION=$(nvidia-smi | sed -n 's/.*CUDA Version: *\([0-9.]*\).*/\1/p' | head -1)
else
  DEVICE="(nvidia-smi not found)"; DRIVER="?"; CUDA_VERSION="?"
fi

# 1. A solve on CUDA, with --verbose so stderr says which backend ran (or why not).
"$TABRL" generate garnet --states 2000 --actions 4 --branching 10 --seed 1 --out "$OUT/garnet.npz" > /dev/null
"$TABRL" solve "$OUT/garnet.npz" --method vi --backend cuda --verbose --format json > "$OUT/logs/solve-cuda.json" 2> "$OUT/logs/solve-cuda.err"
SOLVE_RC=$?
"$TABRL" solve "$OUT/garnet.npz" --method vi --backend cpu --format json > "$OUT/logs/solve-cpu.json" 2> /dev/null

# 2. The contract tests (Backends/ runs every contract class with the CUDA backend added; Cuda/ the host and batched tests).
if command -v dotnet >/dev/null 2>&1; then
  dotnet test tests/Properties/Properties.csproj -c Release \
    --filter "FullyQualifiedName~TabularRL.Tests.Backends|FullyQualifiedName~TabularRL.Tests.Cuda|FullyQualifiedName~CliCudaSelection" \
    --logger "console;verbosity=normal" > "$OUT/logs/tests.log" 2>&1
  TESTS_RC=$?
  TESTS=$(grep -E "^(Passed!|Failed!)|Total tests|Passed:|Failed:|Skipped:" "$OUT/logs/tests.log" | tail -5)
  FAILED=$(grep -E "^\s+Failed " "$OUT/logs/tests.log" | head -20)
else
  TESTS_RC="not run"
  TESTS="not run: no .NET SDK on this machine (xunit needs one); run 'dotnet test tests/Properties' where one is available"
  FAILED=""
fi

# 3. The benchmark on both backends (Gauss-Seidel is left out: the CUDA backend runs it on the host).
for backend in cuda cpu; do
  "$TABRL" bench --states "$STATES" --sweeps "$SWEEPS" --methods hard,soft,kl,policy --backend "$backend" --verbose \
    > "$OUT/logs/bench-$backend.txt" 2> "$OUT/logs/bench-$backend.err"
  echo $? > "$OUT/logs/bench-$backend.rc"
done

{
  echo "# CUDA backend on a GPU: results"
  echo
  echo "Written by benchmarks/gpu/run.sh on $DATE."
  echo
  echo "- Device: $DEVICE"
  echo "- NVIDIA driver: $DRIVER (CUDA $CUDA_VERSION)"
  echo "- Host: $(uname -srm), $(nproc) cores"
  echo
  echo "## Solve (garnet S=2000, A=4, K=10, value iteration, --backend cuda)"
  echo
  echo "exit $SOLVE_RC; stderr:"
  echo '```'
  cat "$OUT/logs/solve-cuda.err"
  echo '```'
  echo
  echo "## Contract tests (exit $TESTS_RC)"
  echo
  echo '```'
  echo "$TESTS"
  [ -n "$FAILED" ] && echo "$FAILED"
  echo '```'
  for backend in cuda cpu; do
    echo
    echo "## tabrl bench --backend $backend --states $STATES --sweeps $SWEEPS (exit $(cat "$OUT/logs/bench-$backend.rc"))"
    echo
    echo '```'
    cat "$OUT/logs/bench-$backend.err" "$OUT/logs/bench-$backend.txt"
    echo '```'
  done
  echo
  echo "Note: the single-model primitives copy V in and out on every call (see README, GPU backend), so these sweep"
  echo "times include PCIe transfers of O(S*A) bytes per sweep; the device-resident path is batched value iteration."
} > "$RESULTS"
echo "wrote $RESULTS"
