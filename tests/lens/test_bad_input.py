"""Bad lines in a file to analyse or redact: each gets its own clear message, naming where it
is, and the rest of the file is still read."""

import csv
import json
import mailbox

from compassion.lens.cli import analyse, redact
from tests.lens.test_cli import run

GOOD = json.dumps({"id": "good", "text": "My universal credit was stopped and I cannot pay rent."})


def lines_out(result) -> dict:
    return {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}


def analysed_and_redacted(path) -> list:
    """The results of `analyse` (without campaigns) and of `redact` on the file."""
    return [
        run(analyse, "--input", path, "--silent", "--no-campaigns"),
        run(redact, "--input", path, "--silent"),
    ]


def test_json_nested_too_deeply_is_one_bad_line(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text(GOOD + "\n" + '{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    for command in (analyse, redact):
        result = run(command, "--input", path, "--silent")
        assert result.exit_code == 0, result.output
        assert "Line 2: it is nested too deeply to read." in result.stderr
        assert '"good"' in result.stdout


def test_a_lone_surrogate_escape_is_one_bad_line(tmp_path):
    path = tmp_path / "surrogate.jsonl"
    path.write_text(GOOD + '\n{"id": "s", "text": "rent \\ud800 arrears"}\n', encoding="utf-8")
    for command in (analyse, redact):
        result = run(
            command, "--input", path, "--silent", *(["--no-campaigns"] * (command is analyse))
        )
        assert result.exit_code == 0, result.output
        assert "Line 2: the 'text' field holds half of a two-part character (\\ud800)" in (
            result.stderr
        )
        assert '"good"' in result.stdout


def test_a_jsonl_file_saved_as_utf16_is_read(tmp_path):
    path = tmp_path / "windows.jsonl"
    path.write_bytes((GOOD + "\r\n").encode("utf-16"))
    result = run(analyse, "--input", path, "--silent", "--no-campaigns")
    assert result.exit_code == 0, result.output
    assert lines_out(result)["good"]["request_for_help"] is True


def test_a_huge_csv_cell_is_read_and_the_rows_after_it_too(tmp_path):
    path = tmp_path / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerow(["big", "The damp is back. " * 20_000])  # 360 KB in one cell
        writer.writerow(["after", "The bins were not collected."])
    result = run(analyse, "--input", path, "--silent", "--no-campaigns")
    assert result.exit_code == 0, result.output
    out = lines_out(result)
    assert set(out) == {"big", "after"}
    assert "Only the first" in out["big"]["warnings"][0]


def test_a_csv_line_that_cannot_be_read_is_named_and_the_rest_are_read(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b'id,text\n1,"Rent arrears"\n2,"a NUL \x00 here"\n3,"Pothole on Mill Road"\n')
    result = run(analyse, "--input", path, "--silent", "--no-campaigns")
    assert result.exit_code == 0, result.output
    assert set(lines_out(result)) >= {"1", "3"}
    assert "Line 3:" in result.stderr


def test_a_csv_without_a_text_column_says_which_columns_it_has(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,message\n1,Rent arrears\n2,Potholes\n")
    result = run(analyse, "--input", path, "--silent", "--no-campaigns")
    assert result.exit_code == 1
    assert "has no 'text' column" in result.output
    assert "its columns are: id, message" in result.output
    assert result.stderr.count("has no 'text' column") == 1


def test_a_corrupt_message_in_a_mailbox_is_named_by_its_number(tmp_path):
    box = mailbox.mbox(tmp_path / "inbox.mbox")
    box.add(b"Subject: Rent\n\nI cannot pay the rent this month and need help.\n")
    box.add(
        b'Subject: Broken\nContent-Type: multipart/mixed; boundary="b"\n'
        b"Content-Transfer-Encoding: base64\n\n--b\nContent-Type: text/plain; charset=x-nonsense\n"
        b"Content-Transfer-Encoding: base64\n\n!!!not base64!!!\n"
    )
    box.add(b"Subject: \x00\x01\x02\x03\n\n\x00\x01\x02\x03\x04 binary\n")
    box.add(b"Subject: Lights\n\nThank you for fixing the street lights.\n")
    box.flush()
    result = run(analyse, "--input", tmp_path / "inbox.mbox", "--silent", "--no-campaigns")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 4
    assert "Message 3: it looks like binary data, not text." in result.stderr
    assert "Traceback" not in result.output


def test_a_csv_quote_never_closed_is_named_and_the_rows_after_it_are_read(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "id,text\n"
        'one,"The damp is back in the bedroom.\n'
        "two,The bins were not collected again.\n"
        "three,My rent went up and I cannot pay it.\n"
        "four,The street light is out.\n",
        encoding="utf-8",
    )
    for result in analysed_and_redacted(path):
        assert result.exit_code == 0, result.output
        assert "Line 2: a quote opened here is never closed" in result.stderr
        out = lines_out(result)
        assert set(out) == {None, "two", "three", "four"}  # None: the line that was not read
        assert out[None]["line"] == 2


def test_a_csv_quote_closed_in_a_later_row_is_warned_of_and_the_text_still_read(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "id,text\n"
        '1041,"The damp is back in the bedroom.\n'
        "1042,The bins were not collected again.\n"
        '1043,"My rent went up"\n'
        "1044,The street light is out.\n",
        encoding="utf-8",
    )
    notes = tmp_path / "notes.csv"
    notes.write_text(
        'id,text\n1041,"Rang 3 March.\nRang again, no answer.\n1,250 owed to Clarion."\n'
        "\n1042,The street light is out.\n",
        encoding="utf-8",
    )
    for result in analysed_and_redacted(path):
        assert result.exit_code == 0, result.output
        warning = (
            "Line 2: its text holds 2 lines laid out like rows of their own (the first, line 3)"
        )
        assert warning in result.stderr
        out = lines_out(result)
        assert set(out) == {"1041", "1044"}
        assert warning in out["1041"]["warnings"][0]
        assert "warnings" not in out["1044"] or out["1044"]["warnings"] == []
    for result in analysed_and_redacted(notes):
        assert "laid out like rows" not in result.stderr


def test_rows_run_together_are_found_whatever_the_ids_are_written_as(tmp_path):
    """Ids from a web form or a mailbox have no digits, and counting up changes an id's
    length ("ABC-9", "ABC-10"): the rows a quote ran together are found all the same."""
    for first, second, third, fourth in [
        ("ABC-9", "ABC-10", "ABC-11", "ABC-12"),
        ("web-form-xyz", "web-form-abc", "web-form-def", "web-form-ghi"),
        ("joan@example.com", "sue.bell@example.org", "tom@example.net", "ann@example.co.uk"),
    ]:
        path = tmp_path / "export.csv"
        path.write_text(
            "id,text\n"
            f'{first},"The damp is back in the bedroom.\n'
            f"{second},The bins were not collected again.\n"
            f'{third},"My rent went up"\n'
            f"{fourth},The street light is out.\n",
            encoding="utf-8",
        )
        result = run(redact, "--input", path, "--silent")
        assert "Line 2: its text holds 2 lines laid out like rows" in result.stderr, first


def test_a_note_naming_an_email_address_is_not_taken_for_a_row(tmp_path):
    notes = tmp_path / "notes.csv"
    notes.write_text(
        'id,text\njoan@example.com,"Rang 3 March.\nsue.bell@example.org, her daughter rang back."\n'
        "tom@example.net,The street light is out.\n",
        encoding="utf-8",
    )
    result = run(redact, "--input", notes, "--silent")
    assert result.exit_code == 0, result.output
    assert "laid out like rows" not in result.stderr


def test_a_csv_of_semicolons_with_quoted_cells_and_apostrophes_is_read_as_written(tmp_path):
    path = tmp_path / "europe.csv"
    path.write_text(
        "id;subject;text\n1;'Save the library';\"Signed; can't come, sorry\"\n"
        "2;'Save the library';Signed\n",
        encoding="utf-8",
    )
    result = run(redact, "--input", path, "--silent")
    assert result.exit_code == 0, result.output
    assert lines_out(result)["1"]["text"] == "Signed; can't come, sorry"


def test_an_empty_or_repeated_id_is_warned_of_and_the_text_still_read(tmp_path):
    """Results are matched back to their messages by id; an id left empty or given twice
    (two exports joined, a copied row) cannot do that."""
    path = tmp_path / "ids.csv"
    path.write_text(
        "id,text\n"
        "web-form-a1,The damp is back in the bedroom.\n"
        ",The bins were not collected again.\n"
        "web-form-a1,My rent went up again this month.\n",
        encoding="utf-8",
    )
    for result in analysed_and_redacted(path):
        assert result.exit_code == 0, result.output
        assert "Line 3: its id is empty, so its result cannot be matched to it" in result.stderr
        assert "Line 4: its id “web-form-a1” is line 2's too" in result.stderr
        assert len(result.stdout.splitlines()) == 3
