// Package nlp holds the English and French language helpers the extractor
// needs: accent folding with offset maps, sentence splitting, counts written
// in digits or words ("une quarantaine", "at least 40"), and date expressions
// resolved against a publication date ("mardi dernier", "dans la nuit du 16
// au 17 septembre", "late March").
//
// All functions take arbitrary text, including invalid UTF-8 and very large
// inputs, run in time linear in the input and never panic. Offsets are byte
// offsets into the caller's string.
//
// The word lists (abbreviations, number words, month and weekday names,
// qualifiers such as "au moins", relative date phrases) are plain-text files
// under data/, embedded at build time, so an analyst can add a word without
// reading Go. Each file explains its own format in its leading comments.
package nlp
