// Package synth writes synthetic Sahel conflict reports for benchmarks and
// load tests: English and French, plain text and whole HTML pages, with
// page furniture (junk lines), real places from the gazetteer, actors,
// dates and numbers. The sentences are templates in data/, so the reports
// exercise every stage of the pipeline without copying any real article.
//
// Reports are deterministic: the same seed and index give the same bytes.
package synth
