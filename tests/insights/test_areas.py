"""Importing deprivation deciles: all or nothing, with a plain message for a bad file."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from compassion.insights.models import AreaDeprivation
from tests.conftest import Cast


def upload(client: Client, content: bytes, name: str = "imd.csv") -> object:
    return client.post(
        "/insights/areas/", {"file": SimpleUploadedFile(name, content), "source": "IMD 2019"}
    )


def test_it_imports_wards_and_postcode_districts(client: Client, cast: Cast) -> None:
    client.force_login(cast.leader)
    response = upload(client, b"\xef\xbb\xbfArea,IMD Decile\r\nEastfield,1\r\nnb4 ,7\r\n\r\n")
    assert response.status_code == 302
    areas = {(a.area, a.kind, a.decile) for a in AreaDeprivation.objects.filter(office=cast.office)}
    assert areas == {("Eastfield", "ward", 1), ("NB4", "district", 7)}


def test_it_explains_a_malformed_file_and_keeps_the_old_list(client: Client, cast: Cast) -> None:
    AreaDeprivation.objects.create(office=cast.office, kind="ward", area="Old", decile=5)
    client.force_login(cast.leader)
    cases = [
        (b"name,score\nEastfield,1\n", "No area column"),
        (b"area,decile\nEastfield,one\n", "is not a whole number"),
        (b"area,decile\nEastfield,11\n", "not between 1 and 10"),
        (b'area,decile\n"=HYPERLINK(""http://x"")",2\n', "run as a formula"),
        (b"area,decile\n", "no areas in it"),
        (b"area,decile\nEastfield,1\nEastfield,3\n", "appears twice"),
        (b"\x00\xff\xfe\x00\x81", "not readable text"),
        ("area,decile\nCaf\u00e9 Quarter,2\n".encode("utf-16"), "not readable text"),
    ]
    for content, message in cases:
        response = upload(client, content)
        assert response.status_code == 200, content
        assert message in response.content.decode(), content
    assert list(AreaDeprivation.objects.values_list("area", flat=True)) == ["Old"]


def test_it_is_only_for_leaders_and_managers(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    assert upload(client, b"area,decile\nEastfield,1\n").status_code == 403
    assert not AreaDeprivation.objects.filter(area="Eastfield").exists()
