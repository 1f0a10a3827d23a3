#!/usr/bin/env bash
# Builds every function project of serverless.template for Lambda's managed .NET runtime and writes a template
# that the AWS CLI alone can deploy:
#   OUTPUT/lambda/<Project>.zip   the project's publish output, flat, one deterministic zip per project
#   OUTPUT/serverless.template    the template with each CodeUri pointing at its zip and the API deployment renamed
# and with --aot, the custom runtime (src/Realtime.Bootstrap, see docs/custom-runtime.md) as well:
#   OUTPUT/lambda/bootstrap-ARCH.zip   the Native AOT bootstrap for provided.al2023, alone at the zip's root, 0755
#   OUTPUT/serverless-aot.template     the same template with every function on provided.al2023 from that zip
#   OUTPUT/lambda-aot/bootstrap        the Native AOT bootstrap for this machine, to run and test here
#   OUTPUT/lambda-jit/bootstrap.dll    the same program for the JIT (framework-dependent), to compare with it
#
# Usage: bash eng/package.sh [--output DIR] [--configuration NAME] [--template FILE] [--aot [--arch ARCH]]
#   --output DIR          where everything goes (default: artifacts at the repository root)
#   --configuration NAME  the build configuration (default: Release)
#   --template FILE       the SAM template to package (default: serverless.template at the repository root)
#   --aot                 also build the custom runtime
#   --arch ARCH           the architecture of the bootstrap in the zip, x86_64 or arm64 (default: this machine's);
#                         another than this machine's is cross-compiled with Debian's cross toolchain
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
aot=false
arch=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --output) [[ $# -ge 2 ]] || die "--output needs a folder"; output=$2; shift 2 ;;
    --output=*) output=${1#*=}; shift ;;
    --configuration|-c) [[ $# -ge 2 ]] || die "--configuration needs a name"; configuration=$2; shift 2 ;;
    --configuration=*) configuration=${1#*=}; shift ;;
    --template) [[ $# -ge 2 ]] || die "--template needs a file"; template=$2; shift 2 ;;
    --template=*) template=${1#*=}; shift ;;
    --aot) aot=true; shift ;;
    --arch) [[ $# -ge 2 ]] || die "--arch needs x86_64 or arm64"; arch=$2; shift 2 ;;
    --arch=*) arch=${1#*=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

command -v dotnet >/dev/null 2>&1 || die "dotnet is not installed: the .NET 10 SDK builds the functions"
command -v python3 >/dev/null 2>&1 || die "python3 is not installed: it reads the template and writes the zips"
[[ -f "$template" ]] || die "no template at $template"
[[ -z "$arch" || "$aot" == true ]] || die "--arch is the architecture of the --aot bootstrap: give --aot too"

# Lambda's architecture names and .NET's runtime identifiers, for this machine and for the bootstrap in the zip.
case "$(uname -m)" in
  x86_64) host_arch=x86_64 ;;
  aarch64|arm64) host_arch=arm64 ;;
  *) host_arch="" ;;
esac
rid_of() { case "$1" in x86_64) echo linux-x64 ;; arm64) echo linux-arm64 ;; esac; }

if [[ "$aot" == true ]]; then
  [[ -n "$host_arch" ]] || die "--aot builds a bootstrap for this machine too, and $(uname -m) is not x86_64 or arm64"
  arch=${arch:-$host_arch}
  [[ -n "$(rid_of "$arch")" ]] || die "--arch must be x86_64 or arm64, not '$arch'"
  command -v readelf >/dev/null 2>&1 || die "readelf is not installed (apt-get install binutils): it checks the bootstrap's glibc"
  if [[ "$arch" != "$host_arch" ]]; then
    # Cross-compiling: clang links for the target with Debian's cross toolchain (its C runtime files, libgcc and
    # glibc for the target), which it finds by itself from --target; lld links, the target's objcopy strips.
    # A SysRoot would break it: Debian's cross libc.so is a linker script of absolute paths.
    case "$arch" in
      arm64) triple=aarch64-linux-gnu; cross_packages="binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu libc6-dev-arm64-cross" ;;
      x86_64) triple=x86_64-linux-gnu; cross_packages="binutils-x86-64-linux-gnu gcc-x86-64-linux-gnu libc6-dev-amd64-cross" ;;
    esac
    for tool in clang ld.lld "$triple-objcopy" "$triple-gcc"; do
      command -v "$tool" >/dev/null 2>&1 \
        || die "cross-compiling the $arch bootstrap needs $tool: apt-get install clang lld $cross_packages"
    done
    [[ -e "/usr/$triple/lib/libc.so" ]] \
      || die "cross-compiling the $arch bootstrap needs glibc for $arch: apt-get install clang lld $cross_packages"
  fi
