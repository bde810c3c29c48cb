package nlp

import (
	"testing"
	"time"
)

var fuzzSeeds = []string{
	"Gunmen killed at least 40 people on Sunday near Gao. The U.S. embassy said.",
	"Dans la nuit du 16 au 17 septembre, une quarantaine de soldats ont été tués. « Nous reviendrons. »",
	"entre 30 et 40 morts, plus d'une centaine de blessés, quatre-vingt-dix-sept déplacés",
	"le 1er avril 2024-09-17 17/09/2024 mi-mars fin février l'an dernier il y a deux jours",
	"overnight Monday to Tuesday, the night of 16-17 September, tens of thousands",
	"1,000,000,000,000 1 000 1.000 2.5 million 14h30 G5 3rd",
	"\xff\xfe\xc3 mars\u0301 é\u00a0»",
	"Gen. Lt. Col. M. Mme av. J.-C. etc. U.S.",
	"",
}

func FuzzSentences(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkSpans(t, s, Sentences(s))
	})
}

func FuzzNumbers(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkNumbers(t, s, Numbers(s))
	})
}

func FuzzDates(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "")
		f.Add(s, "fr")
	}
	f.Fuzz(func(t *testing.T, s, lang string) {
		checkDates(t, s, Dates(s, lang, pub))
		checkDates(t, s, Dates(s, lang, time.Time{}))
		checkDates(t, s, Dates(s, lang, time.Date(2024, 2, 29, 23, 0, 0, 0, time.FixedZone("x", 5*3600))))
	})
}

func FuzzFold(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded, m := FoldWithMap(s)
		if len(m) != len(folded) {
			t.Fatalf("map length %d for %d bytes", len(m), len(folded))
		}
		for i := range m {
			if m[i] < 0 || m[i] >= len(s) || (i > 0 && m[i] < m[i-1]) {
				t.Fatalf("bad map at %d: %v", i, m)
			}
		}
	})
}
