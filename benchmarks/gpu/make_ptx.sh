#!/usr/bin/env bash
# Generates the PTX that TabularRL.Cuda ships for machines without NVRTC, from the same sources NVRTC compiles at run
# time (src/Cuda/Kernels). Run it on a machine with the CUDA toolkit (nvcc), or with NVRTC alone (libnvrtc, through
# python3 ctypes), then rebuild: src/Cuda/Cuda.csproj embeds src/Cuda/Ptx/*.ptx.
#
#   benchmarks/gpu/make_ptx.sh [ARCH...]     default architectures: 70 80 90 (compute_70 runs on Volta and newer)
#
# Each file is src/Cuda/Ptx/<module>.compute_<ARCH>.ptx and starts with "// tabrl-sources-sha256: <hash>", the SHA-256
# of the kernel sources it came from (KernelSources.Hash); the loader ignores shipped PTX whose hash differs from the
# sources in the assembly, so stale PTX is never loaded. NOT YET RUN: no machine with CUDA has executed this script.
set -euo pipefail
cd "$(dirname "$0")/../.."
KERNELS=src/Cuda/Kernels
OUT=src/Cuda/Ptx
ARCHS=("$@")
[ ${#ARCHS[@]} -eq 0 ] && ARCHS=(70 80 90)
# The same options as PtxSource.Options in src/Cuda/PtxSource.cs.
OPTIONS=(--std=c++17 --fmad=true --prec-div=true --prec-sqrt=true)
HASH=$(cd "$KERNELS" && cat $(LC_ALL=C ls *.cu *.cuh | LC_ALL=C sort) | sha256sum | cut -d' ' -f1)
mkdir -p "$OUT"

compile_nvcc() { # module arch output
  nvcc --ptx "-arch=compute_$2" "${OPTIONS[@]}" -I "$KERNELS" "$KERNELS/$1" -o "$3"
}

compile_nvrtc() { # module arch output
  python3 - "$KERNELS" "$1" "$2" "$3" "${OPTIONS[@]}" <<'PY'
import ctypes, ctypes.util, glob, os, sys
kernels, module, arch, output, options = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
names = [os.environ.get("TABRL_NVRTC", ""), "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"]
names += sorted(glob.glob("/usr/local/cuda*/lib64/libnvrtc.so*"), reverse=True)
lib = None
for name in names:
    if not name: continue
    try:
        lib = ctypes.CDLL(name); break
    except OSError:
        pass
if lib is None: sys.exit("error: neither nvcc nor libnvrtc found")
def check(result, call):
    if result != 0: sys.exit(f"error: {call} failed: {result}")
headers = ["rows.cuh"]
texts = [open(os.path.join(kernels, h), "rb").read() for h in headers]
program = ctypes.c_void_p()
check(lib.nvrtcCreateProgram(ctypes.byref(program), open(os.path.join(kernels, module), "rb").read(), module.encode(),
      len(headers), (ctypes.c_char_p * len(headers))(*texts), (ctypes.c_char_p * len(headers))(*[h.encode() for h in headers])), "nvrtcCreateProgram")
opts = [o.encode() for o in options] + [f"--gpu-architecture=compute_{arch}".encode()]
result = lib.nvrtcCompileProgram(program, len(opts), (ctypes.c_char_p * len(opts))(*opts))
if result != 0:
    size = ctypes.c_size_t(); lib.nvrtcGetProgramLogSize(program, ctypes.byref(size))
    log = ctypes.create_string_buffer(size.value); lib.nvrtcGetProgramLog(program, log)
    sys.exit(f"error: nvrtcCompileProgram failed ({result}):\n{log.value.decode()}")
size = ctypes.c_size_t(); check(lib.nvrtcGetPTXSize(program, ctypes.byref(size)), "nvrtcGetPTXSize")
ptx = ctypes.create_string_buffer(size.value); check(lib.nvrtcGetPTX(program, ptx), "nvrtcGetPTX")
open(output, "wb").write(ptx.value)
PY
}

for module in bellman.cu batched.cu; do
  for arch in "${ARCHS[@]}"; do
    target="$OUT/${module%.cu}.compute_$arch.ptx"
    raw=$(mktemp)
    trap 'rm -f "$raw"' EXIT
    if command -v nvcc >/dev/null 2>&1; then compile_nvcc "$module" "$arch" "$raw"; else compile_nvrtc "$module" "$arch" "$raw"; fi
    { echo "// tabrl-sources-sha256: $HASH"; cat "$raw"; } > "$target"
    rm -f "$raw"
    echo "wrote $target"
  done
done
