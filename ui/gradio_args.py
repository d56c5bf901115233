"""Check a Gradio call's JSON body against the app's own endpoint list before Gradio sees it, so a bad call is a
4xx with a reason rather than Gradio's HTTP 500 ("didn't receive enough input values", a TypeError deep in a
handler, or a plain-text "Internal Server Error" for an unknown name or index).

Two kinds of call are checked (`Endpoints.named` / `Endpoints.join`):
- by name (`/gradio_api/run|api|call|call/v2/<name>`): only public endpoints; arguments by position (`data`) or,
  for `call/v2`, by keyword; missing arguments that have a default are filled in, others are a 422, and so are
  wrong JSON types, text that is not valid Unicode, and an `fn_index` (which would run another event, private
  ones included, under the public name);
- by index (`/gradio_api/queue/join`, what the browser page and gradio_client use): a known event with a backend
  function, exactly as many values as it has inputs, and for public endpoints the same type checks; for the
  page's private events each value must have its component's JSON type (null only for a Dropdown, which may
  have nothing selected, or a component of no declared type) and pass the component's own `preprocess` as
  this session's copy of the component has it (a Radio or Dropdown choice, a Slider bound, a Dataset sample
  index): Gradio would otherwise fail in its queue worker, with a traceback in the log, on what was sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_JSON_TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "integer": (int,), "number": (int, float),
                                            "boolean": (bool,)}


class BadCall(Exception):
    """A call Gradio must not see: `status` (404 or 422) and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Param:
    name: str
    json_type: str | None  # None: anything goes (a component Gradio converts itself)
    required: bool
    default: Any


@dataclass(frozen=True)
class Endpoints:
    """The public endpoints' parameters by name, and each event's input count by fn index."""

    params: dict[str, tuple[Param, ...]]
    public_index: dict[int, str]  # fn index -> api name, for public endpoints
    inputs: dict[int, int]  # fn index -> number of inputs, for events with a backend function
    input_ids: dict[int, tuple[int, ...]]  # fn index -> the block ids of its inputs

    @classmethod
    def of(cls, blocks: Any) -> Endpoints:
        named = blocks.get_api_info()["named_endpoints"]
        params = {name.lstrip("/"): tuple(_param(p) for p in info["parameters"]) for name, info in named.items()
                  if info.get("api_visibility", "public") == "public"}
        fns = blocks.fns.values()
        return cls(params=params,
                   public_index={fn._id: fn.api_name for fn in fns if fn.fn is not None and fn.api_name in params},
                   inputs={fn._id: len(fn.inputs) for fn in fns if fn.fn is not None},
                   input_ids={fn._id: tuple(c._id for c in fn.inputs) for fn in fns if fn.fn is not None})

    def require(self, name: str) -> None:
        if name not in self.params:
            raise BadCall(404, f"no public endpoint named {name!r}; the API is {', '.join(sorted(self.params))}")

    def named(self, name: str, raw: bytes, keywords: bool) -> bytes:
        """The body to pass on for a call of `name` (defaults filled in), or BadCall."""
        self.require(name)
        body = _object(raw)
        params = self.params[name]
        if keywords:  # call/v2: {"question": ..., "k": ...}
            unknown = sorted(set(body) - {p.name for p in params} - {"oauth_token"})
            if unknown:
                raise BadCall(422, f"{name}: unknown argument(s) {', '.join(unknown)}")
            for p in params:
                if p.name in body:
                    _check_value(name, p, body[p.name])
                elif p.required:
                    raise BadCall(422, f"{name}: missing argument {p.name!r}")
            return raw
        if body.get("fn_index") is not None:
            raise BadCall(422, "fn_index is not accepted on a named endpoint (call an event by its name)")
        body["data"] = self._positional(name, body.get("data"))
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    def join(self, raw: bytes, component: Callable[[str, int], Any] | None = None) -> None:
        """Check a queue/join body; BadCall if Gradio would fail on it. `component(session, block id)`: the
        component as that session has it (None: private events get the count check only)."""
        body = _object(raw)
        index, data, session = body.get("fn_index"), body.get("data"), body.get("session_hash")
        if not isinstance(index, int) or isinstance(index, bool) or index not in self.inputs:
            raise BadCall(422, f"fn_index must be the number of an event of this app, not {index!r}")
        if not isinstance(session, str) or not 0 < len(session) <= 128:
            raise BadCall(422, "session_hash must be a string of 1-128 characters")
        if not isinstance(data, list) or len(data) != self.inputs[index]:
            raise BadCall(422, f"data must be a list of {self.inputs[index]} value(s) for event {index}")
        if index in self.public_index:
            self._positional(self.public_index[index], data)
        elif component is not None:
            for n, (value, block) in enumerate(zip(data, self.input_ids[index], strict=True)):
                _check_input(index, n, value, component(session, block))
        _check_text(body)

    def _positional(self, name: str, data: Any) -> list[Any]:
        params = self.params[name]
        if not isinstance(data, list):
            raise BadCall(422, f"{name}: data must be a list of arguments ({', '.join(p.name for p in params)})")
        if len(data) > len(params):
            raise BadCall(422, f"{name}: takes at most {len(params)} argument(s), got {len(data)}")
        filled = list(data)
        for p in params[len(data):]:
            if p.required:
                raise BadCall(422, f"{name}: missing argument {p.name!r}")
            filled.append(p.default)
        for p, value in zip(params, filled, strict=True):
            _check_value(name, p, value)
        return filled


