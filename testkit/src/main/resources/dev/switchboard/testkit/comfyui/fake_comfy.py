# The ComfyUI side of the fake main.py: the node types it lists, a prompt queue run by one worker, the /ws WebSocket
# (RFC 6455, server side) and the HTTP routes, answered in the shapes ComfyUI 0.3.64 uses. Standard library only.
import base64
import hashlib
import http.server
import json
import random
import struct
import sys
import threading
import time
import urllib.parse
import uuid
import zlib

CHECKPOINTS = ["fake/model-a.safetensors"]


def node(required, output_node=False):
    return {"input": {"required": required}, "output_node": output_node}


OBJECT_INFO = {
    "CheckpointLoaderSimple": node({"ckpt_name": [CHECKPOINTS]}),
    "EmptyLatentImage": node({"width": ["INT", {"min": 16}], "height": ["INT", {"min": 16}],
                              "batch_size": ["INT", {"min": 1}]}),
    "CLIPTextEncode": node({"text": ["STRING", {}], "clip": ["CLIP"]}),
    "KSampler": node({}),
    "KSamplerAdvanced": node({"model": ["MODEL"], "noise_seed": ["INT", {}], "steps": ["INT", {"min": 1}]}),
    "SwarmKSampler": node({}),
    "VAEDecode": node({"samples": ["LATENT"], "vae": ["VAE"]}),
    "SaveImage": node({"images": ["IMAGE"], "filename_prefix": ["STRING", {}]}, True),
}
SAMPLERS = ("KSampler", "KSamplerAdvanced", "SwarmKSampler")


def png(width, height, seed, index):
    """A real PNG (8-bit RGB): a vertical blend between two colours that follow from the seed and the index."""
    rng = random.Random(seed * 1000003 + index)
    top = [rng.randrange(256) for _ in range(3)]
    bottom = [rng.randrange(256) for _ in range(3)]
    rows = bytearray()
    for y in range(height):
        t = y / max(1, height - 1)
        rows += b"\x00" + bytes(int(top[c] * (1 - t) + bottom[c] * t) for c in range(3)) * width

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(b"IEND", b""))


class Socket:
    """One WebSocket client (RFC 6455, server side: frames unmasked, one lock per socket for writers)."""

    def __init__(self, connection):
        self.connection = connection
        self.lock = threading.Lock()

    def send(self, opcode, payload):
        header = bytearray([0x80 | opcode])
        size = len(payload)
        if size < 126:
            header.append(size)
        elif size < 65536:
            header += bytes([126]) + struct.pack(">H", size)
        else:
            header += bytes([127]) + struct.pack(">Q", size)
        with self.lock:
            try:
                self.connection.sendall(bytes(header) + payload)
            except OSError:
                pass

    def text(self, message):
        self.send(1, json.dumps(message).encode())


