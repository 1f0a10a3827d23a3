#!/usr/bin/env bash
# Cold-start benchmark of the custom runtime: packages with eng/package.sh --aot, then starts every function of
# serverless-aot.template RUNS times (default 5) as the Native AOT bootstrap and as the same program under the JIT
# (dotnet bootstrap.dll), each start with its first event already waiting at a loopback Lambda Runtime API, against
# DynamoDB Local and a loopback @connections. Prints the medians and the zips' sizes.
#
# Settings (environment): RUNS=5, ARTIFACTS=artifacts (package.sh's output folder, reused between runs)
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${RUNS:-5}"
artifacts="${ARTIFACTS:-artifacts}"

bash eng/package.sh --aot --output "$artifacts"
# The benchmark's own build folder under the artifacts, away from the work tree's bin/ and obj/.
dotnet build bench/ColdStart/ColdStart.csproj -c Release --nologo -v quiet -clp:ErrorsOnly \
  --artifacts-path "$artifacts/obj-bench" -o "$artifacts/bench-cold-start"

echo "machine: $(nproc) cores, $(lscpu | grep 'Model name' | cut -d: -f2 | sed 's/^ *//'), $(dotnet --version) SDK, load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
dotnet "$artifacts/bench-cold-start/Realtime.Bench.ColdStart.dll" "$artifacts" --runs "$runs"
