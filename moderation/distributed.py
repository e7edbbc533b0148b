"""Batch classification past one machine, on Dask (dask.distributed).

Each input file is a partition: a task reads it, classifies every record with the
pipeline (built once per worker process and cached there), and writes a JSONL file of
verdicts, byte for byte what `moderation classify FILE` writes, beside a JSONL file of
rejected records. Only file names and small summaries travel through the scheduler.

    from dask.distributed import Client
    from moderation.distributed import classify_files

    with Client("tcp://scheduler:8786") as client:
        results = classify_files(client, ["part-000.jsonl", ...], "out/")

The files must be reachable from every worker under the same paths (a shared file
system or an object store mounted alike).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moderation.cli.output import JsonlWriter

_PIPELINES: dict[tuple[str | None, str | None, tuple[str, ...]], Any] = {}


@dataclass(frozen=True)
class PartitionResult:
    """What one partition's task did."""

    input: str
    output: str
    rejects: str
    read: int
    classified: int
    rejected: int


def _pipeline(rules_dir: str | None, region: str | None, disabled: tuple[str, ...]) -> Any:
    from moderation.pipeline import Pipeline

    key = (rules_dir, region, disabled)
    if key not in _PIPELINES:
        _PIPELINES[key] = Pipeline.from_directory(rules_dir, region, disabled)
    return _PIPELINES[key]


def classify_partition(path: str, output_dir: str, rules_dir: str | None = None,
                       region: str | None = None, disabled: tuple[str, ...] = (),
                       input_format: str | None = None) -> PartitionResult:
    """Classify one file into OUTPUT_DIR/NAME.verdicts.jsonl (and NAME.rejects.jsonl)."""
    from moderation.classify import classify_records
    from moderation.formats import StaffSettings, read_inputs

    pipeline = _pipeline(rules_dir, region, disabled)
    staff = StaffSettings.from_site(pipeline.ruleset.site)
    name = Path(path).name
    out_path = Path(output_dir) / f"{name}.verdicts.jsonl"
    rejects_path = Path(output_dir) / f"{name}.rejects.jsonl"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("w", encoding="utf-8") as out, \
            rejects_path.open("w", encoding="utf-8") as rejects:
        writer = JsonlWriter(out)

        def on_rejected(rec: Any) -> None:
            rejects.write(json.dumps({"source": rec.source, "line": rec.line,
                                      "reason": rec.reason}, ensure_ascii=False) + "\n")

        summary = classify_records(pipeline, read_inputs([path], input_format, staff=staff),
                                   writer.write, on_rejected)
    return PartitionResult(path, str(out_path), str(rejects_path), summary.read,
                           summary.classified, summary.rejected)


def classify_files(client: Any, paths: list[str], output_dir: str,
                   rules_dir: str | None = None, region: str | None = None,
                   disabled: tuple[str, ...] = (),
                   input_format: str | None = None) -> list[PartitionResult]:
    """Classify every file as one task on the Dask cluster; results in input order."""
    futures = client.map(classify_partition, paths, output_dir=output_dir,
                         rules_dir=rules_dir, region=region, disabled=disabled,
                         input_format=input_format, pure=False)
    return list(client.gather(futures))
