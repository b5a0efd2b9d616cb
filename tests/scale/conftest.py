"""Scale-out tests: replicas behind HAProxy over one PostgreSQL and one S3 store (cluster.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from tests.scale.cluster import Cluster, start_cluster
from tests.support.seaweed import SeaweedS3, seaweed

__all__ = ["seaweed"]


@pytest.fixture(scope="module")
def cluster(postgres_url: str, seaweed: SeaweedS3,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Two replicas behind the shipped HAProxy configuration, for one test module."""
    with ExitStack() as stack:
        yield start_cluster(stack, tmp_path_factory.mktemp("cluster"), postgres_url, seaweed, n=2)
