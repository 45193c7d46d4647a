"""The configuration reference against the real `hubbub serve`: every flag, as
swift-argument-parser describes it (`--experimental-dump-help`), appears in
deploy/hubbub.example.toml at its default and in docs/configuration.md; and
the example file is accepted by `hubbub serve --config`. Fails when a flag is
added without its documentation (docs/configuration-file.md says how)."""
import json
import os
import re
import subprocess
import tomllib

import pytest

from conftest import HUBBUB

ROOT = os.path.join(os.path.dirname(__file__), "../..")
EXAMPLE = os.path.join(ROOT, "deploy/hubbub.example.toml")
REFERENCE = os.path.join(ROOT, "docs/configuration.md")
NOT_IN_FILE = {"help", "config"}


def serve_flags():
    """{main long name: (all long names, default or None, kind)} of `hubbub serve`."""
    out = subprocess.run([HUBBUB, "serve", "--experimental-dump-help"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    flags = {}
    for argument in json.loads(out.stdout)["command"]["arguments"]:
        names = [n["name"] for n in argument.get("names", []) if n["kind"] == "long"]
        if argument["kind"] in ("option", "flag") and names and not NOT_IN_FILE & set(names):
            flags[names[0]] = (names, argument.get("defaultValue"), argument["kind"])
    return flags


def flatten(table, prefix=""):
    """{"jwt-secret": value} from {"jwt": {"secret": value}}."""
    keys = {}
    for key, value in table.items():
        if isinstance(value, dict):
            keys.update(flatten(value, prefix + key + "-"))
        else:
            keys[prefix + key] = value
    return keys


def example_keys(uncomment):
    text = open(EXAMPLE).read()
    if uncomment:  # `# threads = 4` documents a setting without a default
        text = re.sub(r"(?m)^#\s?([a-z][a-z0-9-]*\s*=.*)$", r"\1", text)
    return flatten(tomllib.loads(text))


def as_argument(value):
    if isinstance(value, bool):
        return value
    return str(value)


def wired(flags):
    return "log-format" in flags


def test_every_flag_is_in_the_example_file():
    flags = serve_flags()
    if not wired(flags):
        pytest.skip("hubbub serve has no --config / --log-format yet")
    documented = example_keys(uncomment=True)
    missing = sorted(set(flags) - set(documented))
    unknown = sorted(set(documented) - set(flags))
    assert not missing, f"flags missing from deploy/hubbub.example.toml: {missing}"
    assert not unknown, f"keys in deploy/hubbub.example.toml that are no flag: {unknown}"


def test_example_values_are_the_defaults():
    flags = serve_flags()
    if not wired(flags):
        pytest.skip("hubbub serve has no --config / --log-format yet")
    for key, value in example_keys(uncomment=False).items():
        names, default, kind = flags[key]
        if kind == "flag":
            assert value is False, f"{key}: a switch is off by default"
        elif isinstance(value, list):
            assert value == [] and default is None, f"{key}: a repeatable option has no values by default"
        else:
            assert as_argument(value) == default, f"{key} = {value!r} but the default is {default!r}"


def test_every_flag_is_in_the_reference_page():
    flags = serve_flags()
    reference = open(REFERENCE).read()
    missing = sorted(name for name in flags if f"--{name}" not in reference)
    assert not missing, f"flags missing from docs/configuration.md: {missing}"


def test_serve_accepts_the_example_file(tmp_path):
    flags = serve_flags()
    if not wired(flags):
        pytest.skip("hubbub serve has no --config yet")
    # --help after the file is parsed would skip it; a bad --threads makes the
    # command stop in validation, after the configuration was accepted.
    out = subprocess.run([HUBBUB, "serve", "--config", EXAMPLE, "--threads", "0"],
                         capture_output=True, text=True, timeout=30)
    assert "configuration of hubbub serve" not in out.stderr, out.stderr
    assert "--threads must be between 1 and 256" in out.stderr, out.stderr


def test_configuration_errors_name_the_line_and_suggest(tmp_path):
    flags = serve_flags()
    if not wired(flags):
        pytest.skip("hubbub serve has no --config yet")
    config = tmp_path / "hubbub.toml"
    config.write_text('max-conections = 5\n[jwt]\nsecrt = "x"\n')
    out = subprocess.run([HUBBUB, "serve", "--config", str(config)], capture_output=True, text=True, timeout=30)
    assert out.returncode == 64, out.stderr
    assert f"{config}:1:1: unknown setting 'max-conections'; did you mean 'max-connections'?" in out.stderr
    assert f"{config}:3:1: unknown setting 'jwt.secrt'; did you mean 'jwt.secret' (--jwt-secret)?" in out.stderr


def test_environment_overrides_the_file_and_flags_override_both(tmp_path):
    flags = serve_flags()
    if not wired(flags):
        pytest.skip("hubbub serve has no --config yet")
    config = tmp_path / "hubbub.toml"
    config.write_text("threads = 0\nmax-connections = 0\n")
    env = dict(os.environ, HUBBUB_THREADS="300")
    out = subprocess.run([HUBBUB, "serve", "--config", str(config)], capture_output=True, text=True, timeout=30, env=env)
    assert "--threads must be between 1 and 256" in out.stderr, out.stderr  # 300 from the environment
    out = subprocess.run([HUBBUB, "serve", "--config", str(config), "--threads", "2"],
                         capture_output=True, text=True, timeout=30, env=env)
    assert "--max-connections must be at least 1" in out.stderr, out.stderr  # threads fine, from the flag
