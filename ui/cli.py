"""`resqa`: a thin command line over the Python API (index, chunks, show, ask, eval, ui, serve).

Every command reads the bundled resolution, or another in the same UN layout named by `--corpus PATH`
(RESQA_CORPUS); each document's index lives apart, keyed by its sha256.

Exit codes: 0 ok, 1 an operational failure (store unreachable, damaged beyond use or in the way, disk full,
corpus altered, a port in use), 2 bad input (empty or over-long question, unknown paragraph id, bad flag, a
corpus that does not parse), 3 an eval gate that failed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Nothing heavy at the top: `resqa --help` imports no chromadb, model or web server; each command imports what
# it needs (`resqa ask` never loads gradio, fastapi or uvicorn; tests/test_cold_start.py).
if TYPE_CHECKING:
    from index import Settings
    from ui.settings import ServeSettings


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(1, total)
    end = "\n" if done >= total else ""
    print(f"\rembedding [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end, file=sys.stderr,
          flush=True)


def _notify(msg: str) -> None:
    print(f"resqa: {' '.join(msg.split())}", file=sys.stderr)  # one line each, whatever a library said


def _settings(args: argparse.Namespace) -> Settings:
    """The index/rag settings: built once per command, from RESQA_* variables and this command's flags."""
    from index import Settings

    return Settings.from_env(home=getattr(args, "home", None), embedder=getattr(args, "embedder", None),
                             chroma_url=getattr(args, "chroma_url", None), llm=getattr(args, "llm", None),
                             k=getattr(args, "k", None), corpus=getattr(args, "corpus", None))


def _serve_settings(args: argparse.Namespace) -> ServeSettings:
    """The servers' settings (`resqa ui`, `resqa serve`): key, CORS, MCP, HTTP and feedback limits."""
    from ui.settings import ServeSettings

    trusted = getattr(args, "forwarded_allow_ips", None)
    return ServeSettings.from_env(mcp=getattr(args, "mcp", None) or None, workers=getattr(args, "workers", None),
                                  log_file=getattr(args, "log_file", None),
                                  forwarded_allow_ips=None if trusted is None else tuple(
                                      t.strip() for t in trusted.split(",") if t.strip()))


def _answerer(settings: Settings) -> Any:
    from rag import Answerer

    return Answerer.from_settings(settings, notify=_notify, progress=_progress)


def _served_answerer(settings: Settings, serving: ServeSettings) -> Any:
    """The answerer the servers share (HTTP, chat, MCP): batched embeddings, behind the answer cache."""
    from ui.workers import served

    return served(_answerer(settings), serving)


def cmd_index(args: argparse.Namespace) -> int:
    from index import IndexStore, index_home, load_corpus_for, make_client, make_embedder

    settings = _settings(args)
    corpus = load_corpus_for(settings.corpus)  # before any folder is made: a text that does not parse changes nothing
    store = IndexStore(make_client(settings, _notify), make_embedder(settings.embedder), corpus, _notify)
    report = store.ensure(rebuild=args.rebuild, progress=_progress, asked_at=args.started)
    where = settings.chroma_url or f"{index_home(settings.home, settings.corpus)}/chroma"
    if report.reused:
        print(f"index {report.collection} at {where} was built by another run since this one started; "
              "using it, nothing embedded")
    elif report.built:
        print(f"built {report.collection} for {corpus.symbol} at {where}: {report.paragraphs} paragraphs, "
              f"{report.clauses} clauses, {report.seconds:.1f} s")
    else:
        print(f"index {report.collection} at {where} is up to date ({report.paragraphs} paragraphs); "
              "nothing embedded (use --rebuild to force)")
    return 0


