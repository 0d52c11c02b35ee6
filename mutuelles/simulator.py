"""The "mutuelle simulator": a small real HTTP receiver of our statement webhooks.

It does what a careful mutuelle would do with a delivery (Standard Webhooks 1.0): refuse a
timestamp more than five minutes away from its clock (400), refuse a bad signature (401),
deduplicate by `webhook-id` and by each statement's id (a duplicate is answered 200 and
counted, never recorded twice), and record what it got, in memory and optionally as JSON
lines. It can be told to fail (500), answer slowly, hang past the sender's timeout, or be
down (the listening socket closed: connection refused), through `POST /_control` or its
methods; `GET /_received` says what it recorded.

Tests start it in a thread (`MutuelleSimulator(secret).start()`); humans and `make run` use
`manage.py run_mutuelle_simulator`. It touches no database: it only knows its secret.
"""

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

OK = "ok"
FAIL = "fail"
SLOW = "slow"
TIMEOUT = "timeout"
DOWN = "down"
MODES = (OK, FAIL, SLOW, TIMEOUT, DOWN)

# The Standard Webhooks tolerance: older or newer than this is a replay or a skewed clock.
TIMESTAMP_TOLERANCE = timedelta(minutes=5)
DEFAULT_SLOW_DELAY = 2.0  # seconds: slow but under the sender's read timeout
DEFAULT_TIMEOUT_DELAY = 30.0  # seconds: past the sender's read timeout
MAX_BODY_BYTES = 20 * 1024 * 1024
# `receive` answers this when down: the handler drops a kept-alive connection unanswered.
DOWN_NO_ANSWER = 0


class SimulatorState:
    """What the receiver has seen, shared by its request threads (under one lock)."""

    def __init__(self, record_path: Path | None = None):
        self.lock = threading.Lock()
        self.record_path = record_path
        self.message_ids: set[str] = set()
        self.statement_ids: list[str] = []  # in arrival order, each once
        self._statement_set: set[str] = set()
        self.requests = 0
        self.duplicate_messages = 0
        self.duplicate_statements = 0
        self.rejected_signature = 0
        self.rejected_timestamp = 0
        self.failed_on_purpose = 0

    def record(self, webhook_id: str, payload: dict) -> bool:
        """Record a verified delivery; False when this webhook-id was already processed."""
        with self.lock:
            if webhook_id in self.message_ids:
                self.duplicate_messages += 1
                return False
            self.message_ids.add(webhook_id)
            statements = payload.get("data", {}).get("statements", [])
            new = []
            for statement in statements:
                statement_id = str(statement.get("id"))
                if statement_id in self._statement_set:
                    self.duplicate_statements += 1
                    continue
                self._statement_set.add(statement_id)
                self.statement_ids.append(statement_id)
                new.append(statement_id)
            if self.record_path is not None:
                line = {
                    "webhook_id": webhook_id,
                    "received_at": datetime.now(UTC).isoformat(),
                    "type": payload.get("type"),
                    "statements": new,
                }
                with self.record_path.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(line) + "\n")
            return True

    def snapshot(self) -> dict:
        with self.lock:
            return {
                "statements": list(self.statement_ids),
                "messages": len(self.message_ids),
                "requests": self.requests,
                "duplicate_messages": self.duplicate_messages,
                "duplicate_statements": self.duplicate_statements,
                "rejected_signature": self.rejected_signature,
                "rejected_timestamp": self.rejected_timestamp,
                "failed_on_purpose": self.failed_on_purpose,
            }


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        if self.server.simulator.verbose:
            super().log_message(format, *args)

    def _answer(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(length, MAX_BODY_BYTES))

    def do_GET(self):
        if self.path.split("?")[0] == "/_received":
            self._answer(200, self.server.simulator.state.snapshot())
        else:
            self._answer(404, {"error": "not found"})

    def do_POST(self):
        simulator = self.server.simulator
        body = self._read_body()
        if self.path.split("?")[0] == "/_control":
            try:
                control = json.loads(body or b"{}")
                simulator.set_mode(control.get("mode", OK), control.get("delay"))
            except (ValueError, TypeError, AttributeError) as error:
                self._answer(400, {"error": str(error)})
                return
            self._answer(200, {"mode": simulator.mode, "delay": simulator.delay})
            return
        status, payload = simulator.receive(body, dict(self.headers.items()))
        if status == DOWN_NO_ANSWER:
            self.close_connection = True  # a kept-alive connection is dropped, as if down
            return
        self._answer(status, payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, simulator: "MutuelleSimulator"):
        self.simulator = simulator
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address):
        # A sender that gave up (its timeout) closed the connection before the answer: normal.
        if self.simulator.verbose:
            super().handle_error(request, client_address)


