#!/usr/bin/env python3
"""The template half of eng/package.sh (standard library only).

    package_template.py plan TEMPLATE
        one line per function project: PROJECT_FILE <tab> RUNTIME_IDENTIFIER <tab> ZIP_NAME
    package_template.py write TEMPLATE OUTPUT_TEMPLATE [--lambda-dir lambda] [--custom-runtime ARCHITECTURE]
        the template with every function's CodeUri replaced by its zip and the API deployment renamed; with
        --custom-runtime, every function runs the one bootstrap-ARCHITECTURE.zip on provided.al2023 instead
    package_template.py zip DIRECTORY OUTPUT_ZIP [--executable NAME ...]
        a deterministic zip of DIRECTORY's files, at the zip's root; the files named executable get mode 0755

`package_template.py TEMPLATE OUTPUT_TEMPLATE` is short for `write`.
"""

import argparse
import copy
import hashlib
import io
import json
import os
import re
import sys
import zipfile

FUNCTION_TYPE = "AWS::Serverless::Function"
DEPLOYMENT_TYPE = "AWS::ApiGatewayV2::Deployment"

# The resources whose content is what a deployment of a WebSocket API snapshots.
API_DEFINITION_TYPES = (
    "AWS::ApiGatewayV2::Api",
    "AWS::ApiGatewayV2::Route",
    "AWS::ApiGatewayV2::RouteResponse",
    "AWS::ApiGatewayV2::Integration",
    "AWS::ApiGatewayV2::IntegrationResponse",
    "AWS::ApiGatewayV2::Authorizer",
    "AWS::ApiGatewayV2::Model",
)

# Lambda's architecture names and the .NET runtime identifiers that build for them.
RUNTIME_IDENTIFIERS = {"arm64": "linux-arm64", "x86_64": "linux-x64"}

# Lambda's default when neither the function nor Globals names an architecture.
DEFAULT_ARCHITECTURE = "x86_64"

# The parameter that chooses the functions' runtime, and what each packaged template's zips can run on.
RUNTIME_PARAMETER = "FunctionRuntime"
MANAGED_RUNTIME = "dotnet10"
CUSTOM_RUNTIME = "provided.al2023"

# 1980-01-01 is the earliest time a zip entry can hold; a fixed time keeps zips byte-identical between builds.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


class PackagingError(Exception):
    """A problem in the template or the project layout, reported without a traceback."""


def load_template(path):
    try:
        with open(path, encoding="utf-8") as f:
            template = json.load(f)
    except FileNotFoundError:
        raise PackagingError(f"{path}: no such template")
    except json.JSONDecodeError as e:
        raise PackagingError(f"{path}: not a JSON template ({e})")
    if not isinstance(template.get("Resources"), dict):
        raise PackagingError(f"{path}: the template has no Resources")
    return template


def functions(template):
    """(logical id, resource) of every SAM function, in template order."""
    return [(name, resource) for name, resource in template["Resources"].items()
            if isinstance(resource, dict) and resource.get("Type") == FUNCTION_TYPE]


def global_function_property(template, name):
    return (template.get("Globals") or {}).get("Function", {}).get(name)


def function_property(template, resource, name):
    """A function's own property, or the one Globals.Function gives every function."""
    properties = resource.get("Properties") or {}
    return properties[name] if name in properties else global_function_property(template, name)


def is_local_code_uri(code_uri):
    # A string that is no S3 URL names a folder to build; an S3 location (a string or an object) is left alone.
    return isinstance(code_uri, str) and not code_uri.startswith("s3://")


def runtime_identifier(template, function_name, resource):
    architectures = function_property(template, resource, "Architectures") or [DEFAULT_ARCHITECTURE]
    if not isinstance(architectures, list) or len(architectures) != 1:
        raise PackagingError(f"{function_name}: Architectures must list one architecture, not {architectures!r}")
    architecture = architectures[0]
    if architecture not in RUNTIME_IDENTIFIERS:
        raise PackagingError(f"{function_name}: unknown architecture {architecture!r} "
                             f"(expected one of {', '.join(RUNTIME_IDENTIFIERS)})")
    return RUNTIME_IDENTIFIERS[architecture]


