# PyKMIP 0.10's message codec timed on the benchmark's bytes: decode (.read) and encode (.write) per message (KMIP 1.2 §9.1).
#
# Run with /usr/bin/python3 (Debian python3-pykmip). stdin: a JSON list of {name, hex, kind: request|response,
# version: "1.2"|"2.0"}. argv[1]: seconds per direction (default 1.5; 0 only checks that each message is read and
# re-encoded to its length, and reports null figures). stdout: ONE JSON object
# {"pykmip": version, "python": version, "seconds": s, "results": {name: {"decode": ops/s, "encode": ops/s,
# "decode_cpu": ops per CPU second, "encode_cpu": …, "bytes": n, "reencoded_bytes": n, "identical": bool}}}.
# Any failure exits non-zero with the reason on stderr, so that the caller never reports a figure for a message
# PyKMIP could not read.
import json
import platform
import sys
import time

import kmip
from kmip.core import enums
from kmip.core.messages.messages import RequestMessage, ResponseMessage
from kmip.core.utils import BytearrayStream

VERSIONS = {
    "1.0": enums.KMIPVersion.KMIP_1_0,
    "1.1": enums.KMIPVersion.KMIP_1_1,
    "1.2": enums.KMIPVersion.KMIP_1_2,
    "1.3": enums.KMIPVersion.KMIP_1_3,
    "1.4": enums.KMIPVersion.KMIP_1_4,
    "2.0": enums.KMIPVersion.KMIP_2_0,
}
CLASSES = {"request": RequestMessage, "response": ResponseMessage}


def timed(fn, seconds):
    """(wall, cpu) ops/s of fn over about `seconds` after a short warm-up; batches keep the clock out of the loop.
    cpu counts this process's CPU time (time.process_time), which moves less than wall time on a shared machine."""
    fn()
    batch = 1
    start = time.perf_counter()
    while time.perf_counter() - start < 0.05:
        fn()
        batch += 1
    ops = 0
    cpu0 = time.process_time()
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(batch):
            fn()
        ops += batch
        now = time.perf_counter()
        if now >= deadline:
            return ops / (now - start), ops / max(time.process_time() - cpu0, 1e-9)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.5
    messages = json.load(sys.stdin)
    results = {}
    for m in messages:
        data = bytes.fromhex(m["hex"])
        cls = CLASSES[m["kind"]]
        version = VERSIONS[m["version"]]

        def decode():
            msg = cls()
            msg.read(BytearrayStream(data), kmip_version=version)
            return msg

        decoded = decode()

        def encode():
            out = BytearrayStream()
            decoded.write(out, kmip_version=version)
            return out

        reencoded = bytes(encode().buffer)
        if len(reencoded) != len(data):
            raise SystemExit(
                "{}: PyKMIP re-encoded {} bytes, input was {}".format(m["name"], len(reencoded), len(data))
            )
        dec = timed(decode, seconds) if seconds > 0 else (None, None)
        enc = timed(encode, seconds) if seconds > 0 else (None, None)
        results[m["name"]] = {
            "decode": dec[0],
            "encode": enc[0],
            "decode_cpu": dec[1],
            "encode_cpu": enc[1],
            "bytes": len(data),
            "reencoded_bytes": len(reencoded),
            "identical": reencoded == data,
        }
    json.dump(
        {"pykmip": kmip.__version__, "python": platform.python_version(), "seconds": seconds, "results": results},
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
