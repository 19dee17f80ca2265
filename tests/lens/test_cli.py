"""The analyse, coach, redact and lens train commands, run through click's CliRunner."""

import json
import mailbox
from email.message import EmailMessage

import pytest
from click.testing import CliRunner

from compassion.lens.cli import analyse, coach, commands, lens, redact


def run(command, *args, stdin=None):
    return CliRunner().invoke(command, [*map(str, args)], input=stdin)


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def messy_file(tmp_path):
    path = tmp_path / "messages.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "The bailiffs come on Friday and we have nowhere to go."}),
        json.dumps({"id": "b", "text": ""}),
        "this line is not json",
        json.dumps({"id": "d", "text": "\x00\x01\x02\x03\x04\x05 binary"}),
        json.dumps({"id": "e", "text": "word " * 210_000}),
        json.dumps({"id": "f", "text": "Thank you for fixing the street lights!"}),
    ]
    data = "\n".join(lines).encode() + b'\n{"id": "c", "text": "caf\xe9"}\n'
    path.write_bytes(data)
    return path


def test_it_exposes_the_commands_for_the_main_group():
    assert [c.name for c in commands] == ["analyse", "coach", "redact", "lens"]
    assert "train" in lens.commands


def test_it_analyses_good_lines_and_reports_each_bad_one(messy_file, tmp_path):
    output = tmp_path / "out.jsonl"
    result = run(analyse, "--input", messy_file, "--output", output, "--silent")
    assert result.exit_code == 0, result.output
    rows = read_jsonl(output)
    assert [row["id"] for row in rows] == ["a", "b", None, "d", "e", "f", None]
    good = {row["id"]: row for row in rows if "error" not in row}
    assert set(good) == {"a", "e", "f"}
    assert {f["kind"] for f in good["a"]["flags"]} >= {"eviction", "deadline"}
    assert good["e"]["warnings"]
    errors = {row["line"]: row["error"] for row in rows if "error" in row}
    assert "empty" in errors[2] and "JSON" in errors[3] and "binary" in errors[4]
    assert "UTF-8" in errors[7]
    assert "Line 3: it is not valid JSON." in result.stderr


def test_it_fails_only_when_nothing_could_be_read(tmp_path):
    path = tmp_path / "junk.jsonl"
    path.write_bytes(b"\xff\xfe\x00junk\nnot json either\n")
    result = run(analyse, "--input", path, "--silent")
    assert result.exit_code == 1
    assert "Nothing could be read" in result.output


def test_it_marks_campaign_members_and_their_own_lines(tmp_path):
    template = (
        "I urge you to oppose the closure of the maternity unit. Mothers would travel forty "
        "miles in labour. Please vote against the plans."
    )
    rows = [{"id": f"m{i}", "text": f"{template} Signed, resident {i}."} for i in range(5)]
    rows.append({"id": "x", "text": "The potholes on Mill Road are dangerous."})
    path = tmp_path / "campaign.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    result = run(analyse, "--input", path, "--silent", "--jobs", "2")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    campaigns = {row["id"]: row["campaign"] for row in out}
    assert {campaigns[f"m{i}"] for i in range(5)} == {"m0"}
    assert campaigns["x"] is None
    assert out[1]["personal_lines"] == ["Signed, resident 1."]


def test_with_redact_no_personal_data_is_left_in_evidence_explanations_or_added_lines(
    tmp_path,
):
    """--redact makes output to share: the quoted evidence, the explaining terms and what a
    sender added to a campaign letter are quoted from the text, so they are redacted too."""
    template = (
        "I urge you to oppose the closure of the maternity unit. Mothers would travel forty "
        "miles in labour. Please vote against the plans."
    )
    rows = [{"id": f"m{i}", "text": f"{template} Signed, resident {i}."} for i in range(4)]
    rows[0]["text"] += " My daughter Priya Patel was born there. Call me on 07700 900123."
    abuse = (
        "My husband John Smith hit me again last night and I am scared. "
        "Call me on 07700 900124. Jane Doe, 12 Mill Lane NB1 2AB"
    )
    rows.append({"id": "x", "text": abuse})
    path = tmp_path / "messages.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    result = run(analyse, "--input", path, "--silent", "--redact")
    assert result.exit_code == 0, result.output
    out = {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}
    shared = result.stdout.lower()
    for personal in ("john", "smith", "jane", "doe", "07700", "mill lane", "nb1", "priya"):
        assert personal not in shared, personal
    assert out["x"]["flags"][0]["evidence"] == "husband [NAME] hit me"
    assert out["x"]["top_features"]["risk_to_life"]  # the other terms are still there
    assert "[PHONE]" in " ".join(out["m0"]["personal_lines"])

    plain = run(analyse, "--input", path, "--silent")
    assert "John Smith" in plain.stdout  # without --redact, evidence is quoted as written