fi

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

# Publishes src/Realtime.Bootstrap with Native AOT for one architecture into a folder: ARCH FOLDER [MSBUILD ARGS...]
publish_bootstrap_aot() {
  local target_arch=$1 folder=$2
  shift 2
  rm -rf "$folder"
  echo "package.sh: publishing the bootstrap with Native AOT for $(rid_of "$target_arch") ($configuration)"
  # Its own artifacts path: the same projects are built above with other properties (portable IL for the managed
  # runtime), and one obj/ shared by differently built copies would be rebuilt back and forth.
  dotnet publish "$bootstrap_project" -c "$configuration" -r "$(rid_of "$target_arch")" \
      --artifacts-path "$output/obj-build/bootstrap-aot" -o "$folder" -p:ContinuousIntegrationBuild=true "$@" </dev/null \
    || die "dotnet publish with Native AOT failed for $bootstrap_project ($target_arch)"
  [[ -x "$folder/bootstrap" ]] || die "$folder has no executable bootstrap"
}

# The newest glibc symbol version a binary needs. provided.al2023 has glibc 2.34: a bootstrap that needs more
# would fail before its first line runs, so such a zip is refused here rather than deployed.
glibc_needed() {
  readelf --dyn-syms --wide "$1" | grep -o 'GLIBC_[0-9.]*' | sort -u -V | tail -1
}
al2023_glibc=GLIBC_2.34

if [[ "$aot" == true ]]; then
  bootstrap_project="$repo/src/Realtime.Bootstrap/Realtime.Bootstrap.csproj"

  # This machine's bootstrap: what the tests and bench/cold-start.sh run.
  publish_bootstrap_aot "$host_arch" "$output/publish/bootstrap-aot-$host_arch"
  rm -rf "$output/lambda-aot"
  mkdir -p "$output/lambda-aot"
  cp "$output/publish/bootstrap-aot-$host_arch/bootstrap" "$output/lambda-aot/bootstrap"
  if [[ "$arch" != "$host_arch" ]]; then
    publish_bootstrap_aot "$arch" "$output/publish/bootstrap-aot-$arch" \
      -p:CppCompilerAndLinker=clang -p:LinkerFlavor=lld -p:ObjCopyName="$triple-objcopy"
  fi

  bootstrap_glibc=$(glibc_needed "$output/publish/bootstrap-aot-$arch/bootstrap")
  [[ "$(printf '%s\n' "$bootstrap_glibc" "$al2023_glibc" | sort -V | tail -1)" == "$al2023_glibc" ]] \
    || die "the $arch bootstrap needs $bootstrap_glibc, newer than provided.al2023's $al2023_glibc: build it in Amazon Linux 2023 (see docs/custom-runtime.md)"

  # The zip holds the bootstrap alone, executable: Lambda runs /var/task/bootstrap.
  bootstrap_zip="bootstrap-$arch.zip"
  rm -rf "$output/publish/bootstrap-$arch"
  mkdir -p "$output/publish/bootstrap-$arch"
  cp "$output/publish/bootstrap-aot-$arch/bootstrap" "$output/publish/bootstrap-$arch/bootstrap"
  python3 "$tools" zip "$output/publish/bootstrap-$arch" "$output/lambda/$bootstrap_zip" --executable bootstrap
  zips+=("$bootstrap_zip")

  # The same program under the JIT, framework-dependent, to compare cold starts with (bench/cold-start.sh).
  rm -rf "$output/lambda-jit"
  echo "package.sh: publishing the bootstrap for the JIT ($configuration)"
  dotnet publish "$bootstrap_project" -c "$configuration" -r "$(rid_of "$host_arch")" --self-contained false \
      --artifacts-path "$output/obj-build/bootstrap-jit" -o "$output/lambda-jit" \
      -p:PublishAot=false -p:UseAppHost=false -p:ContinuousIntegrationBuild=true </dev/null \
    || die "dotnet publish failed for $bootstrap_project (JIT)"

  python3 "$tools" write "$template" "$output/serverless-aot.template" --lambda-dir lambda --custom-runtime "$arch" \
    >/dev/null || die "cannot write $output/serverless-aot.template"
else
  # The custom runtime's outputs of an earlier --aot run would no longer match the code beside them.
  rm -rf "$output/serverless-aot.template" "$output/lambda-aot" "$output/lambda-jit"
fi

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
if [[ "$aot" == true ]]; then
  echo "template:  $shown_output/serverless-aot.template (provided.al2023, $arch, needs $bootstrap_glibc)"
  echo "to run here: $shown_output/lambda-aot/bootstrap (Native AOT), $shown_output/lambda-jit/bootstrap.dll (JIT)"
fi
