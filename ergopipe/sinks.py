"""Publishing results to the RunPod bucket (S3-compatible) with the SDK's rp_upload; returns presigned URLs.

Used when the operator configured BUCKET_ENDPOINT_URL / BUCKET_ACCESS_KEY_ID / BUCKET_SECRET_ACCESS_KEY and the
job has no Drive destination. Results are never returned as bytes in the job output.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BucketSettings:
    endpoint_url: str
    access_key_id: str
    secret_access_key: str
    bucket_name: str | None  # None: the SDK's default (a bucket named after the month, "MM-YY")

    def __repr__(self) -> str:  # the secret must not reach a log line
        return f"BucketSettings(endpoint_url={self.endpoint_url!r}, bucket_name={self.bucket_name!r})"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "BucketSettings | None":
        keys = ("BUCKET_ENDPOINT_URL", "BUCKET_ACCESS_KEY_ID", "BUCKET_SECRET_ACCESS_KEY")
        if not all(env.get(k) for k in keys):
            return None
        return cls(env[keys[0]], env[keys[1]], env[keys[2]], env.get("BUCKET_NAME") or None)


def publish_to_bucket(files: Mapping[str, Path], *, job_id: str, bucket: BucketSettings) -> dict[str, str]:
    """Upload each output under `<job_id>/<file name>`; return {kind: presigned URL (7 days)}."""
    from runpod.serverless.utils.rp_upload import upload_file_to_bucket

    creds = {"endpointUrl": bucket.endpoint_url, "accessId": bucket.access_key_id,
             "accessSecret": bucket.secret_access_key}
    urls = {}
    for kind, path in files.items():
        urls[kind] = upload_file_to_bucket(path.name, str(path), bucket_creds=creds,
                                           bucket_name=bucket.bucket_name, prefix=job_id)
    log.info("job %s: %d files uploaded to the bucket", job_id, len(urls))
    return urls