def test_it_names_a_campaign_after_its_first_member_when_bad_lines_come_before(tmp_path):
    template = (
        "I urge you to oppose the closure of the maternity unit. Mothers would travel forty "
        "miles in labour. Please vote against the plans."
    )
    rows = [
        json.dumps({"id": f"m{i}", "text": f"{template} Signed, resident {i}."}) for i in range(4)
    ]
    path = tmp_path / "campaign.jsonl"
    path.write_text("\n".join(["this line is not json", *rows]))
    result = run(analyse, "--input", path, "--silent")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row.get("campaign") for row in out] == [None, "m0", "m0", "m0", "m0"]


def test_it_reads_csv_eml_and_mbox(tmp_path):
    csv_path = tmp_path / "messages.csv"
    csv_path.write_text('id,text\n1,"My universal credit was stopped, please help"\n2,\n')
    result = run(analyse, "--input", csv_path, "--silent", "--no-campaigns")
    assert result.exit_code == 0
    assert '"id": "1"' in result.stdout and "Line 3: the 'text' field is empty." in result.stderr

    message = EmailMessage()
    message["Subject"] = "Eviction"
    message["Message-ID"] = "<abc@example.com>"
    message.set_content("We have a possession hearing tomorrow and no solicitor.")
    eml = tmp_path / "letter.eml"
    eml.write_bytes(bytes(message))
    result = run(analyse, "--input", eml, "--silent")
    row = json.loads(result.stdout.splitlines()[0])
    assert row["id"] == "<abc@example.com>"
    assert "deadline" in {flag["kind"] for flag in row["flags"]}

    box = mailbox.mbox(tmp_path / "inbox.mbox")
    box.add(message)
    box.add(message)
    box.flush()
    result = run(analyse, "--input", tmp_path / "inbox.mbox", "--silent")
    assert len(result.stdout.splitlines()) == 2


def test_it_coaches_replies(tmp_path):
    path = tmp_path / "drafts.jsonl"
    path.write_text(
        json.dumps({"id": 1, "message": "I have no food and the meter ran out.", "reply": "Noted."})
        + "\n"
        + json.dumps({"id": 2, "message": "hi"})
        + "\n"
    )
    result = run(coach, "--input", path, "--silent")
    assert result.exit_code == 0
    first = json.loads(result.stdout.splitlines()[0])
    assert first["id"] == "1" and first["helping"] == 0 and first["suggestions"]
    assert "'reply' field is missing" in result.stderr


def test_it_redacts_standard_input_and_files(tmp_path):
    result = run(redact, stdin="Call Sarah Jones on 07911 123456.")
    assert result.stdout == "Call [NAME] on [PHONE]."
    path = tmp_path / "quotes.jsonl"
    path.write_text(json.dumps({"id": "q", "text": "Email me: ann@example.com"}) + "\n")
    result = run(redact, "--input", path, "--silent")
    row = json.loads(result.stdout)
    assert row == {"id": "q", "text": "Email me: [EMAIL]", "removed": ["EMAIL"]}


def test_it_refuses_to_train_without_data(tmp_path):
    result = run(lens, "train", "--data", tmp_path / "missing")
    assert result.exit_code == 1
    assert "There is no data folder" in result.output


def test_it_reads_files_saved_with_a_byte_order_mark_or_semicolons(tmp_path):
    notepad = tmp_path / "notepad.jsonl"
    notepad.write_bytes('{"id": "n", "text": "I cannot cope, please help"}\n'.encode("utf-8-sig"))
    excel = tmp_path / "excel.csv"
    excel.write_bytes("text,id\r\nMy rent has gone up again,x\r\n".encode("utf-8-sig"))
    european = tmp_path / "european.csv"
    european.write_bytes(b"id;text\r\ns;Our street floods, every winter\r\n")
    for path, identifier in [(notepad, "n"), (excel, "x"), (european, "s")]:
        result = run(analyse, "--input", path, "--silent", "--no-campaigns")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["id"] == identifier


def test_it_reads_only_the_words_of_an_html_email(tmp_path):
    eml = tmp_path / "newsletter.eml"
    eml.write_bytes(
        b"From: Priya <p@example.com>\nSubject: School place\nMIME-Version: 1.0\n"
        b"Content-Type: text/html; charset=utf-8\n\n"
        b"<html><head><style>p { color: red }</style><script>var tracking = 1;</script>"
        b"</head><body><p>My son&#39;s place was refused &amp; we are desperate.</p>"
        b"</body></html>\n"
    )
    result = run(redact, "--input", eml, "--silent")
    text = json.loads(result.stdout)["text"]
    assert "My son's place was refused & we are desperate." in text
    assert "color" not in text and "tracking" not in text


def test_it_says_plainly_when_standard_input_is_not_utf8():
    result = run(redact, stdin=b"Call Sarah Jones, caf\xe9 owner, on 07911 123456.")
    assert result.exit_code == 1
    assert "not valid UTF-8" in result.output
    assert "Traceback" not in result.output
