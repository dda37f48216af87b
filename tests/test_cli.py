"""The ``marsad analyze`` command: contract output and one clear line for every bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from marsad.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "saudinewsnet-sample.jsonl"
SEED_TEXT = "واشنطن - المغرب اليوم\nطلب وزير الخارجية الاميركي جون كيري الجمعة من نظيره الروسي سيرغي لافروف ممارسة ضغوط على دمشق.\n"


def run(argv: list[str], capsys: pytest.CaptureFixture[str], stdin: bytes | None = None,
        monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


def assert_offsets(rec: dict[str, Any]) -> None:
    text = rec["text"]

    def check(obj: Any) -> None:
        if isinstance(obj, dict):
            if "start" in obj and "end" in obj and obj["start"] is not None and "text" in obj and obj is not rec:
                assert text[obj["start"]:obj["end"]] == obj["text"], obj
            for v in obj.values():
                check(v)
        elif isinstance(obj, list):
            for v in obj:
                check(v)

    check(rec)


def test_analyze_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "a.txt"
    f.write_text(SEED_TEXT, encoding="utf-8")
    rc, out, err = run(["analyze", str(f), "--date", "2016-04-16", "--tokens"], capsys)
    assert rc == 0, err
    rec = json.loads(out)
    assert rec["schema"] == "marsad.analysis/1"
    assert rec["text"] == SEED_TEXT
    assert rec["published"] == "2016-04-16"
    assert rec["source"]["name"] == "المغرب اليوم"
    assert rec["dateline"]["place"] == "واشنطن"
    assert len(rec["sentences"]) == 1
    assert rec["tokens"] and all(SEED_TEXT[t["start"]:t["end"]] == t["text"] for t in rec["tokens"])
    assert_offsets(rec)


def test_analyze_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    rc, out, err = run(["analyze", "-", "--source", "رويترز"], capsys, SEED_TEXT.encode(), monkeypatch)
    assert rc == 0, err
    rec = json.loads(out)
    assert rec["source"]["name"] == "رويترز"
    assert rec["published"] is None


@pytest.mark.parametrize(
    ("content", "args", "expect"),
    [
        (None, [], "no such file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", [], "binary"),
        ("وقال المتحدث إن الوزير وصل".encode("cp1256"), [], "--encoding windows-1256"),
        (b"", [], "empty"),
        (b"  \n\n ", [], "empty"),
        (SEED_TEXT.encode(), ["--date", "16/04/2016"], "--date 16/04/2016"),
        (SEED_TEXT.encode(), ["--encoding", "klingon"], "unknown encoding"),
    ],
    ids=["missing", "binary", "cp1256", "empty", "blank", "bad-date", "bad-encoding-name"],
)
def test_bad_input_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, args: list[str], expect: str
) -> None:
    f = tmp_path / "article.txt"
    if content is not None:
        f.write_bytes(content)
    rc, out, err = run(["analyze", str(f), *args], capsys)
    assert rc != 0
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert expect in lines[0]
    assert "Traceback" not in err


def test_windows_1256_with_encoding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "article.txt"
    f.write_bytes("القاهرة - أ ف ب\nوقال المتحدث إن الوزير وصل.".encode("cp1256"))
    rc, out, err = run(["analyze", str(f), "--encoding", "windows-1256"], capsys)
    assert rc == 0, err
    assert json.loads(out)["text"].startswith("القاهرة")


def test_jsonl_batch_bad_lines_do_not_stop_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [
        json.dumps({"id": "a", "text": SEED_TEXT, "published": "2016-04-16"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "c", "text": 42}),
        json.dumps({"id": "d", "text": "نص", "published": "yesterday"}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"id": 7, "text": "وقال الوزير إن المحادثات مستمرة."}, ensure_ascii=False),
    ]
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rc, out, err = run(["analyze", "--jsonl", str(f)], capsys)
    assert rc == 0, err
    recs = [json.loads(x) for x in out.splitlines()]
    assert [r.get("id") for r in recs] == ["a", None, "c", "d", None, 7]
    assert recs[0]["published"] == "2016-04-16" and "error" not in recs[0]
    assert [r["error"]["code"] for r in recs[1:5]] == ["bad_json", "bad_record", "bad_date", "bad_record"]
    assert "error" not in recs[5]
    for r in (recs[0], recs[5]):
        assert_offsets(r)


def test_jsonl_batches_keep_the_input_order() -> None:
    from marsad.cli.analyze import analyze_jsonl

    rows = [json.loads(x) for x in SAMPLE.read_text(encoding="utf-8").splitlines()[:7]]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    lines[2:2] = ["{not json", json.dumps({"id": "x", "text": 1})]
    lines.append(json.dumps({"id": "y", "published": "bad"}))
    one = list(analyze_jsonl(lines, batch=1))
    three = list(analyze_jsonl(lines, batch=3))
    assert three == one
    ids = [r["id"] for r in rows]
    assert [r.get("id") for r in one] == [*ids[:2], None, "x", *ids[2:], "y"]
    assert sum("error" in r for r in one) == 3 and all(r.get("entities") for r in one if "error" not in r)


def test_jsonl_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = run(["analyze", "--jsonl", "/nonexistent/in.jsonl"], capsys)
    assert rc != 0 and "/nonexistent/in.jsonl" in err and "Traceback" not in err


def test_entry_point_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "marsad", "analyze", "-"], input=SEED_TEXT.encode(), capture_output=True, check=False
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout)["dateline"]["place"] == "واشنطن"


def test_demo_ingests_the_samples_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "demo.db")
    samples = str(Path(__file__).resolve().parent.parent / "samples")
    rc, out, err = run(["demo", "--samples", samples, "--db", db, "--top", "3"], capsys)
    assert rc == 0, err
    assert "101 new" in out
    assert "== search" in out and "== the 3 most reported events ==" in out
    rc, out, err = run(["demo", "--samples", samples, "--db", db, "--top", "3"], capsys)
    assert rc == 0, err
    assert "0 new, 101 already stored" in out


def test_demo_without_samples_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = run(["demo", "--samples", str(tmp_path / "nowhere"), "--db", str(tmp_path / "x.db")], capsys)
    assert rc == 2 and "--samples" in err and "Traceback" not in err
