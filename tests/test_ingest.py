"""Ingest on real files and a real SQLite store: every input kind, bad inputs reported and skipped,
URLs from a local server, idempotent re-ingest, and kill -9 mid-ingest then re-run."""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.server
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.ingest import Failure, Item, ingest, read
from marsad.ingest.feeds import USER_AGENT
from marsad.ingest.language import detect_language
from marsad.ingest.runner import prepare_unanalysed
from marsad.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "saudinewsnet-sample.jsonl"
ARTICLE = (
    "الرياض - واس: أعلنت وزارة الصحة السعودية اليوم افتتاح ثلاثة مستشفيات جديدة في منطقة القصيم "
    "بطاقة سريرية تبلغ ستمائة سرير، وقال المتحدث الرسمي للوزارة إن المستشفيات ستخدم أكثر من مليون نسمة."
)
RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>صحيفة الاختبار</title><link>http://127.0.0.1/</link><description>أخبار</description>
<item><title>افتتاح مستشفيات في القصيم</title><link>http://127.0.0.1/a1</link>
<pubDate>الأحد 26 يوليو 2015</pubDate>
<content:encoded><![CDATA[<p>{a}</p><p>وأضاف أن العمل جار على مستشفى رابع.</p>]]></content:encoded></item>
<item><title>خبر ثان</title><link>http://127.0.0.1/a2</link><pubDate>Mon, 27 Jul 2015 10:00:00 GMT</pubDate>
<description>&lt;p&gt;استقبل أمير منطقة مكة المكرمة في جدة اليوم سفير اليابان لدى المملكة وبحث معه العلاقات الثنائية.&lt;/p&gt;</description></item>
</channel></rss>""".replace("{a}", ARTICLE)
HTML = """<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>افتتاح مستشفيات جديدة | صحيفة الاختبار</title>
<meta property="og:title" content="افتتاح ثلاثة مستشفيات جديدة في القصيم">
<meta property="og:site_name" content="صحيفة الاختبار">
<meta name="date" content="2015-07-26"></head><body>
<nav><a href="/">الرئيسية</a> <a href="/sport">رياضة</a></nav>
<article><h1>افتتاح ثلاثة مستشفيات جديدة في القصيم</h1><p>{a}</p>
<p>وأوضح المتحدث أن المستشفيات الثلاثة مجهزة بأحدث الأجهزة الطبية وأن التشغيل سيبدأ مطلع الشهر المقبل بعد اكتمال التجهيزات.</p>
</article><footer>جميع الحقوق محفوظة</footer></body></html>""".replace("{a}", ARTICLE)


def _items(xs: Iterator[Item | Failure]) -> tuple[list[Item], list[Failure]]:
    got = list(xs)
    return [x for x in got if isinstance(x, Item)], [x for x in got if isinstance(x, Failure)]


# -- readers ------------------------------------------------------------------------------------
def test_text_files_in_a_folder_utf8_and_windows_1256(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_bytes(ARTICLE.replace("القصيم", "حائل").encode("windows-1256"))
    (tmp_path / "README.md").write_text("not an article", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    items, failures = _items(read(str(tmp_path)))
    assert failures == []
    assert [Path(i.origin).name for i in items] == ["a.txt", "b.txt"]
    assert items[1].text == ARTICLE.replace("القصيم", "حائل")


def test_html_page_main_text_and_metadata(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(HTML, encoding="utf-8")
    (item,), failures = _items(read(str(page)))
    assert failures == []
    assert ARTICLE in item.text and "الرئيسية" not in item.text and "محفوظة" not in item.text
    assert item.title == "افتتاح ثلاثة مستشفيات جديدة في القصيم"
    assert item.published == dt.date(2015, 7, 26)


def test_feed_file_with_an_arabic_pubdate(tmp_path: Path) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_text(RSS, encoding="utf-8")
    items, failures = _items(read(str(feed)))
    assert failures == []
    assert [i.title for i in items] == ["افتتاح مستشفيات في القصيم", "خبر ثان"]
    assert [i.published for i in items] == [dt.date(2015, 7, 26), dt.date(2015, 7, 27)]
    assert items[0].text.startswith(ARTICLE) and "<p>" not in items[1].text
    assert items[0].source == "صحيفة الاختبار" and items[0].url == "http://127.0.0.1/a1"


def test_jsonl_in_the_contract_format_and_saudinewsnet_zips(tmp_path: Path) -> None:
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(
        json.dumps({"id": "x1", "text": ARTICLE, "published": "2015-07-26", "source": "واس", "title": "ت"}, ensure_ascii=False)
        + "\n{not json\n\n"
        + json.dumps({"id": 7, "title": "no text"})
        + "\n",
        encoding="utf-8",
    )
    items, failures = _items(read(str(jsonl)))
    assert [(i.ext_id, i.published, i.source) for i in items] == [("x1", dt.date(2015, 7, 26), "واس")]
    assert [f.origin.rsplit(":", 1)[1] for f in failures] == ["2", "4"]
    arr = [{"source": "okaz", "url": "http://x/1", "date_extracted": "2015-08-01 10:00:00", "title": "عنوان",
            "author": "", "content": ARTICLE}]  # fmt: skip
    z = tmp_path / "2015-08-01.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("2015-08-01.json", json.dumps(arr, ensure_ascii=False))
    (item,), failures = _items(read(str(z)))
    assert failures == [] and item.origin == f"{z}!2015-08-01.json#0"
    assert (item.source, item.url, item.published, item.title) == ("okaz", "http://x/1", dt.date(2015, 8, 1), "عنوان")


def test_language_detection() -> None:
    assert detect_language(ARTICLE) == "ar"
    assert detect_language("The minister said on Sunday that the talks would continue in Geneva next week.") == "en"
    assert detect_language("Le ministre a déclaré dimanche que les discussions se poursuivront à Genève.") == "fr"
    assert detect_language("این یک متن فارسی است که برای آزمایش نوشته شده و چند کلمه گچ و پژوهش دارد گفتگو") == "fa"
    assert detect_language("12345 !!!") == "und"


# -- bad inputs ---------------------------------------------------------------------------------
def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    bad = tmp_path / "bad"
    bad.mkdir()
    paths = {
        "binary": bad / "image.txt",
        "truncated zip": bad / "cut.zip",
        "broken html": bad / "broken.html",
        "not a feed": bad / "feed.xml",
        "wrong encoding": bad / "garbled.txt",
        "too large": bad / "huge.txt",
    }
    paths["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w", compression=zipfile.ZIP_DEFLATED) as f:
        f.writestr("a.json", json.dumps([{"content": ARTICLE * 40}], ensure_ascii=False))
    paths["truncated zip"].write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    paths["broken html"].write_text("<html><head><title>x</title><script>var a = '<div>';</script></head><body><div><p", encoding="utf-8")
    paths["not a feed"].write_text("this is { not xml at all ] <<<", encoding="utf-8")
    paths["wrong encoding"].write_bytes(bytes(range(0x80, 0x100)) * 50)
    with open(paths["too large"], "w", encoding="utf-8") as f:
        line = ARTICLE + "\n"
        f.writelines(line for _ in range((50 * 1024 * 1024) // len(line.encode("utf-8")) + 1))
    return paths


def test_each_bad_input_is_reported_and_skipped_while_the_rest_is_ingested(tmp_path: Path) -> None:
    paths = _bad_inputs(tmp_path)
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    with open_store(tmp_path / "s.db") as store:
        summary = ingest([str(paths["binary"].parent), str(good), str(SAMPLE)], store, workers=1,
                         batch_fn=prepare_unanalysed)  # fmt: skip
        reasons = {Path(f.origin.split("!")[0]).name: f.reason for f in summary.failed}
        assert set(reasons) == {p.name for p in paths.values()}
        assert "binary" in reasons["image.txt"]
        assert "truncated" in reasons["cut.zip"]
        assert "no article text" in reasons["broken.html"]
        assert "feed" in reasons["feed.xml"]
        assert "encoding" in reasons["garbled.txt"] and "--encoding" in reasons["garbled.txt"]
        assert "too large" in reasons["huge.txt"] and "MB" in reasons["huge.txt"]
        assert summary.new == 101 == store.stats().articles
        assert store.check() == []


def test_iso_8859_6_is_detected(tmp_path: Path) -> None:
    p = tmp_path / "iso.txt"
    p.write_bytes(ARTICLE.encode("iso-8859-6"))
    (item,), _ = _items(read(str(p)))
    assert item.text == ARTICLE


def test_an_explicit_wrong_encoding_is_reported(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes(ARTICLE.encode("windows-1256"))
    items, (failure,) = _items(read(str(p), encoding="utf-8"))
    assert items == [] and "cannot be decoded as utf-8" in failure.reason


# -- URLs ---------------------------------------------------------------------------------------
@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    agents: list[str] = []
    pages = {"/feed": (RSS, "application/rss+xml"), "/page": (HTML, "text/html; charset=utf-8")}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            agents.append(self.headers.get("User-Agent", ""))
            body, ctype = pages.get(self.path, ("", ""))
            if not body:
                self.send_error(404)
                return
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", agents
    httpd.shutdown()
    httpd.server_close()


def test_feeds_and_pages_from_urls(server: tuple[str, list[str]], tmp_path: Path) -> None:
    base, agents = server
    with open_store(tmp_path / "u.db") as store:
        summary = ingest([f"{base}/feed", f"{base}/page", f"{base}/missing"], store, workers=1,
                         batch_fn=prepare_unanalysed, timeout=5)  # fmt: skip
        assert summary.new == 3
        ((origin, reason),) = [(f.origin, f.reason) for f in summary.failed]
        assert origin == f"{base}/missing" and "404" in reason
        assert agents and all(a == USER_AGENT for a in agents)
        assert [h.title for h in store.search("سفير اليابان")] == ["خبر ثان"]


# -- idempotence and crashes --------------------------------------------------------------------
def test_ingesting_again_adds_nothing(tmp_path: Path) -> None:
    with open_store(tmp_path / "i.db") as store:
        first = ingest([str(SAMPLE)], store, workers=1, batch_fn=prepare_unanalysed, batch_size=7)
        before = dataclasses.replace(store.stats(), size_bytes=0)
        second = ingest([str(SAMPLE), str(SAMPLE)], store, workers=1, batch_fn=prepare_unanalysed)
        assert (first.new, second.new, second.duplicates) == (100, 0, 200)
        assert dataclasses.replace(store.stats(), size_bytes=0) == before


def test_analysis_records_are_stored_for_arabic_only(tmp_path: Path, seed_text: str) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_text(seed_text, encoding="utf-8")
    english = tmp_path / "en.txt"
    english.write_text("The minister said on Sunday that the talks with the delegation would continue.", encoding="utf-8")
    with open_store(tmp_path / "a.db") as store:
        summary = ingest([str(seed), str(english)], store, workers=1)
        assert summary.languages == {"ar": 1, "en": 1} and summary.analysis_failed == 0
        ar, en = store.article(1), store.article(2)
        assert ar is not None and ar.record is not None and ar.record["schema"] == "marsad.analysis/1"
        assert ar.record["text"] == seed_text and ar.record["sentences"]
        assert en is not None and en.language == "en" and en.record is None
        assert store.stats().entities == len(ar.record["entities"])


def test_an_article_the_pipeline_fails_on_is_recorded_and_the_batch_goes_on(
    seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import marsad.pipeline
    from marsad.document import Document
    from marsad.ingest.runner import prepare

    @marsad.pipeline.stage("fails", requires=("entities",))
    def fails(doc: Document) -> Document:
        if "BOOM" in doc.text:
            raise ValueError("no analysis for this one")
        return doc

    pipe = marsad.pipeline.Pipeline([*marsad.pipeline.default_pipeline().stages, fails])
    monkeypatch.setattr(marsad.pipeline, "default_pipeline", lambda: pipe)
    texts = [seed_text, seed_text.replace("لافروف", "لافروف BOOM", 1), "The talks went on.", seed_text[:300]]
    got = prepare([Item(text=t, origin=f"t{i}") for i, t in enumerate(texts)])
    assert [p.language for p in got] == ["ar", "ar", "en", "ar"]
    assert got[1].record is None and got[1].error == "ValueError: no analysis for this one"
    assert got[2].record is None and got[2].error is None
    for k in (0, 3):
        assert got[k].error is None and got[k].record is not None
        assert got[k].record == prepare([Item(text=texts[k], origin="alone")])[0].record


def _corpus(path: Path) -> Path:
    """300 articles: the samples, each also rewritten twice (so dedup has work to do)."""
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        for tag in ("أ", "ب"):
            for r in rows:
                paras = r["text"].split("\n")
                copy = dict(r, id=f"{r['id']}/{tag}", text="\n".join(paras[1:] + paras[:1]) + f"\nتحديث {tag}")
                f.write(json.dumps(copy, ensure_ascii=False) + "\n")
    return path


_RUN = """
import sys
from marsad.ingest import ingest
from marsad.ingest.runner import prepare_unanalysed
from marsad.store import open_store
with open_store(sys.argv[1]) as store:
    ingest([sys.argv[2]], store, workers=1, batch_size=4, batch_fn=prepare_unanalysed)
