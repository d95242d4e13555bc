"""Static checks of the image definition: Docker cannot run on the test machines, so these guard the
contract the Pods rely on (every worker inside, non-root numeric user, exec-form command, no pip step)."""

import glob
import json
import os
import re
import unittest

from . import PYTHON_DIR


def instructions():
    with open(os.path.join(PYTHON_DIR, 'Dockerfile'), encoding='utf-8') as handle:
        text = re.sub(r'\\\n', ' ', handle.read())
    result = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith('#'):
            keyword, _, rest = line.partition(' ')
            result.append((keyword.upper(), rest.strip()))
    return result


def args_of(keyword):
    return [rest for key, rest in instructions() if key == keyword]


def copied_sources():
    sources = []
    for rest in args_of('COPY'):
        parts = [part for part in rest.split() if not part.startswith('--')]
        sources.extend(parts[:-1])
    return sources


def worker_files():
    return sorted(os.path.basename(path) for path in glob.glob(os.path.join(PYTHON_DIR, 'app_*.py')))


class DockerfileTest(unittest.TestCase):
    def test_base_image(self):
        self.assertEqual(args_of('FROM'), ['python:3.12-slim'])

    def test_every_worker_and_the_shared_module_are_copied(self):
        sources = copied_sources()
        for name in worker_files() + ['flowkube_worker.py']:
            self.assertIn(name, sources)

    def test_app_file_selects_the_default_entry(self):
        self.assertIn('APP_FILE=app_basic.py', args_of('ARG'))
        self.assertTrue(any(rest.split()[-2:] == ['${APP_FILE}', '/app/main.py'] for rest in args_of('COPY')))
        self.assertEqual([json.loads(rest) for rest in args_of('CMD')], [['python', '/app/main.py']])

    def test_runs_as_a_non_root_numeric_user(self):
        users = args_of('USER')
        self.assertEqual(len(users), 1)
        match = re.fullmatch(r'(\d+):(\d+)', users[0])
        self.assertIsNotNone(match, users[0])
        self.assertNotEqual(match.group(1), '0')

    def test_no_shell_form_and_no_shell_steps(self):
        self.assertEqual(args_of('RUN'), [])
        for keyword in ('CMD', 'ENTRYPOINT'):
            for rest in args_of(keyword):
                self.assertIsInstance(json.loads(rest), list, '%s must be exec form' % keyword)

    def test_python_env_for_a_read_only_root_filesystem(self):
        env = ' '.join(args_of('ENV'))
        self.assertIn('PYTHONUNBUFFERED=1', env)
        self.assertIn('PYTHONDONTWRITEBYTECODE=1', env)


class BuildContextTest(unittest.TestCase):
    def test_dockerignore_lets_every_copied_file_through(self):
        with open(os.path.join(PYTHON_DIR, '.dockerignore'), encoding='utf-8') as handle:
            allowed = {line[1:].strip() for line in handle if line.startswith('!')}
        for name in worker_files() + ['flowkube_worker.py']:
            self.assertIn(name, allowed)

    def test_requirements_stay_empty(self):
        with open(os.path.join(PYTHON_DIR, 'requirements.txt'), encoding='utf-8') as handle:
            packages = [line for line in handle if line.strip() and not line.lstrip().startswith('#')]
        self.assertEqual(packages, [])


if __name__ == '__main__':
    unittest.main()