class MutuelleSimulator:
    """A receiver on `host:port` (port 0: any free port, read `.port` after `start()`)."""

    def __init__(
        self,
        secret: str,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        mode: str = OK,
        delay: float | None = None,
        record_path: Path | str | None = None,
        verbose: bool = False,
    ):
        self.webhook = Webhook(secret)
        self.host = host
        self.port = port
        self.state = SimulatorState(Path(record_path) if record_path else None)
        self.verbose = verbose
        self.mode = OK
        self.delay = 0.0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._up_timer: threading.Timer | None = None
        self._listener_lock = threading.Lock()
        self.set_mode(mode, delay)

    # --- Lifecycle ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/webhooks/statements"

    def start(self) -> "MutuelleSimulator":
        self._stopping.clear()
        self._listen()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes the requests sleeping in slow / timeout mode
        if self._up_timer is not None:
            self._up_timer.cancel()
        self._close_listener()

    def serve_forever(self) -> None:
        """Run in the calling thread until interrupted (the management command)."""
        self.start()
        try:
            while not self._stopping.wait(0.5):
                pass
        finally:
            self.stop()

    def __enter__(self) -> "MutuelleSimulator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _listen(self) -> None:
        with self._listener_lock:
            if self._server is not None:
                return
            self._server = _Server((self.host, self.port), self)
            self.port = self._server.server_address[1]  # the same port again after "down"
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"mutuelle-simulator-{self.port}",
                daemon=True,
            )
            self._thread.start()

    def _close_listener(self) -> None:
        with self._listener_lock:
            server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

    # --- Behaviour ---------------------------------------------------------------------------

    def set_mode(self, mode: str, delay: float | None = None) -> None:
        """ok | fail (500) | slow (record at once, answer after `delay`) | timeout (hang
        `delay` before doing anything, then answer) | down (refuse connections for `delay`
        seconds, or until `up()`)."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}: one of {', '.join(MODES)}")
        defaults = {SLOW: DEFAULT_SLOW_DELAY, TIMEOUT: DEFAULT_TIMEOUT_DELAY}
        self.delay = float(delay) if delay is not None else defaults.get(mode, 0.0)
        if mode == DOWN:
            self.down(self.delay or None)
            return
        self.mode = mode
        if self._server is None and self._thread is not None and not self._stopping.is_set():
            self._listen()  # coming back from "down"

    def down(self, seconds: float | None = None) -> None:
        """Close the listening socket (senders get "connection refused"), back after `seconds`
        if given, else at `up()`. A request thread may call it: the connection it answers on
        stays open, only new connections are refused."""
        self.mode = DOWN
        self._close_listener()
        if seconds:
            self._up_timer = threading.Timer(seconds, self.up)
            self._up_timer.daemon = True
            self._up_timer.start()

    def up(self) -> None:
        self.mode = OK
        self.delay = 0.0
        if not self._stopping.is_set():
            self._listen()

    def received(self) -> dict:
        return self.state.snapshot()

    def receive(self, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
        """Answer one delivery: (HTTP status, JSON answer)."""
        state = self.state
        with state.lock:
            state.requests += 1
        mode, delay = self.mode, self.delay
        if mode == DOWN:
            return DOWN_NO_ANSWER, {}
        if mode == TIMEOUT and delay:
            self._stopping.wait(delay)  # stuck before doing anything
        if mode == FAIL:
            with state.lock:
                state.failed_on_purpose += 1
            return 500, {"error": "failing on purpose"}
        headers = {name.lower(): value for name, value in headers.items()}
        stale = self._stale_timestamp(headers.get("webhook-timestamp", ""))
        if stale:
            with state.lock:
                state.rejected_timestamp += 1
            return 400, {"error": stale}
        try:
            payload = self.webhook.verify(body, headers)
        except (WebhookVerificationError, ValueError) as error:
            with state.lock:
                state.rejected_signature += 1
            return 401, {"error": f"signature: {error}"}
        first_time = state.record(headers["webhook-id"], payload)
        if mode == SLOW and delay:
            self._stopping.wait(delay)  # processed at once, answered late
        return 200, {"status": "recorded" if first_time else "duplicate"}

    @staticmethod
    def _stale_timestamp(header: str) -> str:
        """Why the timestamp is refused, or "" (checked before the signature: a replay of an
        old, correctly signed message is a 400, a forgery a 401)."""
        try:
            sent = datetime.fromtimestamp(int(header), tz=UTC)
        except (ValueError, OverflowError, OSError):
            return "missing or malformed webhook-timestamp"
        if abs(datetime.now(UTC) - sent) > TIMESTAMP_TOLERANCE:
            return "webhook-timestamp more than 5 minutes away"
        return ""
