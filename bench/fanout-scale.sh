#!/usr/bin/env bash
# Fan-out at scale, simulated as on AWS: the real publish and shard functions against an @connections that answers
# like AWS under load (latency, a 10,000/s account bucket answering 429, gone connections, 500s, stalls), an SQS
# stand-in with visibility timeouts and redelivery, and pools of invocations with deadlines that may be killed.
# Audiences up to 100,000 keep their registry on DynamoDB Local (installed and started by the project's own files),
# larger ones in memory. Prints one line per audience; extra arguments go to the program, e.g.
#   bench/fanout-scale.sh --audiences 1000,10000 --kill 0.05 --invocations 20
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build bench/FanOutScale/FanOutScale.csproj -c Release --nologo -v quiet -clp:ErrorsOnly

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(dotnet --version) SDK, load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/FanOutScale/bin/Release/net10.0/Realtime.Bench.FanOutScale.dll "$@"
