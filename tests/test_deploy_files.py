"""The deployment recipes (docs/deploy.md): the Dockerfile passes hadolint, the Kubernetes manifests
pass the Kubernetes API schemas (kubernetes-validate, strict), and the recipes agree with the code:
every queue has a role that consumes it, probes ask /healthz, KEDA watches the bots' queue."""

import re
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import yaml

from config.celery import QUEUES, app

ROOT = Path(__file__).resolve().parent.parent
KUBE = ROOT / "deploy" / "kubernetes"
BIN = Path(sys.executable).parent


def _documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def _manifests() -> dict[tuple[str, str], dict]:
    found = {}
    for path in sorted(KUBE.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in _documents(path):
            found[(doc["kind"], doc["metadata"]["name"])] = doc
    return found


def _roles() -> dict[str, set[str]]:
    """entrypoint role -> the queues its worker consumes."""
    script = (ROOT / "deploy" / "entrypoint.sh").read_text()
    roles = {}
    for role, body in re.findall(r"^  ([a-z-]+)\)\n(.*?);;", script, re.M | re.S):
        match = re.search(r"worker -Q (\S+)", body)
        roles[role] = set(match.group(1).split(",")) if match else set()
    return roles


def test_dockerfile_passes_hadolint():
    linted = subprocess.run([str(BIN / "hadolint"), "Dockerfile"], cwd=ROOT, capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_kubernetes_manifests_pass_the_api_schemas():
    manifests = _manifests()
    assert {kind for kind, _ in manifests} >= {"Deployment", "Service", "ConfigMap", "Secret", "Job", "ScaledObject"}
    for (kind, _name), doc in manifests.items():
        if kind == "ScaledObject":
            continue  # a KEDA resource: no schema ships with kubernetes-validate (checked below)
        kubernetes_validate.validate(doc, "1.33.0", strict=True)
    listed = yaml.safe_load((KUBE / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == sorted(p.name for p in KUBE.glob("*.yaml") if p.name != "kustomization.yaml")


def test_every_queue_is_consumed_by_a_role_of_the_image_and_of_compose():
    roles = _roles()
    consumed = set().union(*roles.values())
    assert consumed == set(QUEUES)
    assert app.conf.task_routes["bots.tasks.run_bot"]["queue"] in roles["worker-bots"]
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    commands = {service["command"][0] for service in compose.values() if "command" in service}
    assert {"web", "migrate", "beat", "worker", "worker-asr", "worker-bots"} <= commands
    assert set(roles) >= commands - {"redis-server"}
    deployments = {doc["spec"]["template"]["spec"]["containers"][0]["args"][0] for doc in _manifests().values()
                   if doc["kind"] in ("Deployment", "Job")}  # fmt: skip
    assert deployments == {"web", "migrate", "beat", "worker", "worker-asr", "worker-bots"}


def test_probes_ask_healthz_and_bots_scale_on_their_queue_and_drain():
    manifests = _manifests()
    web = manifests[("Deployment", "notula-web")]["spec"]["template"]["spec"]["containers"][0]
    assert web["readinessProbe"]["httpGet"]["path"] == web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    scaler = manifests[("ScaledObject", "notula-worker-bots")]["spec"]
    bots = manifests[("Deployment", scaler["scaleTargetRef"]["name"])]
    trigger = scaler["triggers"][0]
    assert (trigger["type"], trigger["metadata"]["listName"]) == ("redis", "bots")
    config = manifests[("ConfigMap", "notula-config")]["data"]
    assert trigger["metadata"]["addressFromEnv"] in config
    assert int(trigger["metadata"]["listLength"]) == int(config["NOTULA_BOTS_PER_WORKER"])
    pod = bots["spec"]["template"]["spec"]
    # A pod told to stop drains its calls: hours, not Kubernetes' default 30 s.
    assert pod["terminationGracePeriodSeconds"] >= 3 * 3600
    assert manifests[("Deployment", "notula-beat")]["spec"]["replicas"] == 1
    assert manifests[("Deployment", "notula-beat")]["spec"]["strategy"]["type"] == "Recreate"


def test_the_gpu_overlay_patches_the_asr_workers():
    overlay = yaml.safe_load((KUBE / "gpu" / "kustomization.yaml").read_text())
    assert overlay["resources"] == [".."]
    for patch in overlay["patches"]:
        doc = yaml.safe_load((KUBE / "gpu" / patch["path"]).read_text())
        assert (doc["kind"], doc["metadata"]["name"]) in _manifests()
        spec = doc["spec"]["template"]["spec"]
        assert spec["nodeSelector"] and spec["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == "1"


def test_bots_treat_the_configured_plain_http_origins_as_secure(settings, tmp_path):
    """Audio capture needs a secure context: web on another machine without TLS must be named."""
    from bots.browser import chromium_options

    flag = "--unsafely-treat-insecure-origin-as-secure"
    assert not [a for a in chromium_options(user_data_dir=tmp_path).arguments if a.startswith(flag)]
    settings.BOT_SECURE_ORIGINS = ["http://10.0.0.5:8000", "http://10.0.0.6:8000"]
    arguments = chromium_options(user_data_dir=tmp_path).arguments
    assert f"{flag}=http://10.0.0.5:8000,http://10.0.0.6:8000" in arguments
