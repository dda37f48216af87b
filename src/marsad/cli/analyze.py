"""``marsad analyze``: one article -> one JSON record; ``--jsonl``: a batch, one record per line."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ..document import Document
from ..pipeline import analyze as run_analysis
from ..pipeline import default_pipeline
from ..serialize import to_record
from .common import CliError, decode_bytes, parse_date_option, read_text_file

__all__ = ["analyze_jsonl", "register"]


def register(sub: Any) -> None:
    p = sub.add_parser(
        "analyze",
        help="analyse one article (or a JSONL batch) and print the marsad.analysis/1 JSON",
        description="Analyse an Arabic news article: structure, entities, quotes, events.",
    )
    p.add_argument(
        "file", nargs="?", default="-", help="article text file, or - for standard input (default)"
    )
    p.add_argument("--jsonl", action="store_true", help="batch: input lines are JSON records {id, text, ...}")
    p.add_argument("--date", help="publication date YYYY-MM-DD (resolves أمس, الجمعة ...)")
    p.add_argument("--source", help="name of the source (paper or agency)")
    p.add_argument("--title", help="the article's title")
    p.add_argument("--encoding", help="input encoding if not UTF-8, e.g. windows-1256")
    p.add_argument("--tokens", action="store_true", help="add the token list (with clitic-stripped stems)")
    p.add_argument("--pretty", action="store_true", help="indent the JSON output")
    p.set_defaults(handler=_run)


def _dump(rec: dict[str, Any], out: IO[str], pretty: bool) -> None:
    out.write(json.dumps(rec, ensure_ascii=False, indent=2 if pretty else None))
    out.write("\n")


def _run(args: argparse.Namespace) -> int:
    published = parse_date_option(args.date)
    if args.jsonl:
        if args.file == "-":
            lines: Iterable[bytes] = sys.stdin.buffer
        else:
            try:
                lines = open(args.file, "rb")  # noqa: SIM115 - closed at exit of the process
            except OSError as exc:
                raise CliError(f"{args.file}: cannot be read ({exc.strerror})") from None
        from ..ingest.runner import settle_gc

        with contextlib.suppress(Exception):  # a pipeline that cannot load says so on every record
            default_pipeline()
            settle_gc()  # this process analyses articles and nothing else
        for rec in analyze_jsonl(
            lines, published=published, source=args.source, encoding=args.encoding, tokens=args.tokens
        ):
            _dump(rec, sys.stdout, args.pretty)
        return 0
    if args.file == "-":
        if sys.stdin.isatty():
            raise CliError("no input: give an article file, or pipe text into 'marsad analyze -'")
        text = decode_bytes(sys.stdin.buffer.read(), "standard input", args.encoding)
        if not text.strip():
            raise CliError("standard input is empty; nothing to analyse")
    else:
        text = read_text_file(args.file, args.encoding)
    doc = run_analysis(text, published=published, source=args.source, title=args.title)
    _dump(to_record(doc, tokens=args.tokens), sys.stdout, args.pretty)
    return 0


def _error(rec_id: Any, code: str, message: str) -> dict[str, Any]:
    return {"id": rec_id, "error": {"code": code, "message": message}}


def _optional_str(obj: dict[str, Any], key: str) -> str | None:
    v = obj.get(key)
    if v is None or v == "":
        return None
    if not isinstance(v, str):
        raise ValueError(f"field {key!r} must be a string")
    return v


# Records analysed together (``Pipeline.run_many``): faster than one by one, and output still
# follows input closely.
BATCH = 32


def analyze_jsonl(
    lines: Iterable[bytes | str],
    *,
    published: dt.date | None = None,
    source: str | None = None,
    encoding: str | None = None,
    tokens: bool = False,
    batch: int = BATCH,
) -> Iterator[dict[str, Any]]:
    """Analyse each JSONL input line; a bad line yields an error record and the batch goes on.

    Record fields: ``id``, ``text`` (required), ``published`` (YYYY-MM-DD), ``source``, ``title``.
    ``published``/``source`` are defaults for records that do not carry their own.  Up to
    ``batch`` records go through the pipeline together; the output keeps the input's order.
    """
    # each line's error record, or its (line number, id, document) to analyse
    pending: list[dict[str, Any] | tuple[int, Any, Document]] = []
    n_docs = 0
    for got in _read_jsonl(lines, published, source, encoding):
        pending.append(got)
        if not isinstance(got, dict):
            n_docs += 1
            if n_docs >= batch:
                yield from _flush(pending, tokens)
                pending, n_docs = [], 0
    yield from _flush(pending, tokens)


def _flush(
    pending: list[dict[str, Any] | tuple[int, Any, Document]], tokens: bool
) -> Iterator[dict[str, Any]]:
    docs = [p[2] for p in pending if not isinstance(p, dict)]
    try:
        done: Iterator[Document | Exception] = iter(default_pipeline().run_many(docs) if docs else [])
    except Exception as exc:  # noqa: BLE001 - the pipeline cannot load: every record says so
        done = iter([exc] * len(docs))
    for p in pending:
        if isinstance(p, dict):
            yield p
            continue
        lineno, rec_id, _doc = p
        result = next(done)
        try:
            if isinstance(result, Exception):
                raise result
            rec = to_record(result, tokens=tokens)
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            yield _error(rec_id, "analysis_failed", f"line {lineno}: {type(exc).__name__}: {exc}")
            continue
        if rec_id is not None:
            rec["id"] = rec_id
        yield rec


def _read_jsonl(
    lines: Iterable[bytes | str], published: dt.date | None, source: str | None, encoding: str | None
) -> Iterator[dict[str, Any] | tuple[int, Any, Document]]:
    """Per non-blank line, its error record or (line number, id, document)."""
    from ..text.dates import parse_date_arg

    for lineno, raw in enumerate(lines, 1):
        if isinstance(raw, bytes):
            try:
                line = raw.decode(encoding or "utf-8-sig" if lineno == 1 else encoding or "utf-8")
            except UnicodeDecodeError as exc:
                yield _error(None, "bad_encoding", f"line {lineno}: not {encoding or 'UTF-8'} ({exc.reason})")
                continue
        else:
            line = raw
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _error(None, "bad_json", f"line {lineno}: not JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield _error(
                None, "bad_record", f"line {lineno}: expected a JSON object, got {type(obj).__name__}"
            )
            continue
        rec_id = obj.get("id")
        text = obj.get("text")
        if not isinstance(text, str):
            yield _error(rec_id, "bad_record", f"line {lineno}: field 'text' (a string) is required")
            continue
        try:
            src = _optional_str(obj, "source") or source
            title = _optional_str(obj, "title")
            pub_s = _optional_str(obj, "published")
        except ValueError as exc:
            yield _error(rec_id, "bad_record", f"line {lineno}: {exc}")
            continue
        try:
            pub = parse_date_arg(pub_s) if pub_s else published
        except ValueError as exc:
            yield _error(rec_id, "bad_date", f"line {lineno}: field 'published' {pub_s!r}: {exc}")
            continue
        doc_id = None if rec_id is None else str(rec_id)
        yield lineno, rec_id, Document(text=text, id=doc_id, title=title, published=pub, source_hint=src)
