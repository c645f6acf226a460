"""The deployment files exist, are named in the guide and check as far as this machine allows."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dugnad.cli.reference import reference
from dugnad.env import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
GUIDE = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
UNITS = ["dugnad-web.service", "dugnad-worker.service", "dugnad-backup.service", "dugnad-backup.timer"]


def test_every_deployment_file_is_named_in_the_guide():
    files = sorted(p.name for p in DEPLOY.iterdir())
    assert {"Containerfile", "compose.yaml", "nginx.conf", "dugnad.env", *UNITS} <= set(files)
    assert [f for f in files if f"deploy/{f}" not in GUIDE] == []


def test_every_dugnad_variable_in_the_deployment_files_is_a_declared_setting():
    used = set()
    for path in DEPLOY.iterdir():
        used |= set(re.findall(r"\bDUGNAD_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    assert used - {s.name for s in SETTINGS} == set()


def test_the_compose_file_runs_web_worker_and_postgres_on_one_data_volume():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"db", "web", "worker"}
    assert services["worker"]["command"] == ["dugnad", "worker"]
    assert services["web"]["volumes"] == services["worker"]["volumes"] == ["dugnad-data:/var/lib/dugnad"]
    assert services["db"]["image"].endswith("postgres:16") and "healthcheck" in services["db"]
    assert services["web"]["build"]["dockerfile"] == "deploy/Containerfile"


def test_the_container_and_units_start_commands_that_exist():
    commands = reference()
    assert "## `dugnad worker`" in commands and "## `dugnad backup`" in commands
    containerfile = (DEPLOY / "Containerfile").read_text(encoding="utf-8")
    web = (DEPLOY / "dugnad-web.service").read_text(encoding="utf-8")
    for text in (containerfile, web):
        assert "gunicorn dugnad.config.wsgi -c python:dugnad.config.gunicorn" in text


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_systemd_units_verify(tmp_path):
    venv = str(Path(sys.executable).parent) + "/"
    for name in UNITS:
        (tmp_path / name).write_text((DEPLOY / name).read_text(encoding="utf-8").replace("/opt/dugnad/.venv/bin/", venv),
                                     encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *(str(tmp_path / n) for n in UNITS)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


@pytest.mark.skipif(shutil.which("nginx") is None or shutil.which("openssl") is None, reason="nginx is not installed")
def test_the_reverse_proxy_configuration_passes_nginx_t(tmp_path):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")], check=True,
                   capture_output=True)
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    site = re.sub(r"ssl_certificate (\S+);", f"ssl_certificate {tmp_path}/cert.pem;", site)
    site = re.sub(r"ssl_certificate_key (\S+);", f"ssl_certificate_key {tmp_path}/key.pem;", site)
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "main.conf").write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
                                        f"http {{\n include {tmp_path}/site.conf;\n}}\n", encoding="utf-8")
    result = subprocess.run(["nginx", "-t", "-c", str(tmp_path / "main.conf"), "-p", str(tmp_path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
