"""Formats benchmark: the same comments as a WXR file and as JSONL, classified side by side.

Generates a WXR export of about --size-mb megabytes (comments from benchmarks/generate.py,
grouped 50 to a post) and the same comments as JSONL, then runs `moderation classify` on
each (output to /dev/null) under /usr/bin/time, reporting comments per second and peak
memory. Run the two in turn so both see the same machine.

    python benchmarks/run_formats.py --size-mb 1024
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import make_comment  # noqa: E402

HEAD = ('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Bench</title>\n'
        "<wp:wxr_version>1.2</wp:wxr_version>\n")


def generate(size_mb: int, folder: Path) -> tuple[Path, Path, int]:
    rng = random.Random(11)
    wxr, jsonl = folder / "bench.wxr.xml", folder / "bench.jsonl"
    limit = size_mb * 1_000_000
    count = 0
    with wxr.open("w", encoding="utf-8") as x, jsonl.open("w", encoding="utf-8") as j:
        x.write(HEAD)
        written = len(HEAD)
        while written < limit:
            post = count // 50
            parts = [f"<item>\n<title>Post {post}</title>\n<wp:post_id>{post}</wp:post_id>\n"]
            for _ in range(50):
                record = make_comment(rng, count)
                record["post"] = str(post)
                date = str(record["created_at"]).replace("T", " ")
                parts.append(
                    "<wp:comment>\n"
                    f"<wp:comment_id>{count}</wp:comment_id>\n"
                    f"<wp:comment_author><![CDATA[{record['author']}]]></wp:comment_author>\n"
                    "<wp:comment_author_email>reader@example.com</wp:comment_author_email>\n"
                    f"<wp:comment_date>{date}</wp:comment_date>\n"
                    f"<wp:comment_date_gmt>{date}</wp:comment_date_gmt>\n"
                    f"<wp:comment_content>{escape(str(record['text']))}</wp:comment_content>\n"
                    "<wp:comment_approved>1</wp:comment_approved>\n"
                    "<wp:comment_type>comment</wp:comment_type>\n"
                    "<wp:comment_parent>0</wp:comment_parent>\n"
                    "<wp:comment_user_id>0</wp:comment_user_id>\n</wp:comment>\n")
                record["id"] = str(count)
                j.write(json.dumps(record) + "\n")
                count += 1
            parts.append("</item>\n")
            chunk = "".join(parts)
            x.write(chunk)
            written += len(chunk.encode("utf-8"))
        x.write("</channel>\n</rss>\n")
    return wxr, jsonl, count


def timed(path: Path) -> dict[str, float]:
    cmd = ["/usr/bin/time", "-f", "%e %M", sys.executable, "-m", "moderation", "classify",
           str(path), "--output", "/dev/null"]
    result = subprocess.run(cmd, capture_output=True, text=True, check=True)
    seconds, kilobytes = result.stderr.strip().splitlines()[-1].split()
    return {"seconds": float(seconds), "peak_mb": round(int(kilobytes) / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=100)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="moderation-formats-"))
    wxr, jsonl, count = generate(args.size_mb, folder)
    result: dict[str, object] = {"comments": count,
                                 "wxr_mb": round(wxr.stat().st_size / 1e6, 1),
                                 "jsonl_mb": round(jsonl.stat().st_size / 1e6, 1)}
    for name, path in (("wxr", wxr), ("jsonl", jsonl)):
        figures = timed(path)
        figures["comments_per_second"] = round(count / figures["seconds"])
        result[name] = figures
    wxr_rate = result["wxr"]["comments_per_second"]  # type: ignore[index]
    jsonl_rate = result["jsonl"]["comments_per_second"]  # type: ignore[index]
    result["wxr_throughput_vs_jsonl"] = round(wxr_rate / jsonl_rate, 3)
    print(json.dumps(result, indent=2))
    for path in (wxr, jsonl):
        path.unlink()


if __name__ == "__main__":
    main()
