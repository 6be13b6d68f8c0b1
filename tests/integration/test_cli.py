"""The `vault` command as an archivist runs it: finding its configuration, saying no clearly."""

import os
import subprocess
import sys

from tests import databases
from tests.conftest import SAMPLE_CSV, run_vault, write_config


def vault_in(cwd, *args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "vault", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_the_configuration_is_found_in_the_working_folder(tmp_path):
    write_config(tmp_path, [])
    result = vault_in(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    assert databases.exists(tmp_path)


def test_vault_config_names_the_file_and_config_flag_beats_it(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = write_config(tmp_path / "a", [])
    b = write_config(tmp_path / "b", [])
    assert vault_in(tmp_path, "init", env={"VAULT_CONFIG": str(a)}).returncode == 0
    assert databases.exists(tmp_path / "a")
    result = vault_in(tmp_path, "--config", str(b), "init", env={"VAULT_CONFIG": str(a)})
    assert result.returncode == 0
    assert databases.exists(tmp_path / "b")


def test_no_configuration_is_one_clear_line(tmp_path):
    result = vault_in(tmp_path, "init")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "vault: no configuration file at vault.toml: create it, or name one with --config FILE "
        "or VAULT_CONFIG"
    ]


def test_commands_before_init_say_to_run_init(tmp_path):
    config = write_config(tmp_path, [])
    result = run_vault(config, "alarms", check=False)
    assert result.returncode == 2
    assert "run `vault init`" in result.stderr


def test_a_bad_csv_lists_its_lines_and_imports_nothing(tmp_path):
    config = write_config(tmp_path, [])
    run_vault(config, "init")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,title,year,classification,retention,location\n"
        "A-1,好,2001,public,,S\nA-2,坏,2001,secrett,,S\n",
        encoding="utf-8",
    )
    result = run_vault(config, "import", str(bad), check=False)
    assert result.returncode == 2
    assert "line 3: classification 'secrett'" in result.stdout
    assert "nothing imported" in result.stderr
    assert run_vault(config, "import", str(SAMPLE_CSV)).stdout.startswith("registered 12")


def test_approve_then_list_alarms(tmp_path):
    config = write_config(tmp_path, [])
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    result = run_vault(
        config, "approve", "WC-TJ-2002-0137", "--reader", "张华", "--leader", "李局长",
        "--opinion", "同意",
    )  # fmt: skip
    assert "request 1 approved for 张华" in result.stdout
    refused = run_vault(
        config, "approve", "NOPE", "--reader", "a", "--leader", "b", "--opinion", "c", check=False
    )
    assert refused.returncode == 2 and "not registered: NOPE" in refused.stderr
    assert run_vault(config, "alarms").stdout.strip() == "0 open alarm(s)"
