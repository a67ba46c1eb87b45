"""A public download under load, side by side with the same file served as a plain static file.

    .venv/bin/python benchmarks/downloads.py [--rounds 2]

One published artifact of 1 MiB (a throw-away database, bench_<name>, and a temporary
MEDIA_ROOT), the download view under production settings (DEBUG off, every middleware, one query
a request, CONN_MAX_AGE=60; wrk sends X-Forwarded-Proto: https as the TLS proxy would), gunicorn
with `--workers` sync workers (default 2, the machine's cores), each URL loaded in turn by
`wrk -t2 -c16 -d10s` on loopback, the set-ups alternating round after round:

1. gunicorn alone: the view streams the file (sendfile through wsgi.file_wrapper), against
   `static_app` below in the same gunicorn: the same bytes from the same disk, the headers a
   static server sends, no framework and no database. The ratio is the view's own price.
2. nginx in front (if `nginx` is installed): the view answers X-Accel-Redirect and nginx sends
   the file, against nginx serving the same file from MEDIA_ROOT as a static file.
3. nginx with a one-minute proxy cache in front of the view (the immutable headers allow any
   cache; a withdrawal reaches it within the minute), against the same nginx static file.

Prints requests/s and MiB/s of every run, the medians and each ratio to its static file (the
issue's goal: at least 0.5). gunicorn comes with the dev extra (`make install`); nginx from
Debian's package (`apt-get install nginx`; the script starts its own, on loopback).
"""

import argparse
import importlib.util
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import typing
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZE = 1024 * 1024
WRK = [shutil.which("wrk") or "/usr/bin/wrk", "-t2", "-c16", "-d10s"]
# The TLS proxy's header: with DEBUG off, Django redirects plain HTTP to HTTPS.
PROXY_HEADER = {"X-Forwarded-Proto": "https"}
STATIC_APP = "benchmarks.downloads:static_app"


def static_app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """The same file, served as a static file server would: no framework, no database, the
    validators taken from the file system (as nginx makes its ETag from mtime and size)."""
    path = os.environ["BENCH_STATIC_FILE"]
    status = os.stat(path)
    headers = [
        ("Content-Type", "application/pdf"),
        ("Content-Length", str(status.st_size)),
        ("ETag", f'"{int(status.st_mtime):x}-{status.st_size:x}"'),
        ("Cache-Control", "public, max-age=31536000, immutable"),
        ("Accept-Ranges", "bytes"),
    ]
    start_response("200 OK", headers)
    stream = open(path, "rb")  # noqa: SIM115  (closed by the server through the file wrapper)
    wrapper = environ.get("wsgi.file_wrapper")
    return wrapper(stream, 64 * 1024) if wrapper else iter(lambda: stream.read(64 * 1024), b"")


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("--rounds", type=int, default=2)
    arguments.add_argument("--workers", type=int, default=2)
    options = arguments.parse_args()
    if importlib.util.find_spec("gunicorn") is None:
        sys.exit("gunicorn is not importable: make install (it is in the dev extra)")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    media = Path(tempfile.mkdtemp(prefix="bench-downloads-"))
    media.chmod(0o755)  # nginx's workers run as another user
    os.environ["MEDIA_ROOT"] = str(media)
    # Here, not at the top: gunicorn imports this module for `static_app`, without benchmarks/
    # on its path.
    from _setup import describe_machine

    print(describe_machine())
    try:
        with published_file(media) as (url_path, stored, database_url):
            run(options, url_path, stored, database_url, media)
    finally:
        shutil.rmtree(media, ignore_errors=True)


