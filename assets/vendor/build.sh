#!/usr/bin/env bash
# Regenerates the vendored front-end files in assets/vendor/:
#   plotly-basic-fr.min.js, regenerator-runtime.min.js, theme.min.css,
#   LICENSES.md and SHA256SUMS.
# Usage (from any directory): bash assets/vendor/build.sh (after `make install`: it runs the project's
# Python, PROJECT_PYTHON or .venv/bin/python, for the site's plotly.js formats)
# Needs node and npm with access to the npm registry. Idempotent: every run
# overwrites the outputs with the same bytes for the same pinned versions.
set -euo pipefail

# Pinned versions: change them here, rerun, and commit the outputs.
PLOTLY_VERSION=4.1.1          # plotly.js-basic-dist-min
LOCALES_VERSION=3.7.0         # plotly.js-locales
REGENERATOR_VERSION=0.14.1    # regenerator-runtime
BOOTSTRAP_VERSION=5.3.8       # bootstrap
SASS_VERSION=1.108.2          # sass (build tool only)
ESBUILD_VERSION=0.28.2        # esbuild (build tool only)

VENDOR_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCSS_DIR="$(cd "$VENDOR_DIR/../scss" && pwd)"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "Installing pinned packages in $TMP ..."
cd "$TMP"
printf '{"private": true}\n' > package.json
npm install -E --no-audit --no-fund --loglevel=error --ignore-scripts \
  "plotly.js-basic-dist-min@$PLOTLY_VERSION" \
  "plotly.js-locales@$LOCALES_VERSION" \
  "regenerator-runtime@$REGENERATOR_VERSION" \
  "bootstrap@$BOOTSTRAP_VERSION" \
  "sass@$SASS_VERSION" \
  "esbuild@$ESBUILD_VERSION" >/dev/null
NM="$TMP/node_modules"
ESBUILD="$NM/.bin/esbuild"
SASS="$NM/.bin/sass"

copyright() { grep -m1 '^Copyright' "$NM/$1/LICENSE"; }
licence() { node -p "require('$NM/$1/package.json').license"; }

# Fail early if npm resolved anything other than the pinned versions.
check_version() {
  local pkg="$1" want="$2" got
  got="$(node -p "require('$NM/$pkg/package.json').version")"
  if [[ "$got" != "$want" ]]; then
    echo "error: $pkg is $got, expected $want" >&2
    exit 1
  fi
}
check_version plotly.js-basic-dist-min "$PLOTLY_VERSION"
check_version plotly.js-locales "$LOCALES_VERSION"
check_version regenerator-runtime "$REGENERATOR_VERSION"
check_version bootstrap "$BOOTSTRAP_VERSION"
check_version sass "$SASS_VERSION"
check_version esbuild "$ESBUILD_VERSION"

# --- plotly-basic-fr.min.js: plotly (licence header kept first) + fr locale.
cat > "$TMP/plotly-fr-entry.js" <<'JS'
window.Plotly.register(require("plotly.js-locales/fr.js"));
JS
"$ESBUILD" "$TMP/plotly-fr-entry.js" --bundle --format=iife --minify \
  --target=es2017 --log-level=warning --outfile="$TMP/plotly-fr-locale.js"
{
  cat "$NM/plotly.js-basic-dist-min/plotly-basic.min.js"
  printf '\n/* plotly.js-locales %s: fr (MIT, Plotly Technologies Inc.) */\n' "$LOCALES_VERSION"
  cat "$TMP/plotly-fr-locale.js"
  # Then the site's own date and number formats (CLDR's "janv.", not plotly.js-locales' "Jan"), from the
  # project's Python, which draws the same ones in the server's texts: see webapp/figures/locale.py.
  printf '\n'
  (cd "$VENDOR_DIR/../.." && "${PROJECT_PYTHON:-.venv/bin/python}" -m webapp.figures.locale)
} > "$VENDOR_DIR/plotly-basic-fr.min.js"

# --- regenerator-runtime.min.js: defines window.regeneratorRuntime.
cat > "$TMP/regenerator-entry.js" <<'JS'
var runtime = require("regenerator-runtime/runtime.js");
// runtime.js already assigns the global; make it explicit for bundled output.
globalThis.regeneratorRuntime = runtime;
JS
"$ESBUILD" "$TMP/regenerator-entry.js" --bundle --format=iife --minify \
  --target=es2017 --log-level=warning --outfile="$TMP/regenerator.js"
{
  printf '/*! regenerator-runtime %s | MIT | %s */\n' "$REGENERATOR_VERSION" "$(copyright regenerator-runtime)"
  cat "$TMP/regenerator.js"
} > "$VENDOR_DIR/regenerator-runtime.min.js"

