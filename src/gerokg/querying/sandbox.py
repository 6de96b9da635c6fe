"""Confinement of the query workers: no network, bounded memory.

The SPARQL engine (Oxigraph, in Rust) can open HTTP connections itself for ``SERVICE``; a guard
on Python's ``socket`` module would not see them. So each query worker, before it opens the
store, moves itself into a new Linux network namespace (``unshare(CLONE_NEWNET)``; as an
unprivileged user, into a new user namespace first), where no interface is up and every
``connect`` fails with "network unreachable". Where libseccomp is present, a seccomp filter
also makes ``socket()`` fail for every address family but Unix sockets (the worker talks to the
server over an inherited socket pair), so a second layer holds if the first is unavailable.

Memory: ``RLIMIT_DATA`` caps the worker's heap at its size after start-up plus the query
budget; an allocation beyond it fails, the engine aborts, and the pool reports that the query
used more than the budget and replaces the worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import resource
import socket
import sys
from dataclasses import dataclass

__all__ = ["Confinement", "confine_network", "limit_memory", "network_reachable"]

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


@dataclass(frozen=True)
class Confinement:
    """What a worker managed to put in place (reported by ``/health`` and ``serve``)."""

    namespace: str     # "network namespace", "user and network namespace" or "" (none)
    seccomp: bool      # the socket() filter is installed
    network_blocked: bool  # a probe connection to 127.0.0.1 failed

    def describe(self) -> str:
        layers = [x for x in (self.namespace, "seccomp socket filter" if self.seccomp else "") if x]
        if not layers:
            return "none (queries are still parsed and SERVICE refused)"
        return " + ".join(layers) + ("" if self.network_blocked else " (probe connection NOT blocked)")


def _unshare(flags: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.unshare(flags)) == 0
    except (OSError, AttributeError):
        return False


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as fh:
        fh.write(text)


def _enter_namespace() -> str:
    if _unshare(_CLONE_NEWNET):
        return "network namespace"
    uid, gid = os.getuid(), os.getgid()
    if _unshare(_CLONE_NEWUSER | _CLONE_NEWNET):
        # keep the same ids inside, so the store's files stay readable
        with contextlib.suppress(OSError):
            _write("/proc/self/setgroups", "deny")
            _write("/proc/self/uid_map", f"{uid} {uid} 1\n")
            _write("/proc/self/gid_map", f"{gid} {gid} 1\n")
        return "user and network namespace"
    return ""


def _install_seccomp() -> bool:
    """Make socket() fail with EACCES for every family but AF_UNIX (libseccomp via pyseccomp)."""
    try:
        import pyseccomp as seccomp
    except Exception:  # noqa: BLE001 - missing package or missing libseccomp.so: no filter
        return False
    try:
        f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        # a rule per family is not needed: fail socket() unless the family is AF_UNIX
        f.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        f.add_rule(seccomp.ERRNO(errno.EACCES), "socketpair", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        f.load()
    except Exception:  # noqa: BLE001 - an unsupported kernel or architecture: no filter
        return False
    return True


def network_reachable(host: str = "127.0.0.1", port: int = 9) -> bool:
    """True when a TCP connection to ``host:port`` gets past the network stack (refused counts as
    reachable: the packet went out); False when the network is unreachable or sockets are denied."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except ConnectionRefusedError:
        return True
    except OSError as exc:
        return exc.errno not in (errno.ENETUNREACH, errno.EACCES, errno.EPERM, errno.EHOSTUNREACH)


def confine_network() -> Confinement:
    """Cut this process off the network (call before opening anything)."""
    namespace = _enter_namespace()
    filtered = _install_seccomp()
    return Confinement(namespace, filtered, not network_reachable())


def _data_size() -> int:
    """The process's current data segment (VmData), in bytes."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def limit_memory(budget_bytes: int) -> int:
    """Cap the heap at its current size plus ``budget_bytes``; returns the cap (0: not set)."""
    if budget_bytes <= 0:
        return 0
    cap = _data_size() + budget_bytes
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    except (ValueError, OSError):
        return 0
    return cap
