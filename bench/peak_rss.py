#!/usr/bin/env python3
"""Runs a command and appends its peak resident memory to its own output (no /usr/bin/time needed).

usage: peak_rss.py CMD [ARGS...]   → prints 'peak_rss_gb: X' on stderr after the command ends; exits with its code.
"""
import resource
import subprocess
import sys

code = subprocess.call(sys.argv[1:])
print(f"peak_rss_gb: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e6:.2f}", file=sys.stderr)
sys.exit(code)
