"""deploy/: the files for systemd, containers and Kubernetes (which cannot run here)
stay consistent with the real `hubbub serve`: every YAML file parses, every flag and
HUBBUB_* variable they name exists, and the Kubernetes grace period covers the
drain."""
import glob
import json
import os
import re
import subprocess

import pytest
import yaml

from conftest import HUBBUB

ROOT = os.path.join(os.path.dirname(__file__), "../..")
DEPLOY = os.path.join(ROOT, "deploy")
YAML_FILES = sorted(glob.glob(f"{DEPLOY}/container/*.yaml") + glob.glob(f"{DEPLOY}/kubernetes/*.yaml"))
TEXT_FILES = sorted(p for p in glob.glob(f"{DEPLOY}/**/*", recursive=True)
                    if os.path.isfile(p) and not p.endswith(".toml"))
# Variables read by the hub itself, not through a flag.
EXTRA_VARIABLES = {"HUBBUB_CONFIG", "HUBBUB_DATA_DIR", "HUBBUB_API_KEYS", "HUBBUB_JWT_SECRET", "HUBBUB_DATABASE_URL",
                   "HUBBUB_REDIS_URL", "HUBBUB_BIN", "HUBBUB_LOCAL_DIR", "HUBBUB_LOCAL_PORT", "HUBBUB_LOCAL_NODE_PORT",
                   "HUBBUB_LOCAL_PG_PORT", "HUBBUB_LOCAL_REDIS_PORT", "HUBBUB_LOCAL_SEED"}
SUBCOMMANDS = (("serve",), ("migrate",), ("admin", "seed"), ("mailer",), ("token",), ("api-key",))
# Flags of the other programs the files run (swift, apt, useradd, redis-server, setpriv,
# kubectl, systemctl, container runtimes, scripts/install-deps.sh).
OTHER_FLAGS = {"static-swift-stdlib", "product", "show-bin-path", "build", "purge", "from-literal", "for",
               "security-opt", "no-install-recommends", "system", "uid", "home-dir", "create-home", "interval",
               "timeout", "retries", "from", "format", "save", "appendonly", "reuid", "regid", "init-groups", "port",
               "bind", "dir", "logfile", "now", "test"}


def long_flags(*command):
    out = subprocess.run([HUBBUB, *command, "--experimental-dump-help"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return {n["name"] for a in json.loads(out.stdout)["command"]["arguments"] for n in a.get("names", [])
            if n["kind"] == "long"}


@pytest.fixture(scope="module")
def flags():
    known = set()
    for command in SUBCOMMANDS:
        known |= long_flags(*command)
    return known


@pytest.mark.parametrize("path", YAML_FILES, ids=[os.path.relpath(p, DEPLOY) for p in YAML_FILES])
def test_yaml_parses(path):
    documents = list(yaml.safe_load_all(open(path)))
    assert documents and all(isinstance(d, dict) for d in documents)


def test_every_flag_and_variable_named_in_deploy_exists(flags):
    serve = long_flags("serve")
    variables = {"HUBBUB_" + f.upper().replace("-", "_") for f in serve} | EXTRA_VARIABLES
    unknown = []
    for path in TEXT_FILES:
        text = open(path, errors="replace").read()
        for variable in set(re.findall(r"\bHUBBUB_[A-Z0-9_]+", text)):
            if variable not in variables:
                unknown.append(f"{os.path.relpath(path, ROOT)}: {variable}")
        for flag in set(re.findall(r"(?<![\w-])--([a-z][a-z0-9-]+)", text)):
            if flag not in flags and flag not in OTHER_FLAGS:
                unknown.append(f"{os.path.relpath(path, ROOT)}: --{flag}")
    assert not unknown, "named in deploy/ but not an option of hubbub:\n" + "\n".join(sorted(unknown))


def test_the_kubernetes_grace_period_covers_the_drain():
    deployment = yaml.safe_load(open(f"{DEPLOY}/kubernetes/deployment.yaml"))
    config = yaml.safe_load(open(f"{DEPLOY}/kubernetes/configmap.yaml"))["data"]["hubbub.toml"]
    shutdown = int(re.search(r'shutdown-timeout = "(\d+)s"', config).group(1))
    pod = deployment["spec"]["template"]["spec"]
    pre_stop = pod["containers"][0]["lifecycle"]["preStop"]["sleep"]["seconds"]
    # The drain: preStop, then --shutdown-timeout, then up to 3 s handing the node's
    # users to the other nodes.
    assert pod["terminationGracePeriodSeconds"] > pre_stop + shutdown + 3
    probes = pod["containers"][0]
    assert probes["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert probes["livenessProbe"]["httpGet"]["path"] == "/healthz"


def test_the_kubernetes_config_file_is_accepted_by_hubbub_serve(tmp_path):
    config = yaml.safe_load(open(f"{DEPLOY}/kubernetes/configmap.yaml"))["data"]["hubbub.toml"]
    path = tmp_path / "hubbub.toml"
    path.write_text(config)
    # A bad --threads stops the command in validation, after the file was accepted.
    out = subprocess.run([HUBBUB, "serve", "--config", str(path), "--threads", "0"], capture_output=True, text=True,
                         timeout=30)
    assert "configuration of hubbub serve" not in out.stderr, out.stderr
    assert "--threads must be between 1 and 256" in out.stderr, out.stderr
