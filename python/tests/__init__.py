# The workers are top-level modules in python/ (that is how the image runs them), so the tests put
# that folder on sys.path whatever directory unittest was started from.
import os
import sys

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if PYTHON_DIR not in sys.path:
    sys.path.insert(0, PYTHON_DIR)
