#!/usr/bin/env python3
"""Stand-in for `/usr/bin/time -f '%e %M' -o OUT`: runs a command, writes "wall-seconds
peak-RSS-KB" to OUT and exits with the command's status.

usage: timed.py OUT COMMAND [ARG]..."""
import resource
import subprocess
import sys
import time

start = time.monotonic()
status = subprocess.call(sys.argv[2:])
wall = time.monotonic() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(sys.argv[1], "w") as out:
    out.write(f"{wall:.2f} {peak}\n")
sys.exit(status if status >= 0 else 128 - status)