def _check_input(index: int, n: int, value: Any, comp: Any) -> None:
    """One value of a private event against its component (state components hold server-side values: skipped)."""
    if comp is None or getattr(comp, "stateful", False):
        return
    where = f"event {index}, input {n} ({type(comp).__name__})"
    info = comp.api_info()
    kind = info.get("type") if isinstance(info, dict) else None
    kind = kind if isinstance(kind, str) and kind in _JSON_TYPES else None  # None: any JSON (BrowserState)
    if value is None:
        if kind is None or type(comp).__name__ == "Dropdown":
            return
        raise BadCall(422, f"{where}: a value is required")
    if kind is not None:
        _check_value(where, Param(where, kind, True, None), value)
    try:
        comp.preprocess(value)
    except Exception as exc:  # gr.Error (a choice, a bound) or what the component does with a bad value
        raise BadCall(422, f"{where}: {' '.join(str(exc).split())[:300] or type(exc).__name__}") from None


def _param(info: dict[str, Any]) -> Param:
    schema = info.get("type") or {}
    kind = schema.get("type") if isinstance(schema, dict) else None
    return Param(name=str(info.get("parameter_name") or info.get("label")),
                 json_type=kind if kind in _JSON_TYPES else None,
                 required=not info.get("parameter_has_default", False), default=info.get("parameter_default"))


def _object(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise BadCall(422, f"the body is not JSON: {exc}") from None
    except RecursionError:  # ui.errors.JsonDepth refuses these first; this keeps the guard safe on its own
        raise BadCall(422, "the body is JSON nested too deeply") from None
    if not isinstance(body, dict):
        raise BadCall(422, "the body must be a JSON object")
    return body


def _check_value(name: str, p: Param, value: Any) -> None:
    if p.json_type is not None:
        ok = isinstance(value, _JSON_TYPES[p.json_type]) and not (isinstance(value, bool) and p.json_type != "boolean")
        if not ok and not (value is None and not p.required and p.default is None):
            raise BadCall(422, f"{name}: {p.name} must be of type {p.json_type}, got {type(value).__name__}")
    _check_text(value)


def _check_text(value: Any) -> None:
    """Reject text that cannot be encoded (a lone surrogate from a `\\ud800` escape) wherever it is nested."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BadCall(422, "text must be valid Unicode (a lone surrogate was found)") from None