class Comfy:
    """The prompt queue, the history, the saved files and the sockets by client id; one worker runs prompts."""

    def __init__(self):
        self.lock = threading.Condition()
        self.sockets = {}
        self.pending = []
        self.running = None
        self.interrupted = False
        self.history = {}
        self.files = {}
        self.number = 0
        threading.Thread(target=self.work, daemon=True).start()

    def to_client(self, client_id, message):
        with self.lock:
            sockets = list(self.sockets.get(client_id, []))
        for socket in sockets:
            socket.text(message)

    def binary(self, client_id, payload):
        with self.lock:
            sockets = list(self.sockets.get(client_id, []))
        for socket in sockets:
            socket.send(2, payload)

    def status(self, remaining):
        with self.lock:
            sockets = [socket for group in self.sockets.values() for socket in group]
        for socket in sockets:
            socket.text({"type": "status", "data": {"status": {"exec_info": {"queue_remaining": remaining}}}})

    def submit(self, request):
        prompt = request["prompt"]
        with self.lock:
            item = {"number": self.number, "id": str(request.get("prompt_id") or uuid.uuid4()), "prompt": prompt,
                    "client": request.get("client_id", ""),
                    "outputs": sorted(i for i, n in prompt.items() if OBJECT_INFO[n["class_type"]]["output_node"])}
            self.number += 1
            self.pending.append(item)
            remaining = len(self.pending) + (1 if self.running else 0)
            self.lock.notify_all()
        self.status(remaining)
        return item

    def queue(self):
        def entry(item):
            return [item["number"], item["id"], item["prompt"], {"client_id": item["client"]}, item["outputs"]]
        with self.lock:
            return {"queue_running": [entry(self.running)] if self.running else [],
                    "queue_pending": [entry(item) for item in self.pending]}

    def work(self):
        while True:
            with self.lock:
                while not self.pending:
                    self.lock.wait()
                self.running = self.pending.pop(0)
                self.interrupted = False
            try:
                self.run(self.running)
            finally:
                with self.lock:
                    self.running = None

    def run(self, item):
        pid, client, prompt = item["id"], item["client"], item["prompt"]
        stamp = {"prompt_id": pid, "timestamp": int(time.time() * 1000)}
        messages = [["execution_start", stamp], ["execution_cached", dict(stamp, nodes=[])]]
        for kind, data in messages:
            self.to_client(client, {"type": kind, "data": data})
        outputs, order, done = {}, [], set()

        def visit(node_id):
            if node_id in done:
                return
            done.add(node_id)
            for value in prompt[node_id]["inputs"].values():
                if isinstance(value, list) and len(value) == 2 and str(value[0]) in prompt:
                    visit(str(value[0]))
            order.append(node_id)
        for output in item["outputs"]:
            visit(output)
        for node_id in order:
            node = prompt[node_id]
            if self.interrupted:
                messages.append(["execution_interrupted", dict(stamp, node_id=node_id, node_type=node["class_type"])])
                self.to_client(client, {"type": "execution_interrupted", "data": messages[-1][1]})
                break
            self.to_client(client, {"type": "executing", "data": {"node": node_id, "display_node": node_id,
                                                                   "prompt_id": pid}})
            if node["class_type"] in SAMPLERS:
                steps = int(node["inputs"].get("steps", 1))
                for step in range(1, steps + 1):
                    time.sleep(STEP_SECONDS)
                    self.to_client(client, {"type": "progress", "data": {"value": step, "max": steps,
                                                                         "prompt_id": pid, "node": node_id}})
                    self.binary(client, struct.pack(">II", 1, 2) + png(8, 8, step, 0))
            elif node["class_type"] == "SaveImage":
                width, height, batch, seed = self.picture(prompt, node_id)
                images = []
                for index in range(batch):
                    name = "%s_%05d_.png" % (node["inputs"].get("filename_prefix", "ComfyUI"), len(self.files) + 1)
                    self.files[name] = png(width, height, seed, index)
                    images.append({"filename": name, "subfolder": "", "type": "output"})
                outputs[node_id] = {"images": images}
                self.to_client(client, {"type": "executed", "data": {"node": node_id, "display_node": node_id,
                                                                      "output": outputs[node_id], "prompt_id": pid}})
        else:
            messages.append(["execution_success", dict(stamp, timestamp=int(time.time() * 1000))])
            self.to_client(client, {"type": "execution_success", "data": messages[-1][1]})
        status = "success" if messages[-1][0] == "execution_success" else "error"
        with self.lock:
            self.history[pid] = {"prompt": [item["number"], pid, prompt, {"client_id": client}, item["outputs"]],
                                 "outputs": outputs, "meta": {},
                                 "status": {"status_str": status, "completed": status == "success",
                                            "messages": messages}}
            remaining = len(self.pending)
        self.status(remaining)
        self.to_client(client, {"type": "executing", "data": {"node": None, "prompt_id": pid}})

    def picture(self, prompt, node_id, seed=0):
        node = prompt[node_id]
        inputs = node["inputs"]
        if node["class_type"] == "EmptyLatentImage":
            return int(inputs["width"]), int(inputs["height"]), int(inputs.get("batch_size", 1)), seed
        if node["class_type"] in SAMPLERS:
            seed = int(inputs.get("noise_seed", inputs.get("seed", 0)))
        for value in inputs.values():
            if isinstance(value, list) and len(value) == 2 and str(value[0]) in prompt:
                found = self.picture(prompt, str(value[0]), seed)
                if found:
                    return found
        return None if node["class_type"] != "SaveImage" else (64, 64, 1, seed)


COMFY = None
STEP_SECONDS = 0.02


def start(step_seconds):
    global COMFY, STEP_SECONDS
    STEP_SECONDS = step_seconds
    COMFY = Comfy()


