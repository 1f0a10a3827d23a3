#!/usr/bin/env python3
"""Expands a SAM template into the CloudFormation template a deployment would create, offline.

    python3 eng/sam_transform.py TEMPLATE [--region REGION] [--parameter Name=Value ...]

Runs the AWS SAM translator (the Python package aws-sam-translator, the library behind the
AWS::Serverless-2016-10-31 transform) and prints the transformed template as JSON on stdout. A template the
transform rejects prints its errors on stderr and exits 1. Nothing is fetched from AWS: the ARNs of the AWS
managed policies SAM attaches come from a small table here, and the region defaults to us-east-1.

A function's CodeUri may be a local folder or zip, as before `sam package`: the translator only accepts S3
locations, so a local one is replaced by s3://local-package/{path} in the output.
"""

import argparse
import json
import os
import sys

from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.translator.arn_generator import ArnGenerator
from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
from samtranslator.translator.transform import transform

DEFAULT_REGION = "us-east-1"

# The AWS managed policies SAM attaches to the roles it generates, by name, with their path.
MANAGED_POLICY_PATHS = {
    "AWSLambdaBasicExecutionRole": "service-role/",
    "AWSLambdaSQSQueueExecutionRole": "service-role/",
    "AWSLambdaDynamoDBExecutionRole": "service-role/",
    "AWSLambdaKinesisExecutionRole": "service-role/",
    "AWSLambdaVPCAccessExecutionRole": "service-role/",
    "AWSLambdaRole": "service-role/",
    "AWSXRayDaemonWriteAccess": "",
    "AWSXrayWriteOnlyAccess": "",
}


class OfflineManagedPolicyLoader(ManagedPolicyLoader):
    """Stands in for the loader that lists managed policies through the IAM API."""

    def __init__(self, partition):
        super().__init__(iam_client=None)
        self._partition = partition

    def load(self):
        return {
            name: f"arn:{self._partition}:iam::aws:policy/{path}{name}"
            for name, path in MANAGED_POLICY_PATHS.items()
        }


def package_code_locations(template):
    """Stands a placeholder S3 location in for each local CodeUri, as `sam package` would put the uploaded one."""
    functions = [resource.get("Properties") for resource in template.get("Resources", {}).values()
                 if isinstance(resource, dict) and resource.get("Type") == "AWS::Serverless::Function"]
    functions.append(template.get("Globals", {}).get("Function"))
    for properties in functions:
        if not isinstance(properties, dict):
            continue
        code = properties.get("CodeUri")
        if isinstance(code, str) and not code.startswith("s3://"):
            properties["CodeUri"] = "s3://local-package/" + code.replace("\\", "/").lstrip("/")


def parse_parameters(pairs):
    parameters = {}
    for pair in pairs:
        name, separator, value = pair.partition("=")
        if not separator or not name:
            raise SystemExit(f"--parameter expects Name=Value, got '{pair}'")
        parameters[name] = value
    return parameters


def main():
    parser = argparse.ArgumentParser(description="Expand a SAM template into CloudFormation, offline.")
    parser.add_argument("template", help="the SAM template (JSON)")
    parser.add_argument("--region", default=DEFAULT_REGION, help=f"the region to translate for (default {DEFAULT_REGION})")
    parser.add_argument("--parameter", action="append", default=[], metavar="Name=Value",
                        help="a template parameter value (repeatable); the others keep their defaults")
    arguments = parser.parse_args()

    try:
        with open(arguments.template, encoding="utf-8") as file:
            template = json.load(file)
    except (OSError, json.JSONDecodeError) as error:
        print(f"{arguments.template}: {error}", file=sys.stderr)
        return 1

    # The translator asks boto3 for the region; answer it here so no profile or network is consulted.
    os.environ["AWS_DEFAULT_REGION"] = arguments.region
    ArnGenerator.BOTO_SESSION_REGION_NAME = arguments.region
    partition = ArnGenerator.get_partition_name(arguments.region)

    parameters = {"AWS::Region": arguments.region, "AWS::Partition": partition}
    parameters.update(parse_parameters(arguments.parameter))

    package_code_locations(template)
    try:
        output = transform(template, parameters, OfflineManagedPolicyLoader(partition))
    except InvalidDocumentException as error:
        for cause in error.causes:
            print(cause.message, file=sys.stderr)
        return 1

    json.dump(output, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
