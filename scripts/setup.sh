#!/usr/bin/env bash
# Installs what Vault needs on a Debian machine, then its virtual environment in .venv.
#   scripts/setup.sh run    fonts for Chinese labels, and Vault itself
#   scripts/setup.sh test   also Chromium and poppler-utils for the tests, PostgreSQL's server
#                           (the tests start their own on loopback), and the test tools
# Debian packages are installed only when missing, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-run}

packages=(fonts-noto-cjk)
if [ "$purpose" = test ]; then
    packages+=(chromium poppler-utils postgresql)
fi
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    missing+=(python3-venv)
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    echo "setup: creating the virtual environment in .venv"
    python3 -m venv .venv
fi
extras=""
[ "$purpose" = test ] && extras="[test]"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
.venv/bin/python -c "import vault.cli" # fails loudly if the install did not work
