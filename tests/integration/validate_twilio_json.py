#!/usr/bin/env python3
"""Validates a Twilio JSON response against its schema in Twilio's OpenAPI description.

Usage: validate_twilio_json.py SPEC SCHEMA_NAME < response.json
SCHEMA_NAME is a components/schemas key (api.v2010.account.application) or list:KEY:ITEM
for a list envelope whose KEY array holds ITEM objects. Exits 1 naming every violation.
Checks types, nullability, enums, missing and unknown fields, and for strings the pattern,
length and date formats (a SID field holding "" breaks its pattern: absent is null).
"""
import json
import re
import sys

TYPES = {"string": str, "integer": int, "boolean": bool, "object": dict, "array": list,
         "number": (int, float)}
# Twilio's dates: "Wed, 25 Nov 2026 22:38:48 +0000" and "2026-11-25".
FORMATS = {
    "date-time-rfc-2822": re.compile(
        r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
        r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
}


def resolve(spec, schema):
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def check(spec, schema, value, where, errors):
    schema = resolve(spec, schema)
    if value is None:
        if not schema.get("nullable"):
            errors.append(f"{where}: null but not nullable")
        return
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in {schema['enum']}")
    t = schema.get("type")
    if t and not isinstance(value, TYPES[t]) or (t == "integer" and isinstance(value, bool)):
        errors.append(f"{where}: {type(value).__name__} is not {t}")
        return
    if isinstance(value, str):
        check_string(schema, value, where, errors)
    if t == "object" and "properties" in schema and isinstance(value, dict) \
            and schema.get("format") != "uri-map":
        props = schema["properties"]
        for k in props:
            if k not in value:
                errors.append(f"{where}: missing field {k}")
        for k in value:
            if k not in props:
                errors.append(f"{where}: unexpected field {k}")
            else:
                check(spec, props[k], value[k], f"{where}.{k}", errors)


def check_string(schema, value, where, errors):
    if "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
    elif len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", len(value)):
        errors.append(f"{where}: {value!r} is not {schema.get('minLength', 0)}.."
                      f"{schema.get('maxLength', '')} characters long")
    fmt = FORMATS.get(schema.get("format"))
    if fmt and not fmt.fullmatch(value):
        errors.append(f"{where}: {value!r} is not a {schema['format']}")


def main():
    spec = json.load(open(sys.argv[1]))
    name = sys.argv[2]
    body = json.load(sys.stdin)
    errors = []
    if name.startswith("list:"):
        _, key, item = name.split(":")
        for k in ["page", "page_size", "first_page_uri", "next_page_uri", "previous_page_uri",
                  "uri", "start", "end", key]:
            if k not in body:
                errors.append(f"envelope: missing {k}")
        for i, obj in enumerate(body.get(key, [])):
            check(spec, {"$ref": f"#/components/schemas/{item}"}, obj, f"{key}[{i}]", errors)
    else:
        check(spec, {"$ref": f"#/components/schemas/{name}"}, body, name, errors)
    for e in errors:
        print(e, file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
