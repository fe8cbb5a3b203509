"""Job slots: a bounded number of service calls at once, each with a deadline."""

from __future__ import annotations

import threading

import anyio
import pytest

from mcp_servers.jobs import BusyError, DeadlineError, JobLimits, Jobs


def test_a_job_past_its_deadline_is_reported_and_keeps_its_slot_until_it_ends() -> None:
    release = threading.Event()
    jobs = Jobs(JobLimits(concurrent=1, queue_timeout=0.2, timeout=0.2))

    async def run() -> None:
        with pytest.raises(DeadlineError, match="longer than 0.2s"):
            await jobs.run(lambda: release.wait(10))
        with pytest.raises(BusyError, match="busy"):  # the abandoned job still holds the only slot
            await jobs.run(lambda: "second")
        release.set()
        await anyio.sleep(0.1)
        assert await jobs.run(lambda: "third") == "third"

    anyio.run(run)


def test_jobs_run_side_by_side_up_to_the_limit() -> None:
    barrier = threading.Barrier(3, timeout=5)
    jobs = Jobs(JobLimits(concurrent=3, queue_timeout=5, timeout=10))
    results: list[int] = []

    async def one(n: int) -> None:
        results.append(await jobs.run(lambda: barrier.wait() * 0 + n))

    async def run() -> None:
        async with anyio.create_task_group() as group:
            for n in range(3):
                group.start_soon(one, n)

    anyio.run(run)
    assert sorted(results) == [0, 1, 2]
