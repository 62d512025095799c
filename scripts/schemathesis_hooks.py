"""Loaded by scripts/schemathesis.sh through SCHEMATHESIS_HOOKS. Speed only: no check and no input changes.

Hypothesis (6.115, the release schemathesis 3.39 is pinned with) pretty-prints every explicit example, with every
keyword argument of the test, before it runs it, and prints a dataclass field by field. schemathesis passes its
case (which holds the operation and so the whole OpenAPI document) and its run state (the test result, which grows
with every request made) that way, for each of the hundreds of coverage-phase cases of an operation: quadratic,
minutes per operation. A short text is all the report needs; a case keeps its own repr (parameters and body).
"""

from schemathesis.models import Case, TestResult
from schemathesis.runner.impl.context import RunnerContext
from schemathesis.stateful import Feedback
from schemathesis.transports import RequestConfig


def _case_text(self, printer, cycle):  # noqa: ANN001 - hypothesis' printer has no public type
    printer.text(repr(self))


def _short_text(self, printer, cycle):  # noqa: ANN001
    printer.text(f"<{type(self).__name__}>")


Case._repr_pretty_ = _case_text
for cls in (TestResult, RunnerContext, Feedback, RequestConfig):
    cls._repr_pretty_ = _short_text


# --- False positives of negative_data_rejection in 3.39, fixed upstream in 4.x (schemathesis#2312, #2900, #4600 /
# PR #4601): a query value of the "wrong type" (0, false, null, [] for a string) is sent as text ("0", "false", "null",
# ""), which is often a valid value of the parameter. Like the upstream fix, the request is judged by what is actually
# sent: when only the query was negated and every query parameter on the wire is valid for its schema, the request
# was not invalid, and accepting it is no finding. Any other negative case is checked as before.
from urllib.parse import parse_qs, urlsplit  # noqa: E402

import jsonschema  # noqa: E402
from schemathesis import checks as _checks  # noqa: E402
from schemathesis.specs.openapi import checks as _openapi_checks  # noqa: E402

_negative_data_rejection = _openapi_checks.negative_data_rejection


def _only_query_negated(case) -> bool:  # noqa: ANN001
    meta = case.meta
    if meta is None or meta.query is None or not meta.query.is_negative:
        return False
    op = case.operation
    # a component the operation does not have can be marked negative, but nothing of it is sent
    has = {"path_parameters": len(op.path_parameters), "headers": len(op.headers), "cookies": len(op.cookies), "body": len(op.body)}
    return not any(has[c] and getattr(meta, c) is not None and getattr(meta, c).is_negative for c in has)


def _as_sent(text: str, schema: dict):  # noqa: ANN201 - the value a server reads from the query text
    kind = schema.get("type")
    try:
        if kind == "integer" and text.lstrip("-").isdigit():
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        return text
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def _sent_query_is_valid(case, request) -> bool:  # noqa: ANN001
    sent = parse_qs(urlsplit(request.url).query, keep_blank_values=True)
    params = {p.name: p for p in case.operation.query}
    if any(name not in params for name in sent):
        return False
    for name, param in params.items():
        values = sent.get(name, [])
        if len(values) > 1 or (not values and param.is_required):
            return False
        schema = param.as_json_schema(case.operation)
        validator = case.operation.schema.validator_cls(schema, format_checker=jsonschema.FormatChecker())
        if values and not validator.is_valid(_as_sent(values[0], schema)):
            return False
    return True


def negative_data_rejection(ctx, response, case):  # noqa: ANN001, ANN201
    if _only_query_negated(case) and _sent_query_is_valid(case, response.request):
        return None
    return _negative_data_rejection(ctx, response, case)


_checks.OPTIONAL_CHECKS = tuple(negative_data_rejection if c is _negative_data_rejection else c for c in _checks.OPTIONAL_CHECKS)
_checks.ALL_CHECKS = tuple(negative_data_rejection if c is _negative_data_rejection else c for c in _checks.ALL_CHECKS)


# --- An empty path parameter, or one of "." or "..", makes the URL of another operation: schemathesis sends
# /taxii2/api/collections/{collectionId}/ with an empty id as /taxii2/api/collections/ (the collection list), and the
# HTTP client (urllib3) removes dot segments (/collections/./ goes out as /collections/). Such a negative case is then
# judged by the wrong operation's schema. An empty value goes out as a blank (%20) and dots percent-encoded (%2E):
# values the parameter refuses the same way, sent to the operation under test.
import schemathesis  # noqa: E402


@schemathesis.hook
def before_call(context, case):  # noqa: ANN001, ANN201
    for name, value in (case.path_parameters or {}).items():
        if value == "":
            case.path_parameters[name] = "%20"
        elif value in (".", ".."):
            case.path_parameters[name] = value.replace(".", "%2E")
