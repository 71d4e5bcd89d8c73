"""Sentry's npm clients in tests: the ``sentry`` CLI and ``@sentry/mcp-server`` against a live server.

Both packages are pinned in ``tests/clients/package.json`` / ``package-lock.json`` and installed
by ``make install-dev`` (``npm ci`` when the lock changes). A test that needs them fails, never
skips, when they are missing: a suite that silently stops running the real clients proves nothing.
``SENTRYAPI_NODE_CLIENTS`` names another folder holding such a ``node_modules``.

Neither client may reach the internet from a test: the CLI's telemetry and update check are off
(``SENTRY_CLI_NO_TELEMETRY``, ``SENTRY_CLI_NO_UPDATE_CHECK``, ``DO_NOT_TRACK``) and the MCP server
gets no DSN, so its Sentry SDK sends nothing. Each client gets a HOME and config folder of its own.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

#: Where ``make install-dev`` installs the pinned npm clients (the repository's ``tests/clients``).
DEFAULT_NODE_CLIENTS = Path(__file__).resolve().parents[2] / "tests" / "clients"

#: The variables a client inherits from the test process; everything else is set explicitly.
_INHERITED = ("PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")


def node_clients_dir() -> Path:
    return Path(os.environ.get("SENTRYAPI_NODE_CLIENTS") or DEFAULT_NODE_CLIENTS)


def node_binary(name: str) -> str:
    """The path of an npm client's executable (``sentry``, ``sentry-mcp``), or the test fails."""
    if shutil.which("node") is None:
        pytest.fail("node is not on PATH: Sentry's npm clients need Node.js 20 or later")
    found = node_clients_dir() / "node_modules" / ".bin" / name
    if not found.exists():
        pytest.fail(f"{name} is not installed in {node_clients_dir()}/node_modules: "
                    "run `make install-dev` (it runs `npm ci` in tests/clients)")
    return str(found)


def _base_env(home: Path) -> dict:
    env = {key: os.environ[key] for key in _INHERITED if key in os.environ}
    home.mkdir(parents=True, exist_ok=True)
    env.update({
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"), "NO_COLOR": "1", "CI": "1",
        "DO_NOT_TRACK": "1",
    })
    return env


class CliError(AssertionError):
    """A ``sentry`` command that exited non-zero; its output is in the message."""


class SentryCli:
    """The ``sentry`` CLI (npm ``sentry``) pointed at ``url`` with a config folder of its own.

    ``token`` is given through ``SENTRY_AUTH_TOKEN`` when set; leave it out to test
    ``sentry auth login --token`` and the stored credentials.
    """

    def __init__(self, url: str, home: Path, token: str | None = None, timeout: float = 60):
        self.binary = node_binary("sentry")
        self.url = url
        self.timeout = timeout
        self.env = _base_env(Path(home))
        self.env.update({
            "SENTRY_URL": url, "SENTRY_CONFIG_DIR": str(Path(home) / ".sentry"),
            "SENTRY_CLI_NO_TELEMETRY": "1", "SENTRY_CLI_NO_UPDATE_CHECK": "1",
            "SENTRY_DISABLE_TIPS": "1", "SENTRY_PLAIN_OUTPUT": "1", "SENTRY_LOG_LEVEL": "warn",
        })
        if token:
            self.env["SENTRY_AUTH_TOKEN"] = token

    def result(self, *args: str) -> subprocess.CompletedProcess:
        """Run ``sentry ARGS``; the finished process, whatever its exit status."""
        return subprocess.run([self.binary, *args], env=self.env, capture_output=True, text=True,
                              timeout=self.timeout, stdin=subprocess.DEVNULL)

    def run(self, *args: str) -> str:
        """Run ``sentry ARGS``; its stdout, or :class:`CliError` when it exits non-zero."""
        done = self.result(*args)
        if done.returncode != 0:
            raise CliError(f"sentry {' '.join(args)} exited {done.returncode}:\n"
                           f"stdout: {done.stdout}\nstderr: {done.stderr}")
        return done.stdout

    def json(self, *args: str):
        """Run ``sentry ARGS --json``; the parsed output."""
        out = self.run(*args, "--json")
        try:
            return json.loads(out)
        except ValueError as error:
            raise CliError(f"sentry {' '.join(args)} --json printed no JSON: {out!r}") from error


