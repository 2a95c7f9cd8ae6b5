#!/usr/bin/env python3
"""Writes cloudtrail.json: a CloudTrail delivery file of the days after rolling out the tiers of
../diff/v2.yaml (roles iamtiers-read, iamtiers-operator, iamtiers-admin in account 111122223333).
Each refusal below is there for one verdict of `iamtiers denied`; the rest is noise it must ignore.
Run it again after changing it: python3 make-events.py"""
import json

ACCOUNT = "111122223333"
records = []
clock = [0]


def event(role, person, source, name, error=None, console=False, count=1):
    for _ in range(count):
        clock[0] += 1
        minutes = clock[0]
        record = {
            "eventVersion": "1.09",
            "userIdentity": {
                "type": "AssumedRole",
                "principalId": f"AROAEXAMPLE{role.upper().replace('-', '')}:{person}",
                "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{person}",
                "accountId": ACCOUNT,
                "sessionContext": {
                    "sessionIssuer": {
                        "type": "Role",
                        "principalId": f"AROAEXAMPLE{role.upper().replace('-', '')}",
                        "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}",
                        "accountId": ACCOUNT,
                        "userName": role,
                    },
                    "attributes": {"creationDate": "2026-11-02T08:00:00Z", "mfaAuthenticated": "false"},
                },
            },
            "eventTime": f"2026-11-{2 + minutes // 10:02d}T{8 + minutes % 10:02d}:{minutes % 60:02d}:00Z",
            "eventSource": f"{source}.amazonaws.com",
            "eventName": name,
            "awsRegion": "eu-west-1",
            "sourceIPAddress": "192.0.2.10",
            "userAgent": "AWS Internal" if console else "aws-cli/2.17.0",
            "requestParameters": None,
            "responseElements": None,
            "eventType": "AwsApiCall",
            "recipientAccountId": ACCOUNT,
        }
        if console:
            record["sessionCredentialFromConsole"] = "true"
        if error:
            record["errorCode"] = error
            record["errorMessage"] = f"User is not authorized to perform: {source}:{name}"
        records.append(record)


READ, OPERATOR = "iamtiers-read", "iamtiers-operator"
# add to Read: configuration read the Read role lacked (rule configuration-read).
event(READ, "alice@corp.example", "ec2", "DescribeVpcs", "Client.UnauthorizedOperation", count=3)
event(READ, "bob@corp.example", "ec2", "DescribeVpcs", "Client.UnauthorizedOperation")
# add to Read, though refused in Operator: Operator inherits Read.
event(OPERATOR, "erin@corp.example", "rds", "DescribeDBInstances", "AccessDenied")
# add to Operator: a data write refused in Read (rule data-write), and a task (rule task).
event(READ, "carol@corp.example", "s3", "PutObject", "AccessDenied", count=2)
event(OPERATOR, "erin@corp.example", "lambda", "Invoke", "AccessDeniedException", count=5)
# use the higher tier: Operator already grants s3:GetObject.
event(READ, "bob@corp.example", "s3", "GetObject", "AccessDenied", count=4)
# Admin only: creating users is not for a tier below Admin.
event(OPERATOR, "dave@corp.example", "iam", "CreateUser", "AccessDenied")
# allowed by the tier: refused by something else (an SCP, say).
event(OPERATOR, "dave@corp.example", "dynamodb", "GetItem", "AccessDeniedException", count=2)
# not mapped to any IAM action.
event(READ, "alice@corp.example", "madeup", "DoThing", "AccessDenied")
# Noise: allowed calls, a console page view's refusal, and another role's refusals.
event(READ, "alice@corp.example", "ec2", "DescribeInstances", count=10)
event(READ, "alice@corp.example", "ec2", "DescribeAddresses", "Client.UnauthorizedOperation", console=True, count=6)
event("AWSReservedSSO_AdministratorAccess_6f1c2b3a4d5e6f70", "frank@corp.example", "iam", "DeleteRole", "AccessDenied", count=3)

with open("cloudtrail.json", "w") as out:
    json.dump({"Records": records}, out, indent=1)
    out.write("\n")
