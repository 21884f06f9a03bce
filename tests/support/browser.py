"""The Chromium the browser tests drive: Debian's package, CHROMIUM_PATH, or Playwright's.

``python -m tests.support.browser`` (run by ``make test``) gets one when none is found:
Debian's ``chromium`` through apt-get when running as root, otherwise ``playwright install
chromium``; when that fails it stops with one line saying how.
"""

import os
import shutil
import subprocess
import sys

HOW = (
    "No Chromium for the browser tests: install Debian's (apt-get install chromium) or "
    "Playwright's (.venv/bin/playwright install chromium), or set CHROMIUM_PATH; "
    "make test PYTEST_ARGS='-m \"not browser\"' runs the rest."
)


def system_chromium() -> str | None:
    """CHROMIUM_PATH, else the chromium on PATH, else Debian's, when the file exists."""
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def find_chromium() -> str | None:
    """The system Chromium, else the one `playwright install chromium` downloaded."""
    found = system_chromium()
    if found:
        return found
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = playwright.chromium.executable_path
    return path if os.path.exists(path) else None


def _quietly(command: list[str], **env: str) -> bool:
    done = subprocess.run(command, env=dict(os.environ, **env), capture_output=True)
    return done.returncode == 0


def install() -> bool:
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("No Chromium for the browser tests: installing Debian's (apt-get)…", flush=True)
        return _quietly(["apt-get", "update", "-qq"]) and _quietly(
            ["apt-get", "install", "-y", "-qq", "chromium"], DEBIAN_FRONTEND="noninteractive"
        )
    print("No Chromium for the browser tests: playwright install chromium…", flush=True)
    return _quietly([sys.executable, "-m", "playwright", "install", "chromium"])


def main() -> int:
    if find_chromium() or (install() and find_chromium()):
        return 0
    print(HOW, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
