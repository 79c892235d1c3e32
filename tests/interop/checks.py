"""The interop scripts' tally: one line per check, a closing 'N passed, N failed' line,
and exit status 1 when any check failed."""

import sys


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def __call__(self, ok, label, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {label}")
        else:
            self.failed += 1
            print(f"FAIL {label}\n     {detail}")
        return ok

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)
