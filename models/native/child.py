"""The child process of the native cross-check: load the compiled helpers and run each request.

Reads one JSON request on stdin, prints one JSON line per run as soon as it finishes, so that a crash or
a hang loses only the run in progress.
"""

from __future__ import annotations

import _ctypes
import ctypes
import json
import resource
import sys

from models.native.records import record_length

REGS = 13


FORMATTER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p)


def args_type(members: int) -> type[ctypes.Structure]:
    """The code's struct tdx_module_args: ``members`` u64 one after another (models/native/argslayout.py)."""
    return type("Args", (ctypes.Structure,), {"_fields_": [(f"r{i}", ctypes.c_uint64) for i in range(members)]})


def limits() -> None:
    """Set by the child itself before it reads its request: no core files, bounded memory and CPU, few
    descriptors."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))


def main() -> int:
    limits()
    request = json.loads(sys.stdin.read())
    for run in request["runs"]:
        # Every scenario starts from a fresh machine, as in the mirror: reloading the library resets the
        # helpers' globals and statics (and the harness's own state) to their initial values.
        try:
            lib = ctypes.CDLL(request["lib"])
        except OSError as exc:  # a symbol nothing defines: no run of this library can start (models.native.run)
            sys.stdout.write(json.dumps({"load_error": str(exc).replace(request["lib"] + ": ", "")}) + "\n")
            return 0
        lib.sh_records.restype = ctypes.c_char_p
        n = len(run["codes"])
        codes = (ctypes.c_uint64 * max(n, 1))(*run["codes"])
        regs = (ctypes.c_uint64 * (max(n, 1) * REGS))(*[v for row in run["regs"] for v in row])
        masks = (ctypes.c_uint32 * max(n, 1))(*run["masks"])
        lib.sh_reset(n, codes, regs, masks)
        lib.sh_set_cpu(run["cpu"])
        lib.sh_set_context(*run["context"])  # the preempt count and IRQ state the context starts with
        for name, has in run["features"]:
            lib.sh_set_feature(name.encode(), has)
        # printk()'s return value: the record's length, as the mirror computes it (models.native.run).
        pr_fmt = run["pr_fmt"]
        formatter = FORMATTER(lambda rec, fmt=pr_fmt: record_length(rec.decode("utf-8", errors="replace"), fmt))
        lib.sh_set_formatter(formatter)
        # The registers the code's struct holds, in its order (indices into the script's 13, sh_native.c).
        layout = run["layout"]
        lib.sh_set_layout(len(layout), (ctypes.c_int * max(len(layout), 1))(*layout))
        args_t = args_type(len(layout))
        args = args_t(*run["regs_in"])
        fn = lib[run["wrapper"]]  # lib.__getattr__ refuses names that begin and end with "__"
        fn.argtypes = [ctypes.c_uint64, ctypes.POINTER(args_t)]
        fn.restype = None
        lib.sh_state()  # the file-scope integers before the run, then after it
        lib.sh_started()  # the static keys the script sets are set (sh_state() set them)
        # Through sh_call(), which a deadlock returns to (sh_native.c deadlock()): the run ends there, as the mirror's.
        lib.sh_call.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_void_p, ctypes.c_char_p]
        lib.sh_call.restype = None
        lib.sh_call(ctypes.cast(fn, ctypes.c_void_p), ctypes.c_uint64(run["leaf"]), ctypes.byref(args),
                    run["entry"].encode())
        lib.sh_state()
        records = lib.sh_records().decode("utf-8", errors="replace")
        out = {"key": run["key"], "records": records, "regs": [getattr(args, f"r{i}") for i in range(len(layout))]}
        _ctypes.dlclose(lib._handle)
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
