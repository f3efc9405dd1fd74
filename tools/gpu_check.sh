#!/usr/bin/env bash
# tools/gpu_check.sh — the GPU check of DINO-SAE (issue 12), about 8 minutes on one CUDA machine.
#
#   1. paper-size steps, eager and torch.compile'd, bf16 autocast: the stage-1 autoencoder step (stem + frozen
#      ViT-L/16 trunk with random weights + paper decoder, 256 px, cosine + L1 + LPIPS) and a LightningDiT-XL/1
#      and DiT^DH-XL/1 flow-matching step: images/s, achieved TFLOP/s, MFU against the device's bf16 peak,
#      peak memory  (python -m dino_sae.bench --only gpu)
#   2. a 1-GPU torchrun run of both smoke trainers with the NCCL backend (a one-process group)
#   3. the FSDP2 path of the generator trainer: 2 GPUs under torchrun when the machine has them; otherwise
#      the gloo FSDP2 self-test on the CPU, and the record says that the GPU FSDP2 path did not run
#   writes everything to bench/<device>-<date>.jsonl (one JSON line per measurement or check).
#
# Usage: tools/gpu_check.sh            (from anywhere; PYTHON=... selects the interpreter)
# Status: written and checked on a CPU (the same bench code at smoke sizes); it has NOT run on a GPU yet.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}
export DINO_SAE_OFFLINE=1 PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
"$PY" -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 'gpu_check.sh: no CUDA device visible')"
NGPU=$("$PY" -c "import torch; print(torch.cuda.device_count())")
DEV=$("$PY" -c "import torch, re; print(re.sub('[^A-Za-z0-9]+', '-', torch.cuda.get_device_name(0).replace('NVIDIA ', '')).strip('-'))")
OUT="bench/${DEV}-$(date -u +%Y-%m-%d).jsonl"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
echo "gpu_check: ${NGPU} x ${DEV}; writing ${OUT}"

record() {  # record NAME RC SECONDS RUN_DIR: one JSON line with the outcome and the run's mean images/s
  "$PY" - "$@" >> "$OUT" <<'EOF'
import json, sys, statistics
from pathlib import Path
name, rc, secs, rd = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), Path(sys.argv[4])
row = dict(name=name, ok=rc == 0, returncode=rc, wall_s=secs)
m = rd / "metrics.jsonl"
if m.is_file():
    rates = [r["images_per_s"] for r in map(json.loads, m.read_text().splitlines()) if "images_per_s" in r and r.get("kind") != "val"]
    if rates: row["images_per_s_median"] = statistics.median(rates)
if (rd / "run.json").is_file():
    info = json.loads((rd / "run.json").read_text())
    row.update({k: info.get(k) for k in ("world_size", "nodes", "backend", "gpu", "fsdp", "finished")})
print(json.dumps(row))
EOF
}

run_step() {  # run_step NAME TIMEOUT RUN_DIR CMD...: run, time and record one trainer check
  local name=$1 limit=$2 rd=$3; shift 3
  local t0=$SECONDS rc=0
  timeout "$limit" "$@" > "$TMP/$name.log" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || { echo "gpu_check: $name failed ($rc)"; tail -20 "$TMP/$name.log"; }
  record "$name" "$rc" "$((SECONDS - t0))" "$rd"
}

# 1. paper-size steps (about 5 minutes: two compiles of each network)
timeout 420 "$PY" -m dino_sae.bench --only gpu --device cuda --repeats 5 --note "tools/gpu_check.sh" | tee "$OUT"

# 2. both smoke trainers, 1 GPU, torchrun with an NCCL process group of one
TR=("$PY" -m torch.distributed.run --standalone --nproc_per_node=1)
run_step torchrun-nccl-1gpu/train_sae 120 "$TMP/sae" env DINO_SAE_FORCE_PG=1 "${TR[@]}" -m dino_sae.train_sae \
  --config smoke --run-dir "$TMP/sae" --no-progress --set dist.backend=nccl
run_step torchrun-nccl-1gpu/train_dit 120 "$TMP/dit" env DINO_SAE_FORCE_PG=1 "${TR[@]}" -m dino_sae.train_dit \
  --config smoke --run-dir "$TMP/dit" --sae-run "$TMP/sae" --no-progress --set dist.backend=nccl

# 3. FSDP2 (fully_shard) of the generator: needs 2 ranks
if [ "$NGPU" -ge 2 ]; then
  run_step torchrun-nccl-2gpu-fsdp2/train_dit 150 "$TMP/dit-fsdp" "$PY" -m torch.distributed.run --standalone \
    --nproc_per_node=2 -m dino_sae.train_dit --config smoke --run-dir "$TMP/dit-fsdp" --sae-run "$TMP/sae" \
    --no-progress --set dist.backend=nccl --set dist.fsdp=true --set dit.batch_size=4
else
  t0=$SECONDS; rc=0
  timeout 150 "$PY" -c "from dino_sae.distributed import selftest; print(selftest(2))" > "$TMP/fsdp.log" 2>&1 || rc=$?
  echo "{\"name\": \"fsdp2-selftest-cpu-gloo\", \"ok\": $([ $rc -eq 0 ] && echo true || echo false), \"wall_s\": $((SECONDS - t0)), \"note\": \"one GPU: the GPU FSDP2 path needs 2 GPUs and did not run\"}" >> "$OUT"
fi
echo "gpu_check: done; ${OUT}:"; cat "$OUT"