# Check it in a bare context (no module, no require) like a browser's.
node -e '
const vm = require("vm"), fs = require("fs");
const ctx = {}; ctx.window = ctx; vm.createContext(ctx);
vm.runInContext(fs.readFileSync(process.argv[1], "utf8"), ctx);
if (typeof ctx.regeneratorRuntime !== "object" || typeof ctx.regeneratorRuntime.wrap !== "function") {
  console.error("error: regenerator-runtime.min.js does not define window.regeneratorRuntime");
  process.exit(1);
}' "$VENDOR_DIR/regenerator-runtime.min.js"

# --- theme.min.css: trimmed Bootstrap from assets/scss/theme.scss.
"$SASS" --style=compressed --no-source-map --no-charset --quiet-deps \
  --silence-deprecation=import --load-path="$NM" \
  "$SCSS_DIR/theme.scss" "$TMP/theme.css"
# UTF-8 byte order mark (the CSS has a non-ASCII "—"), then a licence banner.
{
  printf '\xEF\xBB\xBF/*! Arras theme: Bootstrap v%s (https://getbootstrap.com/) | MIT | %s */\n' "$BOOTSTRAP_VERSION" "$(copyright bootstrap)"
  cat "$TMP/theme.css"
} > "$VENDOR_DIR/theme.min.css"

# Secondary body text (.text-body-secondary, .text-muted, .form-text) must
# keep a contrast of at least 4.5:1 on the white body background.
node -e '
const css = require("fs").readFileSync(process.argv[1], "utf8");
const m = css.match(/:root,\[data-bs-theme=light\]\{[^}]*?--bs-secondary-color:([^;}]+)/);
if (!m) { console.error("error: --bs-secondary-color not found in theme.min.css"); process.exit(1); }
const v = m[1].trim();
let rgb, a = 1, h = v.match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i), r = v.match(/^rgba?\(([^)]+)\)$/);
if (h) { let x = h[1]; if (x.length === 3) x = [...x].map(c => c + c).join(""); rgb = [0, 2, 4].map(i => parseInt(x.substr(i, 2), 16)); }
else if (r) { const p = r[1].split(",").map(Number); rgb = p.slice(0, 3); if (p.length > 3) a = p[3]; }
else { console.error("error: cannot parse --bs-secondary-color " + v); process.exit(1); }
const blended = rgb.map(c => a * c + (1 - a) * 255);
const lin = c => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
const L = 0.2126 * lin(blended[0]) + 0.7152 * lin(blended[1]) + 0.0722 * lin(blended[2]);
const ratio = 1.05 / (L + 0.05);
if (ratio < 4.5) { console.error("error: --bs-secondary-color " + v + " is " + ratio.toFixed(2) + ":1 on white"); process.exit(1); }
console.log("--bs-secondary-color " + v + " on white: " + ratio.toFixed(2) + ":1");
' "$VENDOR_DIR/theme.min.css"

# --- LICENSES.md
cat > "$VENDOR_DIR/LICENSES.md" <<MD
# Vendored third-party files

Generated by \`bash assets/vendor/build.sh\`; do not edit these files by hand.
Rerun that command to regenerate them (it also rewrites this file and
\`SHA256SUMS\`). \`theme.min.css\` is compiled from \`assets/scss/theme.scss\`.

| File | Package | Version | Licence | Copyright |
| --- | --- | --- | --- | --- |
| \`plotly-basic-fr.min.js\` | plotly.js-basic-dist-min (plotly.js) | $PLOTLY_VERSION | $(licence plotly.js-basic-dist-min) | $(copyright plotly.js-basic-dist-min) |
| \`plotly-basic-fr.min.js\` (French locale) | plotly.js-locales (\`fr.js\`) | $LOCALES_VERSION | $(licence plotly.js-locales) | $(copyright plotly.js-locales) |
| \`regenerator-runtime.min.js\` | regenerator-runtime (\`runtime.js\`) | $REGENERATOR_VERSION | $(licence regenerator-runtime) | $(copyright regenerator-runtime) |
| \`theme.min.css\` | bootstrap (Sass sources) | $BOOTSTRAP_VERSION | $(licence bootstrap) | $(copyright bootstrap) |

Build tools (not shipped): sass $SASS_VERSION, esbuild $ESBUILD_VERSION.

Each package is distributed under the MIT licence; its full text is in the
package's \`LICENSE\` file, reproduced below.
MD
for pkg in plotly.js-basic-dist-min plotly.js-locales regenerator-runtime bootstrap; do
  {
    printf '\n## %s %s\n\n```text\n' "$pkg" "$(node -p "require('$NM/$pkg/package.json').version")"
    sed -e 's/[[:space:]]*$//' "$NM/$pkg/LICENSE"
    printf '```\n'
  } >> "$VENDOR_DIR/LICENSES.md"
done

# --- SHA256SUMS (relative names)
cd "$VENDOR_DIR"
sha256sum plotly-basic-fr.min.js regenerator-runtime.min.js theme.min.css > SHA256SUMS
cat SHA256SUMS
