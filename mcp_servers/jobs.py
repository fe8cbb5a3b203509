"""Run blocking service calls off the event loop, a bounded number at a time, each with a deadline.

A service call (a clone, a pack) cannot be interrupted once it runs in a thread. So the
slot it holds is released by the thread itself when it finishes, not by the waiting
request: a request that timed out gets its error at once, but its work still counts
against the limit until it is really done, and a burst of slow requests cannot pile
up unbounded threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import anyio
import anyio.to_thread

from ingest import CtxError

T = TypeVar("T")


class BusyError(CtxError):
    """Every job slot stayed taken for as long as a request may wait."""


class DeadlineError(CtxError):
    """A job ran longer than a request may take."""


@dataclass(frozen=True)
class JobLimits:
    """How many service calls run at once, how long a request waits for a slot, and how long one may run."""

    concurrent: int = 4
    queue_timeout: float = 30.0
    timeout: float = 300.0


class Jobs:
    """The server's pool of job slots."""

    def __init__(self, limits: JobLimits = JobLimits()) -> None:
        self.limits = limits
        self._slots = threading.BoundedSemaphore(limits.concurrent)
        self._threads = anyio.CapacityLimiter(limits.concurrent * 4)  # timed-out jobs still running, plus new ones

    async def run(self, work: Callable[[], T]) -> T:
        """`work()` in a worker thread; raises BusyError or DeadlineError when the limits are hit."""
        limits = self.limits

        def job() -> T:
            if not self._slots.acquire(timeout=limits.queue_timeout):
                raise BusyError(
                    f"the server is busy ({limits.concurrent} jobs running)", hint="try again in a minute"
                )
            try:
                return work()
            finally:
                self._slots.release()

        try:
            with anyio.fail_after(limits.queue_timeout + limits.timeout):
                return await anyio.to_thread.run_sync(job, abandon_on_cancel=True, limiter=self._threads)
        except TimeoutError:
            raise DeadlineError(
                f"the request took longer than {limits.timeout:g}s and was stopped",
                hint="ask for less: a subpath, include patterns, a smaller budget or a query",
            ) from None
