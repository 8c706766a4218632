"""The human API reference, rendered on the server from the OpenAPI document: no CDN and no
script, so it works under the strict CSP and without JavaScript, and it cannot drift."""

from dataclasses import dataclass, field

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Row:
    name: str
    type: str
    required: bool
    description: str = ""
    location: str = ""


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    secured: bool
    parameters: list[Row] = field(default_factory=list)
    body: str = ""
    responses: list[tuple[str, str, str]] = field(default_factory=list)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def describe(schema: dict) -> str:
    """A compact type description: "integer (0–1000000)", "Visibility", "array of Kind"."""
    if not schema or not isinstance(schema, dict):  # {} or ``true``: anything
        return "any"
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return " | ".join(describe(part) for part in schema[key])
    kind = schema.get("type", "object")
    if kind == "null":
        return "null"
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    if kind == "array":
        return f"array of {describe(schema.get('items', {}))}"
    if kind == "object" and "additionalProperties" in schema:
        return f"object of {describe(schema['additionalProperties'])}"
    text = kind
    if schema.get("format"):
        text += f" ({schema['format']})"
    bounds = []
    if "minimum" in schema or "maximum" in schema:
        bounds.append(f"{schema.get('minimum', '')}–{schema.get('maximum', '')}")
    if "minLength" in schema or "maxLength" in schema:
        bounds.append(f"{schema.get('minLength', 0)}–{schema.get('maxLength', '')} chars")
    if bounds:
        text += " [" + "; ".join(bounds) + "]"
    return text


def schema_rows(schema: dict) -> list[Row]:
    required = set(schema.get("required", []))
    return [
        Row(
            name=name,
            type=describe(prop),
            required=name in required,
            description=prop.get("description", ""),
        )
        for name, prop in schema.get("properties", {}).items()
    ]


def reference(openapi: dict) -> dict:
    operations = []
    for path, methods in openapi.get("paths", {}).items():
        for method in HTTP_METHODS:
            spec = methods.get(method)
            if spec is None:
                continue
            op = Operation(
                method=method.upper(),
                path=path,
                anchor=spec.get("operationId", f"{method}-{path}"),
                summary=spec.get("summary", ""),
                description=spec.get("description", ""),
                secured=bool(spec.get("security")),
            )
            for param in spec.get("parameters", []):
                op.parameters.append(
                    Row(
                        name=param["name"],
                        type=describe(param.get("schema", {})),
                        required=param.get("required", False),
                        description=param.get("description", "")
                        or param.get("schema", {}).get("description", ""),
                        location=param.get("in", ""),
                    )
                )
            body = spec.get("requestBody", {}).get("content", {})
            for media in body.values():
                op.body = describe(media.get("schema", {}))
            for status, response in spec.get("responses", {}).items():
                media = next(iter(response.get("content", {}).items()), None)
                op.responses.append(
                    (
                        status,
                        media[0] if media else "",
                        describe(media[1].get("schema", {})) if media else "",
                    )
                )
            operations.append(op)
    schemas = [
        (
            name,
            schema.get("description", ""),
            schema_rows(schema),
            "" if "properties" in schema else describe({**schema, "title": None}),
        )
        for name, schema in sorted(openapi.get("components", {}).get("schemas", {}).items())
    ]
    return {"operations": operations, "schemas": schemas, "info": openapi.get("info", {})}
