#!/usr/bin/env bash
# Fan-out benchmark: builds Release and fans one message out to 1,000 and 10,000 connections (in-memory registry)
# through a loopback @connections endpoint. Extra arguments go to the program, e.g. --concurrency 32 --rounds 7.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build bench/FanOut/FanOut.csproj -c Release --nologo -v quiet -clp:ErrorsOnly

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(dotnet --version) SDK"
dotnet bench/FanOut/bin/Release/net10.0/Realtime.Bench.FanOut.dll "$@"
