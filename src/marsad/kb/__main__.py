"""``python -m marsad.kb stats`` (size figures) and ``python -m marsad.kb lookup PHRASE [DATE]``."""

from __future__ import annotations

import datetime as dt
import json
import sys

from . import KnowledgeBase, validate


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("stats", "lookup", "check"):
        print("usage: python -m marsad.kb stats | check | lookup PHRASE [YYYY-MM-DD]", file=sys.stderr)
        return 2
    kb = KnowledgeBase.load()
    if argv[0] == "stats":
        print(json.dumps(kb.stats(), ensure_ascii=False, indent=2))
        return 0
    if argv[0] == "check":
        problems = validate(kb)
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1 if problems else 0
    if len(argv) < 2:
        print("usage: python -m marsad.kb lookup PHRASE [YYYY-MM-DD]", file=sys.stderr)
        return 2
    date = dt.date.fromisoformat(argv[2]) if len(argv) > 2 else None
    for e in kb.lookup(argv[1], date):
        print(f"{e.id}\t{e.name_en}\t{e.type}/{e.kind}\t{e.actor_at(date)}")
    adj, role = kb.adjective(argv[1]), kb.role(argv[1])
    if adj:
        print(f"adjective\t{adj.id}\t{adj.name_en}")
    if role:
        print(f"role\t{role.form}\t{role.sector}\t{role.kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
