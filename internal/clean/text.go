package clean

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// blockKind is the structural role of a block, which the classifier uses
// to keep an article's headings, lists and tables.
type blockKind int

const (
	kindPara blockKind = iota
	kindHeading
	kindItem
	kindRow
)

type block struct {
	text string
	kind blockKind
}

// class is a block's verdict in the jusText-style classifier.
type class int

const (
	clShort  class = iota // undecided: short line, decided by its neighbours
	clGood                // a real paragraph: long enough, prose-like
	clStruct              // heading, list item or table row
	clBad                 // boilerplate
)

var (
	reListItem = regexp.MustCompile(`^\s*([-*•·–]|\d{1,2}[.)])\s+\S`)
	reURL      = regexp.MustCompile(`(?i)(https?://|www\.)\S+|\S+@\S+\.\w+|\S+\[at\]\S+`)
	reWikiHead = regexp.MustCompile(`^\s*(=+[^=]+=+|#{1,6}\s+\S.*)\s*$`)
)

// cleanText runs the block classifier over plain text, one block per line.
func (c *Cleaner) cleanText(s string, langPrior string) document {
	blocks := textBlocks(s)
	keep := c.classify(blocks, false)
	text := joinBlocks(blocks, keep)
	d := document{text: text, lang: langPrior}
	if text == "" {
		d.reason = "no line of the text looked like article prose"
		if len(blocks) == 0 {
			d.reason = "the text is blank"
		}
	}
	for i, b := range blocks {
		if keep[i] {
			d.title = strings.Trim(b.text, "= #")
			break
		}
	}
	return d
}

// maxNote is the size under which a plain text the classifier rejects
// whole may still be a report: a one-line incident note ("Gunmen killed two
// herders near Douentza.") is too short for the paragraph test, yet it is
// all article.
const maxNote = 600

// cleanNote keeps a short text whole, less the lines the vocabulary
// condemns, when what remains reads like a sentence: some line of at
// least four words, two of them in lower case, or ending like a sentence.
// Menus ("Home / News / Contact") and lone labels stay rejected.
func (c *Cleaner) cleanNote(s string, langPrior string) (document, bool) {
	if len(strings.TrimSpace(s)) >= maxNote {
		return document{}, false
	}
	blocks := textBlocks(s)
	keep := make([]bool, len(blocks))
	prose := false
	for i, b := range blocks {
		f := c.measure(b.text)
		if c.lx.junk(b.text, f.words) || c.lx.isSection(foldLine(b.text)) || urlShare(b.text) > 0.5 || f.letters < 2 {
			continue
		}
		keep[i] = true
		lower := 0
		for _, w := range strings.Fields(b.text) {
			if r, _ := utf8.DecodeRuneInString(w); unicode.IsLower(r) {
				lower++
			}
		}
		if f.words >= 4 && (lower >= 2 || f.sentence) {
			prose = true
		}
	}
	if !prose {
		return document{}, false
	}
	d := document{text: joinBlocks(blocks, keep), lang: langPrior}
	for i, b := range blocks {
		if keep[i] {
			d.title = strings.Trim(b.text, "= #")
			break
		}
	}
	return d, true
}

// textBlocks splits plain text into blocks, one per non-blank line, and
// recognises table rows, list items and wiki or Markdown headings.
func textBlocks(s string) []block {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = invisible.Replace(s)
	var blocks []block
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if strings.TrimSpace(l) == "" {
			continue
		}
		k := kindPara
		switch {
		case isTableRow(l):
			k = kindRow
		case reListItem.MatchString(l):
			k = kindItem
			l = strings.TrimSpace(l)
		case reWikiHead.MatchString(l):
			k = kindHeading
		default:
			l = strings.TrimSpace(l)
		}
		blocks = append(blocks, block{text: l, kind: k})
	}
	return blocks
}

func isTableRow(l string) bool {
	t := strings.TrimSpace(l)
	return (strings.HasPrefix(t, "|") && strings.HasSuffix(t, "|") && strings.Count(t, "|") >= 2) ||
		strings.Count(t, "\t") >= 2
}

