"""Basic worker: says who and where it is, prints MESSAGE, sleeps SLEEP_SECONDS, exits 0.

Env: MESSAGE (at most 256 characters, default "Hello from FlowKube"), SLEEP_SECONDS (0-3600, default 5).
"""

from __future__ import annotations

import time
from typing import Mapping, NamedTuple

from flowkube_worker import EXIT_OK, Worker, parse_int, parse_str, run_worker

JOB_TYPE = 'basic'


class Config(NamedTuple):
    message: str
    sleep_seconds: int


def parse_config(env: Mapping[str, str]) -> Config:
    return Config(
        message=parse_str(env, 'MESSAGE', 'Hello from FlowKube', 256),
        sleep_seconds=parse_int(env, 'SLEEP_SECONDS', 5, 0, 3600),
    )


def main(worker: Worker) -> int:
    config = parse_config(worker.env)
    log = worker.logger
    # The message is the line's msg so a Loki search for it finds the line; ts and pod come with every line.
    log.info(config.message, sleep_seconds=config.sleep_seconds)
    started = time.monotonic()
    if worker.stop.wait(config.sleep_seconds):
        slept = round(time.monotonic() - started, 3)
        return worker.stopped(sleep_seconds=config.sleep_seconds, slept_seconds=slept)
    log.info('finished', sleep_seconds=config.sleep_seconds)
    return EXIT_OK


if __name__ == '__main__':
    run_worker(JOB_TYPE, main)
