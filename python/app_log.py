"""Log-generating worker: runs TASKS tasks, one every TASK_INTERVAL_MS, each logging INFO, WARN or ERROR at random.

Env: TASKS (1-1000, default 15), TASK_INTERVAL_MS (0-60000, default 500), FAIL (true/false, default false:
true ends the job with exit code 1 after its tasks), SEED (optional integer 0-2147483647, the catalog's range: the
same seed gives the same lines).
"""

from __future__ import annotations

import random
from typing import Dict, Iterator, Mapping, NamedTuple, Optional

from flowkube_worker import EXIT_OK, LEVELS, Worker, parse_bool, parse_int, run_worker

JOB_TYPE = 'log-gen'
# The catalog's `seed` field takes 0..2^31-1; a drawn seed stays in it, so the logged seed can be typed back in.
SEED_MIN = 0
SEED_MAX = 2**31 - 1
# Mostly healthy output with enough WARN and ERROR lines to exercise level filters and alerts.
LEVEL_WEIGHTS = (70, 20, 10)

MESSAGES = {
    'INFO': ('task completed', 'records processed', 'batch written', 'cache refreshed'),
    'WARN': ('task slow, retrying', 'upstream responded late', 'partial batch written'),
    'ERROR': ('task failed: upstream timeout', 'record rejected: schema mismatch', 'write failed: disk quota'),
}


class Config(NamedTuple):
    tasks: int
    task_interval_ms: int
    fail: bool
    seed: Optional[int]


def parse_config(env: Mapping[str, str]) -> Config:
    return Config(
        tasks=parse_int(env, 'TASKS', 15, 1, 1000),
        task_interval_ms=parse_int(env, 'TASK_INTERVAL_MS', 500, 0, 60000),
        fail=parse_bool(env, 'FAIL', False),
        seed=parse_int(env, 'SEED', None, SEED_MIN, SEED_MAX),
    )


class TaskEvent(NamedTuple):
    task: int
    level: str
    msg: str
    duration_ms: int


def task_events(tasks: int, seed: int) -> Iterator[TaskEvent]:
    """The whole random part of the worker, so one seed always gives one sequence."""
    rng = random.Random(seed)
    for task in range(1, tasks + 1):
        level = rng.choices(LEVELS, weights=LEVEL_WEIGHTS)[0]
        # A simulated processing time: the tasks are fake, their reported durations are part of the sequence.
        yield TaskEvent(task, level, rng.choice(MESSAGES[level]), rng.randint(5, 2000))


def main(worker: Worker) -> int:
    config = parse_config(worker.env)
    log = worker.logger
    # Without SEED one is drawn and logged, so any run can be repeated.
    seed = config.seed if config.seed is not None else random.SystemRandom().randint(SEED_MIN, SEED_MAX)
    log.info(
        'log generation started',
        tasks_total=config.tasks,
        task_interval_ms=config.task_interval_ms,
        fail=config.fail,
        seed=seed,
    )
    counts: Dict[str, int] = {level: 0 for level in LEVELS}
    done = 0
    for event in task_events(config.tasks, seed):
        if worker.stop.is_set():
            break
        log.log(event.level, event.msg, task=event.task, tasks_total=config.tasks, duration_ms=event.duration_ms)
        counts[event.level] += 1
        done = event.task
        if done < config.tasks and worker.stop.wait(config.task_interval_ms / 1000):
            break
    summary = {
        'tasks_done': done,
        'tasks_total': config.tasks,
        'count_info': counts['INFO'],
        'count_warn': counts['WARN'],
        'count_error': counts['ERROR'],
    }
    if worker.stop.is_set():
        return worker.stopped(**summary)
    if config.fail:
        return worker.fail('log generation failed as requested (FAIL=true)', **summary)
    log.info('log generation finished', **summary)
    return EXIT_OK


if __name__ == '__main__':
    run_worker(JOB_TYPE, main)
