# shellcheck shell=bash
# Shared by scripts/services and scripts/ensure-nginx (sourced, not run): acting as root
# where that is possible without a password prompt surprising a script, and installing
# Debian/Ubuntu packages non-interactively.

# Prints an error naming the calling script and exits.
fail() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# True when commands can run as root: we are root, or sudo works without a password, or
# sudo may ask for one on this terminal.
can_be_root() {
  [ "$(id -u)" = 0 ] && return 0
  command -v sudo >/dev/null 2>&1 || return 1
  sudo -n true 2>/dev/null || [ -t 0 ]
}

# Runs a command as root (directly, or through sudo; see can_be_root).
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    sudo "$@"
  fi
}

# True on Debian or Ubuntu (or a derivative) with apt-get.
is_debian() {
  [ -r /etc/debian_version ] && command -v apt-get >/dev/null 2>&1
}

# Installs packages with apt-get, refreshing the package lists once if the first try fails
# (a fresh machine may have none). Says clearly what to do where it cannot install.
apt_install() {
  is_debian || fail "missing: $*. This is not Debian or Ubuntu: install the equivalent packages with your package manager, then run again."
  can_be_root || fail "missing: $*. Installing needs root: run 'sudo apt-get install -y $*' (or run this again as root or with passwordless sudo)."
  echo "installing $* from the distribution's packages..."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 || {
    as_root apt-get update -q >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
  }
}