// joinBlocks writes the kept blocks: rows and list items that follow one
// another stay on consecutive lines, everything else is a paragraph.
func joinBlocks(blocks []block, keep []bool) string {
	var b strings.Builder
	prev := -1
	for i, bl := range blocks {
		if !keep[i] {
			continue
		}
		if prev >= 0 {
			pk := blocks[prev].kind
			if (bl.kind == kindRow && pk == kindRow) || (bl.kind == kindItem && pk == kindItem) {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		b.WriteString(bl.text)
		prev = i
	}
	return b.String()
}

// feature holds what the classifier measures about one block.
type feature struct {
	words    int
	stopDens float64 // share of stop words, the higher of English and French
	sentence bool    // ends like a sentence
	letters  int
	oneWord  bool
	clauses  int // commas and full stops inside the block
}

func (c *Cleaner) measure(s string) feature {
	var f feature
	words := strings.Fields(s)
	f.words = len(words)
	f.oneWord = len(words) == 1
	// Chinese and Japanese write no spaces: count two ideographs as a word.
	han := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) {
			han++
		}
	}
	if han > 0 {
		f.words += han / 2
		f.oneWord = f.words == 1
	}
	stop := map[string]int{}
	for _, w := range words {
		fw := foldWord(w)
		// "l'armée" counts its article as a stop word.
		if i := strings.IndexByte(fw, '\''); i > 0 && i < 3 {
			stop["fr"]++
			continue
		}
		for lang, set := range c.lx.stop {
			if set[fw] {
				stop[lang]++
			}
		}
	}
	if f.words > 0 {
		f.stopDens = float64(max(stop["en"], stop["fr"])) / float64(f.words)
	}
	for _, r := range s {
		if unicode.IsLetter(r) {
			f.letters++
		}
	}
	f.clauses = strings.Count(s, ", ") + strings.Count(s, ". ")
	t := strings.TrimRight(s, " \"'”»’)*")
	if r, _ := utf8.DecodeLastRuneInString(t); strings.ContainsRune(".!?…:;", r) {
		f.sentence = true
	}
	return f
}

