"""Counts every request's queries in a response header; with ``X-Bench-Capture: <file>``
also writes the SQL and parameters to that file so the runner can replay them with psycopg."""

import json
import time

from django.db import connection


class QueryCaptureMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        statements = []
        capture = request.headers.get("X-Bench-Capture")

        def wrapper(execute, sql, params, many, context):
            statements.append((sql, params if capture else None))
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(wrapper):
            response = self.get_response(request)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response["X-Query-Count"] = str(len(statements))
        response["X-Server-Time-Ms"] = f"{(time.perf_counter() - started) * 1000:.3f}"
        if capture:
            with open(capture, "w", encoding="utf-8") as fh:
                json.dump([[sql, _jsonable(params)] for sql, params in statements], fh, default=str)
        return response


def _jsonable(params):
    if params is None:
        return None
    return [list(p) if isinstance(p, tuple) else p for p in params]