def project_file(template_dir, code_uri, function_name):
    """The one .csproj in the folder a CodeUri names."""
    folder = os.path.normpath(os.path.join(template_dir, code_uri))
    if not os.path.isdir(folder):
        problem = "is a file" if os.path.exists(folder) else "does not exist"
        raise PackagingError(f"{function_name}: CodeUri {code_uri!r} is not a project folder ({folder} {problem})")
    projects = sorted(name for name in os.listdir(folder) if name.endswith(".csproj"))
    if len(projects) != 1:
        found = ", ".join(projects) or "none"
        raise PackagingError(f"{function_name}: CodeUri {code_uri!r} must hold exactly one .csproj "
                             f"(found {found})")
    return os.path.join(folder, projects[0])


def find_function_projects(template, template_dir):
    """The distinct projects the functions' CodeUri values name, in template order.

    Returns {code_uri: (project_file, runtime_identifier, zip_name)}."""
    projects = {}
    for name, resource in functions(template):
        properties = resource.get("Properties") or {}
        if "InlineCode" in properties or "ImageUri" in properties or properties.get("PackageType") == "Image":
            continue  # nothing to build: the code is in the template or in a container image
        code_uri = function_property(template, resource, "CodeUri")
        if code_uri is None:
            raise PackagingError(f"{name}: the function has no CodeUri")
        if not is_local_code_uri(code_uri):
            continue
        project = project_file(template_dir, code_uri, name)
        rid = runtime_identifier(template, name, resource)
        zip_name = os.path.splitext(os.path.basename(project))[0] + ".zip"
        if code_uri in projects and projects[code_uri][1] != rid:
            # One zip per project: two architectures would need two builds of the same CodeUri.
            raise PackagingError(f"{name}: {code_uri} is used for both {projects[code_uri][1]} and {rid}")
        projects[code_uri] = (project, rid, zip_name)
    zip_names = [zip_name for _, _, zip_name in projects.values()]
    if len(set(zip_names)) != len(zip_names):
        raise PackagingError(f"two CodeUri folders hold projects of the same name: {sorted(zip_names)}")
    return projects


def replace_code_uris(template, zip_paths):
    """Points every CodeUri (the functions' and Globals') at its zip; zip_paths maps CodeUri -> zip path."""
    for _, resource in functions(template):
        properties = resource.get("Properties") or {}
        if properties.get("CodeUri") in zip_paths:
            properties["CodeUri"] = zip_paths[properties["CodeUri"]]
    globals_function = (template.get("Globals") or {}).get("Function") or {}
    if globals_function.get("CodeUri") in zip_paths:
        globals_function["CodeUri"] = zip_paths[globals_function["CodeUri"]]


def api_definition_hash(template):
    """First 10 hex digits of a SHA-256 over the canonical JSON of every resource that defines the API."""
    definition = [
        {"LogicalId": name, "Type": resource["Type"], "Properties": resource.get("Properties", {})}
        for name, resource in sorted(template["Resources"].items())
        if isinstance(resource, dict) and resource.get("Type") in API_DEFINITION_TYPES
    ]
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:10]


def rewrite_references(node, old_id, new_id):
    """Rewrites Ref, Fn::GetAtt, DependsOn and Fn::Sub ${...} references to old_id, anywhere in node."""
    sub_reference = re.compile(r"\$\{" + re.escape(old_id) + r"(\.[^}]*)?\}")

    def rewrite_sub(text):
        return sub_reference.sub(lambda m: "${" + new_id + (m.group(1) or "") + "}", text)

    def visit(value):
        if isinstance(value, list):
            return [visit(item) for item in value]
        if not isinstance(value, dict):
            return value
        result = {}
        for key, item in value.items():
            if key == "Ref" and item == old_id:
                result[key] = new_id
            elif key == "Fn::GetAtt" and isinstance(item, list) and item and item[0] == old_id:
                result[key] = [new_id] + visit(item[1:])
            elif key == "Fn::GetAtt" and isinstance(item, str) and item.split(".", 1)[0] == old_id:
                result[key] = new_id + item[len(old_id):]
            elif key == "Fn::Sub" and isinstance(item, str):
                result[key] = rewrite_sub(item)
            elif key == "Fn::Sub" and isinstance(item, list) and item and isinstance(item[0], str):
                variables = item[1] if len(item) > 1 and isinstance(item[1], dict) else {}
                # A variable of the Sub's own map shadows the resource of the same name.
                text = item[0] if old_id in variables else rewrite_sub(item[0])
                result[key] = [text] + visit(item[1:])
            elif key == "DependsOn" and item == old_id:
                result[key] = new_id
            elif key == "DependsOn" and isinstance(item, list):
                result[key] = [new_id if dependency == old_id else dependency for dependency in item]
            else:
                result[key] = visit(item)
        return result

    return visit(node)