// classify decides, block by block, what is article text. It first marks
// blocks the vocabulary or their form condemn, then blocks after a "Related
// News"-style marker, then settles short blocks by their neighbours, in the
// spirit of jusText's context smoothing. fromHTML relaxes the rules that
// the HTML extractor already applied.
func (c *Cleaner) classify(blocks []block, fromHTML bool) []bool {
	n := len(blocks)
	cl := make([]class, n)
	fs := make([]feature, n)
	for i, b := range blocks {
		f := c.measure(b.text)
		fs[i] = f
		switch {
		case c.lx.junk(b.text, f.words) || c.repeated(b.text, f.words):
			cl[i] = clBad
		case b.kind == kindRow:
			cl[i] = clStruct
		case f.letters < 2:
			cl[i] = clBad
		case urlShare(b.text) > 0.5:
			cl[i] = clBad
		case isProse(f):
			cl[i] = clGood
		case b.kind != kindPara:
			cl[i] = clStruct
		default:
			cl[i] = clShort
		}
	}

	// Near-duplicate lines close together (a page title above the same
	// headline, a caption above "caption . DR"): keep the fuller one.
	keys := make([]string, n)
	for i := range n {
		keys[i] = dupKey(blocks[i].text)
	}
	for i := range n {
		ki := keys[i]
		if ki == "" || blocks[i].kind == kindRow {
			continue
		}
		for j := i + 1; j < min(n, i+4); j++ {
			kj := keys[j]
			if kj == ki {
				// Keep the copy with more to it (a final full stop).
				if len(blocks[j].text) > len(blocks[i].text) {
					cl[i] = clBad
				} else {
					cl[j] = clBad
				}
				continue
			}
			if strings.HasPrefix(kj, ki+" ") {
				cl[i] = clBad
			}
		}
	}

	// Junk sections: everything after a marker is junk until a real
	// paragraph; the short line right before that paragraph is its heading.
	for i := 0; i < n; i++ {
		if !c.lx.isSection(foldLine(blocks[i].text)) {
			continue
		}
		cl[i] = clBad
		j := i + 1
		for ; j < n; j++ {
			if cl[j] == clGood && fs[j].words >= 15 && !c.lx.isSection(foldLine(blocks[j].text)) {
				break
			}
			cl[j] = clBad
		}
		if j < n && j-1 > i && fs[j-1].words <= 8 && !c.lx.junk(blocks[j-1].text, fs[j-1].words) {
			cl[j-1] = clShort
		}
		i = j - 1
	}

	first, last := -1, -1
	for i := range n {
		if cl[i] == clGood {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		// No prose at all: a menu, a gallery or an error page.
		words := 0
		for _, f := range fs {
			words += f.words
		}
		if !fromHTML || words < 40 {
			return make([]bool, n)
		}
		first, last = n, -1
	}

	keep := make([]bool, n)
	for i := range n {
		switch cl[i] {
		case clGood, clStruct:
			keep[i] = true
		case clShort:
			keep[i] = true
		}
	}
	for i := range n {
		if cl[i] == clBad {
			continue
		}
		prev, next := neighbour(cl, fs, i, -1), neighbour(cl, fs, i, +1)
		switch {
		case i < first:
			// The header: titles and standfirsts stay, lone words
			// ("Archives", "Mali", "Infobox") are section labels.
			if fs[i].oneWord && cl[i] == clShort && !fromHTML {
				keep[i] = false
			}
		case i > last:
			// The footer: only structure that continues the article, or a
			// last line cut off mid-sentence, survives.
			cont := true
			for j := last + 1; j < i; j++ {
				if cl[j] == clBad || cl[j] == clShort {
					cont = false
				}
			}
			switch {
			case cl[i] == clStruct && cont:
			case i == n-1 && i == last+1 && !fs[i].sentence && cl[i] == clShort:
			case fromHTML && cl[i] != clShort:
			case fromHTML && noBadBetween(cl, last, i) && !(prev == clBad && next == clBad):
				// The extractor chose this block as content and nothing
				// the vocabulary condemns separates it from the article.
			default:
				keep[i] = false
			}
		default:
			switch cl[i] {
			case clShort:
				if prev == clBad && next == clBad {
					keep[i] = false
				} else if fs[i].oneWord && !(prev == clGood && next == clGood) && !fromHTML {
					keep[i] = false
				}
			case clGood:
				// In a page the extractor already chose the block; a full sentence
				// between a credit and a "read also" line is the article's.
				if prev == clBad && next == clBad && fs[i].words < 20 && !(fromHTML && fs[i].sentence) {
					keep[i] = false
				}
			}
		}
	}
	return keep
}

// neighbour returns the class of the next block in direction dir; the
// ends of the document count as undecided, neither good nor bad. Blocks
// without words (a quantity "1", a bullet) are skipped: they go, but they
// say nothing about the lines around them.
func neighbour(cl []class, fs []feature, i, dir int) class {
	for j := i + dir; j >= 0 && j < len(cl); j += dir {
		if fs[j].letters < 2 {
			continue
		}
		return cl[j]
	}
	return clShort
}

// isProse is the paragraph test: enough words, enough function words, and
// either a sentence ending or the length of one.
func isProse(f feature) bool {
	if f.words < 8 {
		return false
	}
	if f.stopDens >= 0.15 && (f.sentence || f.words >= 15) {
		return true
	}
	// Languages without a stop list: judge by length and punctuation. A
	// long block with inner commas or full stops is prose even when it
	// ends on a link (an embedded post) rather than a full stop.
	return (f.sentence && f.words >= 12) || (f.words >= 20 && f.clauses >= 2)
}

func urlShare(s string) float64 {
	if len(s) == 0 {
		return 0
	}
	n := 0
	for _, m := range reURL.FindAllString(s, -1) {
		n += len(m)
	}
	return float64(n) / float64(len(s))
}

// dupKey is a line reduced to its lower-case words, for spotting repeats.
func dupKey(s string) string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		words = append(words, w)
	}
	if len(words) < 2 {
		return ""
	}
	return strings.Join(words, " ")
}

// noBadBetween reports whether no bad block lies strictly between last and i.
func noBadBetween(cl []class, last, i int) bool {
	for j := last + 1; j < i; j++ {
		if cl[j] == clBad {
			return false
		}
	}
	return true
}
