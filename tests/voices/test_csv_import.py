"""CSV import: column mapping, preview, dry run, and formulas that never survive to exports."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from compassion.voices.csv_import import neutralise, read_table
from compassion.voices.models import Channel, Voice
from tests.conftest import Cast

CSV = (
    "Constituent,E-mail,Postcode,Notes,Date\r\n"
    "Joan Smith,joan@example.com,NB1 2AB,Housing benefit stopped,02/11/2026\r\n"
    '"Evil, Eve",eve@example.org,NB2 1AA,"=HYPERLINK(""http://evil.example"",""click"")",'
    "2026-10-01\r\n"
    ",,,,\r\n"
    "Caf\xe9 Owner,cafe@example.org,NB1 3CD,Licensing question,not a date\r\n"
).encode("cp1252")


def upload(client: Client) -> str:
    response = client.post(
        "/inbox/import/",
        {"file": SimpleUploadedFile("old-system.csv", CSV, "text/csv"), "channel": "letter"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_it_previews_guesses_columns_and_dry_runs_without_storing(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.caseworker)
    mapping_url = upload(client)
    page = client.get(mapping_url).content.decode()
    assert '<option value="E-mail" selected>' in page
    assert "&#x27;=HYPERLINK" in page
    dry = client.post(
        mapping_url,
        {
            "action": "dry",
            "map_name": "Constituent",
            "map_email": "E-mail",
            "map_postcode": "Postcode",
            "map_body": "Notes",
            "map_received": "Date",
        },
    )
    text = dry.content.decode()
    assert "Would import 3, duplicates 0, rows with problems 0" in text
    assert Voice.objects.count() == 0


def test_it_imports_with_formulas_made_safe_and_encodings_read(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    mapping_url = upload(client)
    fields = {
        "map_name": "Constituent",
        "map_email": "E-mail",
        "map_postcode": "Postcode",
        "map_body": "Notes",
        "map_received": "Date",
    }
    response = client.post(mapping_url, {"action": "import", **fields}, follow=True)
    assert "Imported 3, duplicates 0." in response.content.decode()
    eve = Voice.objects.get(sender_email="eve@example.org")
    assert eve.body.startswith("'=HYPERLINK(")
    assert "formula" in eve.notes
    assert eve.channel == Channel.LETTER
    assert Voice.objects.get(sender_email="joan@example.com").person == cast.person
    cafe = Voice.objects.get(sender_email="cafe@example.org")
    assert cafe.sender_name == "Café Owner"
    assert "could not be read" in cafe.notes


def test_it_neutralises_formulas_but_not_phone_numbers() -> None:
    assert neutralise("=1+1") == ("'=1+1", True)
    assert neutralise("@SUM(A1)") == ("'@SUM(A1)", True)
    assert neutralise("-2+3+cmd|' /C calc'!A0")[1]
    assert neutralise("+44 7700 900123") == ("+44 7700 900123", False)
    assert neutralise("Hello") == ("Hello", False)


def test_it_explains_a_file_that_is_not_csv(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    response = client.post(
        "/inbox/import/",
        {"file": SimpleUploadedFile("x.csv", b"just one line", "text/csv"), "channel": "letter"},
    )
    assert "cannot be read as CSV" in response.content.decode()


def test_it_keeps_imports_to_the_office_that_uploaded(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    mapping_url = upload(client)
    client.force_login(cast.outsider)
    assert client.get(mapping_url).status_code == 404


LETTERS = (
    b"Name,Postcode,Letter,Date\r\n"
    b"Joan Smith,NB1 2AB,Save the Northby library: please vote against closure.,02/11/2026\r\n"
    b"Ann Lee,NB1 3CD,Save the Northby library: please vote against closure.,02/11/2026\r\n"
    b"Raj Patel,NB2 1AA,Save the Northby library: please vote against closure.,02/11/2026\r\n"
)


def upload_file(client: Client, data: bytes) -> str:
    """Upload a CSV file; the address of its page for matching the columns."""
    response = client.post(
        "/inbox/import/",
        {"file": SimpleUploadedFile("letters.csv", data, "text/csv"), "channel": "letter"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def import_file(client: Client, data: bytes, fields: dict[str, str]) -> str:
    done = client.post(upload_file(client, data), {"action": "import", **fields}, follow=True)
    return done.content.decode()


def test_it_keeps_the_same_letter_from_different_people_without_email(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.caseworker)
    fields = {"map_name": "Name", "map_postcode": "Postcode", "map_body": "Letter"}
    page = import_file(client, LETTERS, {**fields, "map_received": "Date"})
    assert "Imported 3, duplicates 0." in page
    assert sorted(Voice.objects.values_list("sender_name", flat=True)) == [
        "Ann Lee",
        "Joan Smith",
        "Raj Patel",
    ]


def test_it_imports_a_file_without_dates_only_once(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    fields = {"map_name": "Name", "map_postcode": "Postcode", "map_body": "Letter"}
    assert "Imported 3, duplicates 0." in import_file(client, LETTERS, fields)
    assert "Imported 0, duplicates 3." in import_file(client, LETTERS, fields)
    assert Voice.objects.count() == 3


def test_it_reads_dates_as_excel_writes_them_and_warns_of_the_rest_in_the_dry_run(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.caseworker)
    data = (
        b"Name,Email,Notes,Date\r\n"
        b"Joan Smith,joan@example.com,Damp,15/03/2026 09:30:00\r\n"
        b"Ann Lee,ann@example.com,Bins,15/03/26\r\n"
        b"Raj Patel,raj@example.com,Potholes,2026-03-15T09:30:00\r\n"
        b"Sue Bell,sue@example.com,Parking,15 March 2026\r\n"
        b"Tom Ford,tom@example.com,Noise,3/15/2026\r\n"
    )
    response = client.post(
        "/inbox/import/",
        {"file": SimpleUploadedFile("export.csv", data, "text/csv"), "channel": "letter"},
    )
    fields = {"map_name": "Name", "map_email": "Email", "map_body": "Notes", "map_received": "Date"}
    dry = client.post(response["Location"], {"action": "dry", **fields}).content.decode()
    assert "1 date could not be read" in dry
    assert "Row 6: “3/15/2026”" in dry
    client.post(response["Location"], {"action": "import", **fields})
    days = {v.sender_name: v.received_at.date().isoformat() for v in Voice.objects.all()}
    assert {name: days[name] for name in ["Joan Smith", "Ann Lee", "Raj Patel", "Sue Bell"]} == {
        "Joan Smith": "2026-03-15",
        "Ann Lee": "2026-03-15",
        "Raj Patel": "2026-03-15",
        "Sue Bell": "2026-03-15",
    }


def test_it_says_plainly_when_a_spreadsheet_is_not_saved_as_csv(client: Client, cast: Cast) -> None:
    workbook = Workbook()
    workbook.active.append(["Name", "Email", "Notes"])
    workbook.active.append(["Joan Smith", "joan@example.com", "Damp"])
    saved = io.BytesIO()
    workbook.save(saved)
    client.force_login(cast.caseworker)
    response = client.post(
        "/inbox/import/",
        {
            "file": SimpleUploadedFile("cases.csv", saved.getvalue(), "text/csv"),
            "channel": "letter",
        },
    )
    page = response.content.decode()
    assert "Excel workbook" in page and "CSV UTF-8" in page
    assert "universal-newline" not in page


def test_it_refuses_a_file_that_is_not_text_whatever_its_name(client: Client, cast: Cast) -> None:
    """Random bytes named .csv were taken, and the next page offered garbage as columns."""
    import random

    rng = random.Random(4)
    junk = bytes(rng.randrange(256) for _ in range(5000))
    client.force_login(cast.caseworker)
    response = client.post(
        "/inbox/import/",
        {"file": SimpleUploadedFile("photo.csv", junk, "text/csv"), "channel": "letter"},
    )
    assert response.status_code == 200
    assert "it is not text: it may be a picture, a PDF" in response.content.decode()


def test_it_reads_unicode_text_long_notes_nul_characters_and_old_mac_lines(
    client: Client, cast: Cast
) -> None:
    notes = "My landlord " + "has not repaired the roof. " * 8000
    unicode_text = f'Name\tEmail\tNotes\r\nJoan Smith\tjoan@example.com\t"{notes}"\r\n'
    nul = b"Name,Email,Notes\r\nAnn Lee,ann@example.com,Bins\x00 not collected\r\n"
    old_mac = b"Name,Email,Notes\rSue Bell,sue@example.com,Parking\r"
    client.force_login(cast.caseworker)
    fields = {"map_name": "Name", "map_email": "Email", "map_body": "Notes"}
    assert "Imported 1," in import_file(client, unicode_text.encode("utf-16"), fields)
    assert "Imported 1," in import_file(client, nul, fields)
    assert "Imported 1," in import_file(client, old_mac, fields)
    assert Voice.objects.get(sender_email="joan@example.com").body == notes.strip()
    assert Voice.objects.get(sender_email="ann@example.com").body == "Bins not collected"


def test_it_refuses_a_file_whose_quote_is_never_closed(client: Client, cast: Cast) -> None:
    broken = (
        b"Name,Email,Notes\r\n"
        b'Ann Lee,ann@example.com,"The damp is back\r\n'
        b"Sue Bell,sue@example.com,Parking\r\n"
        b"Tom Ray,tom@example.com,Bins\r\n"
    )
    client.force_login(cast.caseworker)
    response = client.post(
        "/inbox/import/",
        {"file": SimpleUploadedFile("x.csv", broken, "text/csv"), "channel": "letter"},
    )
    page = response.content.decode()
    assert "a quote opened on line 2 is never closed" in page
    assert not Voice.objects.filter(sender_email__in=["ann@example.com", "sue@example.com"])


def test_it_warns_of_rows_run_together_by_a_quote_closed_in_a_later_row(
    client: Client, cast: Cast
) -> None:
    joined = (
        b"Name,Email,Postcode,Notes\r\n"
        b'Ann Lee,ann@example.com,NB1 2AB,"The damp is back\r\n'
        b"Sue Bell,sue@example.com,NB1 3CD,Parking\r\n"
        b'Tom Ray,tom@example.com,NB2 1AA,"Bins"\r\n'
        b"Joan Smith,joan@example.com,NB1 4EF,Roof\r\n"
    )
    notes_over_lines = (
        b"Name,Email,Postcode,Notes\r\n"
        b'Ann Lee,ann@example.com,NB1 2AB,"Rang 3 March, no answer.\r\n'
        b'Rang 4 March, spoke to her, sending form, will chase."\r\n'
        b"Joan Smith,joan@example.com,NB1 4EF,Roof\r\n"
    )
    client.force_login(cast.caseworker)
    page = client.get(upload_file(client, joined)).content.decode()
    assert "Some rows may have run together" in page
    assert "Row 2 holds 2 lines laid out like rows of their own" in page
    assert "Sue Bell,sue@example.com" in page
    page = client.get(upload_file(client, notes_over_lines)).content.decode()
    assert "Some rows may have run together" not in page


def test_the_warning_of_joined_rows_reads_every_column_written_one_way() -> None:
    names_of_many_shapes = (
        b"Name,Email,Postcode,Notes\r\n"
        b'Mary Ann Smith,mary@example.com,NB1 2AB,"Damp again\r\n'
        b"Jo O'Neil,jo@example.com,NB1 3CD,Parking\r\n"
        b'Tom Ray,tom@example.com,NB2 1AA,"Bins"\r\n'
        b"Li,li@example.com,NB1 4EF,Roof\r\n"
        b"Anne-Marie Lee Jones,anne@example.com,NB2 2BB,Fence\r\n"
    )
    note_with_commas = (
        b"Name,Email,Postcode,Notes\r\n"
        b'Joan Smith,joan@example.com,NB1 2AB,"Rang her.\r\n'
        b'Emailed Council, awaiting reply, Friday"\r\n'
        b"Sue Bell,sue@example.com,NB1 3CD,Parking\r\n"
        b"Tom Ray,tom@example.com,NB2 1AA,Bins\r\n"
    )
    empty_first_column = (
        b",Name,Postcode,Notes\r\n"
        b',Joan Smith,NB1 2AB,"Rang her.\r\n,, called back"\r\n'
        b",Sue Bell,NB1 3CD,Parking\r\n"
        b",Tom Ray,NB2 1AA,Bins\r\n"
    )
    assert read_table(names_of_many_shapes).joined[0].startswith("Row 2 holds 2 lines")
    assert read_table(note_with_commas).joined == []
    assert read_table(empty_first_column).joined == []


def test_a_dated_log_in_the_notes_is_not_taken_for_rows_run_together() -> None:
    """A caseworker's log writes a date, a comma and words, as a row of a file with a date
    column first would be; but in prose a comma is followed by a space, between the cells
    of an exported file it is not."""
    dated_log = (
        b"Date,Name,Caseworker,Notes\r\n"
        b'12/03/2026,Joan Smith,Sam Green,"12/03/2026, rang, no answer\r\n'
        b'14/03/2026, emailed Council, Housing Team, awaiting reply"\r\n'
        b"13/03/2026,Ann Lee,Sam Green,Bins not collected\r\n"
        b"13/03/2026,Raj Patel,Jo Bloggs,Parking on the verge\r\n"
    )
    log_then_quote_left_open = (
        b"Date,Name,Caseworker,Notes\r\n"
        b'12/03/2026,Joan Smith,Sam Green,"12/03/2026, rang, no answer\r\n'
        b"13/03/2026,Ann Lee,Sam Green,Bins not collected\r\n"
        b'13/03/2026,Raj Patel,Jo Bloggs,"Parking on the verge"\r\n'
        b"14/03/2026,Sue Bell,Jo Bloggs,The fence is down\r\n"
    )
    assert read_table(dated_log).joined == []
    assert read_table(log_then_quote_left_open).joined[0].startswith("Row 2 holds 2 lines")


def test_it_warns_when_a_quote_left_open_ran_every_row_into_one(client: Client, cast: Cast) -> None:
    """The rows after a quote left open in the first row, up to the next quote (here an
    inch sign in the last row), go into its cell: the file reads as one row, which is when
    the warning matters most."""
    all_in_one = (
        b"Name,Email,Postcode,Notes\r\n"
        b'Ann Lee,ann@example.com,NB1 2AB,"The damp is back\r\n'
        b"Sue Bell,sue@example.com,NB1 3CD,Parking on the verge\r\n"
        b'Tom Ray,tom@example.com,NB2 1AA,The 12" pipe is leaking\r\n'
    )
    one_letter = (
        b"Name,Email,Postcode,Notes\r\n"
        b'Ann Lee,ann@example.com,NB1 2AB,"The damp is back.\r\nRang 3 March, no answer."\r\n'
    )
    client.force_login(cast.caseworker)
    page = client.get(upload_file(client, all_in_one)).content.decode()
    assert "1 row." in page
    assert "Row 2 holds 2 lines laid out like rows of their own" in page
    page = client.get(upload_file(client, one_letter)).content.decode()
    assert "1 row." in page
    assert "Some rows may have run together" not in page


def test_it_reads_excel_exports_from_europe_and_apostrophes_as_written(
    client: Client, cast: Cast
) -> None:
    """Excel where a comma is the decimal mark separates cells with semicolons and quotes a
    cell holding one or a line break; an apostrophe is never a quote ("O'Neil", "can't")."""
    semicolons = (
        "Name;Email;Notes;Date\r\n"
        'Joan Smith;joan@example.com;"Owes £250,50; rang twice.\r\nLeft voicemail.";02/11/2026\r\n'
        "Ann Lee;ann@example.com;Bins, again;03/11/2026\r\n"
    ).encode("cp1252")
    short_semicolons = (
        'Name;Email;Notes\r\nSue Bell;sue@example.com;"Rang; no answer"\r\n'
        "Tom Ray;tom@example.com;Parking\r\n"
    ).encode("cp1252")
    apostrophes = (
        "Name,Email,Subject,Notes\r\n"
        "Jo O'Neil,jo@example.com,'Save Northby library',\"Signed, can't come on Friday\"\r\n"
        "Ann Lee,ann@example.com,'Save Northby library',Signed\r\n"
    ).encode("cp1252")
    client.force_login(cast.caseworker)
    fields = {"map_name": "Name", "map_email": "Email", "map_body": "Notes"}
    assert "Imported 2," in import_file(client, semicolons, {**fields, "map_received": "Date"})
    joan = Voice.objects.get(sender_email="joan@example.com")
    assert joan.body == "Owes £250,50; rang twice.\nLeft voicemail."
    assert joan.received_at.date().isoformat() == "2026-11-02"
    assert "Imported 2," in import_file(client, short_semicolons, fields)
    assert Voice.objects.get(sender_email="sue@example.com").body == "Rang; no answer"
    assert "Imported 2," in import_file(client, apostrophes, {**fields, "map_subject": "Subject"})
    jo = Voice.objects.get(sender_email="jo@example.com")
    assert (jo.subject, jo.body) == ("'Save Northby library'", "Signed, can't come on Friday")


def test_it_takes_the_postcode_and_address_out_of_cells_that_hold_more(
    client: Client, cast: Cast
) -> None:
    """Another system's export puts a whole address in the postcode column, or two
    addresses in the email one; a voice keeps what fits (a postcode is ten characters in
    the database: PostgreSQL refuses a longer one, which stopped the whole import) and notes
    the rest."""
    data = (
        b"Name,Email,Postcode,Notes\r\n"
        b'Joan Smith,"joan@example.com; j.smith@work.example",'
        b'"Flat 3, 12 High Street, Northby NB1 2AB",Damp\r\n'
        b"Ann Lee,ann at example dot com,not known - ask,Bins\r\n"
        b"Raj Patel,raj@example.com,nb2 1aa,Parking\r\n"
    )
    client.force_login(cast.caseworker)
    fields = {"map_name": "Name", "map_email": "Email", "map_postcode": "Postcode"}
    assert "Imported 3," in import_file(client, data, {**fields, "map_body": "Notes"})
    joan = Voice.objects.get(sender_name="Joan Smith")
    assert (joan.sender_email, joan.postcode) == ("joan@example.com", "NB1 2AB")
    assert "j.smith@work.example" in joan.notes and "High Street" in joan.notes
    ann = Voice.objects.get(sender_name="Ann Lee")
    assert (ann.sender_email, ann.postcode) == ("", "")
    assert "ann at example dot com" in ann.notes and "not known - ask" in ann.notes
    raj = Voice.objects.get(sender_name="Raj Patel")
    assert (raj.sender_email, raj.postcode, raj.notes) == ("raj@example.com", "NB2 1AA", "")


def test_it_keeps_the_phone_number_of_the_column_matched_as_phone(
    client: Client, cast: Cast
) -> None:
    data = (
        b"Name,Email,Telephone,Notes\r\n"
        b"Ann Lee,ann@example.com,07700 900123,Bins\r\n"
        b"Raj Patel,raj@example.com,,Parking\r\n"
    )
    client.force_login(cast.caseworker)
    page = client.get(upload_file(client, data)).content.decode()
    assert '<option value="Telephone" selected>' in page
    fields = {"map_name": "Name", "map_email": "Email", "map_phone": "Telephone"}
    assert "Imported 2," in import_file(client, data, {**fields, "map_body": "Notes"})
    phones = {v.sender_name: v.person.phone for v in Voice.objects.select_related("person")}
    assert phones == {"Ann Lee": "07700 900123", "Raj Patel": ""}


def test_it_reads_a_bom_windows_1252_blank_columns_and_blank_lines_at_the_end(
    client: Client, cast: Cast
) -> None:
    with_bom = (
        "\ufeffName,Email,Notes,,,\r\n"
        "Joan Smith,joan@example.com,“Owes £250” – she’s worried,,,\r\n"
        ",,,,,\r\n\r\n\r\n"
    ).encode("utf-8")
    windows = (
        "Name,Email,Notes,,\r\nAnn Lee,ann@example.com,“Owes £40” – can’t pay,,\r\n\r\n"
    ).encode("cp1252")
    client.force_login(cast.caseworker)
    page = client.get(upload_file(client, with_bom)).content.decode()
    assert "Column 4" not in page
    assert '<option value="Name" selected>' in page
    fields = {"map_name": "Name", "map_email": "Email", "map_body": "Notes"}
    assert "Imported 1, duplicates 0." in import_file(client, with_bom, fields)
    assert "Imported 1, duplicates 0." in import_file(client, windows, fields)
    bodies = dict(Voice.objects.values_list("sender_name", "body"))
    assert bodies == {
        "Joan Smith": "“Owes £250” – she’s worried",
        "Ann Lee": "“Owes £40” – can’t pay",
    }


def test_rows_run_together_are_found_in_a_file_with_blank_columns_at_the_end() -> None:
    joined = (
        b"Name,Email,Postcode,Notes,,\r\n"
        b'Ann Lee,ann@example.com,NB1 2AB,"The damp is back,,\r\n'
        b"Sue Bell,sue@example.com,NB1 3CD,Parking,,\r\n"
        b'Tom Ray,tom@example.com,NB2 1AA,"Bins",,\r\n'
        b"Joan Smith,joan@example.com,NB1 4EF,Roof,,\r\n"
    )
    table = read_table(joined)
    assert table.columns == ["Name", "Email", "Postcode", "Notes"]
    assert table.joined[0].startswith("Row 2 holds 1 line laid out like rows")


def test_the_dry_run_says_what_each_row_not_imported_lacks(client: Client, cast: Cast) -> None:
    data = (
        b"Name,Email,Notes\r\n"
        b"Joan Smith,joan@example.com,Damp\r\n"
        b"Ann Lee,ann@example.com,\r\n"
        b",,Parking on the verge\r\n"
    )
    client.force_login(cast.caseworker)
    fields = {"map_name": "Name", "map_email": "Email", "map_body": "Notes"}
    dry = client.post(upload_file(client, data), {"action": "dry", **fields}).content.decode()
    assert "Would import 1, duplicates 0, rows with problems 2" in dry
    assert "Row 3: the message (Notes) is empty." in dry
    assert "Row 4: no name or email, so no one to reply to." in dry


def test_columns_of_the_same_name_can_each_be_matched(client: Client, cast: Cast) -> None:
    data = (
        b"Name,Email,Notes,Notes\r\n"
        b"Joan Smith,joan@example.com,Rang 3 March,The damp is back in the bedroom\r\n"
    )
    assert read_table(data).columns == ["Name", "Email", "Notes", "Notes (2)"]
    client.force_login(cast.caseworker)
    fields = {"map_name": "Name", "map_email": "Email", "map_body": "Notes (2)"}
    assert "Imported 1," in import_file(client, data, fields)
    assert Voice.objects.get().body == "The damp is back in the bedroom"


def test_one_row_not_imported_is_one_row(client: Client, cast: Cast) -> None:
    """It read '1 rows were not imported'."""
    data = b"Name,Email,Notes\r\nJoan Smith,joan@example.com,Damp\r\nAnn Lee,ann@example.com,\r\n"
    client.force_login(cast.caseworker)
    fields = {"map_name": "Name", "map_email": "Email", "map_body": "Notes"}
    page = import_file(client, data, fields)
    assert "1 row was not imported: Row 3: the message (Notes) is empty." in page


def test_a_spreadsheet_uploaded_but_never_imported_is_deleted_a_day_later(
    client: Client, cast: Cast
) -> None:
    """It held people's details that no record, retention rule or erasure would find."""
    import os
    import time

    from click.testing import CliRunner
    from django.core.files.storage import default_storage

    from compassion.cases.cli import retention

    folder = f"imports/{cast.office.pk}"
    client.force_login(cast.caseworker)
    upload(client)
    [left] = default_storage.listdir(folder)[1]
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(default_storage.path(f"{folder}/{left}"), (two_days_ago, two_days_ago))
    upload(client)  # a new upload clears the office's abandoned ones, and keeps its own
    assert left not in default_storage.listdir(folder)[1]
    [fresh] = default_storage.listdir(folder)[1]

    os.utime(default_storage.path(f"{folder}/{fresh}"), (two_days_ago, two_days_ago))
    result = CliRunner().invoke(retention, ["--apply"])
    assert "1 spreadsheet(s) uploaded over a day ago and never imported are deleted" in (
        result.output
    )
    assert default_storage.listdir(folder)[1] == []
