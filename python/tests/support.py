"""Runs the real worker scripts as child processes and reads their JSON lines back."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import unittest
from typing import Dict, List, NamedTuple, Optional, Tuple

from . import PYTHON_DIR

WORKER_VARS = (
    'JOB_TYPE',
    'POD_NAME',
    'MESSAGE',
    'SLEEP_SECONDS',
    'DURATION_SECONDS',
    'TASKS',
    'TASK_INTERVAL_MS',
    'FAIL',
    'SEED',
)
CORE_KEYS = ('ts', 'level', 'msg', 'job_type', 'pod')
TS_PATTERN = r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$'
POD = 'flowkube-test-pod-1'
# Safety nets so a hung worker fails the test instead of hanging the suite; never asserted as speed.
RUN_TIMEOUT = 60
STOP_TIMEOUT = 5


class Result(NamedTuple):
    code: int
    records: List[dict]
    stderr: str
    # What the worker left in its termination log, as the kubelet would read it back ('' when nothing).
    termination_message: str


def script(name: str) -> str:
    return os.path.join(PYTHON_DIR, name)


def worker_env(**overrides: str) -> Dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in WORKER_VARS}
    env['POD_NAME'] = POD
    env['PYTHONDONTWRITEBYTECODE'] = '1'
    env.update(overrides)
    return env


def parse_records(test: unittest.TestCase, stdout: bytes) -> List[dict]:
    """Every stdout line must be one JSON object carrying the core keys."""
    records = []
    for line in stdout.decode('ascii').splitlines():
        record = json.loads(line)
        test.assertIsInstance(record, dict, line)
        for key in CORE_KEYS:
            test.assertIn(key, record, line)
        test.assertRegex(record['ts'], TS_PATTERN)
        test.assertIn(record['level'], ('INFO', 'WARN', 'ERROR'))
        test.assertEqual(record['pod'], POD)
        records.append(record)
    return records


def start(name: str, **env: str) -> subprocess.Popen:
    # An empty file per run, as the kubelet mounts one at terminationMessagePath before the container starts.
    handle, termination_log = tempfile.mkstemp(prefix='flowkube-termination-')
    os.close(handle)
    proc = subprocess.Popen(
        [sys.executable, script(name)],
        env=worker_env(FLOWKUBE_TERMINATION_LOG=termination_log, **env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.termination_log = termination_log  # type: ignore[attr-defined]
    return proc


def read_termination_log(proc: subprocess.Popen) -> str:
    path = proc.termination_log  # type: ignore[attr-defined]
    try:
        with open(path, encoding='utf-8') as handle:
            return handle.read()
    finally:
        os.unlink(path)


def finish(test: unittest.TestCase, proc: subprocess.Popen, head: bytes = b'', timeout: float = RUN_TIMEOUT) -> Result:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        test.fail('worker still running %s s after it should have ended' % timeout)
    records = parse_records(test, head + out)
    return Result(proc.returncode, records, err.decode('utf-8', 'replace'), read_termination_log(proc))


def run(test: unittest.TestCase, name: str, **env: str) -> Result:
    return finish(test, start(name, **env))


def read_first_line(test: unittest.TestCase, proc: subprocess.Popen) -> bytes:
    """Bytes up to and including the first newline, read straight from the pipe so that
    communicate() (which reads the raw descriptor too) later gets everything after them."""
    fd = proc.stdout.fileno()
    data = b''
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while b'\n' not in data:
            if not selector.select(timeout=RUN_TIMEOUT):
                proc.kill()
                test.fail('worker printed nothing within %s s' % RUN_TIMEOUT)
            chunk = os.read(fd, 1)
            if not chunk:
                test.fail('worker closed stdout before its first line; stderr: %s' % proc.stderr.read())
            data += chunk
    return data


def stop_after_first_line(test: unittest.TestCase, name: str, signum: int = signal.SIGTERM, **env: str) -> Result:
    """Starts a long-running worker, waits until it is working (first line out), then signals it."""
    proc = start(name, **env)
    try:
        head = read_first_line(test, proc)
        proc.send_signal(signum)
        return finish(test, proc, head, timeout=STOP_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def assert_stopped(test: unittest.TestCase, result: Result, signal_name: str = 'SIGTERM') -> dict:
    test.assertEqual(result.stderr, '')
    last = result.records[-1]
    test.assertEqual(last['level'], 'WARN')
    test.assertEqual(last['msg'], 'received %s, stopping' % signal_name)
    test.assertEqual(result.code, 128 + signal.Signals[signal_name].value)
    test.assertEqual(result.termination_message, 'stopped by %s' % signal_name)
    return last


def assert_bad_env(test: unittest.TestCase, result: Result, variable: str, allowed: str) -> None:
    test.assertEqual(result.code, 2)
    test.assertEqual(len(result.records), 1, result.records)
    line = result.records[0]
    test.assertEqual(line['level'], 'ERROR')
    test.assertEqual(line['variable'], variable)
    test.assertIn(variable, line['msg'])
    test.assertIn(allowed, line['msg'])
    test.assertEqual(result.termination_message, line['msg'])


def is_prime(n: Optional[int]) -> bool:
    if n is None or n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def sieve_count(limit: int) -> Tuple[int, int]:
    """(number of primes <= limit, largest prime <= limit) by a plain sieve, independent of the worker."""
    flags = bytearray([1]) * (limit + 1)
    flags[0:2] = b'\x00\x00'
    for p in range(2, int(limit**0.5) + 1):
        if flags[p]:
            flags[p * p :: p] = bytes(len(range(p * p, limit + 1, p)))
    return sum(flags), flags.rindex(1)
