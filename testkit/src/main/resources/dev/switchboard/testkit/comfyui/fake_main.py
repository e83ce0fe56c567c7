# A stand-in for ComfyUI's main.py, launched as a real child process by tests of self-starting backends.
# It serves the part of ComfyUI's HTTP API a backend needs on --port (fake_comfy.py, beside it: object_info, prompts
# over /prompt, the /ws WebSocket, /history, /view, /queue, /interrupt) and can misbehave on request (--mode).
# Standard library only.
import argparse
import http.server
import json
import os
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # keeps ComfyUI's folder as the test made it
import fake_comfy  # noqa: E402 (after the line above)

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--mode", default="serve",
                    choices=["serve", "exit", "never-ready", "hostile", "busy-once", "busy-always", "crash-after"])
parser.add_argument("--report", help="file to write argv, environment, cwd and pids to (JSON)")
parser.add_argument("--marker", help="busy-once: file that exists after the first run")
parser.add_argument("--seconds", type=float, default=1.0, help="crash-after: how long to serve")
parser.add_argument("--crash-signal", help="crash-after: serve until the file crash-<pid> appears in this folder "
                                           "(instead of for --seconds)")
parser.add_argument("--grandchild", action="store_true", help="keep a sleeping grandchild (any mode)")
parser.add_argument("--step-seconds", type=float, default=0.02, help="time per sampling step")
args, _ = parser.parse_known_args()

def report(extra=None):
    if not args.report:
        return
    data = {"argv": sys.argv, "env": dict(os.environ), "cwd": os.getcwd(), "pid": os.getpid(),
            "executable": sys.executable}
    data.update(extra or {})
    tmp = args.report + ".tmp"
    with open(tmp, "w") as out:
        json.dump(data, out)
    os.replace(tmp, args.report)


def crash_signalled():
    return os.path.exists(os.path.join(args.crash_signal, "crash-%d" % os.getpid()))


def serve(until=None, on_signal=False):
    fake_comfy.start(args.step_seconds)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), fake_comfy.Handler)
    server.timeout = 0.2
    print("To see the GUI go to: http://127.0.0.1:%d" % args.port, flush=True)
    while not ((until is not None and time.time() >= until) or (on_signal and crash_signalled())):
        server.handle_request()
    print("fake ComfyUI crashing on purpose", file=sys.stderr, flush=True)
    os._exit(3)


def print_address_in_use():
    print("OSError: [Errno 98] error while attempting to bind on address ('127.0.0.1', %d): "
          "address already in use" % args.port, file=sys.stderr, flush=True)


print("fake ComfyUI starting, mode " + args.mode, flush=True)
extra = {}
if args.grandchild and args.mode != "hostile":
    extra["grandchild"] = subprocess.Popen([sys.executable, "-c", "import time\ntime.sleep(3600)\n"]).pid
if args.mode == "exit":
    report()
    print("Traceback (most recent call last):\nRuntimeError: fake start-up failure", file=sys.stderr, flush=True)
    sys.exit(1)
elif args.mode == "never-ready":
    report()
    while True:
        time.sleep(1)
elif args.mode == "hostile":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    grandchild = subprocess.Popen([sys.executable, "-c",
                                   "import signal, time\n"
                                   "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                                   "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                   "time.sleep(3600)\n"])
    report({"grandchild": grandchild.pid})
    serve()
elif args.mode == "busy-once":
    if args.marker and not os.path.exists(args.marker):
        open(args.marker, "w").close()
        report()
        print_address_in_use()
        while True:
            time.sleep(1)
    report()
    serve()
elif args.mode == "busy-always":
    report()
    print_address_in_use()
    while True:
        time.sleep(1)
elif args.mode == "crash-after":
    report(extra)
    if args.crash_signal:
        serve(on_signal=True)
    else:
        serve(time.time() + args.seconds)
else:
    report()
    serve()