#: The tool through which 0.39 reaches the tools it does not list (named apart, so the
#: hook scan of ``.call("...")`` does not read it as a plugin hook).
GATEWAY_TOOL = "execute_sentry_tool"


class McpError(AssertionError):
    """A JSON-RPC error from the MCP server, or a server that stopped answering."""


class McpClient:
    """A minimal MCP client over stdio (JSON-RPC 2.0, one message a line) for ``@sentry/mcp-server``.

    The server is started against a self-hosted host: ``--host=HOST:PORT`` with
    ``--insecure-http`` (plain http is only accepted for non-sentry.io hosts, and ``--url`` /
    ``SENTRY_URL`` cannot be combined with it) and ``--access-token``; no LLM key is given, so
    the AI-powered search tools stay off and the tools that take a Sentry query are used as is.
    """

    PROTOCOL_VERSION = "2025-06-18"

    def __init__(self, url: str, token: str, home: Path, *args: str, timeout: float = 60):
        parts = urlsplit(url)
        if parts.scheme != "http" and parts.scheme != "https":
            raise ValueError(f"not an http(s) URL: {url}")
        command = [node_binary("sentry-mcp"), f"--access-token={token}", f"--host={parts.netloc}"]
        if parts.scheme == "http":
            command.append("--insecure-http")
        env = _base_env(Path(home))
        env["SENTRY_MCP_AUTH_CACHE"] = str(Path(home) / "mcp-auth.json")
        self.timeout = timeout
        self.stderr = []
        self._next_id = 0
        self._listed: set[str] | None = None
        self._replies: queue.Queue = queue.Queue()
        self.process = subprocess.Popen([*command, *args], env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        bufsize=1)
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self.server_info = self.initialize()

    def _read_stdout(self):
        for line in self.process.stdout:
            line = line.strip()
            if line:
                try:
                    self._replies.put(json.loads(line))
                except ValueError:
                    self.stderr.append(f"(stdout, not JSON) {line}")
        self._replies.put(None)

    def _read_stderr(self):
        for line in self.process.stderr:
            self.stderr.append(line.rstrip())

    def _send(self, message: dict) -> None:
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def request(self, method: str, params: dict | None = None):
        """Send a request; its ``result``, or :class:`McpError` for an error or no answer."""
        self._next_id += 1
        ident = self._next_id
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params or {}})
        while True:
            try:
                reply = self._replies.get(timeout=self.timeout)
            except queue.Empty:
                raise McpError(f"no answer to {method} in {self.timeout}s; stderr: "
                               + "\n".join(self.stderr[-20:])) from None
            if reply is None:
                raise McpError(f"the MCP server exited during {method}: " + "\n".join(self.stderr[-20:]))
            if reply.get("id") != ident:
                continue  # a notification or a server-initiated request: not ours to answer
            if "error" in reply:
                raise McpError(f"{method}: {reply['error']}")
            return reply["result"]

    def initialize(self) -> dict:
        result = self.request("initialize", {
            "protocolVersion": self.PROTOCOL_VERSION, "capabilities": {},
            "clientInfo": {"name": "sentryapi-tests", "version": "1"},
        })
        self._send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return result

    def list_tools(self) -> list[dict]:
        tools, cursor = [], None
        while True:
            result = self.request("tools/list", {"cursor": cursor} if cursor else {})
            tools.extend(result["tools"])
            cursor = result.get("nextCursor")
            if not cursor:
                return tools

    def call(self, name: str, arguments: dict | None = None) -> dict:
        """``tools/call``: the raw result (``content``, ``isError``)."""
        return self.request("tools/call", {"name": name, "arguments": arguments or {}})

    def text(self, name: str, arguments: dict | None = None) -> str:
        """Call a tool that must succeed; the text of its answer.

        Tools the server does not list directly (0.39 lists a few and reaches the rest through
        its ``execute_sentry_tool`` tool, as an agent would) are called through that tool.
        """
        if self._listed is None:
            self._listed = {tool["name"] for tool in self.list_tools()}
        if name not in self._listed and "execute_sentry_tool" in self._listed:
            result = self.call(GATEWAY_TOOL, {"name": name, "arguments": arguments or {}})
        else:
            result = self.call(name, arguments)
        text = "\n".join(part.get("text", "") for part in result.get("content", []))
        if result.get("isError"):
            raise McpError(f"{name}({arguments}) answered an error: {text}")
        return text

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
