import collections
import signal
import subprocess
import unittest

import app_log
from flowkube_worker import EnvError

from .support import assert_bad_env, assert_stopped, finish, run, start, stop_after_first_line


def task_lines(records):
    return [r for r in records if 'task' in r]


def without_ts(records):
    return [{k: v for k, v in r.items() if k != 'ts'} for r in records]


class ParseConfigTest(unittest.TestCase):
    def test_defaults_match_the_original_fifteen_tasks(self):
        self.assertEqual(app_log.parse_config({}), app_log.Config(15, 500, False, None))

    def test_values_and_bounds(self):
        config = app_log.parse_config(
            {'TASKS': '1000', 'TASK_INTERVAL_MS': '60000', 'FAIL': 'true', 'SEED': '2147483647'}
        )
        self.assertEqual(config, app_log.Config(1000, 60000, True, 2147483647))
        self.assertEqual(app_log.parse_config({'SEED': '0'}).seed, 0)
        refused = (
            {'TASKS': '0'},
            {'TASKS': '1001'},
            {'TASK_INTERVAL_MS': '60001'},
            {'SEED': '1.5'},
            {'SEED': '-1'},
            {'SEED': '2147483648'},
            {'FAIL': 'y'},
        )
        for env in refused:
            with self.subTest(env=env), self.assertRaises(EnvError) as caught:
                app_log.parse_config(env)
            self.assertEqual(caught.exception.name, next(iter(env)))


class TaskEventsTest(unittest.TestCase):
    def test_one_seed_one_sequence(self):
        self.assertEqual(list(app_log.task_events(50, 7)), list(app_log.task_events(50, 7)))
        self.assertNotEqual(list(app_log.task_events(50, 7)), list(app_log.task_events(50, 8)))

    def test_levels_follow_the_weights(self):
        levels = collections.Counter(e.level for e in app_log.task_events(1000, 1))
        self.assertGreater(levels['INFO'], levels['WARN'])
        self.assertGreater(levels['WARN'], levels['ERROR'])
        self.assertGreater(levels['ERROR'], 0)

    def test_numbered_from_one(self):
        self.assertEqual([e.task for e in app_log.task_events(4, 3)], [1, 2, 3, 4])


class LogWorkerTest(unittest.TestCase):
    def test_the_same_seed_gives_the_same_lines_and_n_tasks_give_n_task_lines(self):
        env = {'TASKS': '40', 'TASK_INTERVAL_MS': '0', 'SEED': '1234'}
        first, second = start('app_log.py', **env), start('app_log.py', **env)
        one, two = finish(self, first), finish(self, second)
        self.assertEqual((one.code, two.code), (0, 0))
        self.assertEqual(one.stderr, '')
        self.assertEqual(without_ts(one.records), without_ts(two.records))
        tasks = task_lines(one.records)
        self.assertEqual([r['task'] for r in tasks], list(range(1, 41)))
        self.assertTrue(all(r['tasks_total'] == 40 and isinstance(r['duration_ms'], int) for r in tasks))
        self.assertEqual(len({r['level'] for r in tasks}), 3, 'forty tasks with this seed show all three levels')
        summary = one.records[-1]
        self.assertEqual(summary['msg'], 'log generation finished')
        self.assertEqual(summary['level'], 'INFO')
        by_level = collections.Counter(r['level'] for r in tasks)
        self.assertEqual(
            (summary['count_info'], summary['count_warn'], summary['count_error']),
            (by_level['INFO'], by_level['WARN'], by_level['ERROR']),
        )

    def test_without_seed_the_logged_seed_replays_the_run(self):
        result = run(self, 'app_log.py', TASKS='12', TASK_INTERVAL_MS='0')
        self.assertEqual(result.code, 0)
        seed = result.records[0]['seed']
        # The catalog's seed field (0..2^31-1) must accept the seed the log shows, or a run cannot be repeated from it.
        self.assertTrue(0 <= seed <= 2**31 - 1, seed)
        expected = [(e.task, e.level, e.msg, e.duration_ms) for e in app_log.task_events(12, seed)]
        got = [(r['task'], r['level'], r['msg'], r['duration_ms']) for r in task_lines(result.records)]
        self.assertEqual(got, expected)

    def test_fail_true_ends_with_an_error_line_and_exit_1(self):
        result = run(self, 'app_log.py', TASKS='5', TASK_INTERVAL_MS='0', FAIL='true', SEED='1')
        self.assertEqual(result.code, 1)
        self.assertEqual(len(task_lines(result.records)), 5)
        last = result.records[-1]
        self.assertEqual(last['level'], 'ERROR')
        self.assertEqual(last['tasks_done'], 5)
        self.assertEqual(result.termination_message, 'log generation failed as requested (FAIL=true)')
        self.assertEqual(last['count_info'] + last['count_warn'] + last['count_error'], 5)

    def test_bad_env_exits_2_naming_the_variable(self):
        assert_bad_env(self, run(self, 'app_log.py', TASKS='1001'), 'TASKS', '1 to 1000')

    def test_sigterm_between_tasks_stops_with_progress(self):
        result = stop_after_first_line(self, 'app_log.py', TASKS='1000', TASK_INTERVAL_MS='60000')
        last = assert_stopped(self, result)
        self.assertEqual(last['tasks_total'], 1000)
        self.assertLess(last['tasks_done'], 1000)
        self.assertEqual(last['tasks_done'], len(task_lines(result.records)))

    def test_sigint_exits_130(self):
        result = stop_after_first_line(self, 'app_log.py', signal.SIGINT, TASKS='1000', TASK_INTERVAL_MS='60000')
        assert_stopped(self, result, 'SIGINT')


if __name__ == '__main__':
    unittest.main()
