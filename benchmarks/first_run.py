"""Time the README's first command on a fresh clone: install, build the demo, serve a page.

Run from the repository: `python benchmarks/first_run.py`. It clones the committed tree
into a temporary folder, makes a new virtualenv, runs
`pip install . && compassion demo --no-browser` there, and prints how long each stage
took until the login page answers. The baseline is `python -c "import django"` in the
same new virtualenv: the floor for starting anything Django-based.
"""

import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PORT = 8799


def run(command: list[str], cwd: Path) -> float:
    started = time.monotonic()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def wait_for_page(url: str, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"No page at {url} after {timeout:.0f} s.")


def main() -> None:
    repository = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as folder:
        clone = Path(folder) / "compassion"
        subprocess.run(["git", "clone", "-q", str(repository), str(clone)], check=True)
        venv = run([sys.executable, "-m", "venv", ".venv"], clone)
        install = run([".venv/bin/pip", "install", "-q", "."], clone)
        baseline = run([".venv/bin/python", "-c", "import django"], clone)
        started = time.monotonic()
        server = subprocess.Popen(
            [".venv/bin/compassion", "demo", "--no-browser", "--port", str(PORT)],
            cwd=clone,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_page(f"http://127.0.0.1:{PORT}/login/", timeout=600)
            demo = time.monotonic() - started
        finally:
            server.terminate()
            server.wait()
    print(f"virtualenv:                 {venv:7.1f} s")
    print(f"pip install . (pip cache):  {install:7.1f} s")
    print(f"compassion demo to a page:  {demo:7.1f} s")
    print(f"first command, in all:      {venv + install + demo:7.1f} s")
    print(f"baseline `import django`:   {baseline:7.2f} s (demo is {demo / baseline:.0f}x)")


if __name__ == "__main__":
    main()
