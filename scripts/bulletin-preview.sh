#!/usr/bin/env bash
# Render a bulletin .docx to PDF and PNG pages so a person can look at it.
#
#   scripts/bulletin-preview.sh [DOCX] [OUTDIR]
#
# Without DOCX, exports the synthetic province's bulletin (the report
# package's province test writes it when INSPECTOR_REPORT_SAMPLE is set).
# Needs LibreOffice (soffice) and poppler (pdftoppm):
#   apt-get install -y libreoffice-writer-nogui poppler-utils fonts-noto-cjk
# The bulletin names the official fonts (方正小标宋简体, 仿宋_GB2312, 黑体,
# 楷体_GB2312) without embedding them; where they are not installed, this
# script maps them to Noto CJK for the preview only.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${2:-bin/bulletin-preview}
mkdir -p "$out"
out=$(cd "$out" && pwd)
docx=${1:-}
if [[ -z "$docx" ]]; then
	INSPECTOR_REPORT_SAMPLE="$out" go test -count=1 -run 'TestExportProvince$' ./report/ >/dev/null
	docx="$out/bulletin.docx"
fi
command -v soffice >/dev/null || { echo "bulletin-preview: soffice (LibreOffice) is not installed" >&2; exit 1; }
command -v pdftoppm >/dev/null || { echo "bulletin-preview: pdftoppm (poppler-utils) is not installed" >&2; exit 1; }

# Font aliases for the preview: official faces → whatever CJK faces exist.
fc=$(mktemp -d)
trap 'rm -rf "$fc"' EXIT
cat >"$fc/fonts.conf" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>方正小标宋简体</family><prefer><family>FZXiaoBiaoSong-B05S</family><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>仿宋_GB2312</family><prefer><family>FangSong_GB2312</family><family>FangSong</family><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>楷体_GB2312</family><prefer><family>KaiTi_GB2312</family><family>KaiTi</family><family>AR PL UKai CN</family><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>黑体</family><prefer><family>SimHei</family><family>Noto Sans CJK SC</family></prefer></alias>
</fontconfig>
XML
export FONTCONFIG_FILE="$fc/fonts.conf"

# A private LibreOffice profile, so a running instance is not disturbed.
soffice -env:UserInstallation="file://$fc/profile" --headless --convert-to pdf --outdir "$out" "$docx" >/dev/null
pdf="$out/$(basename "${docx%.*}").pdf"
pdftoppm -png -r 96 "$pdf" "$out/page"
echo "$pdf"
ls "$out"/page*.png
