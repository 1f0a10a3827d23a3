#!/usr/bin/env bash
# Builds every function project of serverless.template for Lambda's managed .NET runtime and writes a template
# that the AWS CLI alone can deploy:
#   OUTPUT/lambda/<Project>.zip   the project's publish output, flat, one deterministic zip per project
#   OUTPUT/serverless.template    the template with each CodeUri pointing at its zip and the API deployment renamed
#
# Usage: bash eng/package.sh [--output DIR] [--configuration NAME] [--template FILE]
#   --output DIR          where everything goes (default: artifacts at the repository root)
#   --configuration NAME  the build configuration (default: Release)
#   --template FILE       the SAM template to package (default: serverless.template at the repository root)
#
# Then, for example:
#   aws cloudformation package --template-file artifacts/serverless.template --s3-bucket BUCKET \
#       --output-template-file packaged.yaml
#   aws cloudformation deploy --template-file packaged.yaml --stack-name realtime \
#       --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND
set -euo pipefail

die() {
  echo "package.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '2,/^set /{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
output="$repo/artifacts"
configuration=Release
template="$repo/serverless.template"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --output) [[ $# -ge 2 ]] || die "--output needs a folder"; output=$2; shift 2 ;;
    --output=*) output=${1#*=}; shift ;;
    --configuration|-c) [[ $# -ge 2 ]] || die "--configuration needs a name"; configuration=$2; shift 2 ;;
    --configuration=*) configuration=${1#*=}; shift ;;
    --template) [[ $# -ge 2 ]] || die "--template needs a file"; template=$2; shift 2 ;;
    --template=*) template=${1#*=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

command -v dotnet >/dev/null 2>&1 || die "dotnet is not installed: the .NET 10 SDK builds the functions"
command -v python3 >/dev/null 2>&1 || die "python3 is not installed: it reads the template and writes the zips"
[[ -f "$template" ]] || die "no template at $template"

# Restoring from NuGet is the only network access this script needs; keep the SDK from phoning home.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1

mkdir -p "$output"
output=$(cd "$output" && pwd)
shown_output=${output#"$PWD/"}  # relative to the current folder when inside it, for the summary
tools="$repo/eng/package_template.py"

# One line per project: its .csproj, the runtime identifier of its functions' architecture, its zip's name.
plan=$(python3 "$tools" plan "$template") || die "cannot read the function projects from $template"
mapfile -t projects <<<"$plan"

mkdir -p "$output/lambda" "$output/publish"
zips=()
for line in "${projects[@]}"; do
  IFS=$'\t' read -r project rid zip_name <<<"$line"
  name=$(basename "$project" .csproj)
  publish_dir="$output/publish/$name"
  # A publish folder keeps the files of earlier publishes; start empty so that the zip holds only this build.
  rm -rf "$publish_dir"
  echo "package.sh: publishing $name for $rid ($configuration)"
  # --artifacts-path keeps obj/ and bin/ inside the output folder: the projects' own bin/ and obj/ belong to
  # whoever builds and tests in the work tree, possibly at this very moment. In a git checkout,
  # ContinuousIntegrationBuild maps source paths to /_/ so that the assemblies do not depend on where the
  # repository is checked out. PlatformTarget=AnyCPU: a publish for a runtime identifier would otherwise stamp
  # the (pure IL) assemblies arm64-only, and the very zip Lambda runs could not be loaded and tested elsewhere.
  dotnet publish "$project" -c "$configuration" -r "$rid" --self-contained false \
      --artifacts-path "$output/obj-build" -o "$publish_dir" \
      -p:ContinuousIntegrationBuild=true -p:PlatformTarget=AnyCPU </dev/null \
    || die "dotnet publish failed for $project"
  for required in "$name.dll" "$name.deps.json" "$name.runtimeconfig.json"; do
    [[ -f "$publish_dir/$required" ]] || die "$publish_dir has no $required: Lambda's dotnet runtime needs it"
  done
  # Fixed timestamps, modes and order: the same build gives the same bytes, so `aws cloudformation package`
  # (which names uploads by MD5) uploads nothing new when nothing changed. obj-build/ is kept between runs, so an
  # unchanged project is not recompiled: a fresh compile can reorder the LoggerMessage generator's output
  # (dotnet/runtime#119587, fixed after .NET 10) and so change the assembly's bytes, not its behaviour.
  python3 "$tools" zip "$publish_dir" "$output/lambda/$zip_name"
  zips+=("$zip_name")
done

# Zips of projects the template no longer names would be dead weight beside the template.
for existing in "$output"/lambda/*.zip; do
  [[ -e "$existing" ]] || continue
  keep=false
  for zip_name in "${zips[@]}"; do
    [[ "$(basename "$existing")" == "$zip_name" ]] && keep=true
  done
  $keep || rm -f "$existing"
done

# The API deployment gets a logical id derived from the API's routes, integrations and authorizers:
# CloudFormation never re-creates an unchanged AWS::ApiGatewayV2::Deployment, so without a new id a changed
# route would stay undeployed after a stack update.
renamed=$(python3 "$tools" write "$template" "$output/serverless.template" --lambda-dir lambda) \
  || die "cannot write $output/serverless.template"

echo
for zip_name in "${zips[@]}"; do
  bytes=$(wc -c <"$output/lambda/$zip_name")
  printf '%6d KB  %s\n' $(((bytes + 1023) / 1024)) "$shown_output/lambda/$zip_name"
done
echo "template:  $shown_output/serverless.template${renamed:+ (deployment ${renamed//$'\n'/, })}"
