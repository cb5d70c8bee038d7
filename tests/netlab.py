"""Hosts for multi-host tests: each a Linux network namespace with its own hostname, on one virtual
LAN (a bridge in a namespace of its own) in a documentation range (RFC 5737: 198.51.100.0/24, else
203.0.113.0/24 or 192.0.2.0/24, the first this machine does not route already).

The test process joins the LAN as <subnet>.1 through a veth whose other end sits in the switch's
namespace, so removing that namespace removes every link the lab made. `close()` kills every
process left in the lab's namespaces and deletes them; it runs even when the test fails. Needs root
and iproute2 (`ip netns`) and util-linux (`unshare`, `runuser`).
"""

import os
import secrets
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

DOCUMENTATION_RANGES = ("198.51.100", "203.0.113", "192.0.2")


def free_subnet() -> str:
    """The first documentation /24 that no route of this machine covers yet (a host may sit in one)."""
    routes = subprocess.run(["ip", "-4", "route", "show"], capture_output=True, text=True, check=True).stdout
    for prefix in DOCUMENTATION_RANGES:
        if f"{prefix}." not in routes:
            return prefix
    raise RuntimeError("every documentation range is routed on this machine already")


def _ip(*args: str) -> None:
    done = subprocess.run(["ip", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"`ip {' '.join(args)}` failed (network namespaces need root): {done.stderr.strip()}")


@dataclass
class Host:
    name: str
    namespace: str
    address: str
    workdir: Path
    processes: list[subprocess.Popen] = field(default_factory=list)


class Lab:
    def __init__(self, workdir: Path):
        self.tag = secrets.token_hex(2)
        self.workdir = workdir
        self.switch = f"ntl{self.tag}sw"
        self.hosts: dict[str, Host] = {}
        self._logs: list = []
        self.log_paths: dict[int, Path] = {}  # pid -> its output
        self.subnet = free_subnet()
        self.root_address = f"{self.subnet}.1"
        self.gateway = f"{self.subnet}.254"
        try:
            _ip("netns", "add", self.switch)
            _ip("-n", self.switch, "link", "add", "br0", "type", "bridge")
            _ip("-n", self.switch, "link", "set", "br0", "up")
            _ip("-n", self.switch, "addr", "add", f"{self.gateway}/24", "dev", "br0")
            _ip("-n", self.switch, "route", "add", "unreachable", "default")
            subprocess.run(["ip", "netns", "exec", self.switch, "sysctl", "-qw", "net.ipv4.ip_forward=1"], check=True)
            # The test process's own leg on the LAN.
            here, there = f"ntl{self.tag}r", f"ntl{self.tag}rb"
            _ip("link", "add", here, "type", "veth", "peer", "name", there)
            self._plug(there)
            _ip("addr", "add", f"{self.root_address}/24", "dev", here)
            _ip("link", "set", here, "up")
        except RuntimeError:
            subprocess.run(["ip", "link", "del", f"ntl{self.tag}r"], capture_output=True)
            self.close()
            raise

    def _plug(self, interface: str) -> None:
        _ip("link", "set", interface, "netns", self.switch)
        _ip("-n", self.switch, "link", "set", interface, "master", "br0")
        _ip("-n", self.switch, "link", "set", interface, "up")

    def add_host(self, name: str, octet: int) -> Host:
        namespace = f"ntl{self.tag}{name}"
        inside, outside = f"ntl{self.tag}{octet}a", f"ntl{self.tag}{octet}b"
        _ip("netns", "add", namespace)
        _ip("link", "add", inside, "type", "veth", "peer", "name", outside)
        _ip("link", "set", inside, "netns", namespace)
        self._plug(outside)
        _ip("-n", namespace, "addr", "add", f"{self.subnet}.{octet}/24", "dev", inside)
        _ip("-n", namespace, "link", "set", inside, "up")
        _ip("-n", namespace, "link", "set", "lo", "up")
        # A default route, as every machine has: without one Chromium's WebRTC finds no interface to
        # gather candidates on (it picks the one a default route leaves by), and a meeting is silent.
        # It leads to the switch, which answers "unreachable" at once (nothing leaves the lab).
        _ip("-n", namespace, "route", "add", "default", "via", self.gateway)
        workdir = self.workdir / name
        workdir.mkdir(parents=True, exist_ok=True)
        host = Host(name=name, namespace=namespace, address=f"{self.subnet}.{octet}", workdir=workdir)
        self.hosts[name] = host
        return host

    def spawn(
        self, host: Host, label: str, argv: list[str], env: dict[str, str], cwd: Path | None = None
    ) -> subprocess.Popen:
        """Start argv on the host: in its network namespace, with its own hostname (a UTS namespace),
        in its own process group, its output in <host workdir>/<label>.log."""
        log = (host.workdir / f"{label}.log").open("wb")
        self._logs.append(log)
        command = ["ip", "netns", "exec", host.namespace, "unshare", "--uts", "--"]
        command += ["sh", "-c", 'hostname "$0" && exec "$@"', host.name, *argv]
        process = subprocess.Popen(
            command, cwd=cwd or host.workdir, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        host.processes.append(process)
        self.log_paths[process.pid] = host.workdir / f"{label}.log"
        return process

    def run(self, host: Host, argv: list[str], env: dict[str, str], timeout: float = 120) -> str:
        """Run argv to its end on the host; its output, or an AssertionError with it."""
        command = ["ip", "netns", "exec", host.namespace, *argv]
        done = subprocess.run(command, cwd=host.workdir, env=env, capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, f"{argv} on {host.name}: {done.stdout}{done.stderr}"
        return done.stdout

    def pids(self, host: Host) -> list[int]:
        listed = subprocess.run(["ip", "netns", "pids", host.namespace], capture_output=True, text=True)
        return [int(pid) for pid in listed.stdout.split()]

    def kill_host(self, host: Host) -> None:
        """The machine is gone: every process on it dies at once (kill -9) and its cable is pulled."""
        for pid in self.pids(host):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for process in host.processes:
            process.wait(timeout=30)
        _ip("-n", host.namespace, "link", "set", f"ntl{self.tag}{host.address.rsplit('.', 1)[1]}a", "down")

    def close(self) -> None:
        """Stop everything the lab started and remove its namespaces (and with them every link),
        the removal even when stopping is cut short."""
        try:
            self._stop_processes()
        finally:
            for host in self.hosts.values():
                subprocess.run(["ip", "netns", "del", host.namespace], capture_output=True)
            subprocess.run(["ip", "netns", "del", self.switch], capture_output=True)  # takes the test's leg with it
            for log in self._logs:
                log.close()

    def _stop_processes(self) -> None:
        for host in self.hosts.values():
            for process in host.processes:
                if process.poll() is None:
                    try:
                        os.killpg(process.pid, signal.SIGTERM)
                    except ProcessLookupError:
                        pass
        for host in self.hosts.values():
            for process in host.processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
            for pid in self.pids(host):  # whatever left its process group (a browser, a Celery child)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
