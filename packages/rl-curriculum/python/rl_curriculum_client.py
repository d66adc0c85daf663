"""Client for `rl-curriculum serve` (standard library only).

Two transports with the same protocol: JSON lines over a child process (``--stdio``, the default) or a
loopback HTTP server (``url="http://127.0.0.1:PORT"``). Replies are checked for matching ids; errors are
raised as :class:`CurriculumError` with the server's ``code`` and ``reason``. Over HTTP the bearer token of a
server started with ``--token`` / ``RL_CURRICULUM_TOKEN`` is sent as ``Authorization: Bearer``: pass
``token=...`` or set ``RL_CURRICULUM_TOKEN`` in the client's environment too.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import shlex
import subprocess
import tempfile
import urllib.error
import urllib.request

DEFAULT_COMMAND = ("npx", "--no-install", "rl-curriculum", "serve", "--stdio")


class CurriculumError(RuntimeError):
    """An error reply of the server (``code`` is a drojs error code, ``reason`` refines protocol failures)."""

    def __init__(self, code: str, message: str, reason: str | None = None, path: str | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.reason = reason
        self.path = path


class CurriculumClient:
    """Calls controller methods; ``call("sample", controller="pg", batchSize=64, step=t)``."""

    def __init__(self, url: str | None = None, command: tuple[str, ...] | list[str] = DEFAULT_COMMAND,
                 timeout: float = 120.0, token: str | None = None):
        self._ids = itertools.count(1)
        # The HTTP bearer token; the environment variable is the one the server reads.
        self._token = token if token is not None else (os.environ.get("RL_CURRICULUM_TOKEN") or None)
        self._timeout = timeout
        self._url = url.rstrip("/") if url else None
        self._proc: subprocess.Popen | None = None
        if self._url is None:
            # stdout carries only replies; the server logs to stderr, which we leave attached.
            self._proc = subprocess.Popen(list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          text=True, encoding="utf-8", bufsize=1)

    def call(self, method: str, **params):
        request_id = next(self._ids)
        # allow_nan=False: JSON has no NaN; send None (null) for unscorable rewards instead.
        line = json.dumps({"id": request_id, "method": method, "params": params}, allow_nan=False)
        if self._url is not None:
            headers = {"Content-Type": "application/json"}
            if self._token is not None:
                headers["Authorization"] = "Bearer " + self._token
            req = urllib.request.Request(self._url + "/rpc", data=line.encode("utf-8"), method="POST",
                                         headers=headers)
            try:
                with urllib.request.urlopen(req, timeout=self._timeout) as resp:
                    reply = json.loads(resp.read().decode("utf-8"))
            except urllib.error.HTTPError as err:  # 401/403/404/405/413/415/421 still carry a JSON error body
                reply = json.loads(err.read().decode("utf-8"))
        else:
            assert self._proc is not None and self._proc.stdin is not None and self._proc.stdout is not None
            self._proc.stdin.write(line + "\n")
            self._proc.stdin.flush()
            answer = self._proc.stdout.readline()
            if not answer:
                raise CurriculumError("E_INTERNAL", "the server process exited", "internal")
            reply = json.loads(answer)
        if "error" in reply:
            e = reply["error"]
            raise CurriculumError(e.get("code", "E_INTERNAL"), e.get("message", ""), e.get("reason"), e.get("path"))
        if reply.get("id") != request_id:
            raise CurriculumError("E_INTERNAL", f"reply id {reply.get('id')!r} does not match request id {request_id!r}")
        return reply["result"]

    def save(self, controller: str, path: str) -> None:
        """Writes the controller's state (and remembered step replies) atomically: temp file, fsync, rename."""
        snapshot = self.call("state", controller=controller)
        directory = os.path.dirname(os.path.abspath(path))
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".rl-curriculum-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(snapshot, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def restore(self, controller: str, path: str) -> None:
        with open(path, encoding="utf-8") as f:
            snapshot = json.load(f)
        self.call("load", controller=controller, replace=True, **snapshot)

    def close(self) -> None:
        if self._proc is not None:
            try:
                self.call("close")
            finally:
                if self._proc.stdin:
                    self._proc.stdin.close()
                self._proc.wait(timeout=10)
                self._proc = None


def _demo() -> None:
    """Prompt-GDRO (resample) for 5 steps with synthetic rewards, then save/restore; prints the EMA per step."""
    command = os.environ.get("RL_CURRICULUM_CMD")
    url = os.environ.get("RL_CURRICULUM_URL")
    client = CurriculumClient(url=url, command=tuple(shlex.split(command))) if command and not url else CurriculumClient(url=url)
    outcomes = random.Random(0)  # identical synthetic rewards on every run and transport
    pool = [f"idx:{i}" for i in range(100)]
    client.call("create", controller="pg", kind="promptGdro", replace=True,
                config={"mode": "resample", "pool": pool, "seed": 3})
    for step in range(1, 6):
        batch = client.call("sample", controller="pg", batchSize=8, step=step)
        results = [{"uid": uid, "rewards": [float(outcomes.random() < 0.3) for _ in range(4)]} for uid in batch["uids"]]
        metrics = client.call("update", controller="pg", results=results, step=step)["metrics"]
        print(step, json.dumps(metrics["ema"], sort_keys=True))
    path = os.environ.get("RL_CURRICULUM_STATE", "pg_state.json")
    client.save("pg", path)
    client.restore("pg", path)
    again = client.call("sample", controller="pg", batchSize=8, step=5)  # remembered step: same reply
    print("retry-ok", again == batch)
    client.close()


if __name__ == "__main__":
    _demo()
