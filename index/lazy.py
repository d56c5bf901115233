"""Package names imported when first used (PEP 562): `index`, `rag` and `evals` name their public API in
`__init__` but load a module only when one of its names is asked for, so a light import stays light."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any


def lazy_attribute(package: str, where: Mapping[str, str], namespace: dict[str, Any], name: str) -> Any:
    """`name` from the module `where` says holds it, kept in the package's `namespace` so later lookups are
    plain; AttributeError for a name the package does not have."""
    if name not in where:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where[name]), name)
    namespace[name] = value
    return value
