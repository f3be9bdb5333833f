#!/usr/bin/env bash
# Whole-process benchmarks of kbsleep on synthetic vaults. Run by hand, not in CI:
#   bash benchmarks/run.sh [OUT_DIR] [SIZES...]     e.g. bash benchmarks/run.sh /tmp/kbsleep-bench 1000 10000 50000
# Needs `kbsleep` on PATH (pip install .) and, for the reference row, markdownlint-cli2 on PATH
# or in $MARKDOWNLINT (npm install markdownlint-cli2@0.22.1). Prints Markdown table rows.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-/tmp/kbsleep-bench}"; shift || true
sizes=("${@:-1000 10000}")
read -r -a sizes <<< "${sizes[*]}"
py="${PYTHON:-python3}"
measure() { "$py" "$here/measure.py" "$@"; }
mdl="${MARKDOWNLINT:-$(command -v markdownlint-cli2 || true)}"

mkdir -p "$out"
printf '| label | median s | min s | peak RSS MB |\n|---|---:|---:|---:|\n'
measure --runs 10 --warmup 1 --label "kbsleep --help" -- kbsleep --help
for n in "${sizes[@]}"; do
    vault="$out/v$n"
    [ -d "$vault/.git" ] || "$py" "$here/generate_vault.py" "$vault" --pages "$n" --git --force --quiet
    load=("$py" -c "from kbsleep.wiki import open_wiki; open_wiki('$vault')")
    runs=$(( n >= 50000 ? 2 : 3 ))
    measure --runs "$runs" --label "load cold ${n}" --prepare "rm -rf '$vault/.kbsleep'" -- "${load[@]}"
    measure --runs 5 --warmup 1 --label "load warm ${n}" -- "${load[@]}"
    measure --runs "$runs" --label "lint cold ${n}" --prepare "rm -rf '$vault/.kbsleep'" -- kbsleep --wiki "$vault" lint -o /dev/null
    measure --runs 5 --warmup 1 --label "lint warm ${n}" -- kbsleep --wiki "$vault" lint -o /dev/null
    page="$(cd "$vault" && git ls-files 'people/*.md' | awk 'NR==1')"
    measure --runs 5 --warmup 1 --label "pre-commit, 1 staged page, warm ${n}" \
        --prepare "cd '$vault' && echo >> '$page' && git add '$page'" \
        -- kbsleep --wiki "$vault" lint --staged --output-format concise
    (cd "$vault" && git reset -q --hard)
    if [ -n "$mdl" ]; then
        measure --runs "$runs" --label "markdownlint-cli2 0.22.1 ${n} (reference)" \
            -- "$mdl" "$vault/**/*.md" "#$vault/.kbsleep"
    fi
done
