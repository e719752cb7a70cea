"""Video URL download over real HTTP on loopback: success, limits, wrong content, truncation, errors."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ergopipe.errors import InputError, VideoError
from ergopipe.sources import download_url, file_name_from_url

CLIP = Path(__file__).resolve().parents[2] / "data" / "pose2sim" / "cam01.mp4"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        body = CLIP.read_bytes()
        if self.path.startswith("/clip.mp4"):
            self._send(200, "video/mp4", body)
        elif self.path == "/page":
            self._send(200, "text/html; charset=utf-8", b"<html>watch here</html>")
        elif self.path == "/private":
            self._send(403, "text/plain", b"no")
        elif self.path == "/cut.mp4":
            self.send_response(200)
            self.send_header("Content-Type", "video/mp4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:1000])
            self.close_connection = True
        else:
            self._send(404, "text/plain", b"missing")

    def _send(self, code, ctype, body):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_download_streams_to_disk(server, tmp_path):
    path = download_url(f"{server}/clip.mp4?sig=SECRET", tmp_path, max_bytes=10_000_000)
    assert path.name == "clip.mp4" and path.read_bytes() == CLIP.read_bytes()


def test_limits_and_errors(server, tmp_path):
    with pytest.raises(VideoError, match="larger than the limit"):
        download_url(f"{server}/clip.mp4", tmp_path, max_bytes=1000)
    with pytest.raises(VideoError, match="not a video"):
        download_url(f"{server}/page", tmp_path, max_bytes=10_000)
    with pytest.raises(InputError, match="HTTP 404"):
        download_url(f"{server}/nothing.mp4", tmp_path, max_bytes=10_000)
    with pytest.raises(InputError, match="refused access"):
        download_url(f"{server}/private", tmp_path, max_bytes=10_000)
    with pytest.raises((VideoError, InputError), match="truncated|Could not download"):
        download_url(f"{server}/cut.mp4", tmp_path, max_bytes=10_000_000)


def test_unreachable_host(tmp_path):
    with pytest.raises(InputError, match="Could not download"):
        download_url("http://127.0.0.1:9/x.mp4", tmp_path, max_bytes=10)


def test_file_name_from_url():
    assert file_name_from_url("https://x.org/a/b/My%20Clip.MOV?x=1") == "My Clip.MOV"
    assert file_name_from_url("https://x.org/") == "video.mp4"
    sneaky = file_name_from_url("https://x.org/..%2F..%2Fetc%2Fpasswd")
    assert "/" not in sneaky and not sneaky.startswith(".")
