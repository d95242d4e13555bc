"""Shared pieces of the FlowKube workers: JSON line logging, bounded env parsing, signal handling.

Every worker is `run_worker(<default job type>, <main>)`; `main(worker)` returns the exit code.
Exit codes: 0 success, 1 failure or unexpected error, 2 bad environment, 128 + signal number when stopped.
A worker that ends with any other code than 0 writes why to the termination log, which Kubernetes reports as the
container's `terminated.message` and FlowKube shows as the failure reason.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import signal
import socket
import sys
import threading
import time
import traceback
from typing import Any, Callable, Mapping, NoReturn, Optional, TextIO

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_ENV = 2

LEVELS = ('INFO', 'WARN', 'ERROR')
CORE_KEYS = ('ts', 'level', 'msg', 'job_type', 'pod')

# The kubelet mounts a file at the container's terminationMessagePath (this is the default path) and reads back its
# last MaxContainerTerminationMessageLength = 4096 bytes (kubernetes pkg/kubelet/container/runtime.go; the read is
# tail.ReadAtMost in pkg/kubelet/kuberuntime/kuberuntime_container.go). Outside a Pod the file does not exist and is
# never created, so a worker run on a workstation, or by FlowKube's fake kubelet as root, cannot litter /dev.
# FLOWKUBE_TERMINATION_LOG names another file, as the fake kubelet does with a file of its own.
TERMINATION_LOG = '/dev/termination-log'
TERMINATION_MESSAGE_MAX_BYTES = 4096

# Loops wait in slices this long so a stop request is seen well inside the 2 s SIGTERM budget.
POLL_SECONDS = 0.1

_INTEGER = re.compile(r'[+-]?[0-9]+')
# int() of a very long digit string is slow (and capped in 3.11+); no bound we use needs more digits.
_MAX_INT_DIGITS = 20


class EnvError(ValueError):
    """A worker parameter in the environment is missing its allowed form; the worker exits 2."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def utc_timestamp(now: Optional[datetime.datetime] = None) -> str:
    """ISO-8601 UTC with milliseconds and a `Z`, the form Loki and Grafana parse without hints."""
    moment = (now or datetime.datetime.now(datetime.timezone.utc)).astimezone(datetime.timezone.utc)
    return moment.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (moment.microsecond // 1000)


def format_record(ts: str, level: str, msg: str, job_type: str, pod: str, fields: Mapping[str, Any]) -> str:
    """One JSON object on one line; extra fields never overwrite the core keys Loki queries rely on."""
    if level not in LEVELS:
        raise ValueError('level must be one of %s, got %r' % ('|'.join(LEVELS), level))
    record: dict = {'ts': ts, 'level': level, 'msg': msg, 'job_type': job_type, 'pod': pod}
    for key, value in fields.items():
        if key not in record:
            record[key] = value
    # ASCII output (non-ASCII escaped) cannot fail on a container whose locale has no UTF-8.
    return json.dumps(record, default=str, separators=(',', ':'))


class Logger:
    def __init__(self, job_type: str, pod: str, stream: Optional[TextIO] = None) -> None:
        self.job_type = job_type
        self.pod = pod
        self._stream = stream

    def log(self, level: str, msg: str, **fields: Any) -> None:
        line = format_record(utc_timestamp(), level, msg, self.job_type, self.pod, fields)
        # Looked up per call so a replaced sys.stdout (tests, embedding) is honoured.
        stream = self._stream or sys.stdout
        stream.write(line + '\n')
        stream.flush()

    def info(self, msg: str, **fields: Any) -> None:
        self.log('INFO', msg, **fields)

    def warn(self, msg: str, **fields: Any) -> None:
        self.log('WARN', msg, **fields)

    def error(self, msg: str, **fields: Any) -> None:
        self.log('ERROR', msg, **fields)


def _raw(env: Mapping[str, str], name: str) -> Optional[str]:
    # An empty value means "not set": Kubernetes and compose files often render omitted params as "".
    value = env.get(name)
    if value is None or value.strip() == '':
        return None
    return value


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + '...')


def parse_int(env: Mapping[str, str], name: str, default: Optional[int], minimum: int, maximum: int) -> Optional[int]:
    raw = _raw(env, name)
    if raw is None:
        return default
    text = raw.strip()
    if _INTEGER.fullmatch(text) and len(text.lstrip('+-')) <= _MAX_INT_DIGITS:
        value = int(text)
        if minimum <= value <= maximum:
            return value
    raise EnvError(name, '%s must be an integer from %d to %d, got %s' % (name, minimum, maximum, _shown(raw)))


