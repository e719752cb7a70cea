"""The RunPod bucket sink through the SDK's rp_upload and real boto3 HTTP, against moto's S3 server on loopback."""

import socket
from pathlib import Path

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer

import handler
from ergopipe.config import Settings

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3_url():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def test_results_go_to_the_bucket_as_presigned_urls(s3_url, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    s3 = boto3.client("s3", endpoint_url=s3_url, aws_access_key_id="AKIDTEST", aws_secret_access_key="SECRETTEST",
                      region_name="us-east-1")
    s3.create_bucket(Bucket="ergo-results")
    env = {"RUNPOD_WEBHOOK_GET_JOB": "http://127.0.0.1:9/x", "ALLOWED_VIDEO_ROOT": str(ROOT / "data"),
           "BUCKET_ENDPOINT_URL": s3_url, "BUCKET_ACCESS_KEY_ID": "AKIDTEST",
           "BUCKET_SECRET_ACCESS_KEY": "SECRETTEST", "BUCKET_NAME": "ergo-results"}
    result = handler.Worker(Settings.from_env(env))(
        {"id": "b1", "input": {"video_path": "pose2sim/cam01.mp4", "analysis_fps": 10, "annotated_video": False}})
    assert result.get("status") == "success", result
    assert "SECRETTEST" not in repr(Settings.from_env(env))
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="ergo-results")["Contents"]}
    assert "b1/cam01_ergonomics.xlsx" in keys and "b1/cam01_frames.csv" in keys
    csv = requests.get(result["outputs"]["csv"], timeout=10)
    assert csv.status_code == 200 and csv.text.startswith("frame,time_s,detected,")
