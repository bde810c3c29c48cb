package nlp

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Général Traoré", "general traore"},
		{"ŒUVRE cœur", "oeuvre coeur"},
		{"Lætitia", "laetitia"},
		{"l’armée", "l'armee"},
		{"«Nous»", "\"nous\""},
		{"“quoted”", "\"quoted\""},
		{"Ségou–Mopti—Gao", "segou-mopti-gao"},
		{"1\u00a0000\u202fmorts", "1 000 morts"},
		{"e\u0301te\u0301", "ete"}, // already decomposed
		{"NIGER", "niger"},
		{"Ça", "ca"},
		{"straße", "strasse"},
		{"bad\xffbyte", "bad\uFFFDbyte"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFoldWithMap(t *testing.T) {
	for _, s := range []string{"Général Traoré à Ségou", "cœur l’été «oui»", "plain ascii", "x\xffy\u0301z", "ÉÉÉ"} {
		f, m := FoldWithMap(s)
		if f != Fold(s) {
			t.Errorf("FoldWithMap(%q) text %q != Fold %q", s, f, Fold(s))
		}
		if len(m) != len(f) {
			t.Fatalf("FoldWithMap(%q): map has %d entries for %d bytes", s, len(m), len(f))
		}
		for i := 1; i < len(m); i++ {
			if m[i] < m[i-1] || m[i] >= len(s) {
				t.Fatalf("FoldWithMap(%q): map not ordered or out of range at %d: %v", s, i, m)
			}
		}
	}
	// A match in folded text maps back to the original words.
	s := "Le Général Traoré a parlé."
	f, m := FoldWithMap(s)
	i := strings.Index(f, "traore")
	last := m[i+len("traore")-1]
	_, n := utf8.DecodeRuneInString(s[last:])
	if got := s[m[i] : last+n]; got != "Traoré" {
		t.Errorf("mapped back %q, want %q", got, "Traoré")
	}
}

func TestLexiconLoads(t *testing.T) {
	l := getLex()
	if len(l.errs) > 0 {
		t.Fatalf("malformed data lines:\n%s", strings.Join(l.errs, "\n"))
	}
	for name, n := range map[string]int{
		"abbreviations": len(l.abbrev), "cardinals": len(l.cardinals), "collectives": len(l.collectives),
		"qualifiers": len(l.qualifiers), "months": len(l.months), "weekdays": len(l.weekdays),
		"date phrases": len(l.datePhrases), "stopwords": len(l.stopwords),
	} {
		if n == 0 {
			t.Errorf("%s: empty", name)
		}
	}
}

func TestLang(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Gunmen attacked the village of Diallassagou on Sunday and killed at least 20 people, the army said.", "en"},
		{"Des hommes armés ont attaqué le village dimanche et tué au moins vingt personnes, selon l'armée.", "fr"},
		{"Kalash 123 456", "other"},
		{"", "other"},
	}
	for _, tt := range tests {
		if got := Lang(tt.in); got != tt.want {
			t.Errorf("Lang(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
