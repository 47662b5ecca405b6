"""An S3-compatible server on loopback (moto in server mode) and the test app pointed at it."""

import os
import uuid

import pytest

S3_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="session")
def s3_endpoint():
    """The base URL of a moto S3 server running in a thread for the whole session."""
    from moto.server import ThreadedMotoServer

    saved = {name: os.environ.get(name) for name in S3_CREDENTIALS}
    os.environ.update(S3_CREDENTIALS)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def s3_app(app, s3_endpoint):
    """The session's app storing files in a fresh bucket for one test, local again afterwards."""
    from marketplace.gateways.storage import s3_client

    bucket = f"photos-{uuid.uuid4().hex[:12]}"
    settings = {
        "STORAGE_S3_BUCKET": bucket,
        "STORAGE_S3_ENDPOINT_URL": s3_endpoint,
        "STORAGE_S3_REGION": "us-east-1",
        "STORAGE_S3_PREFIX": "",
    }
    saved = {name: app.config.get(name) for name in settings}
    app.config.update(settings)
    app.extensions.pop("storage", None)
    s3_client(app.config).create_bucket(Bucket=bucket)
    yield app
    app.config.update(saved)
    app.extensions.pop("storage", None)
