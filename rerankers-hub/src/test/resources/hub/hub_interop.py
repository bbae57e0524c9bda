"""Cache interoperability between rerankers-java's hub client and Python's huggingface_hub.

Run by dev.rerankers.hub.PythonInteropTest through /work/shared/tools/pyref (a chroot with
huggingface_hub); the test starts the local fake Hub and reads the JSON this script writes.

  python hub_interop.py fill ENDPOINT CACHE OUT.json   # Python downloads into CACHE (online)
  python hub_interop.py read CACHE OUT.json            # Python reads CACHE (filled by Java) offline

The environment must be set before huggingface_hub is imported (it reads it at import time).
"""
import hashlib
import json
import os
import sys

MODEL = "acme/interop-model"
DATASET = "acme/interop-data"
MODEL_FILES = ["config.json", "model.safetensors", "onnx/model.onnx", "tokenizer.json"]
DATASET_FILES = ["corpus.jsonl", "qrels/test.tsv"]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    mode = sys.argv[1]
    if mode == "fill":
        endpoint, cache, out = sys.argv[2:5]
        os.environ["HF_ENDPOINT"] = endpoint
        os.environ["HF_HUB_OFFLINE"] = "0"
    else:
        cache, out = sys.argv[2:4]
        os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_HUB_CACHE"] = cache
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    os.environ["HF_HUB_DISABLE_XET"] = "1"
    os.environ.pop("HF_TOKEN", None)

    import huggingface_hub
    from huggingface_hub import hf_hub_download, scan_cache_dir, snapshot_download, try_to_load_from_cache
    from huggingface_hub.errors import EntryNotFoundError

    result = {"huggingface_hub": huggingface_hub.__version__, "mode": mode, "files": {}}
    if mode == "fill":
        result["model_snapshot"] = snapshot_download(MODEL)
        try:
            hf_hub_download(MODEL, "tokenizer_config.json")  # absent: recorded in .no_exist/
            result["absent_raised"] = False
        except EntryNotFoundError:
            result["absent_raised"] = True
        for f in DATASET_FILES:
            hf_hub_download(DATASET, f, repo_type="dataset")
    else:
        result["model_snapshot"] = snapshot_download(MODEL)  # offline: complete snapshot or error
        cached = try_to_load_from_cache(MODEL, "tokenizer_config.json")
        result["absent_cached"] = cached is not None and not isinstance(cached, str)  # _CACHED_NO_EXIST
    for f in MODEL_FILES:
        p = hf_hub_download(MODEL, f)
        result["files"][MODEL + "/" + f] = {"path": p, "sha256": sha256(p), "islink": os.path.islink(p)}
    for f in DATASET_FILES:
        p = hf_hub_download(DATASET, f, repo_type="dataset")
        result["files"][DATASET + "/" + f] = {"path": p, "sha256": sha256(p), "islink": os.path.islink(p)}
    info = scan_cache_dir(cache)
    result["scan"] = {
        "warnings": [str(w) for w in info.warnings],
        "repos": sorted(
            [{"id": r.repo_id, "type": r.repo_type, "files": r.nb_files, "refs": sorted(r.refs)} for r in info.repos],
            key=lambda r: r["id"],
        ),
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
