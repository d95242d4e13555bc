"""CPU-load worker: finds primes by trial division in pure Python for DURATION_SECONDS.

Env: DURATION_SECONDS (1-3600, default 30). Logs progress about every 5 s and a summary at the end.
"""

from __future__ import annotations

import math
import time
from typing import List, Mapping, NamedTuple, Optional

from flowkube_worker import EXIT_OK, Worker, parse_int, run_worker

JOB_TYPE = 'cpu-load'
PROGRESS_EVERY_SECONDS = 5.0
# A batch of this many candidates takes a few milliseconds, so the stop flag is checked far more
# often than every 0.1 s while the core stays busy.
BATCH = 500
# Divisors are kept only up to here: that covers every candidate below 2**40, far beyond what an
# hour of pure-Python trial division reaches, and keeps memory flat however long the job runs.
DIVISOR_LIMIT = 1 << 20


class Config(NamedTuple):
    duration_seconds: int


def parse_config(env: Mapping[str, str]) -> Config:
    return Config(duration_seconds=parse_int(env, 'DURATION_SECONDS', 30, 1, 3600))


class PrimeSearch:
    """Tests consecutive integers from 2 upwards; `checked_up_to` is the last integer tested."""

    def __init__(self) -> None:
        self.found = 0
        self.largest: Optional[int] = None
        self.checked_up_to = 1
        self._divisors: List[int] = []

    def _is_prime(self, n: int) -> bool:
        limit = math.isqrt(n)
        for p in self._divisors:
            if p > limit:
                return True
            if n % p == 0:
                return False
        return True

    def advance(self, count: int) -> None:
        """Test the next `count` integers (even ones past 2 are skipped cheaply, but still counted)."""
        start = self.checked_up_to + 1
        stop = start + count
        for n in range(start, stop):
            if n < 2 or (n > 2 and n % 2 == 0):
                continue
            if self._is_prime(n):
                self.found += 1
                self.largest = n
                if n <= DIVISOR_LIMIT and n > 2:
                    self._divisors.append(n)
        self.checked_up_to = stop - 1


def _progress(search: PrimeSearch, elapsed: float) -> dict:
    return {
        'elapsed_seconds': round(elapsed, 3),
        'primes_found': search.found,
        'largest_prime': search.largest,
        'checked_up_to': search.checked_up_to,
        'primes_per_second': round(search.found / elapsed, 1) if elapsed > 0 else 0.0,
    }


def main(worker: Worker) -> int:
    config = parse_config(worker.env)
    log = worker.logger
    log.info('cpu load started', duration_seconds=config.duration_seconds)
    search = PrimeSearch()
    started = time.monotonic()
    deadline = started + config.duration_seconds
    next_report = started + PROGRESS_EVERY_SECONDS
    while True:
        now = time.monotonic()
        if worker.stop.is_set():
            return worker.stopped(duration_seconds=config.duration_seconds, **_progress(search, now - started))
        if now >= deadline:
            break
        if now >= next_report:
            log.info('progress', duration_seconds=config.duration_seconds, **_progress(search, now - started))
            next_report = now + PROGRESS_EVERY_SECONDS
        search.advance(BATCH)
    log.info('cpu load finished', duration_seconds=config.duration_seconds, **_progress(search, now - started))
    return EXIT_OK


if __name__ == '__main__':
    run_worker(JOB_TYPE, main)
