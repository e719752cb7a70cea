"""DriveClient and transfer helpers directly against the fake: paging, empty files, multipart, moves."""

from __future__ import annotations

import io

import pytest
from googleapiclient.http import MediaIoBaseUpload

from drive.auth import TokenStore
from drive.client import FOLDER_MIME, DriveClient
from drive.errors import DriveNotFound
from drive.results import publish
from drive.transfer import download, upload


@pytest.fixture
def client(settings, backoff):
    drive_client = DriveClient.connect(settings, TokenStore.from_settings(settings).load(), backoff)
    yield drive_client
    drive_client.close()


def test_search_follows_pages(fake, tree, client):
    for i in range(230):
        fake.add(f"f{i}.csv", [tree["completed"]], mime="text/csv", content=b"x", appProperties={"t": "1"})
    fake.add("other.csv", [tree["completed"]], mime="text/csv", content=b"x", appProperties={"t": "2"})
    assert len(client.find(tree["completed"], {"t": "1"})) == 230
    assert sum(1 for _, path in fake.requests if path.startswith("/drive/v3/files?")) == 3


def test_empty_file_round_trip_and_reuse(fake, tree, client, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    first = publish(
        client,
        empty,
        parent=tree["completed"],
        name="empty.csv",
        props={"k": "v", "j": "1"},
        match={"k": "v"},
    )
    assert fake.content[first["id"]] == b"" and first["size"] == "0"
    again = publish(
        client,
        empty,
        parent=tree["completed"],
        name="empty.csv",
        props={"k": "v", "j": "2"},
        match={"k": "v"},
    )
    assert again["id"] == first["id"] and fake.files[first["id"]]["appProperties"]["j"] == "2"
    dest = tmp_path / "back.csv"
    assert download(client, fake.files[first["id"]], dest) == 0


def test_multipart_create_on_the_fake(fake, tree, client):
    media = MediaIoBaseUpload(io.BytesIO(b"hello"), mimetype="text/plain", resumable=False)
    meta = client.files.create(
        body={"name": "m.txt", "parents": [tree["logs"]]},
        media_body=media,
        fields="id,name,size",
        supportsAllDrives=True,
    ).execute()
    assert meta == {"id": meta["id"], "name": "m.txt", "size": "5"} and fake.content[meta["id"]] == b"hello"


def test_move_and_ensure_folder(fake, tree, client):
    file_id = fake.add("v.mp4", [tree["processing"]], mime="video/mp4", content=b"v")
    client.move(file_id, tree["archive"], {"name": "w.mp4"})
    assert fake.files[file_id]["parents"] == [tree["archive"]] and fake.files[file_id]["name"] == "w.mp4"
    a = client.ensure_folder(tree["completed"], "res", {"s": "1", "j": "a"}, match={"s": "1"})
    b = client.ensure_folder(tree["completed"], "res", {"s": "1", "j": "b"}, match={"s": "1"})
    assert a["id"] == b["id"] and a["mimeType"] == FOLDER_MIME
    with pytest.raises(DriveNotFound):
        client.get("missingFile123")


def test_upload_replace_keeps_id(fake, tree, client, tmp_path):
    path = tmp_path / "r.json"
    path.write_bytes(b"1" * 300_000)
    meta = upload(client, path, name="r.json", mime="application/json", parent=tree["completed"], props={})
    path.write_bytes(b"2" * 10)
    again = upload(
        client,
        path,
        name="r.json",
        mime="application/json",
        parent=tree["completed"],
        props={},
        replace_id=meta["id"],
    )
    assert again["id"] == meta["id"] and fake.content[meta["id"]] == b"2" * 10
