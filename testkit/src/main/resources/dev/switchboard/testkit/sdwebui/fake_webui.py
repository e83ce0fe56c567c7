"""A stand-in for AUTOMATIC1111's SD-WebUI launch script, for tests of backends that launch it.

Arguments as webui.sh passes them to launch.py: --api, --port=N (or --port N), and anything else, which is
printed. --mode chooses a misbehaviour: exit (fails at once with exit code 1), never-ready (never listens).
Without --api the /sdapi/v1/ routes answer 404 like the real WebUI.
"""
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

args = sys.argv[1:]
port = None
mode = "serve"
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


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        answers = {"/sdapi/v1/options": OPTIONS, "/sdapi/v1/samplers": SAMPLERS, "/sdapi/v1/sd-models": MODELS}
        if api and self.path in answers:
            self.answer(200, answers[self.path])
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