def rename_deployment(template):
    """Renames every API deployment to <old id><hash of the API definition>, so that a changed API is redeployed.

    CloudFormation never re-creates an AWS::ApiGatewayV2::Deployment whose own properties did not change, so
    without a new logical id a changed route, integration or authorizer would stay undeployed after a stack
    update: the stage would keep serving the old snapshot. Returns the template and {old id: new id}."""
    suffix = api_definition_hash(template)
    renames = {}
    for name, resource in template["Resources"].items():
        if isinstance(resource, dict) and resource.get("Type") == DEPLOYMENT_TYPE:
            new_name = name + suffix
            if new_name in template["Resources"]:
                raise PackagingError(f"cannot rename {name}: the template already has a resource {new_name}")
            renames[name] = new_name
    for old_id, new_id in renames.items():
        template["Resources"] = {new_id if name == old_id else name: resource
                                 for name, resource in template["Resources"].items()}
        template = rewrite_references(template, old_id, new_id)
    return template, renames


def bootstrap_zip_name(architecture):
    """The custom runtime's zip for one architecture: the native bootstrap alone."""
    return f"bootstrap-{architecture}.zip"


def allow_only_runtime(template, runtime):
    """Narrows FunctionRuntime to the one runtime a packaged template's zips run on.

    The source template offers both; once CodeUri points at zips, only one of them can start the functions (the
    managed runtime needs the assemblies, provided.al2023 the bootstrap), so the other is refused at deploy time
    rather than failing every function's initialization."""
    parameter = (template.get("Parameters") or {}).get(RUNTIME_PARAMETER)
    if parameter is None:
        if runtime != MANAGED_RUNTIME:
            raise PackagingError(f"the template has no {RUNTIME_PARAMETER} parameter to choose {runtime} with")
        return
    if runtime not in parameter.get("AllowedValues", [runtime]):
        raise PackagingError(f"{RUNTIME_PARAMETER} does not allow {runtime}")
    parameter["Default"] = runtime
    parameter["AllowedValues"] = [runtime]


def use_custom_runtime(template, architecture):
    """Every function on the one architecture the bootstrap was built for (its handler table serves them all)."""
    globals_function = template.setdefault("Globals", {}).setdefault("Function", {})
    globals_function["Architectures"] = [architecture]
    for name, resource in functions(template):
        properties = resource.get("Properties") or {}
        if "Architectures" in properties:
            properties["Architectures"] = [architecture]
        if "Runtime" in properties:
            raise PackagingError(f"{name}: a Runtime of its own would not follow {RUNTIME_PARAMETER}")


def package_template(template, template_dir, output_template_dir, lambda_dir, custom_runtime=None):
    """The deployable template: zips for CodeUri folders, the deployment renamed. The source is left as it was.

    custom_runtime, an architecture, points every function at the native bootstrap's zip for it instead."""
    template = copy.deepcopy(template)
    projects = find_function_projects(template, template_dir)
    zip_paths = {}
    for code_uri, (_, _, zip_name) in projects.items():
        zip_path = os.path.join(lambda_dir, bootstrap_zip_name(custom_runtime) if custom_runtime else zip_name)
        # The packaged template's CodeUri is resolved against its own folder, by both the AWS CLI and SAM.
        relative = os.path.relpath(os.path.abspath(zip_path), os.path.abspath(output_template_dir))
        zip_paths[code_uri] = relative.replace(os.sep, "/")
    replace_code_uris(template, zip_paths)
    if custom_runtime:
        if custom_runtime not in RUNTIME_IDENTIFIERS:
            raise PackagingError(f"unknown architecture {custom_runtime!r} (expected one of {', '.join(RUNTIME_IDENTIFIERS)})")
        use_custom_runtime(template, custom_runtime)
    allow_only_runtime(template, CUSTOM_RUNTIME if custom_runtime else MANAGED_RUNTIME)
    return rename_deployment(template)


