import contextlib
import datetime
import io
import json
import os
import signal
import tempfile
import threading
import unittest

from flowkube_worker import (
    EXIT_BAD_ENV,
    EXIT_FAILED,
    TERMINATION_MESSAGE_MAX_BYTES,
    EnvError,
    Logger,
    StopSignal,
    Worker,
    execute,
    format_record,
    parse_bool,
    parse_int,
    parse_str,
    pod_name,
    utc_timestamp,
    write_termination_message,
)

from .support import TS_PATTERN


class FlushCountingStream(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.flushes = 0

    def flush(self) -> None:
        self.flushes += 1
        super().flush()


def lines_of(stream: io.StringIO) -> list:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


class TimestampTest(unittest.TestCase):
    def test_utc_with_milliseconds_and_z(self):
        moment = datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.timezone.utc)
        self.assertEqual(utc_timestamp(moment), '2026-01-02T03:04:05.678Z')

    def test_other_zones_are_converted_to_utc(self):
        seoul = datetime.timezone(datetime.timedelta(hours=9))
        moment = datetime.datetime(2026, 1, 2, 3, 4, 5, 1000, tzinfo=seoul)
        self.assertEqual(utc_timestamp(moment), '2026-01-01T18:04:05.001Z')

    def test_now_has_the_same_form(self):
        self.assertRegex(utc_timestamp(), TS_PATTERN)


class FormatRecordTest(unittest.TestCase):
    def test_core_keys_first_then_fields(self):
        line = format_record('T', 'WARN', 'hi', 'log-gen', 'pod-1', {'task': 3, 'tasks_total': 15})
        self.assertEqual(list(json.loads(line)), ['ts', 'level', 'msg', 'job_type', 'pod', 'task', 'tasks_total'])
        self.assertEqual(list(json.loads(line).values()), ['T', 'WARN', 'hi', 'log-gen', 'pod-1', 3, 15])

    def test_fields_cannot_overwrite_core_keys(self):
        fields = {'level': 'ERROR', 'msg': 'x', 'pod': 'y'}
        record = json.loads(format_record('T', 'INFO', 'real', 'basic', 'p', fields))
        self.assertEqual((record['level'], record['msg'], record['pod']), ('INFO', 'real', 'p'))

    def test_newlines_and_non_ascii_stay_on_one_ascii_line(self):
        line = format_record('T', 'INFO', 'a\nb "c" 안녕', 'basic', 'p', {})
        self.assertNotIn('\n', line)
        line.encode('ascii')
        self.assertEqual(json.loads(line)['msg'], 'a\nb "c" 안녕')

    def test_values_json_cannot_encode_become_strings(self):
        record = json.loads(format_record('T', 'INFO', 'm', 'basic', 'p', {'when': datetime.date(2026, 1, 2)}))
        self.assertEqual(record['when'], '2026-01-02')

    def test_unknown_level_is_refused(self):
        with self.assertRaises(ValueError):
            format_record('T', 'DEBUG', 'm', 'basic', 'p', {})


class LoggerTest(unittest.TestCase):
    def test_each_call_writes_and_flushes_one_json_line(self):
        stream = FlushCountingStream()
        logger = Logger('cpu-load', 'pod-7', stream)
        logger.info('one', n=1)
        logger.warn('two')
        logger.error('three')
        records = lines_of(stream)
        self.assertEqual([r['level'] for r in records], ['INFO', 'WARN', 'ERROR'])
        self.assertEqual([r['msg'] for r in records], ['one', 'two', 'three'])
        self.assertTrue(all(r['job_type'] == 'cpu-load' and r['pod'] == 'pod-7' for r in records))
        self.assertRegex(records[0]['ts'], TS_PATTERN)
        self.assertEqual(records[0]['n'], 1)
        self.assertEqual(stream.flushes, 3)


