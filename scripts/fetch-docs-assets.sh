#!/usr/bin/env bash
# Re-fetch the API docs page's JavaScript/CSS from the npm registry (pinned versions and
# tarball hashes), unpack the files the page serves into sentryapi/static/vendor/ and
# record their SHA-256 in SHA256SUMS there. The files are committed, so neither pip
# installs nor the running server need npm or a network; run this only to change versions.
set -euo pipefail
cd "$(dirname "$0")/.."

# name version sha512-integrity-of-the-tarball files...
PACKAGES=(
  "redoc 2.5.4 sha512-M6jWhG1qoBnH6TFmzJnstyCZ87HmOY/UzDm78mHiYihEdlV/YcS9ogOo1NlElnJMeLsyxHFe2yFc4sNjHTrABQ== bundles/redoc.standalone.js bundles/redoc.standalone.js.LICENSE.txt LICENSE"
  "swagger-ui-dist 5.35.0 sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ== swagger-ui.css swagger-ui-bundle.js swagger-ui-standalone-preset.js swagger-ui-bundle.js.LICENSE.txt swagger-ui-standalone-preset.js.LICENSE.txt LICENSE NOTICE"
)
DEST=sentryapi/static/vendor
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

rm -rf "$DEST"
mkdir -p "$DEST"
for entry in "${PACKAGES[@]}"; do
  read -r name version integrity files <<<"$entry"
  (cd "$WORK" && npm pack --silent "$name@$version" >/dev/null)
  tarball="$WORK/$name-$version.tgz"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$actual" != "$integrity" ]; then
    echo "$name@$version: tarball hash $actual, expected $integrity" >&2
    exit 1
  fi
  target="$DEST/$name-$version"
  mkdir -p "$target"
  for file in $files; do
    tar -xzf "$tarball" -C "$WORK" "package/$file"
    cp "$WORK/package/$file" "$target/$(basename "$file")"
  done
done
(cd "$DEST" && find . -type f ! -name SHA256SUMS | sort | xargs sha256sum > SHA256SUMS)
echo "Wrote $(wc -l < "$DEST/SHA256SUMS") files under $DEST"