def refusal(prompt):
    """None when the prompt is fine, else ComfyUI's HTTP 400 body."""
    for node_id, node in prompt.items():
        if node.get("class_type") not in OBJECT_INFO:
            return {"error": {"type": "invalid_prompt", "message": "Cannot execute because node %s does not exist."
                              % node.get("class_type"), "details": "Node ID '#%s'" % node_id, "extra_info": {}},
                    "node_errors": {}}
    errors = {}
    for node_id, node in prompt.items():
        name = node["inputs"].get("ckpt_name")
        if node["class_type"] == "CheckpointLoaderSimple" and name not in CHECKPOINTS:
            errors[node_id] = {"errors": [{"type": "value_not_in_list", "message": "Value not in list",
                                           "details": "ckpt_name: '%s' not in %s" % (name, CHECKPOINTS),
                                           "extra_info": {"input_name": "ckpt_name"}}],
                               "dependent_outputs": [], "class_type": node["class_type"]}
    if errors:
        return {"error": {"type": "prompt_outputs_failed_validation", "message": "Prompt outputs failed validation",
                          "details": "", "extra_info": {}}, "node_errors": errors}
    return None


class Handler(http.server.BaseHTTPRequestHandler):
    def _send(self, status, body, content_type="application/json"):
        data = json.dumps(body).encode() if content_type == "application/json" else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json(self, body):
        self._send(200, body)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path == "/object_info":
            self._json(OBJECT_INFO)
        elif url.path == "/features":
            self._json({})
        elif url.path == "/ws" and "websocket" in self.headers.get("Upgrade", "").lower():
            self.web_socket(query.get("clientId", [uuid.uuid4().hex])[0])
        elif url.path == "/queue":
            self._json(COMFY.queue())
        elif url.path.startswith("/history/"):
            pid = urllib.parse.unquote(url.path[len("/history/"):])
            with COMFY.lock:
                entry = COMFY.history.get(pid)
            self._json({pid: entry} if entry else {})
        elif url.path == "/view" and query.get("filename", [""])[0] in COMFY.files:
            self._send(200, COMFY.files[query["filename"][0]], "image/png")
        else:
            self.send_error(404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self.send_error(500)
            return
        path = urllib.parse.urlsplit(self.path).path
        if path == "/prompt":
            refused = refusal(body["prompt"]) if isinstance(body.get("prompt"), dict) else {"error": "no prompt"}
            if refused:
                self._send(400, refused)
            else:
                item = COMFY.submit(body)
                self._json({"prompt_id": item["id"], "number": item["number"], "node_errors": {}})
            return
        with COMFY.lock:
            if path == "/queue":
                COMFY.pending = [i for i in COMFY.pending if i["id"] not in body.get("delete", [])]
            elif path == "/history":
                for pid in body.get("delete", []):
                    COMFY.history.pop(pid, None)
            elif path == "/interrupt" and COMFY.running and body.get("prompt_id") in (None, COMFY.running["id"]):
                COMFY.interrupted = True
        self._json({})

    def web_socket(self, client_id):
        accept = base64.b64encode(hashlib.sha1((self.headers["Sec-WebSocket-Key"]
                                                + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
        self.wfile.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        self.wfile.flush()
        socket = Socket(self.connection)
        with COMFY.lock:
            COMFY.sockets.setdefault(client_id, []).append(socket)
            remaining = len(COMFY.pending) + (1 if COMFY.running else 0)
        socket.text({"type": "status", "data": {"status": {"exec_info": {"queue_remaining": remaining}},
                                                "sid": client_id}})
        try:
            while True:
                head = self.rfile.read(2)
                if len(head) < 2:
                    break
                size = head[1] & 0x7F
                if size == 126:
                    size = struct.unpack(">H", self.rfile.read(2))[0]
                elif size == 127:
                    size = struct.unpack(">Q", self.rfile.read(8))[0]
                mask = self.rfile.read(4) if head[1] & 0x80 else bytes(4)
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(size)))
                opcode = head[0] & 0x0F
                if opcode == 8:
                    socket.send(8, payload[:2])
                    break
                if opcode == 9:
                    socket.send(10, payload)
        except OSError:
            pass
        finally:
            with COMFY.lock:
                COMFY.sockets[client_id].remove(socket)
            self.close_connection = True

    def log_message(self, fmt, *values):
        print("request: " + (fmt % values), file=sys.stderr, flush=True)
