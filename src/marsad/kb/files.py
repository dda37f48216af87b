"""Reading and writing the knowledge base's data files (``marsad/kb/data/*.tsv``).

Every file is UTF-8 TSV: ``#`` comment lines first (provenance and licence), then a header row
naming the columns, then one record per line.  Within a cell, lists are ``|``-separated and
terms are written ``CODE[start..end]{role}`` (``USAGOV[2013-02-01..2017-01-20]{foreign_minister}``;
either date may be empty, the brackets and role may be left out).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from .model import Code

__all__ = ["DataFileError", "format_terms", "parse_date", "parse_terms", "read_table", "write_table"]

_TERM = re.compile(r"^([A-Z]{3,})(?:\[([0-9-]*)\.\.([0-9-]*)\])?(?:\{([a-z_]+)\})?$")


class DataFileError(ValueError):
    """A knowledge-base data file that cannot be read; the message names the file, line and fix."""


def parse_date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def parse_terms(cell: str) -> tuple[tuple[Code, ...], tuple[Code, ...]]:
    """``"A[..2013-02-01] B[2013-02-01..]{foreign_minister}"`` → (codes, roles)."""
    codes: list[Code] = []
    roles: list[Code] = []
    for item in cell.split():
        m = _TERM.match(item)
        if m is None:
            raise ValueError(
                f"bad term {item!r}: write CODE, CODE[YYYY-MM-DD..YYYY-MM-DD] or CODE[..]{{role}}"
            )
        code, start, end, role = m.groups()
        s, e = parse_date(start or ""), parse_date(end or "")
        codes.append((code, s, e))
        if role:
            roles.append((role, s, e))
    return tuple(codes), tuple(roles)


def format_terms(terms: Iterable[tuple[str, dt.date | None, dt.date | None, str | None]]) -> str:
    out = []
    for code, start, end, role in terms:
        item = code
        if start is not None or end is not None:
            item += f"[{start.isoformat() if start else ''}..{end.isoformat() if end else ''}]"
        if role:
            item += "{" + role + "}"
        out.append(item)
    return " ".join(out)


def read_table(text: str, name: str) -> Iterator[dict[str, str]]:
    """Rows of a data file as dicts keyed by the header row; ``name`` is used in errors."""
    header: list[str] | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            raise DataFileError(
                f"{name}:{lineno}: {len(cells)} columns where the header has {len(header)};"
                " rebuild the file with tools/build_kb.py"
            )
        yield dict(zip(header, cells))


def write_table(
    path: Path, comments: Sequence[str], columns: Sequence[str], rows: Iterable[Mapping[str, object]]
) -> int:
    """Write a data file; returns the number of rows.  Cells must not hold tabs or newlines."""
    lines = ["# " + c if c else "#" for c in comments]
    lines.append("\t".join(columns))
    n = 0
    for row in rows:
        cells = []
        for col in columns:
            v = row.get(col)
            cell = "" if v is None else str(v)
            if "\t" in cell or "\n" in cell:
                raise ValueError(f"{path.name}: a tab or newline in column {col!r}: {cell!r}")
            cells.append(cell)
        lines.append("\t".join(cells))
        n += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n
