"""`moderation classify` through click's runner: shapes, formats, bad input, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from moderation.cli import main

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed_comments.jsonl"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("moderation, version ")


def test_classify_seed_jsonl(runner: CliRunner) -> None:
    result = runner.invoke(main, ["classify", str(SEED)])
    assert result.exit_code == 0, result.output
    records = _jsonl(result.stdout)
    ids = [json.loads(line)["id"] for line in SEED.read_text().splitlines()]
    assert [r["id"] for r in records] == ids  # input order
    first = records[0]
    assert first["labels"] == ["expert_question"]
    assert first["reply_template"] == "expert_question"
    for r in records:
        assert set(r) >= {"id", "labels", "reply_template", "urls", "phones", "emails",
                          "evidence"}


def test_classify_stdin_and_output_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    stdin = '{"id": 1, "text": "Please call 800-525-2225, thanks!"}\n'
    result = runner.invoke(main, ["classify", "-", "--output", str(out)], input=stdin)
    assert result.exit_code == 0
    [record] = _jsonl(out.read_text())
    assert record["id"] == "1"
    assert record["phones"] == [{"raw": "800-525-2225", "e164": "+18005252225"}]


def test_bad_records_are_reported_counted_and_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    rejects = tmp_path / "rejects.jsonl"
    path.write_text(
        '{"id": "a", "text": "Thanks for the great work!"}\n'
        '{"id": "b"}\n'
        'not json\n'
        '[1, 2]\n'
        '\n'
        '{"id": "c", "text": "Great job!", "region": "XX"}\n'
        '{"id": "d", "text": 5}\n'
        '{"id": "e", "text": "ok", "is_staff": "maybe"}\n'
        '{"id": "f", "text": "Bravo!"}\n'
        '{"id": null, "text": "Who am I?"}\n'
        '{"id": "", "text": "Nobody."}\n'
        '{"id": "g", "text": null}\n'
    )
    result = runner.invoke(main, ["classify", str(path), "--rejects", str(rejects)])
    assert result.exit_code == 1
    assert [r["id"] for r in _jsonl(result.stdout)] == ["a", "f"]
    err = result.stderr
    assert f"rejected: {path}:2: field 'text': missing required field" in err
    assert f"rejected: {path}:3: invalid JSON" in err
    assert f"rejected: {path}:4: expected a JSON object, got list" in err
    assert f"rejected: {path}:6: field 'region': unknown phone region 'XX'" in err
    assert f"rejected: {path}:7: field 'text': must be a string, got int" in err
    assert f"rejected: {path}:8: field 'is_staff': expected true or false" in err
    assert f"rejected: {path}:10: field 'id': null; every comment needs its id" in err
    assert f"rejected: {path}:11: field 'id': empty; every comment needs its id" in err
    assert f"rejected: {path}:12: field 'text': null; every comment needs its text" in err
    assert "read 11, classified 2, rejected 9" in err
    assert "Traceback" not in result.output
    assert [r["line"] for r in _jsonl(rejects.read_text())] == [2, 3, 4, 6, 7, 8, 10, 11, 12]


@pytest.mark.parametrize("option", ["--output", "--rejects"])
def test_an_output_that_cannot_be_written_is_one_clear_line(runner: CliRunner, tmp_path: Path,
                                                            option: str) -> None:
    target = tmp_path / "no such folder" / "out.jsonl"
    result = runner.invoke(main, ["classify", str(SEED), option, str(target)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == f"error: cannot write {target}: No such file or directory"


def test_ingest_rejects_file_that_cannot_be_written_stops_before_anything(
        runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "gone" / "rejects.jsonl"
    result = runner.invoke(main, ["--db", str(tmp_path / "q.db"), "ingest", str(SEED),
                                  "--rejects", str(target)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"error: cannot write {target}: folder "
                                     f"{target.parent} does not exist")
    assert not (tmp_path / "q.db").exists()  # nothing was queued before the check


def test_invalid_utf8_is_rejected_not_fatal(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": "a", "text": "caf\xe9"}\n{"id": "b", "text": "Thanks!"}\n')
    result = runner.invoke(main, ["classify", str(path)])
    assert result.exit_code == 1
    assert f"{path}:1: invalid UTF-8" in result.stderr
    assert [r["id"] for r in _jsonl(result.stdout)] == ["b"]


def test_csv_in_with_column_mapping_and_bom(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes("\ufeffcomment_id,body,who\n1,\"I lost my husband to AML, so sad.\",Ann\n"
                     "2,Great job!,Bob\n".encode())
    result = runner.invoke(main, ["classify", str(path), "--column", "id=comment_id",
                                  "--column", "text=body", "--column", "author=who"])
    assert result.exit_code == 0, result.stderr
    records = _jsonl(result.stdout)
    assert [r["labels"] for r in records] == [["condolence"], ["thanks"]]
    assert records[0]["reply"].startswith("Ann, we are so sorry")


def test_csv_without_text_column_is_one_clear_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,body\n1,hello\n")
    result = runner.invoke(main, ["classify", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {path}:1: the header has no 'text' column (map one with --column "
        "text=NAME); it has: id, body"]


def test_csv_header_in_other_case_is_read(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("ID,Text ,Author\n1,\"I lost my husband to AML, so sad.\",Ann\n")
    result = runner.invoke(main, ["classify", str(path)])
    assert result.exit_code == 0, result.stderr
    (record,) = _jsonl(result.stdout)
    assert record["id"] == "1" and record["labels"] == ["condolence"]
    assert record["reply"].startswith("Ann, we are so sorry")


def test_csv_header_exact_name_wins_over_another_case(runner: CliRunner,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("ID,id,text\nupper,lower,hello\n")
    result = runner.invoke(main, ["classify", str(path)])
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in _jsonl(result.stdout)] == ["lower"]


def test_csv_header_naming_a_column_twice_is_refused(runner: CliRunner,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,text,author,text\n1,hello,Ann,world\n")
    result = runner.invoke(main, ["classify", str(path)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == (
        f"error: {path}:1: the header names a column twice ('text' in columns 2, 4); only "
        "one could be read, so rename the other")


def test_csv_quote_left_open_does_not_swallow_the_rows_after_it(runner: CliRunner,
                                                                 tmp_path: Path) -> None:
    # Read leniently, row 1's open quote would take rows 2 and 3 in as its text.
    path = tmp_path / "cut.csv"
    path.write_text('id,text\n0,fine\n1,"a comment cut short\n2,two\n3,three\n')
    result = runner.invoke(main, ["classify", str(path)])
    assert result.exit_code == 1
    assert [r["id"] for r in _jsonl(result.stdout)] == ["0"]
    assert f"{path}:3: malformed CSV: a quoted field opened in this record is never " \
        "closed, so everything from here to the end of the file (line 5) is rejected" \
        in result.stderr
    assert "read 2, classified 1, rejected 1" in result.stderr


def test_csv_broken_quotes_reject_their_record_and_keep_line_numbers(runner: CliRunner,
                                                                     tmp_path: Path) -> None:
    path = tmp_path / "quotes.csv"
    path.write_text('id,text\n1,"two\nlines"\n2,"abc"def\n3,"multi\nline"x\n4,"ok ""quoted"""\n'
                    '5,x,extra\n')
    result = runner.invoke(main, ["classify", str(path)])
    assert result.exit_code == 1
    assert [(r["id"]) for r in _jsonl(result.stdout)] == ["1", "4"]
    assert result.stderr.splitlines()[:3] == [
        f"rejected: {path}:4: malformed CSV: text after a closing quote; a quote inside a "
        "quoted field is written as two quotes",
        f"rejected: {path}:5: malformed CSV: text after a closing quote (the record spans "
        "lines 5-6); a quote inside a quoted field is written as two quotes",
        f"rejected: {path}:8: more fields than the header has"]


