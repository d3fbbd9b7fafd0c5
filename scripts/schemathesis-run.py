"""Runs the schemathesis command line with one workaround: on CPython 3.11.7 (the machine's Python)
`ast.parse` of a large module can raise "SystemError: AST constructor recursion depth mismatch"
(CPython gh-106905, fixed in 3.11.8), which Hypothesis hits when it describes a lambda of
schemathesis's own source, aborting a phase. The description is cosmetic: it falls back to a
plain name."""
import re
import sys

from hypothesis.internal import lambda_sources

_describe = lambda_sources._lambda_description


def _safe_description(f, *args, **kwargs):
    try:
        return _describe(f, *args, **kwargs)
    except SystemError:
        return "lambda: <mô tả không có>"


lambda_sources._lambda_description = _safe_description

from schemathesis.cli import schemathesis  # noqa: E402

if __name__ == "__main__":
    sys.argv[0] = re.sub(r"(-script\.pyw|\.exe)?$", "", sys.argv[0])
    sys.exit(schemathesis())
