# Shared by scripts/demo and scripts/test: install what is missing, configure
# and build. Idempotent: a second run installs nothing and rebuilds nothing.
set -euo pipefail

LADDER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Let ccache share objects between checkouts in different directories (a CI
# clone reuses what a developer's tree compiled).
export CCACHE_BASEDIR="$LADDER_ROOT"
export CCACHE_NOHASHDIR=1
LADDER_PACKAGES=(
  build-essential g++ cmake ninja-build ccache pkg-config
  libsecp256k1-dev libssl-dev libsqlite3-dev nlohmann-json3-dev libcli11-dev
  libspdlog-dev libfmt-dev libasio-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev libbenchmark-dev librapidcheck-dev
  clang libclang-rt-14-dev
)

ladder_install_deps() {
  local missing=()
  for p in "${LADDER_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "ladder: installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# ladder_build DIR [cmake args...]: configure (once) and build in DIR.
ladder_build() {
  local dir="$1"; shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$LADDER_ROOT" -B "$dir" -G Ninja "$@" >/dev/null
  fi
  cmake --build "$dir" -- -j"$(nproc)"
}

# ladder_build_unit DIR [cmake args...]: configure (once) and build only the
# executables of the tests labelled `unit` (for the sanitizer build).
ladder_build_unit() {
  local dir="$1"; shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$LADDER_ROOT" -B "$dir" -G Ninja "$@" >/dev/null
  fi
  cmake --build "$dir" --target build.ninja >/dev/null
  local targets
  targets=$(cd "$dir" && ctest -N -L unit | sed -n 's/^ *Test *#[0-9]*: //p')
  # shellcheck disable=SC2086
  cmake --build "$dir" --target $targets -- -j"$(nproc)"
}

# ladder_build_fuzz DIR: configure (once) a clang build with the libFuzzer
# targets (fuzz/) and build only those.
ladder_build_fuzz() {
  local dir="$1"
  if [ ! -f "$dir/build.ninja" ]; then
    CC=clang CXX=clang++ cmake -S "$LADDER_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DLADDER_FUZZ=ON -DLADDER_TESTS=OFF >/dev/null
  fi
  cmake --build "$dir" --target ladder_fuzzers -- -j"$(nproc)"
}
