"""Memory benchmark: upload a 200 MB evidence file through the real upload path and show that the
server's memory stays flat (the file is streamed to disk and hashed chunk by chunk).

    .venv/bin/python bench/upload_memory.py [--size-mb 200] [--control]

It builds a throwaway portal (SQLite + media in a temporary ZI_VAR_DIR, EVIDENCE_MAX_BYTES raised),
serves it with Django's threaded WSGI server on 127.0.0.1 in this process, and streams a multipart
POST to evidence:upload from a client that never holds the file in memory either. Reported:
  * tracemalloc peak of Python allocations during the upload (server + client);
  * growth of the process's resident memory (VmRSS sampled every 10 ms, and ru_maxrss);
  * wall time and throughput.
--control also reads the file whole into memory afterwards, to show that the same measurement
does see a 200 MB allocation when there is one.
"""

import argparse
import hashlib
import http.client
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class RssSampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.peak, self._halt = 0.0, threading.Event()

    def run(self):
        while not self._halt.is_set():
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.01)

    def stop(self):
        self._halt.set()
        self.join()
        return max(self.peak, rss_mb())


def setup_portal(var_dir: Path, limit: int):
    os.environ["ZI_VAR_DIR"] = str(var_dir)
    (var_dir / "staticfiles").mkdir(exist_ok=True)  # keeps WhiteNoise quiet
    os.environ["EVIDENCE_MAX_BYTES"] = str(limit)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from accounts.models import Role, User
    from accounts.services import grant_role
    from assessments.instrument_io import create_instrument
    from assessments.models import Assessment, Instrument, Question, Stage
    from units.models import Pemda, UnitType, WorkUnit

    pemda = Pemda.objects.create(code="99.99", name="Kabupaten Bench", kind=Pemda.Kind.KABUPATEN)
    unit = WorkUnit.objects.create(
        pemda=pemda, code="B-01", name="Dinas Bench", type=UnitType.DINAS
    )
    user = User.objects.create_user(username="bench.operator", password=uuid.uuid4().hex)
    grant_role(user=user, role=Role.UNIT_OPERATOR, unit=unit)
    spec = {
        "code": "LKE-BENCH",
        "name": "LKE bench",
        "year": 2026,
        "indicators": [
            {
                "code": "I-1",
                "section": "PEMENUHAN",
                "area": "MP",
                "questions": [
                    {"code": "I-1.a", "answer_type": "YA_TIDAK", "text": "Pertanyaan bench"}
                ],
            }
        ],
    }
    instrument = create_instrument(Instrument, Question, spec)
    assessment = Assessment.objects.create(
        unit=unit,
        year=2026,
        instrument=instrument,
        stage=Stage.DEVELOPMENT,
        proclaimed_on="2026-02-05",
        proclaimed_at="Bench",
        signatory_name="Kepala",
        signatory_title="Kepala Dinas",
    )
    return user, assessment, instrument.questions.get()


def make_file(path: Path, size: int) -> str:
    """A PDF header followed by random bytes, written (and hashed) 1 MB at a time."""
    sha = hashlib.sha256()
    with open(path, "wb") as fh:
        head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"
        fh.write(head)
        sha.update(head)
        left = size - len(head)
        while left > 0:
            chunk = os.urandom(min(MB, left))
            fh.write(chunk)
            sha.update(chunk)
            left -= len(chunk)
    return sha.hexdigest()


def session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def stream_upload(port: int, url: str, path: Path, cookie: str) -> tuple[int, str]:
    """A multipart POST whose body is sent from the file in 1 MB pieces (never read whole)."""
    token = uuid.uuid4().hex  # a 32-character CSRF secret, sent as cookie and header
    boundary = "----zi-bench-" + uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{path.name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + path.stat().st_size + len(tail)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.putrequest("POST", url)
    conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    conn.putheader("Content-Length", str(length))
    conn.putheader("Cookie", f"sessionid={cookie}; csrftoken={token}")
    conn.putheader("X-CSRFToken", token)
    conn.putheader("HX-Request", "true")
    conn.endheaders()
    conn.send(head)
    with open(path, "rb") as fh:
        for piece in iter(lambda: fh.read(MB), b""):
            conn.send(piece)
    conn.send(tail)
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument(
        "--runs", type=int, default=2, help="uploads in one process (the first includes warm-up)"
    )
    parser.add_argument(
        "--control", action="store_true", help="also read the file whole, as a sanity check"
    )
    args = parser.parse_args()
    size = args.size_mb * MB

    var_dir = Path(tempfile.mkdtemp(prefix="zi-bench-"))
    try:
        user, assessment, question = setup_portal(var_dir, limit=size + 10 * MB)
        from django.core.handlers.wsgi import WSGIHandler
        from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
        from django.urls import reverse

        from evidence.models import EvidenceVersion

        class QuietHandler(WSGIRequestHandler):
            def log_message(self, *args):
                pass

        httpd = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, ipv6=False)
        httpd.set_app(WSGIHandler())
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        port = httpd.server_address[1]

        cookie = session_cookie(user)
        url = reverse("evidence:upload", args=[assessment.pk, question.pk])
        print(
            f"upload of {args.size_mb} MB through evidence:upload (streaming handler, Django WSGI server)"
        )
        ok = True
        for run in range(1, args.runs + 1):
            source = var_dir / f"laporan-bench-{run}.pdf"
            expected = make_file(source, size)
            base_rss, base_max = rss_mb(), maxrss_mb()
            sampler = RssSampler()
            sampler.start()
            tracemalloc.start()
            started = time.perf_counter()
            status, body = stream_upload(port, url, source, cookie)
            elapsed = time.perf_counter() - started
            _current, traced_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            peak_rss = sampler.stop()
            end_max = maxrss_mb()
            version = EvidenceVersion.objects.order_by("-pk").first()
            good = (
                status == 200
                and version is not None
                and version.sha256 == expected
                and version.size == size
            )
            ok = ok and good
            label = "first request, includes warm-up" if run == 1 else "warm process"
            print(f"run {run} ({label})")
            print(
                f"  HTTP status                 : {status}  ({'stored, SHA-256 matches' if good else 'FAILED'})"
            )
            if not good:
                print(body[:2000])
            print(
                f"  time                        : {elapsed:.2f} s  ({args.size_mb / elapsed:.0f} MB/s)"
            )
            print(
                f"  tracemalloc peak            : {traced_peak / MB:.2f} MB  (Python allocations during the upload)"
            )
            print(
                f"  VmRSS baseline -> peak      : {base_rss:.1f} MB -> {peak_rss:.1f} MB  (+{peak_rss - base_rss:.1f} MB)"
            )
            print(
                f"  ru_maxrss before -> after   : {base_max:.1f} MB -> {end_max:.1f} MB  (+{end_max - base_max:.1f} MB)"
            )
            if not args.control or run < args.runs:
                source.unlink()
        httpd.shutdown()
        if args.control:
            before = rss_mb()
            data = source.read_bytes()
            print(
                f"control: the same file read whole : VmRSS +{rss_mb() - before:.1f} MB for {len(data) / MB:.0f} MB"
            )
            del data
        return 0 if ok else 1
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
