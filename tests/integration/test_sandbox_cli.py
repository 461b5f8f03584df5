"""`python -m flexdesk.sandbox` as a subprocess: the listening line, a request, a clean exit."""

from __future__ import annotations

import re
import selectors
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from flexdesk.sandbox.cli import main

ROOT = Path(__file__).resolve().parents[2]
LISTENING = re.compile(
    r"^flexdesk sandbox listening on (http://127\.0\.0\.1:(\d+)) \(tenant (\S+)\)$"
)


@pytest.fixture
def sandbox_process(request: pytest.FixtureRequest) -> Iterator[subprocess.Popen[str]]:
    args = [sys.executable, "-m", "flexdesk.sandbox", "--port", "0", "--customers", "25",
            "--tenant", "demo", "--token", "t0k", *request.param]
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)  # reaps it and closes the pipes


def listening_line(process: subprocess.Popen[str]) -> re.Match[str]:
    """The first stdout line, waited for at most 30 seconds (it comes in well under one)."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        assert selector.select(timeout=30), "the sandbox printed nothing"
    line = process.stdout.readline().rstrip("\n")
    match = LISTENING.match(line)
    assert match, f"unexpected first line: {line!r}"
    return match


def finish(process: subprocess.Popen[str], signum: signal.Signals) -> tuple[int, str, str]:
    process.send_signal(signum)
    out, err = process.communicate(timeout=15)
    return process.returncode, out, err


@pytest.mark.slow
@pytest.mark.parametrize("sandbox_process", [[]], indirect=True)
def test_serves_on_the_port_it_prints_and_exits_0_on_sigterm(
    sandbox_process: subprocess.Popen[str],
) -> None:
    match = listening_line(sandbox_process)
    base_url, port, tenant = match.group(1), int(match.group(2)), match.group(3)
    assert port > 0 and tenant == "demo"
    headers = {"Authorization": "Bearer t0k", "Tenant-ID": "demo"}

    page = httpx.get(f"{base_url}/v1/customers", params={"limit": 5}, headers=headers)

    assert page.status_code == 200 and page.json()["count"] == 5
    code, out, err = finish(sandbox_process, signal.SIGTERM)
    assert code == 0, err
    assert out == "" and "Traceback" not in err


@pytest.mark.slow
@pytest.mark.parametrize("sandbox_process", [["--failure-rate", "1"]], indirect=True)
def test_the_failure_rate_flag_reaches_the_faults_and_ctrl_c_ends_it(
    sandbox_process: subprocess.Popen[str],
) -> None:
    base_url = listening_line(sandbox_process).group(1)
    answer = httpx.get(f"{base_url}/v1/customers",
                       headers={"Authorization": "Bearer t0k", "Tenant-ID": "demo"})
    assert answer.status_code == 500
    assert answer.json()["error"]["code"] == "INTERNAL_ERROR"
    code, _, err = finish(sandbox_process, signal.SIGINT)
    assert code == 0 and "Traceback" not in err


@pytest.mark.slow
@pytest.mark.parametrize("sandbox_process", [["--plan", "starter"]], indirect=True)
def test_the_plan_flag_makes_starter_refuse_the_101st_request_of_a_minute(
    sandbox_process: subprocess.Popen[str],
) -> None:
    base_url = listening_line(sandbox_process).group(1)
    with httpx.Client(base_url=base_url,
                      headers={"Authorization": "Bearer t0k", "Tenant-ID": "demo"}) as http:
        codes = [http.get("/v1/customers", params={"limit": "1"}).status_code
                 for _ in range(101)]
    assert codes == [200] * 100 + [429]
    code, _, err = finish(sandbox_process, signal.SIGTERM)
    assert code == 0 and "Traceback" not in err


@pytest.mark.parametrize("args", [["--failure-rate", "2"], ["--latency", "-1"], ["--port", "x"]])
def test_bad_flags_are_a_usage_error(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    assert "flexdesk-sandbox" in capsys.readouterr().err


def test_a_negative_customer_count_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--customers", "-1"]) == 2
    assert "--customers" in capsys.readouterr().err


def test_a_port_in_use_is_reported_not_raised(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        code = main(["--port", str(taken.getsockname()[1]), "--customers", "1"])
    assert code == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "flexdesk-sandbox:" in captured.err
