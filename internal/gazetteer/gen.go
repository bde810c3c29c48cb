package gazetteer

// Rebuild data/places.tsv.gz, data/admin.geojson and ../geocode/data/roads.geojson
// from ../shared/data when it is present (a no-op otherwise).
//go:generate go run ./internal/gen -src ../../../shared/data -out data -roads ../geocode/data
