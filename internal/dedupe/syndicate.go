package dedupe

import (
	"encoding/binary"
	"hash/fnv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// Syndicated copies are recognised by MinHash over word shingles: the
// estimated Jaccard similarity of two texts' sets of three-word sequences.
// A wire story reprinted with another intro line, headline or footer keeps
// most of its shingles; two outlets' own accounts of one incident share
// few, however alike their facts. MinHash rather than SimHash because its
// estimate is a plain fraction with a threshold an analyst can read.
const (
	numHashes   = 64  // signature slots; the estimate's error is about 1/sqrt(64)
	shingleLen  = 3   // words per shingle
	minShingles = 40  // below this a text is too short to call a copy
	sameStory   = 0.6 // estimated Jaccard from which two texts are one story
)

// minhashSeeds are the odd multipliers and offsets of the slot hashes,
// from a fixed splitmix64 stream so signatures are stable across builds.
var minhashSeeds = func() (s [numHashes][2]uint64) {
	x := uint64(0x5a4e1c0ffee)
	next := func() uint64 {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return z ^ (z >> 31)
	}
	for i := range s {
		s[i] = [2]uint64{next() | 1, next()}
	}
	return s
}()

// Signature implements store.Syndicator: the MinHash signature of the
// report's cleaned text (its raw bytes when it has none), 4 bytes per
// slot, or nil for a text under minShingles shingles.
func (m *Merger) Signature(r *event.Report) []byte {
	text := r.Text
	if strings.TrimSpace(text) == "" {
		text = string(r.Raw)
	}
	return Signature(text)
}

// SameStory implements store.Syndicator.
func (m *Merger) SameStory(a, b []byte) bool { return Similarity(a, b) >= sameStory }

// Signature returns the MinHash signature of text, or nil when it is too
// short to judge.
func Signature(text string) []byte {
	words := shingleWords(text)
	if len(words) < shingleLen+minShingles-1 {
		return nil
	}
	var mins [numHashes]uint64
	for i := range mins {
		mins[i] = ^uint64(0)
	}
	seen := map[uint64]bool{}
	for i := 0; i+shingleLen <= len(words); i++ {
		h := fnv.New64a()
		for _, w := range words[i : i+shingleLen] {
			h.Write([]byte(w))
			h.Write([]byte{0})
		}
		x := h.Sum64()
		if seen[x] {
			continue
		}
		seen[x] = true
		for j, s := range minhashSeeds {
			if v := x*s[0] + s[1]; v < mins[j] {
				mins[j] = v
			}
		}
	}
	if len(seen) < minShingles {
		return nil
	}
	out := make([]byte, 4*numHashes)
	for j, v := range mins {
		binary.BigEndian.PutUint32(out[4*j:], uint32(v>>32))
	}
	return out
}

// Similarity estimates the Jaccard similarity of the texts behind two
// signatures; 0 when either is missing or malformed.
func Similarity(a, b []byte) float64 {
	if len(a) != 4*numHashes || len(b) != 4*numHashes {
		return 0
	}
	same := 0
	for j := 0; j < len(a); j += 4 {
		if binary.BigEndian.Uint32(a[j:]) == binary.BigEndian.Uint32(b[j:]) {
			same++
		}
	}
	return float64(same) / numHashes
}

// shingleWords splits text into lower-cased, accent-free words, so that
// typographic differences between two sites' copies do not count.
func shingleWords(text string) []string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, text)
	if err != nil {
		folded = text
	}
	return strings.FieldsFunc(strings.ToLower(folded), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