def parse_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = _raw(env, name)
    if raw is None:
        return default
    text = raw.strip().lower()
    if text in ('true', 'false'):
        return text == 'true'
    raise EnvError(name, '%s must be true or false, got %s' % (name, _shown(raw)))


def parse_str(env: Mapping[str, str], name: str, default: str, max_length: int) -> str:
    raw = _raw(env, name)
    if raw is None:
        return default
    if len(raw) > max_length:
        raise EnvError(name, '%s must be at most %d characters, got %d' % (name, max_length, len(raw)))
    return raw


def write_termination_message(message: str, path: str = TERMINATION_LOG) -> bool:
    """Replaces the termination log's content with `message` (cut to what the kubelet reads); False when there is no
    such file, which is normal outside Kubernetes."""
    data = message.encode('utf-8')
    if len(data) > TERMINATION_MESSAGE_MAX_BYTES:
        # Keep the start, where the reason is, and stay valid UTF-8.
        data = data[: TERMINATION_MESSAGE_MAX_BYTES - 3].decode('utf-8', 'ignore').encode('utf-8') + b'...'
    try:
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC)  # no O_CREAT: only a file the kubelet provided
    except OSError:
        return False
    with os.fdopen(fd, 'wb') as handle:
        handle.write(data)
    return True


def pod_name(env: Mapping[str, str]) -> str:
    # POD_NAME comes from the downward API; outside Kubernetes the host name is the next best identity.
    return _raw(env, 'POD_NAME') or _raw(env, 'HOSTNAME') or socket.gethostname()


class StopSignal:
    """Turns SIGTERM/SIGINT into a flag the work loops poll; the handler itself never logs,
    because writing to stdout from a handler that interrupted another write can fail."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.signum: Optional[int] = None

    def install(self) -> None:
        signal.signal(signal.SIGTERM, self._handle)
        signal.signal(signal.SIGINT, self._handle)

    def _handle(self, signum: int, _frame: Any) -> None:
        self.request(signum)

    def request(self, signum: int) -> None:
        if self.signum is None:
            self.signum = signum
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True as soon as a stop was requested."""
        deadline = time.monotonic() + max(0.0, seconds)
        while not self._event.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self._event.wait(min(remaining, POLL_SECONDS))
        return True


class Worker:
    """What a worker's main gets: its logger, the stop flag and the environment it was started with."""

    def __init__(self, logger: Logger, stop: StopSignal, env: Mapping[str, str]) -> None:
        self.logger = logger
        self.stop = stop
        self.env = env
        # Why the worker ends unsuccessfully, for the termination log; set by fail() and stopped().
        self.failure: Optional[str] = None

    def fail(self, msg: str, **fields: Any) -> int:
        """Logs the reason as the ERROR line it is and keeps it for the termination log; returns exit code 1."""
        self.logger.error(msg, **fields)
        self.failure = msg
        return EXIT_FAILED

    def stopped(self, **progress: Any) -> int:
        """The final line of a stopped worker, with how far it got; returns the exit code to use."""
        signum = self.stop.signum or signal.SIGTERM
        name = signal.Signals(signum).name
        self.logger.warn('received %s, stopping' % name, signal=name, **progress)
        self.failure = 'stopped by %s' % name
        return 128 + signum


def execute(default_job_type: str, main: Callable[[Worker], int], env: Mapping[str, str], stop: StopSignal) -> int:
    logger = Logger(_raw(env, 'JOB_TYPE') or default_job_type, pod_name(env))
    worker = Worker(logger, stop, env)
    try:
        code = main(worker)
        reason = worker.failure or 'exited with code %d' % code
    except EnvError as error:
        logger.error(str(error), variable=error.name)
        code, reason = EXIT_BAD_ENV, str(error)
    except Exception as error:  # noqa: BLE001 - the last line a crashed worker leaves must be JSON too
        reason = 'unexpected error: %s: %s' % (type(error).__name__, error)
        logger.error(reason, error_type=type(error).__name__, traceback=traceback.format_exc())
        code = EXIT_FAILED
    if code != EXIT_OK:
        write_termination_message(reason, _raw(env, 'FLOWKUBE_TERMINATION_LOG') or TERMINATION_LOG)
    return code


def run_worker(default_job_type: str, main: Callable[[Worker], int]) -> NoReturn:
    stop = StopSignal()
    stop.install()
    sys.exit(execute(default_job_type, main, os.environ, stop))
