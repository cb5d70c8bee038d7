"""A local S3-compatible server (moto's, speaking S3's public REST protocol) started as a process,
for the tests of NOTULA_MEDIA_STORAGE=s3."""

import socket
import subprocess
import sys
import time

import boto3
from django.conf import settings

ACCESS_KEY, SECRET_KEY, REGION = "notula-test", "notula-test-secret", "us-east-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class S3Server:
    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> "S3Server":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the S3 server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def bucket(self, name: str) -> dict:
        """Create a bucket; the STORAGES entry Notula's settings make for it."""
        self.client().create_bucket(Bucket=name)
        storages = dict(settings.STORAGES)
        storages["default"] = settings_module().s3_storage(
            name, self.url, REGION, ACCESS_KEY, SECRET_KEY, settings.MEDIA_LINK_TTL_S
        )
        return storages

    def keys(self, bucket: str) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))


def settings_module():
    from config import settings as module

    return module