def test_csv_output(runner: CliRunner) -> None:
    result = runner.invoke(main, ["classify", str(SEED), "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 46
    assert rows[0]["labels"] == "expert_question" and rows[0]["reply_template"] == "expert_question"


def test_table_output(runner: CliRunner) -> None:
    result = runner.invoke(main, ["classify", str(SEED), "--format", "table"])
    assert result.exit_code == 0
    assert "seed-01" in result.stdout and "expert_question" in result.stdout


def test_region_option(runner: CliRunner) -> None:
    stdin = '{"id": 1, "text": "ring 020 7946 0958"}\n'
    us = _jsonl(runner.invoke(main, ["classify"], input=stdin).stdout)[0]
    gb = _jsonl(runner.invoke(main, ["classify", "--region", "gb"], input=stdin).stdout)[0]
    assert us["phones"] == [] and gb["phones"][0]["e164"] == "+442079460958"


@pytest.mark.parametrize(
    "args",
    [["classify", "--region", "XYZ"], ["classify", "--format", "xml"],
     ["classify", "--column", "nonsense"], ["classify", "--bogus"]],
)
def test_usage_errors_exit_2(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(main, args, input="")
    assert result.exit_code == 2


def test_missing_file_is_one_clear_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["classify", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {tmp_path / 'nope.jsonl'}: cannot open: " \
                                    "No such file or directory"


@pytest.mark.parametrize("command", ["classify", "ingest"])
def test_a_missing_later_input_stops_before_the_first_is_read(runner: CliRunner,
                                                               tmp_path: Path,
                                                               command: str) -> None:
    missing = tmp_path / "typo.jsonl"
    result = runner.invoke(main, ["--db", str(tmp_path / "q.db"), command, str(SEED),
                                  str(missing)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == f"error: {missing}: cannot open: No such file or directory"
    assert not (tmp_path / "q.db").exists()


@pytest.mark.parametrize(("command", "options", "message"), [
    ("classify", ["-o", "{input}"], "--output {given} is also the input {input}"),
    ("classify", ["--rejects", "{link}"], "--rejects {given} is also the input {input}"),
    ("ingest", ["--rejects", "{input}"], "--rejects {given} is also the input {input}"),
    ("classify", ["-o", "{out}", "--rejects", "{out}"],
     "--rejects {given} is also the --output file"),
])
def test_an_output_that_is_an_input_or_another_output_is_refused(
        runner: CliRunner, tmp_path: Path, command: str, options: list[str],
        message: str) -> None:
    data = tmp_path / "comments.jsonl"
    data.write_bytes(SEED.read_bytes())
    (tmp_path / "link.jsonl").symlink_to(data)
    names = {"input": str(data), "link": str(tmp_path / "link.jsonl"),
             "out": str(tmp_path / "out.jsonl")}
    args = [option.format(**names) for option in options]
    result = runner.invoke(main, ["--db", str(tmp_path / "q.db"), command, str(data), *args])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == "error: " + message.format(given=args[-1], **names) + \
        "; give it a file of its own"
    assert data.read_bytes() == SEED.read_bytes()  # the input is untouched
    assert not (tmp_path / "q.db").exists() and not (tmp_path / "out.jsonl").exists()


def test_devices_may_take_both_outputs(runner: CliRunner) -> None:
    result = runner.invoke(main, ["classify", str(SEED), "-o", "/dev/null",
                                  "--rejects", "/dev/null"])
    assert result.exit_code == 0, result.output


def test_unknown_extension_needs_input_format(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text('{"id": 1, "text": "hi"}\n')
    bad = runner.invoke(main, ["classify", str(path)])
    assert bad.exit_code == 1 and "use --input-format" in bad.stderr
    good = runner.invoke(main, ["classify", str(path), "--input-format", "jsonl"])
    assert good.exit_code == 0


def test_broken_rules_dir_gives_located_errors(runner: CliRunner, rules_copy: Path) -> None:
    (rules_copy / "extra.yaml").write_text(
        "stage: thanks\nlabel: thanks\nrules:\n  - code: THX990\n    description: x\n"
        "    all:\n      - pattern: '(oops'\n")
    result = runner.invoke(main, ["classify", "--rules", str(rules_copy)], input="")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"{rules_copy / 'extra.yaml'}:7:18: rule THX990, field "
                               "'all[0].pattern': regular expression does not compile")
    assert lines[-1] == "error: 1 problem(s) in the rules"


def test_disable_rule(runner: CliRunner) -> None:
    stdin = '{"id": 1, "text": "Great job! keep up the great research."}\n'
    on = _jsonl(runner.invoke(main, ["classify"], input=stdin).stdout)[0]
    off = _jsonl(runner.invoke(main, ["classify", "--disable", "THX004", "--disable", "THX005"],
                               input=stdin).stdout)[0]
    assert on["labels"] == ["thanks"] and off["labels"] == []


def test_all_rules_reports_more_evidence(runner: CliRunner) -> None:
    stdin = '{"id": 1, "text": "Great job! Keep up the great research. Thank you for it."}\n'
    fast = _jsonl(runner.invoke(main, ["classify"], input=stdin).stdout)[0]
    full = _jsonl(runner.invoke(main, ["classify", "--all-rules"], input=stdin).stdout)[0]
    assert fast["labels"] == full["labels"] == ["thanks"]
    assert len(fast["evidence"]) == 1 < len(full["evidence"])


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ('{"id": true, "text": "x"}', "field 'id': must be a string or an integer, got bool"),
        ('{"id": "  ", "text": "x"}', "field 'id': must not be empty"),
        ('{"id": 1, "text": "x", "parent": [1]}',
         "field 'parent': must be a string or an integer, got list"),
        ('{"id": 1, "text": "x", "created_at": "yesterday"}',
         "field 'created_at': not an ISO 8601 date: 'yesterday'"),
        ('{"id": 1, "text": "x", "created_at": 5}',
         "field 'created_at': expected an ISO 8601 date string"),
    ],
)
def test_field_errors_name_the_field(runner: CliRunner, record: str, message: str) -> None:
    result = runner.invoke(main, ["classify"], input=record + "\n")
    assert result.exit_code == 1
    assert f"rejected: <stdin>:1: {message}" in result.stderr


def test_extra_fields_are_kept_as_metadata(pipeline) -> None:
    from moderation.formats.records import comment_from_mapping

    comment = comment_from_mapping({"id": 3, "text": "hi", "likes": 4, "parent": 2}, "f", 1)
    assert (comment.id, comment.parent, comment.meta) == ("3", "2", {"likes": 4})


@pytest.mark.parametrize(("name", "content"), [("in.jsonl", ""), ("in.csv", ""),
                                               ("in.csv", "id,text\n")])
def test_empty_input_is_said_not_silent(runner: CliRunner, tmp_path: Path, name: str,
                                        content: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    result = runner.invoke(main, ["classify", str(path)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip() == "read 0, classified 0, rejected 0"


@pytest.mark.parametrize(
    ("columns", "message"),
    [(["text=body", "text=id"], "text is mapped twice (text=body and text=id)"),
     (["text=body", "author=body"], "column 'body' is mapped to both text and author")],
)
def test_conflicting_column_mappings_are_usage_errors(runner: CliRunner, tmp_path: Path,
                                                      columns: list[str], message: str) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,body\n1,hello\n")
    args = ["classify", str(path)]
    for column in columns:
        args += ["--column", column]
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert f"Invalid value for --column: {message}" in result.stderr


def test_csv_bad_byte_rejects_its_row_only(runner: CliRunner, tmp_path: Path) -> None:
    # The decoder reads blocks of thousands of bytes: one bad byte must not take the rows
    # around it (nor the header) down with it.
    rows = [f"{i},comment number {i} reads fine" for i in range(1, 300)]
    path = tmp_path / "mixed.csv"
    path.write_bytes(("id,text\n" + "\n".join(rows[:150]) + "\n").encode()
                     + b"150b,caf\xe9 au lait\n" + ("\n".join(rows[150:]) + "\n").encode())
    result = runner.invoke(main, ["classify", str(path)])
    assert result.exit_code == 1
    ids = [r["id"] for r in _jsonl(result.stdout)]
    assert ids == [str(i) for i in range(1, 300)]
    assert result.stderr.splitlines() == [
        f"rejected: {path}:152: field 'text': invalid utf-8-sig (byte 0xe9); pass --encoding "
        "if the file is in another encoding",
        "read 300, classified 299, rejected 1"]


def test_csv_bad_byte_in_header_is_one_clear_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "head.csv"
    path.write_bytes(b"id,t\xefxt\n1,hello\n")
    result = runner.invoke(main, ["classify", str(path)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {path}:1: invalid utf-8-sig in the header; pass --encoding if the file is in "
        "another encoding"]


def test_csv_in_utf16(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes("id,text\n1,\"Merci, café!\"\n2,\"two\nlines\"\n".encode("utf-16"))
    result = runner.invoke(main, ["classify", str(path), "--encoding", "utf-16"])
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in _jsonl(result.stdout)] == ["1", "2"]


def test_csv_in_utf16_with_a_broken_unit_rejects_only_its_row(runner: CliRunner,
                                                             tmp_path: Path) -> None:
    # A lone high surrogate (bytes 00 d8 in UTF-16-LE) in row 2 of 4; one of its bytes is
    # below 0x80, which Python's own surrogateescape cannot carry.
    wide = "id,text\n1,first\n2,broken here\n3,\"third, fine\"\n4,last\n".encode("utf-16-le")
    at = wide.index("broken".encode("utf-16-le"))
    path = tmp_path / "torn.csv"
    path.write_bytes(wide[:at] + b"\x00\xd8" + wide[at:])
    result = runner.invoke(main, ["classify", str(path), "--encoding", "utf-16-le"])
    assert result.exit_code == 1
    assert [r["id"] for r in _jsonl(result.stdout)] == ["1", "3", "4"]
    assert result.stderr.splitlines() == [
        f"rejected: {path}:3: field 'text': invalid utf-16-le (byte 0x00); pass --encoding "
        "if the file is in another encoding",
        "read 4, classified 3, rejected 1"]


def test_csv_in_utf16_cut_short_rejects_only_the_last_row(runner: CliRunner,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_bytes("id,text\n1,whole\n2,cut".encode("utf-16-le") + b"!")  # odd length
    result = runner.invoke(main, ["classify", str(path), "--encoding", "utf-16-le"])
    assert result.exit_code == 1
    assert [r["id"] for r in _jsonl(result.stdout)] == ["1"]
    assert f"rejected: {path}:3: field 'text': invalid utf-16-le (byte 0x21)" in result.stderr


@pytest.mark.parametrize("export", ["seed.wxr.xml", "seed.disqus.xml"])
def test_standard_input_is_sniffed_for_xml_exports(runner: CliRunner, export: str) -> None:
    exports = SEED.parent / "exports"
    piped = runner.invoke(main, ["classify"], input=(exports / export).read_bytes())
    named = runner.invoke(main, ["classify", str(exports / export)])
    assert piped.exit_code == 0, piped.stderr
    assert piped.stdout == named.stdout and len(piped.stdout.splitlines()) == 46


def test_standard_input_is_sniffed_for_csv(runner: CliRunner) -> None:
    result = runner.invoke(main, ["classify", "-"],
                           input='\ufeff"id","text"\n1,"Thank you so much, doctor!"\n')
    assert result.exit_code == 0, result.stderr
    assert [r["labels"] for r in _jsonl(result.stdout)] == [["thanks"]]
    # A first line that is no CSV header of ours stays JSONL, and is reported as such.
    other = runner.invoke(main, ["classify"], input="name,comment\nAnn,hi\n")
    assert other.exit_code == 1 and "<stdin>:1: invalid JSON" in other.stderr


def test_standard_input_that_is_other_xml_is_one_clear_line(runner: CliRunner) -> None:
    result = runner.invoke(main, ["classify"], input="<html><body>hi</body></html>\n")
    assert result.exit_code == 1
    assert result.stderr.strip() == ("error: <stdin>: neither a WordPress (WXR) nor a "
                                     "Disqus export; use --input-format")


def test_standard_input_sniffing_keeps_every_byte(runner: CliRunner) -> None:
    # Longer than the sniffed head, so the stream must go on past the bytes it replays.
    lines = SEED.read_text(encoding="utf-8")
    assert len(lines.encode()) > 8192
    piped = runner.invoke(main, ["classify"], input=lines)
    named = runner.invoke(main, ["classify", str(SEED)])
    assert piped.exit_code == 0 and piped.stdout == named.stdout


def test_workers_zero_means_one_per_available_core(runner: CliRunner) -> None:
    import os

    from moderation.cli.options import available_cores

    one = runner.invoke(main, ["classify", str(SEED), "--workers", "1"])
    every = runner.invoke(main, ["classify", str(SEED), "--workers", "0"])
    assert every.exit_code == 0, every.output
    assert every.stdout == one.stdout
    if hasattr(os, "sched_setaffinity"):  # the cores this process may use, not the machine's
        allowed = os.sched_getaffinity(0)
        try:
            os.sched_setaffinity(0, {min(allowed)})
            assert available_cores() == 1
        finally:
            os.sched_setaffinity(0, allowed)
    bad = runner.invoke(main, ["classify", str(SEED), "--workers", "-1"])
    assert bad.exit_code == 2 and "--workers" in bad.stderr


full_disk = pytest.mark.skipif(not Path("/dev/full").exists(),
                               reason="/dev/full gives 'no space left' on every write")


@full_disk
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_full_disk_is_one_clear_line(runner: CliRunner, workers: str) -> None:
    result = runner.invoke(main, ["classify", str(SEED), "-o", "/dev/full",
                                  "--workers", workers])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: No space left on device; the output may be incomplete"]


@full_disk
def test_a_full_disk_for_rejects_is_one_clear_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "Thanks!"}\nnot json\n')
    result = runner.invoke(main, ["--db", str(tmp_path / "q.db"), "ingest", str(path),
                                  "--rejects", "/dev/full"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "error: No space left on device; the output may be incomplete")
    assert "Traceback" not in result.output
