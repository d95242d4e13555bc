import unittest

import app_basic
from flowkube_worker import EnvError

from .support import assert_bad_env, assert_stopped, run, stop_after_first_line


class ParseConfigTest(unittest.TestCase):
    def test_defaults(self):
        self.assertEqual(app_basic.parse_config({}), app_basic.Config('Hello from FlowKube', 5))

    def test_bounds(self):
        self.assertEqual(app_basic.parse_config({'SLEEP_SECONDS': '3600'}).sleep_seconds, 3600)
        for env in ({'SLEEP_SECONDS': '3601'}, {'SLEEP_SECONDS': '-1'}, {'MESSAGE': 'x' * 257}):
            with self.subTest(env=list(env)), self.assertRaises(EnvError):
                app_basic.parse_config(env)


class BasicWorkerTest(unittest.TestCase):
    def test_prints_the_message_and_exits_0(self):
        message = 'Hi "there"\n$(whoami) 안녕'
        result = run(self, 'app_basic.py', MESSAGE=message, SLEEP_SECONDS='0')
        self.assertEqual(result.code, 0)
        self.assertEqual(result.stderr, '')
        self.assertEqual(result.records[0]['msg'], message)
        self.assertEqual(result.records[0]['job_type'], 'basic')
        self.assertEqual([r['level'] for r in result.records], ['INFO', 'INFO'])
        self.assertEqual(result.termination_message, '')

    def test_bad_env_exits_2_naming_the_variable(self):
        assert_bad_env(self, run(self, 'app_basic.py', SLEEP_SECONDS='3601'), 'SLEEP_SECONDS', '0 to 3600')

    def test_sigterm_during_the_sleep_stops_it_with_a_warn_line(self):
        result = stop_after_first_line(self, 'app_basic.py', SLEEP_SECONDS='3600')
        last = assert_stopped(self, result)
        self.assertEqual(last['sleep_seconds'], 3600)
        self.assertLess(last['slept_seconds'], 3600)


if __name__ == '__main__':
    unittest.main()
