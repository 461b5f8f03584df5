"""Command line, wiring and start-up. Qt is imported only once a window is really wanted,
so `--help` and `--version` work on a machine without a display."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from flexdesk import __version__
from flexdesk.api.errors import InsecureUrl
from flexdesk.api.urls import checked_base_url
from flexdesk.connection import Connection, sandbox_identity
from flexdesk.credentials import KeyringUnavailable, store_key, stored_key
from flexdesk.files import private_dir
from flexdesk.logs import setup_logging

if TYPE_CHECKING:
    from flexdesk.sandbox import SandboxServer
    from flexdesk.ui.window.single_instance import SingleInstance

log = logging.getLogger(__name__)

SANDBOX_TENANT = "sandbox"
SANDBOX_TOKEN = "sandbox"  # noqa: S105 - the sandbox's published demo key, not a secret


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flexdesk",
        description="Edit FlexPortal customer records, online or offline.",
        epilog="The API key is read from the FLEXDESK_TOKEN environment variable.",
    )
    parser.add_argument("--version", action="version", version=f"flexdesk {__version__}")
    parser.add_argument("--sandbox", action="store_true",
                        help="start a local FlexPortal stand-in and connect to it (no account)")
    parser.add_argument("--api-url", metavar="URL",
                        help="FlexPortal API base URL, e.g. https://api-eu.flexportal.io")
    parser.add_argument("--tenant", metavar="ID", help="your FlexPortal tenant ID")
    parser.add_argument("--data-dir", metavar="DIR", type=Path,
                        help="where flexdesk keeps its files (default: the user data folder)")
    parser.add_argument("--sandbox-customers", metavar="N", type=int, default=500,
                        help="how many customers a new sandbox is seeded with (default 500)")
    parser.add_argument("--profile", metavar="NAME",
                        help="connect with a saved profile (made on first start)")
    parser.add_argument("--store-key", action="store_true",
                        help="read the API key for --api-url/--tenant from standard input, "
                        "keep it in the system keyring, and exit")
    parser.add_argument("--debug", action="store_true", help="log at debug level")
    parser.add_argument("--self-test", action="store_true",
                        help="check that this copy of flexdesk works: edit and save a customer "
                        "of a temporary sandbox in a hidden window, print each step, and exit "
                        "(0 when all went well)")
    return parser


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("flexdesk", appauthor=False))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _check_combinations(parser, args)
    # Everything flexdesk writes holds customers' names and emails: no other account on the
    # machine may read it. Qt rewrites settings.ini by a rename, so setting modes file by
    # file would not last; the process's mask does.
    os.umask(0o077)
    if args.self_test:
        return _self_test()
    data_dir: Path = args.data_dir or default_data_dir()
    if args.store_key:
        return _store_key_command(parser, args)
    if args.api_url:  # a mistake on the command line is said before anything starts
        if not args.tenant:
            parser.error("--api-url needs --tenant ID")
        try:
            checked_base_url(args.api_url)
        except InsecureUrl as exc:
            parser.error(str(exc))
    instance = _claim(data_dir)
    if instance is None:
        return 0
    if not args.sandbox and not args.api_url:
        try:
            chosen = _first_run(data_dir, args.profile)
        except ValueError as exc:
            parser.error(str(exc))
        if chosen is None:
            return _run_sandbox(args, data_dir, instance)
        log_path = setup_logging(_log_dir(args.data_dir), debug=args.debug,
                                 secrets=[chosen.token])
        return _run_gui(chosen, data_dir, log_path, instance)
    if args.sandbox:
        return _run_sandbox(args, data_dir, instance)
    return _run_with_url(parser, args, data_dir, instance)


def _run_sandbox(args: argparse.Namespace, data_dir: Path, instance: SingleInstance) -> int:
    """The built-in sandbox on a free port, and a window on it.

    The window comes first, with what it kept of the sandbox last time; the sandbox (its
    models, and seeding a new one) starts on a worker after the window's first paint.
    """
    log_path = setup_logging(_log_dir(args.data_dir), debug=args.debug)
    sandbox_file = data_dir / "sandbox.sqlite3"
    identity = sandbox_identity(sandbox_file)
    started: list[SandboxServer] = []

    def serve() -> Connection:
        from flexdesk.sandbox import SandboxServer

        sandbox = SandboxServer(
            port=0, tenant=SANDBOX_TENANT, token=SANDBOX_TOKEN,
            customers=args.sandbox_customers, db=sandbox_file,
        ).start()
        started.append(sandbox)
        log.info("sandbox listening on %s", sandbox.base_url)
        return Connection(sandbox.base_url, SANDBOX_TENANT, SANDBOX_TOKEN, label="sandbox",
                          identity=identity)

    # Known by its data file (as the store keys it) until it listens on its port.
    waiting = Connection("http://127.0.0.1", SANDBOX_TENANT, SANDBOX_TOKEN, label="sandbox",
                         identity=identity)
    try:
        return _run_gui(waiting, data_dir, log_path, instance, serve=serve)
    finally:
        for sandbox in started:
            sandbox.stop()


def _run_with_url(parser: argparse.ArgumentParser, args: argparse.Namespace, data_dir: Path,
                  instance: SingleInstance) -> int:
    """--api-url and --tenant, the key from FLEXDESK_TOKEN or the keyring."""
    try:
        token = os.environ.get("FLEXDESK_TOKEN", "") or stored_key(args.api_url, args.tenant)
    except (InsecureUrl, ValueError, KeyringUnavailable) as exc:
        parser.error(str(exc))
    if not token:
        parser.error("no API key: set FLEXDESK_TOKEN, or keep one in the system keyring with "
                     "`flexdesk --api-url URL --tenant ID --store-key`")
    try:
        connection = Connection(args.api_url, args.tenant, token)
    except (InsecureUrl, ValueError) as exc:
        parser.error(str(exc))
    log_path = setup_logging(_log_dir(args.data_dir), debug=args.debug, secrets=[token])
    return _run_gui(connection, data_dir, log_path, instance)


def _store_key_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if not args.tenant:
        parser.error("--api-url needs --tenant ID")
    try:
        return _store_key(args.api_url, args.tenant)
    except (InsecureUrl, ValueError, KeyringUnavailable) as exc:
        parser.error(str(exc))


def _check_combinations(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.sandbox and args.api_url:
        parser.error("choose either --sandbox or --api-url, not both")
    if args.profile and (args.sandbox or args.api_url):
        parser.error("--profile names the connection: leave out --sandbox and --api-url")
    if args.store_key and not args.api_url:
        parser.error("--store-key needs --api-url URL --tenant ID")


def _first_run(data_dir: Path, profile: str | None) -> Connection | None:
    """No server on the command line: the named or last profile, or ask (None: sandbox)."""
    from flexdesk.ui.connect.first_run import choose_connection
    from flexdesk.ui.connect.profiles import Profiles
    from flexdesk.ui.window.application import application, open_settings

    private_dir(data_dir)
    settings = open_settings(data_dir)
    if profile:
        connection = Profiles(settings).connection(profile, os.environ.get("FLEXDESK_TOKEN"))
        Profiles(settings).remember_last(profile)
        return connection
    application(sys.argv[:1])
    return choose_connection(settings)


def _claim(data_dir: Path) -> SingleInstance | None:
    """This start's hold on the data folder, or None: another flexdesk has it (its window
    is asked to come forward) and this start ends."""
    from flexdesk.ui.window.single_instance import SingleInstance

    private_dir(data_dir)  # it holds customers' names: the user's alone (0700)
    instance = SingleInstance(data_dir)
    if instance.acquire():
        return instance
    if instance.ask_running_to_come_forward():
        print(f"flexdesk is already running with {data_dir}: its window was brought forward.",
              file=sys.stderr)
    else:
        print(f"flexdesk is already running with {data_dir} (process {instance.holder()}) "
              "and does not answer. Close it first, or use another --data-dir.",
              file=sys.stderr)
    return None


def _store_key(api_url: str, tenant: str) -> int:
    prompt = f"API key for {tenant} at {api_url}: "
    key = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.readline()
    store_key(api_url, tenant, key)
    print(f"Stored in the system keyring for {tenant} at {api_url}.")
    return 0


def _log_dir(data_dir: Path | None) -> Path:
    """`--data-dir` keeps the log with everything else; otherwise the user's log folder."""
    if data_dir is not None:
        return data_dir / "logs"
    return Path(platformdirs.user_log_dir("flexdesk", appauthor=False))


def _self_test() -> int:
    """Everything on a temporary folder of its own: the user's data stays untouched."""
    from flexdesk.ui.window.self_test import run_self_test

    return run_self_test()


def _run_gui(connection: Connection, data_dir: Path, log_path: Path,
             instance: SingleInstance, *, serve: Callable[[], Connection] | None = None) -> int:
    from flexdesk.ui.window.application import run

    try:
        return run(connection, data_dir, log_path, sys.argv[:1], instance, serve=serve)
    finally:
        instance.release()


if __name__ == "__main__":
    sys.exit(main())
