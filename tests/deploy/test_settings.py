"""Several instances must share their state: start-up refuses settings that would not."""

import pytest

from config import ProductionConfig, multi_instance_problems
from marketplace import create_app
from tests.web.test_limits_and_settings import SAFE_PRODUCTION_ENV

SHARED = {
    "TICKET_SIGNING_KEY": SAFE_PRODUCTION_ENV["TICKET_SIGNING_KEY"],
    "REDIS_URL": "redis://10.0.0.5:6379/0",
    "JOBS_URL": "redis://10.0.0.5:6379/1",
    "STORAGE_S3_BUCKET": "homestays-media",
    "DATABASE_URL": "postgresql+psycopg://app@db/marketplace",
}


def test_one_instance_needs_nothing_more():
    assert multi_instance_problems({}) == []
    assert multi_instance_problems({"INSTANCES": "1"}) == []


@pytest.mark.parametrize("switch", [{"INSTANCES": "2"}, {"MULTI_INSTANCE": "1"}])
def test_several_instances_with_everything_shared_start(switch):
    assert multi_instance_problems(SHARED | switch) == []


@pytest.mark.parametrize(
    "missing, words",
    [
        ("TICKET_SIGNING_KEY", "TICKET_SIGNING_KEY"),
        ("STORAGE_S3_BUCKET", "STORAGE_S3_BUCKET"),
        ("REDIS_URL", "REDIS_URL"),
    ],
)
def test_several_instances_without_a_shared_part_are_refused(missing, words):
    problems = multi_instance_problems(
        {k: v for k, v in SHARED.items() if k != missing} | {"INSTANCES": "3"}
    )
    assert any(words in p for p in problems), problems


def test_a_job_queue_on_local_disk_is_refused():
    problems = multi_instance_problems(
        SHARED | {"MULTI_INSTANCE": "1", "JOBS_URL": "sqlite:////srv/jobs.sqlite"}
    )
    assert problems == ["several instances need JOBS_URL (or REDIS_URL) on a shared Redis"]


def test_production_start_up_names_what_is_missing(monkeypatch):
    for name, value in SAFE_PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.delenv("STORAGE_S3_BUCKET", raising=False)
    monkeypatch.setenv("INSTANCES", "2")
    with pytest.raises(RuntimeError, match="Refusing to start in production: .*STORAGE_S3_BUCKET"):
        ProductionConfig.validate()
    monkeypatch.setenv("STORAGE_S3_BUCKET", "homestays-media")
    ProductionConfig.validate()


def test_development_refuses_several_instances_too(monkeypatch):
    monkeypatch.setenv("MULTI_INSTANCE", "1")
    monkeypatch.delenv("TICKET_SIGNING_KEY", raising=False)
    with pytest.raises(RuntimeError, match="several instances need one TICKET_SIGNING_KEY"):
        create_app("development")
