"""The C heap of a batch worker: freed memory kept for the next document instead of handed back to the system.

typst allocates and frees tens of megabytes for every document it sets; with glibc's defaults much of it goes
back to the system after each document and is faulted in (zeroed) again for the next, ~10 % of a VLR's typesetting
CPU in a batch. A worker process that sets document after document (``dugnad publish … --all``) keeps it instead;
its peak memory barely changes, since the next document needs as much again.
"""

from __future__ import annotations

import ctypes
import sys

#: glibc's ``mallopt`` parameters (malloc.h).
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3
#: Free memory at the top of the heap kept before any is returned, extra asked for on each growth, and the size
#: from which an allocation gets its own mapping (returned to the system as soon as it is freed).
TRIM, PAD, MMAP = 1 << 30, 256 << 20, 1 << 30


def keep_freed_memory() -> bool:
    """In this process, keep freed C heap memory for reuse (glibc on Linux; elsewhere nothing). True when set."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return all(mallopt(param, value) == 1
               for param, value in ((_M_TRIM_THRESHOLD, TRIM), (_M_TOP_PAD, PAD), (_M_MMAP_THRESHOLD, MMAP)))
