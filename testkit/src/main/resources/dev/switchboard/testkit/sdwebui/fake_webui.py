"""A stand-in for AUTOMATIC1111's SD-WebUI launch script, for tests of backends that launch it.

Arguments as webui.sh passes them to launch.py: --api, --port=N (or --port N), and anything else, which is
printed. --mode chooses a misbehaviour: exit (fails at once with exit code 1), never-ready (never listens).
--step-ms N sets how long each sampling step of a txt2img takes (default 20).
Without --api the /sdapi/v1/ routes answer 404 like the real WebUI. txt2img answers real PNGs of the requested
size (base64), progress reports the running job's steps, interrupt stops it at its next step.
"""
import base64
import json
import os
import struct
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

args = sys.argv[1:]
port = None
mode = "serve"
step_ms = 20
api = "--api" in args
i = 0
while i < len(args):
    arg = args[i]
    if arg.startswith("--port="):
        port = int(arg.split("=", 1)[1])
    elif arg == "--port" and i + 1 < len(args):
        port = int(args[i + 1])
        i += 1
    elif arg == "--mode" and i + 1 < len(args):
        mode = args[i + 1]
        i += 1
    elif arg == "--step-ms" and i + 1 < len(args):
        step_ms = int(args[i + 1])
        i += 1
    i += 1

print("fake webui arguments: " + " ".join(args), flush=True)
print("fake webui CUDA_VISIBLE_DEVICES=" + os.environ.get("CUDA_VISIBLE_DEVICES", ""), flush=True)
if mode == "exit":
    print("fake webui: failing on purpose", flush=True)
    sys.exit(1)
if mode == "never-ready" or port is None:
    while True:
        time.sleep(1)

MODEL = "v1-5-pruned-emaonly.safetensors [6ce0161689]"
OPTIONS = {"sd_model_checkpoint": MODEL, "samples_format": "png"}
SAMPLERS = [{"name": n, "aliases": [], "options": {}} for n in ["DPM++ 2M", "Euler a"]]
MODELS = [{"title": MODEL, "model_name": "v1-5-pruned-emaonly", "hash": "6ce0161689", "sha256": None,
           "filename": "/models/Stable-diffusion/v1-5-pruned-emaonly.safetensors", "config": None}]


STATE = {"job_count": 0, "step": 0, "steps": 0}
LOCK = threading.Lock()
QUEUE = threading.Lock()
INTERRUPTED = threading.Event()


def png(width, height, seed):
    """A real PNG: an RGB gradient picked by the seed."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows += bytes(((x * 255 // max(1, width - 1) + seed) % 256, (y * 255 // max(1, height - 1)) % 256,
                           (seed * 7) % 256))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows)))
            + chunk(b"IEND", b""))


def txt2img(request):
    width, height = int(request.get("width", 512)), int(request.get("height", 512))
    steps, batch = int(request.get("steps", 50)), int(request.get("batch_size", 1))
    seed = int(request.get("seed", -1))
    seed = 1234 if seed == -1 else seed
    with QUEUE:
        INTERRUPTED.clear()
        with LOCK:
            STATE.update(job_count=1, step=0, steps=steps)
        try:
            for step in range(1, steps + 1):
                if INTERRUPTED.wait(step_ms / 1000.0):
                    break
                with LOCK:
                    STATE["step"] = step
            images = [base64.b64encode(png(width, height, seed + index)).decode("ascii") for index in range(batch)]
        finally:
            with LOCK:
                STATE.update(job_count=0, step=0, steps=0)
    return {"images": images, "parameters": request, "info": json.dumps({"seed": seed})}


def progress():
    with LOCK:
        if STATE["job_count"] == 0:
            return {"progress": 0, "eta_relative": 0, "state": {"job_count": 0, "sampling_step": 0,
                                                                 "sampling_steps": 0}, "current_image": None}
        fraction = min(1.0, 0.01 + STATE["step"] / max(1, STATE["steps"]))
        return {"progress": fraction, "eta_relative": 0,
                "state": {"job_count": 1, "job_no": 0, "sampling_step": STATE["step"],
                          "sampling_steps": STATE["steps"]}, "current_image": None}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?", 1)[0]
        answers = {"/sdapi/v1/options": OPTIONS, "/sdapi/v1/samplers": SAMPLERS, "/sdapi/v1/sd-models": MODELS}
        if api and path == "/sdapi/v1/progress":
            self.answer(200, progress())
        elif api and path in answers:
            self.answer(200, answers[path])
        else:
            self.answer(404, {"detail": "Not Found"})

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
        if not api:
            self.answer(404, {"detail": "Not Found"})
        elif self.path == "/sdapi/v1/txt2img":
            self.answer(200, txt2img(json.loads(body or b"{}")))
        elif self.path == "/sdapi/v1/interrupt":
            INTERRUPTED.set()
            self.answer(200, {})
        elif self.path == "/sdapi/v1/refresh-checkpoints":
            self.answer(200, None)
        else:
            self.answer(404, {"detail": "Not Found"})

    def answer(self, status, value):
        body = json.dumps(value).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *unused):
        pass


server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
print("Running on local URL:  http://127.0.0.1:%d" % port, flush=True)
server.serve_forever()
