#!/bin/sh
# build.sh rebuilds the dashboard's vendored libraries and derived basemap
# in static/ from the npm packages pinned by package-lock.json and from
# geoBoundaries files in shared/data. The results are committed, so building
# or running sahelwatch needs no Node; run this only to upgrade a library or
# change the basemap (go generate ./internal/server does the same).
# Usage: internal/server/web/build.sh [path/to/shared/data/boundaries]
set -eu
cd "$(dirname "$0")"
boundaries=${1:-../../../../shared/data/boundaries}
npm ci --no-audit --no-fund --silent
v=static/vendor
rm -rf "$v"
mkdir -p "$v/leaflet/images" "$v/uplot" "$v/markercluster" static/data
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE "$v/leaflet/"
cp node_modules/leaflet/dist/images/*.png "$v/leaflet/images/"
cp node_modules/uplot/dist/uPlot.iife.min.js node_modules/uplot/dist/uPlot.min.css node_modules/uplot/LICENSE "$v/uplot/"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
   node_modules/leaflet.markercluster/dist/MarkerCluster.css \
   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css \
   node_modules/leaflet.markercluster/MIT-LICENCE.txt "$v/markercluster/"
cp node_modules/world-atlas/LICENSE static/data/LICENSE-world-atlas
node tools/basemap.mjs "$boundaries" static/data
