"""The psychometrics and anonymity rules are plain Python: they import without Django."""

import subprocess
import sys

PURE = ["instruments", "scoring", "anonymity", "charts"]


def test_the_psychometrics_import_no_django() -> None:
    code = (
        "import sys\n"
        "sys.modules['django'] = None\n"  # any `import django...` now fails
        + "".join(f"import compassion.pulse.{name}\n" for name in PURE)
        + "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