def cmd_chunks(args: argparse.Namespace) -> int:
    from index import load_corpus_for

    corpus = load_corpus_for(_settings(args).corpus)
    if args.json:
        print(json.dumps([p.to_dict() for p in corpus.paragraphs], ensure_ascii=False, indent=1))
        return 0
    for p in corpus.paragraphs:
        notes = f" ¹{','.join(map(str, p.footnotes))}" if p.footnotes else ""
        text = p.text.replace("\n", " ")
        print(f"{p.id:<8} {p.label_zh:<10} {p.n_tokens:>4} tok{notes}  {text[:60]}{'…' if len(text) > 60 else ''}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from index import describe_ranges, load_corpus_for

    corpus = load_corpus_for(_settings(args).corpus)
    p = corpus.get(args.id.strip().upper())
    if p is None:
        print(f"resqa: no paragraph {args.id!r}; valid ids: {describe_ranges(corpus.ids)}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(p.to_dict(), ensure_ascii=False, indent=1))
        return 0
    print(f"{p.id} · {p.label_zh} · {p.label_en}" + (f" · {p.verb}" if p.verb else ""))
    print(p.text)
    if p.footnotes:
        print("footnotes: " + ", ".join(fn.id for fn in corpus.footnotes_of(p.id)))
    if p.cited_by:
        print("cited by: " + ", ".join(p.cited_by))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from rag import Answer, Delta, Final, QuestionError, clean_question

    settings = _settings(args)
    try:
        clean_question(args.question, settings.max_question_chars)
    except QuestionError as exc:
        print(f"resqa: {exc}", file=sys.stderr)
        return 2
    qa = _answerer(settings)
    answer: Answer | None = None
    for event in qa.stream(args.question, k=args.k):
        match event:
            case Delta(text=text) if not args.json:
                print(text, end="", flush=True)
            case Final(answer=final):
                answer = final
    assert answer is not None
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1))
        return 0
    print()
    for note in answer.notes:
        print(f"note: {note}", file=sys.stderr)
    if answer.citations:
        print("\n" + "\n".join(f"  [{c.id}] {c.label_zh} [{c.start}:{c.end}] “{c.quote}”" for c in answer.citations))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from evals.command import run_eval_command
    from evals.dataset import PUBLIC
    from index import CORPUS_SHA256, load_corpus_for

    settings = _settings(args)
    other = settings.corpus is not None and load_corpus_for(settings.corpus).sha256 != CORPUS_SHA256
    if other and (Path(args.dataset) == PUBLIC or args.baseline):
        return _fail("resqa eval --corpus scores that document's own eval set: name it with --dataset (the default "
                     "set and the baselines belong to the bundled resolution)", 2)
    return run_eval_command(args, settings, _notify, _progress)


def _port(args: argparse.Namespace, serving: ServeSettings, default: int) -> int:
    """--port, else RESQA_PORT, else `default`; a busy port fails here, before the models load."""
    from ui.ports import chosen_port, ensure_free

    port = chosen_port(args.port, serving.port, default)
    ensure_free(args.host, port)
    return port


def cmd_ui(args: argparse.Namespace) -> int:
    from ui.app import launch

    settings, serving = _settings(args), _serve_settings(args)
    port = _port(args, serving, 7860)
    launch(_served_answerer(settings, serving), settings, serving, host=args.host, port=port)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from ui.http import serve
    from ui.workers import serve_workers, worker_count

    settings, serving = _settings(args), _serve_settings(args)
    port = _port(args, serving, 8000)
    workers = worker_count(serving)
    if workers > 1:  # N processes behind one port (docs/http.md "Several workers")
        serve_workers(settings, serving, workers, args.host, port, notify=_notify, progress=_progress)
    else:
        serve(_served_answerer(settings, serving), settings, serving, host=args.host, port=port)
    return 0