@contextmanager
def published_file(media: Path) -> Iterator[tuple[str, Path, str]]:
    """A throw-away database with one published 1 MiB artifact: its URL path, its file on disk,
    and the database's URL for the server."""
    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"bench_{old_name}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        url_path, name = publish()
        settings = connection.settings_dict
        database_url = (
            f"postgresql://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
        yield url_path, media / name, database_url
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def publish() -> tuple[str, str]:
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from evaluations.models import Evaluation
    from tests.factories import EvaluationFactory, artifact_of, publication_of

    content = b"%PDF-1.7\n" + secrets.token_bytes(SIZE - 9)
    with scopes_disabled():
        evaluation = typing.cast(Evaluation, EvaluationFactory())
        publication = publication_of(evaluation)
        artifact = artifact_of(
            publication, "package", content, filename="部门整体支出绩效自评报告.pdf"
        )
    url_path = reverse("portal:download", kwargs={"code": publication.code, "document": "package"})
    return url_path, str(artifact.file.name)


def run(options: Any, url_path: str, stored: Path, database_url: str, media: Path) -> None:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",
        "MEDIA_ROOT": str(media),
        "PUBLISHING_X_ACCEL_PREFIX": "",
        "BENCH_STATIC_FILE": str(stored),
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    accel_env = {**env, "PUBLISHING_X_ACCEL_PREFIX": "/protected/"}
    print(f"file: {SIZE} bytes · gunicorn {gunicorn_version()} · {options.workers} sync workers")
    print(f"load: {' '.join(WRK)} -H 'X-Forwarded-Proto: https' (loopback)")
    static_path = "/static/" + str(stored.relative_to(media))
    with ExitStack() as servers:
        django = servers.enter_context(gunicorn("config.wsgi:application", env, options.workers))
        static = servers.enter_context(gunicorn(STATIC_APP, env, options.workers))
        urls = {
            "gunicorn: view": f"http://127.0.0.1:{django}{url_path}",
            "gunicorn: static_app": f"http://127.0.0.1:{static}/{stored.name}",
        }
        if shutil.which("nginx"):
            accel = servers.enter_context(
                gunicorn("config.wsgi:application", accel_env, options.workers)
            )
            front = servers.enter_context(nginx(media, accel, django, options.workers))
            urls |= {
                "nginx: view + X-Accel": f"http://127.0.0.1:{front}{url_path}",
                "nginx: proxy cache": f"http://127.0.0.1:{front}/cached{url_path}",
                "nginx: static file": f"http://127.0.0.1:{front}{static_path}",
            }
        else:
            print("nginx: not installed, set-ups 2 and 3 left out")
        for url in urls.values():
            check(url)
        rates = measure(urls, options.rounds)
    report(rates)


def measure(urls: dict[str, str], rounds: int) -> dict[str, list[float]]:
    rates: dict[str, list[float]] = {name: [] for name in urls}
    for round_number in range(1, rounds + 1):
        for name, url in urls.items():
            requests, mebibytes, latency = load(url)
            rates[name].append(requests)
            print(
                f"round {round_number} {name:22}: {requests:8.1f} req/s  {mebibytes:7.1f} MiB/s"
                f"  latency avg {latency}"
            )
    return rates


def report(rates: dict[str, list[float]]) -> None:
    median = {name: statistics.median(values) for name, values in rates.items()}
    pairs = [
        ("gunicorn: view", "gunicorn: static_app"),
        ("nginx: view + X-Accel", "nginx: static file"),
        ("nginx: proxy cache", "nginx: static file"),
    ]
    for name, static in pairs:
        if name in median:
            print(
                f"median {name:22}: {median[name]:8.1f} req/s against {static} "
                f"{median[static]:.1f} req/s: ratio {median[name] / median[static]:.2f} (goal ≥ 0.5)"
            )


NGINX_CONF = """
worker_processes {workers};
daemon off;
pid {dir}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  {temp_paths}
  include /etc/nginx/mime.types;
  proxy_cache_path {dir}/cache keys_zone=downloads:1m max_size=100m;
  server {{
    listen 127.0.0.1:{port};
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-Proto https;
    location /public/ {{ proxy_pass http://127.0.0.1:{accel}; }}
    location /protected/ {{
      internal;
      alias {media}/;
      etag off;
      add_header ETag $upstream_http_etag;
      add_header X-Content-Type-Options nosniff;
    }}
    location /cached/ {{
      proxy_pass http://127.0.0.1:{django}/;
      proxy_cache downloads;
      proxy_ignore_headers Cache-Control Expires;
      proxy_cache_valid 200 1m;
    }}
    location /static/ {{ alias {media}/; }}
  }}
}}
"""


@contextmanager
def nginx(media: Path, accel: int, django: int, workers: int) -> Iterator[int]:
    """An nginx of our own on a free loopback port, in front of the two views (docs/downloads.md
    has the production configuration this one follows)."""
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    folder.chmod(0o755)
    temp_paths = (
        " ".join(
            f"{kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi")
        )
        + f" uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;"
    )
    conf = NGINX_CONF.format(
        workers=workers,
        dir=folder,
        temp_paths=temp_paths,
        port=port,
        accel=accel,
        django=django,
        media=media,
    )
    (folder / "nginx.conf").write_text(conf)
    nginx_command = [shutil.which("nginx") or "nginx", "-p", str(folder), "-c", "nginx.conf"]
    process = subprocess.Popen(nginx_command)  # noqa: S603 -- our own configuration
    try:
        wait_for(port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int) -> Iterator[int]:
    """A gunicorn server of `app` on a free loopback port, stopped afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", app, f"--workers={workers}"]
    command += [f"--bind=127.0.0.1:{port}", "--log-level=warning", f"--chdir={ROOT}"]
    process = subprocess.Popen(command, env=env)  # noqa: S603 -- our own app, our own arguments
    try:
        wait_for(port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def check(url: str) -> None:
    """One request first: the server answers 200 with the whole file, or the run stops."""
    request = urllib.request.Request(url, headers=PROXY_HEADER)  # noqa: S310 -- our http URL
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 -- loopback
        size = len(response.read())
        if response.status != 200 or size != SIZE:
            sys.exit(f"{url}: {response.status}, {size} bytes")


def load(url: str) -> tuple[float, float, str]:
    command = [*WRK, "-H", "X-Forwarded-Proto: https", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx" in output:
        sys.exit(output)
    requests = re.search(r"Requests/sec:\s+([\d.]+)", output)
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", output)
    if requests is None or transfer is None:
        sys.exit(output)
    mebibytes = float(transfer.group(1)) * {"KB": 1 / 1024, "MB": 1, "GB": 1024}[transfer.group(2)]
    latency = re.search(r"Latency\s+(\S+)", output)
    return float(requests.group(1)), mebibytes, latency.group(1) if latency else "?"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int) -> None:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"no server on port {port}")


def gunicorn_version() -> str:
    import gunicorn as package

    return str(package.__version__)


if __name__ == "__main__":
    main()
