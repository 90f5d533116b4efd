"""``make run``: the address the app is served at is the one it writes into links (confirmation and
password-reset mails, calendar files) and xAPI identifiers, also on another port (README: ``PORT=8000
make run``); an ``LMS_BASE_URL`` set by the operator wins."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _base_url_of_the_server(port: str, base_url: str | None = None) -> str:
    """``LMS_BASE_URL`` as the shell running ``make run``'s server command would see it."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    env = {k: v for k, v in os.environ.items() if k != "LMS_BASE_URL"}
    if base_url:
        env["LMS_BASE_URL"] = base_url
    recipe = subprocess.run(
        ["make", "-n", "run", f"PORT={port}"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    command = next(line for line in recipe.splitlines() if " run --host " in line)
    assert f"--port {port}" in command
    prefix = command.split(" .venv/bin/minamata-lms ")[0]
    shown = subprocess.run(
        ["sh", "-c", f"{prefix} env"], env=env, capture_output=True, text=True, check=True
    ).stdout
    values = [line.split("=", 1)[1] for line in shown.splitlines() if line.startswith("LMS_BASE_URL=")]
    return values[0] if values else ""


def test_make_run_on_another_port_links_to_that_port():
    assert _base_url_of_the_server("8000") == "http://127.0.0.1:8000"


def test_a_base_url_given_by_the_operator_wins():
    assert _base_url_of_the_server("8000", "https://learn.example.org") == "https://learn.example.org"
