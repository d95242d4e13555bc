import contextlib
import io
import json
import unittest
from unittest import mock

import app_cpu
from flowkube_worker import EnvError, StopSignal, execute

from .support import assert_bad_env, assert_stopped, is_prime, run, sieve_count, stop_after_first_line


class ParseConfigTest(unittest.TestCase):
    def test_default_and_bounds(self):
        self.assertEqual(app_cpu.parse_config({}).duration_seconds, 30)
        self.assertEqual(app_cpu.parse_config({'DURATION_SECONDS': '1'}).duration_seconds, 1)
        self.assertEqual(app_cpu.parse_config({'DURATION_SECONDS': '3600'}).duration_seconds, 3600)
        for value in ('0', '3601', 'ten'):
            with self.subTest(value=value), self.assertRaises(EnvError):
                app_cpu.parse_config({'DURATION_SECONDS': value})


class PrimeSearchTest(unittest.TestCase):
    def test_counts_every_prime_and_only_primes(self):
        search = app_cpu.PrimeSearch()
        search.advance(20000)
        self.assertEqual(search.checked_up_to, 20001)
        self.assertEqual((search.found, search.largest), sieve_count(20001))

    def test_batch_boundaries_do_not_matter(self):
        whole = app_cpu.PrimeSearch()
        whole.advance(3000)
        pieces = app_cpu.PrimeSearch()
        for size in (1, 2, 3, 7, 500, 1000, 1487):
            pieces.advance(size)
        self.assertEqual(
            (pieces.found, pieces.largest, pieces.checked_up_to), (whole.found, whole.largest, whole.checked_up_to)
        )

    def test_progress_reports_about_every_interval(self):
        out = io.StringIO()
        with mock.patch.object(app_cpu, 'PROGRESS_EVERY_SECONDS', 0.2), contextlib.redirect_stdout(out):
            code = execute('cpu-load', app_cpu.main, {'DURATION_SECONDS': '1', 'POD_NAME': 'p'}, StopSignal())
        records = [json.loads(line) for line in out.getvalue().splitlines()]
        self.assertEqual(code, 0)
        progress = [r for r in records if r['msg'] == 'progress']
        self.assertGreaterEqual(len(progress), 1)
        counts = [r['primes_found'] for r in progress] + [records[-1]['primes_found']]
        self.assertEqual(counts, sorted(counts))
        self.assertTrue(all('primes_per_second' in r and 'largest_prime' in r for r in progress))


class CpuWorkerTest(unittest.TestCase):
    def test_runs_for_the_duration_and_reports_real_primes(self):
        result = run(self, 'app_cpu.py', DURATION_SECONDS='1')
        self.assertEqual(result.code, 0)
        self.assertEqual(result.stderr, '')
        summary = result.records[-1]
        self.assertEqual(summary['msg'], 'cpu load finished')
        self.assertEqual(summary['job_type'], 'cpu-load')
        self.assertGreater(summary['primes_found'], 0)
        self.assertTrue(is_prime(summary['largest_prime']))
        self.assertGreaterEqual(summary['elapsed_seconds'], 1)
        # The count and the largest prime must match an independent sieve up to the last number checked.
        self.assertEqual((summary['primes_found'], summary['largest_prime']), sieve_count(summary['checked_up_to']))

    def test_bad_env_exits_2_naming_the_variable(self):
        assert_bad_env(self, run(self, 'app_cpu.py', DURATION_SECONDS='0'), 'DURATION_SECONDS', '1 to 3600')

    def test_sigterm_stops_the_computation_with_a_warn_line(self):
        result = stop_after_first_line(self, 'app_cpu.py', DURATION_SECONDS='3600')
        last = assert_stopped(self, result)
        self.assertIn('primes_found', last)
        self.assertLess(last['elapsed_seconds'], 3600)


if __name__ == '__main__':
    unittest.main()