def parser() -> argparse.ArgumentParser:
    corpus_help = "another resolution's text in the same UN layout (RESQA_CORPUS; default: the bundled A/RES/67/190)"
    # `resqa --corpus P ask …` and `resqa ask --corpus P …` alike: the command's flag only when it is given
    document = argparse.ArgumentParser(add_help=False)
    document.add_argument("--corpus", type=Path, default=argparse.SUPPRESS, help=corpus_help)
    common = argparse.ArgumentParser(add_help=False, parents=[document])
    common.add_argument("--home", help="state folder (RESQA_HOME, default ./.resqa)")
    common.add_argument("--embedder", help="e5 (default) or st:<model name or path>; st:minilm = bundled MiniLM")
    common.add_argument("--chroma-url", help="a Chroma server, e.g. http://127.0.0.1:8000 (RESQA_CHROMA_URL)")
    ap = argparse.ArgumentParser(prog="resqa", description="Grounded answers from a UN General Assembly resolution "
                                 "(Chinese text; A/RES/67/190 unless --corpus names another).")
    ap.add_argument("--corpus", type=Path, help=corpus_help)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("index", parents=[common], help="build the vector index (a no-op when up to date)")
    p.add_argument("--rebuild", action="store_true", help="embed everything again")
    p.set_defaults(func=cmd_index)
    p = sub.add_parser("chunks", parents=[document], help="list the paragraphs")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_chunks)
    p = sub.add_parser("show", parents=[document], help="one paragraph by id (OP12, PP3, FN18, HEADER, MEETING)")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("ask", parents=[common], help="answer a question with exact citations")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p.add_argument("--k", type=int, help="paragraphs to retrieve (1–20, default 5)")
    p.add_argument("--llm", help="provider:model, e.g. openai:qwen2.5 or ollama:qwen2.5 (RESQA_LLM)")
    p.set_defaults(func=cmd_ask)
    p = sub.add_parser("eval", parents=[common], help="run the grounding evaluation")
    from evals.args import add_eval_arguments

    add_eval_arguments(p)
    p.set_defaults(func=cmd_eval)
    for name, port, func, text in (("ui", 7860, cmd_ui, "open the web chat"),
                                   ("serve", 8000, cmd_serve, "HTTP API + chat")):
        p = sub.add_parser(name, parents=[common], help=text)
        p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
        p.add_argument("--port", type=int, help=f"port (RESQA_PORT; default {port})")
        p.add_argument("--llm", help="provider:model (RESQA_LLM)")
        if name == "ui":
            p.add_argument("--mcp", action="store_true", help="also serve MCP tools (RESQA_MCP=1)")
        else:
            p.add_argument("--workers", type=int, help="worker processes behind the port (RESQA_WORKERS; "
                           "default 1)")
            p.add_argument("--forwarded-allow-ips", help="proxies whose X-Forwarded-For names the client, "
                           "comma-separated addresses or networks (RESQA_FORWARDED_ALLOW_IPS; default: none)")
            p.add_argument("--log-file", help="write the server log to this file, rotated by size "
                           "(RESQA_LOG_FILE; default: stderr)")
        p.set_defaults(func=func)
    return ap


def _fail(message: str, code: int) -> int:
    """One line on stderr, whatever the message holds: a fault never ends in a traceback."""
    print(f"resqa: {' '.join(message.split())}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    started = time.time()  # when this run was asked for: a build another run completes after it serves it too
    args = parser().parse_args(argv)
    args.started = started  # --help and bad flags end here, before anything heavy is imported
    from index import CorpusError, EmbedderError, StoreError, apply_offline_defaults
    from ui.ports import PortInUse

    apply_offline_defaults()  # before any command loads Gradio or a model (README "Offline models and choices")
    try:
        return int(args.func(args))
    except (CorpusError, StoreError, PortInUse) as exc:
        return _fail(str(exc), 1)
    except (EmbedderError, ValueError) as exc:
        return _fail(str(exc), 2)
    except OSError as exc:  # the disk, the home folder, a port: the OS says what and where
        where = f": {exc.filename}" if exc.filename else ""
        return _fail(f"{exc.strerror or exc}{where}", 1)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a library failing in a way not foreseen above still ends in one line
        return _fail(f"unexpected error ({type(exc).__name__}: {exc})", 1)


if __name__ == "__main__":
    sys.exit(main())
