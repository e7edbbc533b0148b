"""Baseline: read the JSONL and compute TextBlob(text).sentiment per comment, nothing else."""

from __future__ import annotations

import json
import sys

from textblob import TextBlob


def main(path: str) -> None:
    count = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            TextBlob(json.loads(line)["text"]).sentiment  # noqa: B018  (the work measured)
            count += 1
    print(count, file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