class ParseIntTest(unittest.TestCase):
    def test_unset_or_blank_gives_the_default(self):
        self.assertEqual(parse_int({}, 'N', 7, 0, 10), 7)
        self.assertEqual(parse_int({'N': '  '}, 'N', 7, 0, 10), 7)
        self.assertIsNone(parse_int({}, 'N', None, 0, 10))

    def test_bounds_are_inclusive(self):
        self.assertEqual(parse_int({'N': '0'}, 'N', 5, 0, 3600), 0)
        self.assertEqual(parse_int({'N': '3600'}, 'N', 5, 0, 3600), 3600)
        self.assertEqual(parse_int({'N': ' +12 '}, 'N', 5, 0, 3600), 12)
        self.assertEqual(parse_int({'N': '-3'}, 'N', 5, -5, 5), -3)

    def test_out_of_range_names_the_variable_and_the_range(self):
        for value in ('-1', '3601', '99999999999999999999999'):
            with self.subTest(value=value), self.assertRaises(EnvError) as caught:
                parse_int({'SLEEP_SECONDS': value}, 'SLEEP_SECONDS', 5, 0, 3600)
            self.assertEqual(caught.exception.name, 'SLEEP_SECONDS')
            self.assertIn('SLEEP_SECONDS must be an integer from 0 to 3600', str(caught.exception))

    def test_non_integers_are_refused(self):
        for value in ('abc', '1.5', '1e3', '0x10', '1_000', '١٢', '5; rm -rf /', '9' * 5000):
            with self.subTest(value=value[:20]), self.assertRaises(EnvError):
                parse_int({'TASKS': value}, 'TASKS', 15, 1, 1000)

    def test_the_shown_value_is_cut_short(self):
        with self.assertRaises(EnvError) as caught:
            parse_int({'TASKS': 'x' * 500}, 'TASKS', 15, 1, 1000)
        self.assertLess(len(str(caught.exception)), 120)


class ParseBoolAndStrTest(unittest.TestCase):
    def test_bool_accepts_true_and_false_in_any_case(self):
        self.assertTrue(parse_bool({'FAIL': 'true'}, 'FAIL', False))
        self.assertTrue(parse_bool({'FAIL': 'TRUE'}, 'FAIL', False))
        self.assertFalse(parse_bool({'FAIL': 'false'}, 'FAIL', True))
        self.assertTrue(parse_bool({}, 'FAIL', True))

    def test_bool_refuses_anything_else(self):
        for value in ('yes', '1', 'no', 'truthy'):
            with self.subTest(value=value), self.assertRaises(EnvError) as caught:
                parse_bool({'FAIL': value}, 'FAIL', False)
            self.assertIn('FAIL must be true or false', str(caught.exception))

    def test_str_length_bound(self):
        self.assertEqual(parse_str({'MESSAGE': 'm' * 256}, 'MESSAGE', 'd', 256), 'm' * 256)
        self.assertEqual(parse_str({}, 'MESSAGE', 'd', 256), 'd')
        with self.assertRaises(EnvError) as caught:
            parse_str({'MESSAGE': 'm' * 257}, 'MESSAGE', 'd', 256)
        self.assertEqual(caught.exception.name, 'MESSAGE')
        self.assertIn('at most 256 characters', str(caught.exception))


class PodNameTest(unittest.TestCase):
    def test_pod_name_then_hostname(self):
        self.assertEqual(pod_name({'POD_NAME': 'basic-x1', 'HOSTNAME': 'h'}), 'basic-x1')
        self.assertEqual(pod_name({'HOSTNAME': 'h'}), 'h')
        self.assertTrue(pod_name({}))


class StopSignalTest(unittest.TestCase):
    def test_wait_runs_out_without_a_request(self):
        self.assertFalse(StopSignal().wait(0.05))

    def test_wait_returns_true_once_requested(self):
        stop = StopSignal()
        stop.request(signal.SIGTERM)
        self.assertTrue(stop.wait(3600))

    def test_a_request_from_elsewhere_ends_a_long_wait(self):
        stop = StopSignal()
        timer = threading.Timer(0.05, stop.request, args=(signal.SIGTERM,))
        timer.start()
        try:
            self.assertTrue(stop.wait(60))
        finally:
            timer.cancel()

    def test_the_first_signal_is_the_one_reported(self):
        stop = StopSignal()
        stop.request(signal.SIGINT)
        stop.request(signal.SIGTERM)
        self.assertEqual(stop.signum, signal.SIGINT)


class WorkerTest(unittest.TestCase):
    def stopped_by(self, signum):
        stream = io.StringIO()
        stop = StopSignal()
        stop.request(signum)
        code = Worker(Logger('basic', 'p', stream), stop, {}).stopped(tasks_done=3)
        return code, lines_of(stream)

    def test_sigterm_gives_143_and_a_final_warn_line_with_progress(self):
        code, records = self.stopped_by(signal.SIGTERM)
        self.assertEqual(code, 143)
        self.assertEqual(len(records), 1)
        self.assertEqual(records[0]['level'], 'WARN')
        self.assertEqual(records[0]['msg'], 'received SIGTERM, stopping')
        self.assertEqual(records[0]['tasks_done'], 3)

    def test_sigint_gives_130(self):
        code, records = self.stopped_by(signal.SIGINT)
        self.assertEqual(code, 130)
        self.assertEqual(records[0]['msg'], 'received SIGINT, stopping')


class TerminationMessageTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, 'termination-log')

    def tearDown(self):
        self.dir.cleanup()

    def read(self):
        with open(self.path, 'rb') as handle:
            return handle.read()

    def test_a_missing_file_is_never_created(self):
        self.assertFalse(write_termination_message('boom', self.path))
        self.assertFalse(os.path.exists(self.path))

    def test_the_message_replaces_what_the_file_held(self):
        with open(self.path, 'w') as handle:
            handle.write('an older and longer message')
        self.assertTrue(write_termination_message('boom', self.path))
        self.assertEqual(self.read(), b'boom')

    def test_a_long_message_is_cut_to_what_the_kubelet_reads_and_stays_utf8(self):
        open(self.path, 'w').close()
        write_termination_message('reason: ' + '\u00e9' * 5000, self.path)
        data = self.read()
        self.assertLessEqual(len(data), TERMINATION_MESSAGE_MAX_BYTES)
        self.assertTrue(data.startswith(b'reason: '))
        self.assertTrue(data.decode('utf-8').endswith('...'))


class ExecuteTest(unittest.TestCase):
    def setUp(self):
        handle, self.termination_log = tempfile.mkstemp()
        os.close(handle)
        self.addCleanup(os.unlink, self.termination_log)

    def execute(self, main, env):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = execute('basic', main, {'FLOWKUBE_TERMINATION_LOG': self.termination_log, **env}, StopSignal())
        return code, lines_of(out)

    def termination_message(self):
        with open(self.termination_log, encoding='utf-8') as handle:
            return handle.read()

    def test_success_leaves_the_termination_log_empty(self):
        code, _ = self.execute(lambda worker: worker.logger.info('x') or 0, {})
        self.assertEqual((code, self.termination_message()), (0, ''))

    def test_fail_logs_an_error_line_and_writes_the_reason(self):
        code, records = self.execute(lambda worker: worker.fail('upstream refused', attempts=3), {})
        self.assertEqual(code, EXIT_FAILED)
        last = records[-1]
        self.assertEqual((last['level'], last['msg'], last['attempts']), ('ERROR', 'upstream refused', 3))
        self.assertEqual(self.termination_message(), 'upstream refused')

    def test_a_bare_non_zero_exit_still_says_its_code(self):
        code, _ = self.execute(lambda worker: 7, {})
        self.assertEqual((code, self.termination_message()), (7, 'exited with code 7'))

    def test_returns_what_main_returns_with_identity_from_env(self):
        def main(worker):
            worker.logger.info('hello')
            return 0

        code, records = self.execute(main, {'POD_NAME': 'p-1', 'JOB_TYPE': 'basic-2'})
        self.assertEqual(code, 0)
        self.assertEqual((records[0]['job_type'], records[0]['pod']), ('basic-2', 'p-1'))

    def test_job_type_defaults_to_the_scripts_own(self):
        code, records = self.execute(lambda worker: worker.logger.info('x') or 0, {'POD_NAME': 'p'})
        self.assertEqual(records[0]['job_type'], 'basic')

    def test_bad_env_is_an_error_line_naming_the_variable_and_exit_2(self):
        def main(worker):
            parse_int(worker.env, 'TASKS', 15, 1, 1000)
            return 0

        code, records = self.execute(main, {'TASKS': '0'})
        self.assertEqual(code, EXIT_BAD_ENV)
        self.assertEqual(records[0]['level'], 'ERROR')
        self.assertEqual(records[0]['variable'], 'TASKS')
        self.assertIn('1 to 1000', records[0]['msg'])
        self.assertEqual(self.termination_message(), records[0]['msg'])

    def test_an_unexpected_exception_is_an_error_line_and_exit_1(self):
        def main(worker):
            raise RuntimeError('boom')

        code, records = self.execute(main, {})
        self.assertEqual(code, EXIT_FAILED)
        self.assertEqual(len(records), 1)
        self.assertEqual(records[0]['level'], 'ERROR')
        self.assertIn('RuntimeError: boom', records[0]['msg'])
        self.assertEqual(records[0]['error_type'], 'RuntimeError')
        self.assertIn('boom', records[0]['traceback'])
        self.assertEqual(self.termination_message(), 'unexpected error: RuntimeError: boom')


if __name__ == '__main__':
    unittest.main()