def write_if_changed(path, data):
    """Writes bytes only when they differ, so an unchanged output keeps its file (and its timestamp)."""
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    temporary = path + ".tmp"
    with open(temporary, "wb") as f:
        f.write(data)
    os.replace(temporary, path)
    return True


def is_excluded(relative_path, all_paths):
    """Files Lambda does not need: symbols, the crash dump helper and XML documentation beside an assembly."""
    name = os.path.basename(relative_path)
    if name.endswith(".pdb") or name == "createdump":
        return True
    stem, extension = os.path.splitext(relative_path)
    return extension.lower() == ".xml" and stem + ".dll" in all_paths


def deterministic_zip(directory, executables=()):
    """The zip of directory's files at the zip root: sorted entries, a fixed time, mode 0644 (0755 for the files
    named in executables, which Lambda must be able to run), no folder entries."""
    paths = set()
    for root, _, files in os.walk(directory):
        for name in files:
            paths.add(os.path.relpath(os.path.join(root, name), directory).replace(os.sep, "/"))
    if not paths:
        raise PackagingError(f"{directory} holds no files to zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(paths):
            if is_excluded(path, paths):
                continue
            entry = zipfile.ZipInfo(path, date_time=ZIP_TIMESTAMP)
            entry.create_system = 3  # Unix, so that external_attr is read as a mode
            # A regular file, rw-r--r--, or rwxr-xr-x: Lambda unpacks a custom runtime's bootstrap with its mode.
            entry.external_attr = (0o100755 if path in executables else 0o100644) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            with open(os.path.join(directory, path), "rb") as f:
                archive.writestr(entry, f.read(), compresslevel=9)
    return buffer.getvalue()


def command_plan(args):
    template = load_template(args.template)
    projects = find_function_projects(template, os.path.dirname(os.path.abspath(args.template)))
    if not projects:
        raise PackagingError(f"{args.template}: no {FUNCTION_TYPE} has a CodeUri folder to build")
    for project, rid, zip_name in projects.values():
        print(f"{project}\t{rid}\t{zip_name}")


def command_write(args):
    template = load_template(args.template)
    output_dir = os.path.dirname(os.path.abspath(args.output_template))
    lambda_dir = os.path.join(output_dir, args.lambda_dir)
    packaged, renames = package_template(template, os.path.dirname(os.path.abspath(args.template)),
                                         output_dir, lambda_dir, args.custom_runtime)
    text = json.dumps(packaged, indent=2, ensure_ascii=False) + "\n"
    write_if_changed(args.output_template, text.encode("utf-8"))
    for old_id, new_id in renames.items():
        print(f"{old_id} -> {new_id}")


def command_zip(args):
    if not os.path.isdir(args.directory):
        raise PackagingError(f"{args.directory}: no such folder")
    for name in args.executable:
        if not os.path.isfile(os.path.join(args.directory, name)):
            raise PackagingError(f"{args.directory} has no {name} to mark executable")
    write_if_changed(args.output_zip, deterministic_zip(args.directory, set(args.executable)))


def main(argv):
    if argv and argv[0] not in ("plan", "write", "zip", "-h", "--help"):
        argv = ["write"] + argv
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    plan = commands.add_parser("plan", help="list the function projects to publish")
    plan.add_argument("template")
    plan.set_defaults(run=command_plan)
    write = commands.add_parser("write", help="write the deployable template")
    write.add_argument("template")
    write.add_argument("output_template")
    write.add_argument("--lambda-dir", default="lambda",
                       help="the zips' folder, relative to the output template's folder (default: lambda)")
    write.add_argument("--custom-runtime", metavar="ARCHITECTURE", choices=sorted(RUNTIME_IDENTIFIERS),
                       help=f"every function on {CUSTOM_RUNTIME} from bootstrap-ARCHITECTURE.zip")
    write.set_defaults(run=command_write)
    zip_command = commands.add_parser("zip", help="zip a publish folder deterministically")
    zip_command.add_argument("directory")
    zip_command.add_argument("output_zip")
    zip_command.add_argument("--executable", action="append", default=[], metavar="NAME",
                             help="a file at the folder's root that gets mode 0755 (repeatable)")
    zip_command.set_defaults(run=command_zip)
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except PackagingError as e:
        print(f"package_template.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
