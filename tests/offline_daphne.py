"""Daphne with name resolution limited to this machine: `python -m tests.offline_daphne <daphne args>`.

A fuzzed API is asked to reach any URL the fuzzer makes up (a webhook test, an image, a file to
import): here every host but loopback fails to resolve, as in a sealed network, so nothing leaves the
machine whatever the fuzzer generates.
"""

import socket
import sys

LOOPBACK = {"127.0.0.1", "localhost", "::1", None}
_getaddrinfo = socket.getaddrinfo


def _loopback_only(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if name not in LOOPBACK:
        raise socket.gaierror(socket.EAI_NONAME, f"{name}: only loopback resolves in this server")
    return _getaddrinfo(host, *args, **kwargs)


if __name__ == "__main__":
    socket.getaddrinfo = _loopback_only
    from daphne.cli import CommandLineInterface

    sys.argv[0] = "daphne"
    CommandLineInterface.entrypoint()
