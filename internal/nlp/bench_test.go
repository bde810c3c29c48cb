package nlp

import (
	"strings"
	"testing"
)

// benchText is about 5 KB of mixed English and French report text.
var benchText = strings.Repeat(`Gunmen attacked the village of Boni on Sunday, killing at least 12 civilians and wounding about forty, local officials said on Monday.
Des hommes armés ont attaqué dans la nuit du 16 au 17 septembre un poste militaire près de Djibo, tuant une quarantaine de soldats, selon le Gén. Traoré.
The U.S. embassy in Bamako said on 25 March that dozens of people had fled since early March. Hier, plus d'une centaine de déplacés sont arrivés à Mopti.
`, 9)

func BenchmarkSentences(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		Sentences(benchText)
	}
}

func BenchmarkNumbers(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		Numbers(benchText)
	}
}

func BenchmarkDates(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		Dates(benchText, "", pub)
	}
}

func BenchmarkFold(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		FoldWithMap(benchText)
	}
}
