// Package clean turns a report's raw bytes into the article text the rest
// of the pipeline reads, with its language and publication date.
//
// The steps, in order:
//
//   - Decode: byte-order marks (UTF-8, UTF-16), BOM-less UTF-16, UTF-8,
//     a page's declared charset, windows-1252 or ISO-8859-1; then mojibake
//     ("Ã©") is repaired where re-encoding gives valid UTF-8. Binary input
//     (images, archives, NUL bytes) is refused with ErrBinary.
//   - Detect: HTML or plain text, unless the report says which.
//   - HTML: go-trafilatura finds the main content after pruning
//     subscription, related-links, "lire aussi", share, cookie and comment
//     blocks (plus per-site selectors from Options.PruneSelectors); an
//     element holding most of the page's paragraph text is spared, since
//     themes put such class words on the article's own container. Its
//     content node is read block by block, keeping headings, list items and
//     table rows, a standfirst the extractor left out (prose between the
//     page's <h1> and the body, or the block matching the meta
//     description) is put back after the title, and the same classifier as
//     for text then removes what the extractor let through. Pages nested
//     too deep for the extractor are read flat with the tokenizer.
//   - Plain text: a block classifier in the spirit of jusText. Each line is
//     measured (length, stop-word density in English and French, URL share,
//     sentence ending) and checked against the junk vocabulary in
//     data/junk_*.txt (shopping, appeals, navigation, sharing, comments,
//     credits, hashtags, citation lists). Markers such as "Related News" or
//     "Lire aussi" open a junk section that lasts until the next real
//     paragraph. Short lines are then settled by their neighbours, so
//     headings and short sentences between paragraphs survive while lone
//     labels, footers and link lists go. Lines repeated across a batch given
//     to Feed count as junk. A text under 600 bytes that the classifier
//     rejects whole is kept whole when it reads like a sentence (a one-line
//     incident note), less the lines the vocabulary condemns.
//   - Language: whatlanggo over the cleaned text, with the report's or the
//     page's declared language as the prior; "en", "fr" or "other".
//   - Publication date: the page's metadata ("html-meta"), else a dateline
//     at the start of a line ("dateline"): "Wednesday, December 3, 2025",
//     "Publié le 19 septembre 2024", "Le 20/05/2022 à 13h36",
//     "Bamako, July 27 (Reuters) –". A date already on the report wins.
//
// Report.Text is the text events point into by byte offset, so it is built
// deterministically: kept blocks in document order, paragraphs separated by
// a blank line, consecutive list items and table rows by a newline.
//
// Vocabulary, stop words and month names are plain-text data under data/,
// embedded at build time; Options.Lexicon adds a file in the same format.
// See docs/CLEANING.md for figures and benchmarks.
package clean