"""


def _dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(db)
    out = {
        "articles": conn.execute(
            "SELECT id, key, text_hash, canonical_id, dup_kind, similarity, ext_id, title, source, url, published, "
            "language, origin, text, analysis, error FROM articles ORDER BY id"
        ).fetchall(),
        "minhash": conn.execute("SELECT * FROM minhash ORDER BY article_id").fetchall(),
        "lsh": conn.execute("SELECT * FROM lsh ORDER BY band, bucket, article_id").fetchall(),
    }
    conn.close()
    return out


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [1, 120])
def test_kill_9_mid_ingest_then_rerun_gives_the_clean_store(tmp_path: Path, kill_after: int) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl")
    clean, crashed = tmp_path / "clean.db", tmp_path / "crashed.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-c", _RUN, str(clean), str(corpus)], check=True, env=env)

    proc = subprocess.Popen([sys.executable, "-c", _RUN, str(crashed), str(corpus)], env=env)
    stored = 0
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            conn = sqlite3.connect(f"file:{crashed}?mode=ro", uri=True, timeout=0.1)
            stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            conn.close()
        except sqlite3.Error:
            stored = 0
        if stored >= kill_after:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    assert 0 < stored < 300

    subprocess.run([sys.executable, "-c", _RUN, str(crashed), str(corpus)], check=True, env=env)
    with open_store(crashed) as store:
        assert store.check() == []
        stats = dataclasses.replace(store.stats(), size_bytes=0)  # file sizes depend on WAL and index segments
    with open_store(clean) as store:
        assert stats == dataclasses.replace(store.stats(), size_bytes=0)
        assert stats.articles == 300 and stats.near_duplicates > 0
    assert _dump(crashed) == _dump(clean)


# -- the command line ---------------------------------------------------------------------------
def test_ingest_search_export_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from marsad.cli import main

    db = str(tmp_path / "cli.db")
    good = tmp_path / "a.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    assert main(["ingest", "--db", db, "--workers", "1", "--quiet", str(good), str(binary)]) == 0
    out = capsys.readouterr().out
    assert "read 1 articles" in out and "1 new" in out and f"failed: {binary}: is a binary file" in out
    assert main(["ingest", "--db", db, "--workers", "1", "--quiet", str(good)]) == 0
    assert "0 new, 1 already stored" in capsys.readouterr().out

    assert main(["search", "--db", db, "--format", "json", "مستشفيات", "القصيم"]) == 0
    (hit,) = json.loads(capsys.readouterr().out)
    assert set(hit) >= {"id", "title", "source", "published", "score", "snippet"}
    assert "<b>القصيم</b>" in hit["snippet"]
    assert main(["search", "--db", db, "--source", "nowhere", "القصيم"]) == 0
    assert capsys.readouterr().out.strip() == "no hits"

    out_csv = tmp_path / "ev.csv"
    assert main(["export", "--db", db, "--format", "csv", "--output", str(out_csv)]) == 0
    assert out_csv.read_text(encoding="utf-8").splitlines()[0].startswith("id,date,type,mode,cameo")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["search", "--db", "{tmp}/none.db", "x"], "no store there yet"),
        (["export", "--db", "{tmp}/none.db", "--format", "csv", "--output", "-"], "no store there yet"),
        (["search", "--db", "{tmp}/s.db", "--from", "2015-13-01", "x"], "--from 2015-13-01"),
        (["ingest", "--db", "postgresql://u@h/db", "x"], "PostgreSQL"),
        (["ingest", "--db", "{tmp}/s.db", "--encoding", "klingon", "x"], "unknown encoding"),
    ],
)
def test_command_errors_are_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    from marsad.cli import main

    (tmp_path / "s.db").touch()
    assert main([a.replace("{tmp}", str(tmp_path)) for a in argv]) != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("marsad: error:") and message in err and "\n" not in err


_POOL = [
    ARTICLE,
    ARTICLE.replace("اليوم", "أمس") + " وأضاف أن العمل جار.",  # a near copy
    "  " + ARTICLE.replace("،", " ، "),  # an exact copy (same words)
    SAMPLE.read_text(encoding="utf-8").splitlines()[0],
    "خبر قصير",
    "The minister said the talks would continue next week in Geneva with all parties.",
]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, len(_POOL) - 1), min_size=1, max_size=12), st.integers(0, 12))
def test_storing_in_any_batches_any_number_of_times_gives_one_store(picks: list[int], cut: int) -> None:
    import tempfile

    batch = prepare_unanalysed([Item(text=_POOL[i], origin=f"#{i}", title=str(i)) for i in picks])
    with tempfile.TemporaryDirectory() as tmp:
        with open_store(Path(tmp) / "once.db") as once:
            once.add(batch)
        with open_store(Path(tmp) / "split.db") as split:
            split.add(batch[:cut])
            split.add(batch[cut:])
            split.add(batch)  # and all of it again
            assert split.check() == []
        assert _dump(Path(tmp) / "split.db") == _dump(Path(tmp) / "once.db")
